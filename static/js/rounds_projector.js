// The projector's share of rounds and the conference: a large countdown on the server's
// clock with a calm two-minute warning and an optional end chime; the agenda phases; the
// impulse wall and the thematic groups with their places left.
import { el, t, tn } from "./common.js";
import {
  chime, effectiveState, enableSound, formatMs, inWarning, remainingMs, roundTitle, soundReady,
  statusText, tick,
} from "./countdown.js";
import { socket } from "./projector.js";

const box = document.getElementById("round-box");
const countdown = document.getElementById("countdown");
const soundButton = document.getElementById("sound-on");
const grid = document.getElementById("grid");
const wall = document.getElementById("wall");
const board = document.getElementById("groups-board");
const agenda = document.getElementById("agenda");
const PHASES = ["plenary_input", "thematic_groups", "plenary_result"];
const WALL_SIZE = 40;

let round = null;
let lastState = null;
let kind = "world_cafe";
let phase = null;
let groups = [];
const impulses = new Map();

// ---------- countdown ----------
function renderRound() {
  // Nothing to show until the facilitator plans or starts a round.
  const shown = round && round.planned;
  box.classList.toggle("hidden", !shown);
  if (!shown) return;
  const state = effectiveState(round);
  document.getElementById("round-title").textContent = roundTitle(round);
  countdown.textContent = formatMs(remainingMs(round));
  document.getElementById("round-status").textContent = statusText(round);
  box.classList.toggle("warning", inWarning(round));
  box.classList.toggle("paused", state === "paused");
  box.classList.toggle("over", state === "ended");
  soundButton.classList.toggle("hidden", !round.sound || soundReady());
  // The end signal sounds once, when this screen sees the round run out or be ended.
  if (lastState && lastState !== "ended" && state === "ended" && round.sound) chime();
  lastState = state;
}

soundButton.addEventListener("click", () => enableSound().then(renderRound));

function applyRound(r) {
  round = r;
  renderRound();
}

// ---------- agenda, wall, groups ----------
function renderAgenda() {
  const conference = kind === "akteurskonferenz";
  agenda.classList.toggle("hidden", !conference || !phase);
  agenda.replaceChildren(...PHASES.map((p, i) => el("li",
    { class: p === phase ? "current" : "", dataset: { phase: p } }, `${i + 1}. ${t(`phase_${p}`)}`)));
  const showWall = conference && phase === "plenary_input";
  const showGroups = conference && phase === "thematic_groups";
  wall.classList.toggle("hidden", !showWall);
  board.classList.toggle("hidden", !showGroups);
  grid.classList.toggle("hidden", showWall || showGroups);
}

function renderWall() {
  const items = [...impulses.values()].filter((i) => !i.hidden).sort((a, b) => b.id - a.id);
  wall.replaceChildren(el("h2", { text: t("impulse_wall") }),
    items.length ? el("ul", {}, ...items.slice(0, WALL_SIZE).map((i) =>
      el("li", { dataset: { id: i.id }, dir: "auto", text: i.text })))
      : el("p", { class: "muted", text: t("impulse_wall_empty") }));
}

function renderGroups() {
  board.replaceChildren(el("h2", { text: t("choose_group_title") }), el("ul", {}, ...groups.map((g) =>
    el("li", { class: g.remaining === 0 ? "full" : "", dataset: { table: g.table } },
      el("span", { class: "code", text: g.table }), el("span", { class: "theme", dir: "auto", text: g.theme }),
      el("span", { class: "places", text: placesText(g) })))));
}

export function placesText(g) {
  if (g.capacity === null) return tn("places_open", g.members);
  if (g.remaining === 0) return t("group_is_full");
  return t("places_left", { n: g.remaining, of: g.capacity });
}

socket.on("snapshot", (snap) => {
  kind = snap.event.kind;
  phase = snap.phase;
  groups = snap.groups || [];
  impulses.clear();
  for (const i of snap.impulses || []) impulses.set(i.id, i);
  if (snap.round) applyRound(snap.round);
  renderAgenda(); renderWall(); renderGroups();
});
socket.on("round_changed", (m) => applyRound(m.round));
socket.on("phase_changed", (m) => { phase = m.phase; renderAgenda(); });
socket.on("event_updated", (m) => { kind = m.event.kind; renderAgenda(); });
socket.on("impulse_added", (m) => { impulses.set(m.impulse.id, m.impulse); renderWall(); });
socket.on("impulse_removed", (m) => { impulses.delete(m.id); renderWall(); });
socket.on("groups_updated", (m) => { groups = m.groups; renderGroups(); });

tick(renderRound);
