// The console's share of rounds and the conference: start, pause, continue, +5 min and end
// a round; plan rounds; compute and show the rotation plan; agenda phase, group places,
// the impulse wall; the secret host links.
import { el, t, tn, toast } from "./common.js";
import { effectiveState, formatMs, remainingMs, roundTitle, statusText, tick } from "./countdown.js";
import { call, socket } from "./console.js";

const eventId = document.body.dataset.event;
const key = document.body.dataset.key;
const $ = (id) => document.getElementById(id);

let round = null;
let rotation = null;
let groups = [];
let keyPoints = new Set();
const impulses = new Map();

// ---------- rounds ----------
function renderRound() {
  if (!round) return;
  const state = effectiveState(round);
  $("c-round-title").textContent = roundTitle(round);
  $("c-round-time").textContent = formatMs(remainingMs(round));
  $("c-round-status").textContent = statusText(round);
  $("round-start").disabled = state === "running" || state === "paused"
    || (state === "ended" && round.number >= round.rounds);
  $("round-pause").disabled = state !== "running";
  $("round-resume").disabled = state !== "paused";
  $("round-extend").disabled = state !== "running" && state !== "paused";
  $("round-end").disabled = state !== "running" && state !== "paused";
}

function fillRoundForm() {
  const set = (id, prop, v) => { const n = $(id); if (document.activeElement !== n) n[prop] = v; };
  set("rounds-count", "value", String(round.rounds));
  set("rounds-minutes", "value", String(Math.round(round.duration_ms / 60000)));
  set("rounds-lock", "checked", round.lock_between);
  set("rounds-sound", "checked", round.sound);
}

function applyRound(r) { round = r; fillRoundForm(); renderRound(); }

for (const [id, name] of [["round-start", "start_round"], ["round-pause", "pause_round"],
  ["round-resume", "resume_round"], ["round-extend", "extend_round"], ["round-end", "end_round"]]) {
  $(id).addEventListener("click", () => call(name, {}, (ack) => applyRound(ack.round)));
}

$("rounds-form").addEventListener("submit", (e) => {
  e.preventDefault();
  call("plan_rounds", {
    rounds: Number($("rounds-count").value), minutes: Number($("rounds-minutes").value),
    lock_between: $("rounds-lock").checked, sound: $("rounds-sound").checked,
  }, (ack) => { applyRound(ack.round); toast(t("saved_plan")); });
});

