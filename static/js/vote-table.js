// A table's phone page: the "Punkte kleben" panel appears while a voting round is open.
// While it is open and out of sight, a bar at the top of the screen says so and leads to it
// (at 360 x 740 the panel starts below the fold, under theme and guiding questions).
import { el, t } from "./common.js";
import { socket } from "./phone.js";
import { mountVote } from "./vote.js";

const panel = document.getElementById("vote-panel");
mountVote(socket, panel);

const notice = el("a", { href: "#vote-panel", class: "vote-notice hidden", id: "vote-notice", role: "status",
  text: `${t("vote_started")} ↓`,
  onclick: (e) => { e.preventDefault(); panel.scrollIntoView({ behavior: "smooth", block: "start" }); } });
document.querySelector("main").prepend(notice);

let open = false;
let inView = false;
const show = () => notice.classList.toggle("hidden", !open || inView || document.body.classList.contains("event-over"));
new IntersectionObserver((entries) => { inView = entries.some((x) => x.isIntersecting); show(); }).observe(panel);
socket.on("snapshot", (snap) => { open = snap.voting?.round?.status === "open"; show(); });
socket.on("voting_round_updated", (m) => { open = m.round.status === "open"; show(); });
