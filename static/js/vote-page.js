// The voting page for phones without a table: the "Punkte kleben" panel, and the
// event's join question (target group), so these dots count for a group too.
import { connectLive, el, t, toast } from "./common.js";
import { onShownLangChange, pickText, setText } from "./content-lang.js";
import { mountVote } from "./vote.js";

const groupBox = document.getElementById("group-box");
const groupSelect = document.getElementById("group");

let lastEvent = null;

function showQuestion(event, answer) {
  lastEvent = event;
  if (!event.join_question || !event.join_options.length) { groupBox.classList.add("hidden"); return; }
  setText(document.getElementById("group-label"), event.join_question, event.join_question_i18n);
  const maps = event.join_options_i18n || [];
  // The value stays the German answer (what the server stores); the label is translated.
  groupSelect.replaceChildren(el("option", { value: "", text: t("group_none") }),
    ...event.join_options.map((o, i) => el("option", { value: o, dir: "auto", text: pickText(o, maps[i])[0] })));
  groupSelect.value = answer || "";
  groupBox.classList.remove("hidden");
}

const socket = connectLive({ event: document.body.dataset.event, role: "participant" }, (snap) => {
  showQuestion(snap.event, snap.participant.target_group);
});
socket.on("event_updated", (m) => showQuestion(m.event, groupSelect.value));
onShownLangChange(() => { if (lastEvent) showQuestion(lastEvent, groupSelect.value); });
groupSelect.addEventListener("change", () => {
  socket.emit("set_target_group", { group: groupSelect.value || null }, (ack) => {
    if (!ack.ok) toast(ack.error.message);
  });
});
mountVote(socket, document.getElementById("vote-panel"));
window.addEventListener("online", () => { if (!socket.connected) socket.connect(); });