// ---------- rotation ----------
function renderRotation() {
  const figures = $("rotation-figures");
  const plan = $("rotation-plan");
  if (!rotation) { figures.replaceChildren(); plan.replaceChildren(); return; }
  const f = rotation.figures;
  // Decimal commas in German: the page's language decides (0,78, not 0.78).
  const num = (v, digits) => Number(v).toLocaleString(document.documentElement.lang || "de",
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const row = (label, k, digits = 0) => el("tr", {}, el("th", { text: label }),
    el("td", { text: num(f.plan[k], digits) }), el("td", { text: num(f.random[k], digits) }));
  figures.replaceChildren(
    el("p", { class: "small", text: tn("rotation_people", rotation.people) }),
    el("table", { class: "figures" },
      el("tr", {}, el("th"), el("th", { text: t("fig_plan") }), el("th", { text: t("fig_random") })),
      row(t("fig_repeat_visits"), "repeat_visits"), row(t("fig_repeat_pairings"), "repeat_pairings"),
      row(t("fig_distinct_contacts"), "distinct_contacts", 1), row(t("fig_imbalance"), "imbalance", 2)));
  // The whole plan: one row per table, one column per round, the participants' numbers.
  const codes = [...new Set(rotation.plan.flatMap((r) => r.tables.map((x) => x.table)))];
  plan.replaceChildren(el("table", { class: "plan" },
    el("tr", {}, el("th", { text: t("table") }), ...rotation.plan.map((r) => el("th", { text: `${t("round")} ${r.round}` }))),
    ...codes.map((code) => el("tr", {}, el("th", { text: code }), ...rotation.plan.map((r) => {
      const cell = r.tables.find((x) => x.table === code);
      return el("td", { text: cell ? cell.numbers.join(" ") : "" });
    })))));
}

$("rotation-make").addEventListener("click", () => call("make_rotation", {}, (ack) => { rotation = ack.rotation; renderRotation(); }));

// ---------- conference ----------
function renderGroups() {
  $("group-capacities").replaceChildren(...groups.map((g) => {
    const input = el("input", { type: "number", min: "1", max: "10000", placeholder: t("no_limit"), "aria-label": `${t("capacity")} ${g.table}` });
    input.value = g.capacity === null ? "" : String(g.capacity);
    const save = () => call("set_group_capacity", { table: g.table, capacity: input.value ? Number(input.value) : null },
      (ack) => { groups = ack.groups; renderGroups(); });
    return el("div", { class: "group-row", dataset: { table: g.table } },
      el("span", { class: "strong", text: `${g.table} · ${g.theme}` }),
      el("span", { class: "muted small", text: g.capacity === null ? tn("places_open", g.members)
        : t("places_left", { n: g.remaining, of: g.capacity }) }),
      el("label", { class: "inline" }, `${t("capacity")} `, input),
      el("button", { class: "btn small secondary", type: "button", text: t("save"), onclick: save }));
  }));
}

function renderImpulses() {
  const items = [...impulses.values()].sort((a, b) => b.id - a.id);
  $("impulse-list").replaceChildren(...items.map((i) => el("li", { class: i.hidden ? "is-hidden" : "", dataset: { id: i.id } },
    el("span", { text: i.text }),
    el("button", { class: "btn small secondary", type: "button", text: i.hidden ? t("show") : t("hide"),
      onclick: () => call("hide_impulse", { id: i.id, hidden: !i.hidden }, (ack) => { impulses.set(ack.impulse.id, ack.impulse); renderImpulses(); }) }))));
}

$("phase-select").addEventListener("change", () => call("set_phase", { phase: $("phase-select").value || null }));

// The plenary vote reuses dot voting: a draft voting round over the marked key points,
// opened from the voting panel like any other.
$("vote-key-points").addEventListener("click", () => {
  if (!keyPoints.size) { toast(t("no_key_points")); return; }
  call("create_voting_round", { title: t("vote_key_points"), contribution_ids: [...keyPoints] },
    () => toast(t("saved_plan")));
});

function renderHosts(urls) {
  $("host-links").replaceChildren(...Object.entries(urls || {}).sort().map(([code, url]) => el("div", { class: "host-row" },
    el("span", { class: "strong", text: `${t("table")} ${code}` }), " ",
    el("a", { href: url, target: "_blank", rel: "noopener", text: t("host_link") }), " ",
    el("a", { href: `/e/${eventId}/t/${encodeURIComponent(code)}/host-qr.png?key=${encodeURIComponent(key)}`,
      target: "_blank", rel: "noopener", text: t("host_qr") }))));
}

// A World Café rotates tables; an Akteurskonferenz has a plenary and thematic groups.
function showPanelsFor(kind) {
  $("rotation-panel").classList.toggle("hidden", kind !== "world_cafe");
  $("conference-panel").classList.toggle("hidden", kind !== "akteurskonferenz");
}

socket.on("snapshot", (snap) => {
  showPanelsFor(snap.event.kind);
  applyRound(snap.round);
  rotation = snap.rotation; renderRotation();
  groups = snap.groups || []; renderGroups();
  keyPoints = new Set(snap.key_points || []);
  impulses.clear();
  for (const i of snap.impulses || []) impulses.set(i.id, i);
  renderImpulses();
  $("phase-select").value = snap.phase || "";
  renderHosts(snap.host_urls);
});
socket.on("round_changed", (m) => applyRound(m.round));
socket.on("rotation_planned", (m) => { rotation = m.rotation; renderRotation(); });
socket.on("groups_updated", (m) => { groups = m.groups; if (!$("group-capacities").contains(document.activeElement)) renderGroups(); });
socket.on("phase_changed", (m) => { $("phase-select").value = m.phase || ""; });
socket.on("impulse_added", (m) => { impulses.set(m.impulse.id, m.impulse); renderImpulses(); });
socket.on("impulse_updated", (m) => { impulses.set(m.impulse.id, m.impulse); renderImpulses(); });
socket.on("key_point_marked", (m) => { if (m.key_point) keyPoints.add(m.id); else keyPoints.delete(m.id); });
socket.on("event_updated", (m) => showPanelsFor(m.event.kind));
socket.on("event_updated", () => socket.emit("request_snapshot", {}, (ack) => {
  if (ack.ok) renderHosts(ack.snapshot.host_urls);
}));

tick(renderRound);
