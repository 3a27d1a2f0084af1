// A table phone's share of rounds: the same countdown as the projector, the calm warning,
// the lock between rounds with a clear message, and the person's next table.
import { el, isolate, t } from "./common.js";
import {
  effectiveState, formatMs, inWarning, isLocked, remainingMs, roundTitle, statusText, tick,
} from "./countdown.js";
import { pickText } from "./content-lang.js";
import { socket } from "./phone.js";

const eventId = document.body.dataset.event;
const tableCode = document.body.dataset.table;
const bar = document.getElementById("round-bar");
const seatBox = document.getElementById("seat");
const lockNote = document.getElementById("lock-note");
const sendButton = document.getElementById("send");

let round = null;
let seats = null;
let closed = false;
let lastLocked = null;
let seatKey = "";

export function upcomingSeat(r, plan) {
  // Before a round starts: where to sit for it; once it runs or has ended: the next one.
  if (!r || !plan) return null;
  const n = effectiveState(r) === "idle" ? r.number : r.number + 1;
  return plan.seats.find((s) => s.round === n) || null;
}

function render() {
  if (!round) return;
  bar.classList.toggle("hidden", !round.planned);
  if (round.planned) {
    document.getElementById("round-title").textContent = roundTitle(round);
    document.getElementById("round-time").textContent = formatMs(remainingMs(round));
    document.getElementById("round-status").textContent = statusText(round);
    bar.classList.toggle("warning", inWarning(round));
    bar.classList.toggle("over", effectiveState(round) === "ended");
  }
  const locked = isLocked(round);
  if (locked !== lastLocked) {
    lockNote.textContent = locked ? t("round_locked") : "";
    lockNote.classList.toggle("hidden", !locked);
    sendButton.disabled = locked || closed;
    lastLocked = locked;
  }
  renderSeat();
}

function renderSeat() {
  const seat = upcomingSeat(round, seats);
  const key = seat ? `${seat.round}:${seat.table}:${effectiveState(round)}` : "";
  if (key === seatKey) return; // rebuilt only when it changes, not on every tick
  seatKey = key;
  seatBox.classList.toggle("hidden", !seat);
  if (!seat) { seatBox.replaceChildren(); return; }
  const moving = effectiveState(round) === "ended" && seat.table !== tableCode;
  seatBox.replaceChildren(...[
    el("p", { class: "seat-next", text: t("next_table", { n: seat.round, table: seat.table, theme: isolate(pickText(seat.theme, seat.theme_i18n)[0]) }) }),
    el("p", { class: "muted small", text: t("your_number", { n: seats.number }) }),
    moving ? el("p", { class: "strong", text: t("move_now") }) : null,
    // The way to the next table only once it is time to go, so nobody leaves early.
    seat.table !== tableCode && !["running", "paused"].includes(effectiveState(round)) ? el("a", { class: "btn small secondary",
      href: `/e/${eventId}/t/${encodeURIComponent(seat.table)}`, text: t("go_to_table") }) : null,
  ].filter(Boolean));
}

socket.on("snapshot", (snap) => {
  closed = snap.event.status === "closed";
  round = snap.round;
  seats = snap.seats;
  lastLocked = null; seatKey = "";
  render();
});
socket.on("event_updated", (m) => { closed = m.event.status === "closed"; lastLocked = null; render(); });
socket.on("round_changed", (m) => { round = m.round; lastLocked = null; render(); });
socket.on("seats_assigned", (m) => { seats = m.seats; seatKey = ""; render(); });

tick(render);
