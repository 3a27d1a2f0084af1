// The projector's voting view: one row per item, bars that grow and rows that move
// smoothly to their rank (CSS transitions on custom properties set from here; the
// server already coalesces tallies to a few per second). Ties share a rank: "2=".
import { connectLive, el, provenanceText, rankText, t, tn } from "./common.js";

const body = document.body;
const eventId = body.dataset.event;
const chosen = body.dataset.round ? Number(body.dataset.round) : null;
const board = document.getElementById("vote-board");
const title = document.getElementById("vote-title");
const state = document.getElementById("vote-state");
const votersBox = document.getElementById("vote-voters");
const note = document.getElementById("vote-note");
const joinbox = document.querySelector(".joinbox");  // "vote on your phone": only while voting is open

const rounds = new Map();   // id -> public round
const tallies = new Map();  // id -> last tally
const rows = new Map();     // candidate id -> row element (kept, so transitions run)
let shownId = null;

function pick() {
  if (chosen && rounds.has(chosen)) return rounds.get(chosen);
  const all = [...rounds.values()];
  const open = all.find((r) => r.status === "open");
  if (open) return open;
  const closed = all.filter((r) => r.status === "closed")
    .sort((a, b) => (a.closed_at || "").localeCompare(b.closed_at || "") || a.id - b.id);
  return closed.length ? closed[closed.length - 1] : null;
}

function rowFor(c) {
  let row = rows.get(c.id);
  if (!row) {
    row = el("div", { class: "vote-row", dataset: { candidate: c.id } },
      el("span", { class: "vote-rank" }),
      el("span", { class: "vote-label" }, el("span", { class: "vote-text", dir: "auto" }), el("span", { class: "field-label", dir: "auto" })),
      el("span", { class: "vote-track" }, el("span", { class: "vote-bar" }), el("span", { class: "vote-num" })));
    rows.set(c.id, row);
  }
  row.querySelector(".vote-text").textContent = c.label;
  // Which Handlungsfeld the item belongs to, so the room reads it in context.
  const field = c.theme ? (c.table ? `${c.table} · ${c.theme}` : c.theme) : "";
  const origin = provenanceText(c.provenance);
  row.querySelector(".field-label").textContent = [field, origin].filter(Boolean).join(" · ");
  return row;
}

// Rows readable from the back of the hall; candidates tied with the last one shown
// come along (up to a few more), the rest is one line: the console has them all.
const ROWS = 16;
const moreRow = el("div", { class: "vote-row vote-more" });
function readable(order) {
  if (order.length <= ROWS) return order;
  let n = ROWS;
  const last = order[ROWS - 1];
  while (n < order.length && n < ROWS + 4 && last.rank !== null && order[n].rank === last.rank) n += 1;
  return order.slice(0, n);
}

function render() {
  const round = pick();
  if (!round) {
    title.textContent = t("vote_heading");
    state.textContent = "";
    votersBox.textContent = "";
    board.replaceChildren();
    rows.clear();
    note.textContent = t("vote_no_round");
    note.classList.remove("hidden");
    joinbox.classList.add("hidden");
    return;
  }
  if (round.id !== shownId) { rows.clear(); board.replaceChildren(); shownId = round.id; }
  const tally = tallies.get(round.id);
  title.textContent = round.title;
  state.textContent = round.status === "closed" ? t("vote_final") : t("vote_running");
  state.className = `vote-state ${round.status}`;
  joinbox.classList.toggle("hidden", round.status === "closed");
  const voters = tally ? tally.voters : 0;
  const who = tn("vote_voters", voters);
  votersBox.textContent = tally && tally.ranking ? `${who} · ${tn("vote_dots_total", tally.dots)}` : who;
  const secret = !tally || tally.ranking === null;
  note.textContent = t("vote_hidden_counts");
  note.classList.toggle("hidden", !(secret && round.status === "open" && round.hide_counts));
  board.classList.toggle("secret", secret);

  const byId = new Map(round.candidates.map((c) => [c.id, c]));
  const order = secret
    ? round.candidates.map((c) => ({ candidate_id: c.id, dots: 0, rank: null, tied: false }))
    : tally.ranking.filter((r) => byId.has(r.candidate_id));
  const max = Math.max(1, ...order.map((r) => r.dots));
  const shown = readable(order);
  const more = order.length - shown.length;
  board.style.setProperty("--n", String(Math.max(shown.length + (more ? 1 : 0), 6)));
  moreRow.style.setProperty("--i", String(shown.length));
  moreRow.textContent = more ? tn("vote_more", more) : "";
  if (more && !moreRow.isConnected) board.append(moreRow);
  if (!more) moreRow.remove();
  const keep = new Set();
  shown.forEach((r, i) => {
    const row = rowFor(byId.get(r.candidate_id));
    keep.add(r.candidate_id);
    row.style.setProperty("--i", String(i));
    row.style.setProperty("--w", String(secret ? 0 : r.dots / max));
    row.querySelector(".vote-rank").textContent = secret ? "" : rankText(r.rank, r.tied);
    row.querySelector(".vote-num").textContent = secret ? "" : String(r.dots);
    row.classList.toggle("tied", Boolean(r.tied && r.dots));
    row.classList.toggle("top", !secret && r.rank === 1 && r.dots > 0);
    if (!row.isConnected) board.append(row);
  });
  for (const [id, row] of rows) if (!keep.has(id)) { row.remove(); rows.delete(id); }
}

const socket = connectLive({ event: eventId, role: "projector" }, (snap) => {
  rounds.clear(); tallies.clear();
  for (const r of snap.voting.rounds) rounds.set(r.id, r);
  for (const [id, tally] of Object.entries(snap.voting.tallies)) tallies.set(Number(id), tally);
  over(snap.event);
  render();
});
// After the event: the final ranking stays, the QR code to vote goes.
function over(event) { document.body.classList.toggle("event-over", event.status === "closed"); }
socket.on("voting_round_updated", (m) => { rounds.set(m.round.id, m.round); render(); });
// With several server processes an older tally can arrive late: keep the newer state.
const stale = (had, m) => had && (had.seq > m.seq || (had.status === "closed" && m.status !== "closed"));
socket.on("tally", (m) => {
  if (stale(tallies.get(m.round_id), m)) return;
  tallies.set(m.round_id, m); if (rounds.has(m.round_id)) render(); });
socket.on("event_updated", (m) => { document.title = m.event.title; over(m.event); });
