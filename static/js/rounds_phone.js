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

let voteOpen = false;

// Where the person sits now and where next. "Now" is the running (or about to start) round;
// once a round has ended, "now" is where to go for the coming round. Nothing after the last
// round, during a vote, or once the event is over.
export function seatsNowAndNext(r, plan) {
  if (!r || !plan || !r.planned) return null;
  const state = effectiveState(r);
  const current = state === "ended" ? r.number + 1 : r.number;
  if (current > r.rounds) return null;
  const at = (n) => plan.seats.find((s) => s.round === n) || null;
  const now = at(current);
  if (!now) return null;
  return { now, next: current < r.rounds ? at(current + 1) : null, moving: state === "ended" };
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
  const seat = closed || voteOpen ? null : seatsNowAndNext(round, seats);
  const key = seat ? `${seat.now.round}:${seat.now.table}:${seat.next?.table}:${seat.moving}` : "";
  if (key === seatKey) return; // rebuilt only when it changes, not on every tick
  seatKey = key;
  seatBox.classList.toggle("hidden", !seat);
  if (!seat) { seatBox.replaceChildren(); return; }
  const elsewhere = seat.now.table !== tableCode;
  seatBox.replaceChildren(...[
    el("p", { class: "seat-next", text: seat.next
      ? t("seat_now_next", { now: seat.now.table, next: seat.next.table })
      : t("seat_now", { now: seat.now.table }) }),
    el("p", { class: "muted small", text: `${isolate(pickText(seat.now.theme, seat.now.theme_i18n)[0])} · ${t("your_number", { n: seats.number })}` }),
    seat.moving && elsewhere ? el("p", { class: "strong", text: t("move_now") }) : null,
    // The way to the table only when the person should be there, so nobody leaves early.
    elsewhere && seat.moving ? el("a", { class: "btn small secondary",
      href: `/e/${eventId}/t/${encodeURIComponent(seat.now.table)}`, text: t("go_to_table") }) : null,
  ].filter(Boolean));
}

socket.on("voting_round_updated", (m) => { voteOpen = m.round.status === "open"; seatKey = "x"; render(); });
socket.on("snapshot", (snap) => {
  closed = snap.event.status === "closed";
  voteOpen = snap.voting?.round?.status === "open";
  round = snap.round;
  seats = snap.seats;
  lastLocked = null; seatKey = "";
  render();
});
socket.on("event_updated", (m) => { closed = m.event.status === "closed"; lastLocked = null; render(); });
socket.on("round_changed", (m) => { round = m.round; lastLocked = null; render(); });
socket.on("seats_assigned", (m) => { seats = m.seats; seatKey = ""; render(); });

tick(render);
