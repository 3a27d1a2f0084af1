// A table host's view: the harvest of earlier rounds grouped by guiding question (to brief
// each new group), key-point stars, the round's countdown, and a form to type for people
// without a phone (stored as entered by the host).
import { connectLive, el, kindChip, reconcile, t, toast } from "./common.js";
import { Outbox, renderPending } from "./outbox.js";
import { formatMs, effectiveState, inWarning, remainingMs, roundTitle, statusText, tick } from "./countdown.js";

const body = document.body;
const eventId = body.dataset.event;
const tableCode = body.dataset.table;
const form = document.getElementById("enter");
const text = document.getElementById("text");
const feedback = document.getElementById("feedback");
const bar = document.getElementById("round-bar");

const contributions = new Map();
const keyPoints = new Set();
let questions = [];
let round = null;

function questionTitle(q) {
  return q === null ? t("general") : `${q + 1}. ${questions[q] ?? ""}`;
}

// Items and sections are kept and updated in place (live-safe): a new card never
// rebuilds the list, so a star being pressed or read stays where it is.
const views = new Map(); // id -> { node, sig }
const sections = new Map(); // "earlier:0" -> { node, list }

function itemView(c) {
  const marked = keyPoints.has(c.id);
  const sig = JSON.stringify([c.text, c.kind, c.round, c.number, c.entered_by, marked, c.translation?.text]);
  const old = views.get(c.id);
  if (old && old.sig === sig) return old.node;
  const star = el("button", {
    type: "button", class: `star${marked ? " on" : ""}`, "aria-pressed": marked ? "true" : "false",
    title: marked ? t("unmark_key_point") : t("mark_key_point"), text: marked ? "★" : "☆",
    onclick: () => socket.timeout(8000).emit("mark_key_point", { id: c.id, key_point: !marked }, (err, ack) => {
      if (err) { toast(t("offline")); return; }
      if (!ack.ok) { toast(ack.error.message); return; }
      applyMark(ack);
    }),
  });
  const node = el("li", { class: marked ? "key" : "", dataset: { id: c.id } }, star,
    el("div", {}, el("div", { class: "text", dir: "auto", text: c.text }),
      c.translation ? el("div", { class: "translation", lang: "de", text: `${t("in_german")}: ${c.translation.text}` }) : null,
      el("div", { class: "meta" }, kindChip(c.kind), el("span", { text: `#${c.number ?? c.id}` }),
        el("span", { text: `${t("round")} ${c.round}` }),
        marked ? el("span", { class: "strong", text: t("key_point") }) : null,
        c.entered_by === "host" ? el("span", { text: t("by_host") }) : null)));
  if (old) {
    const hadFocus = old.node.contains(document.activeElement);
    old.node.replaceWith(node);
    if (hadFocus) node.querySelector("button").focus();
  }
  views.set(c.id, { node, sig });
  return node;
}

// Grouped by guiding question, key points first, then newest first.
function grouped(where, items) {
  const order = [...questions.map((_, i) => i), null];
  const out = [];
  for (const q of order) {
    const mine = items.filter((c) => (c.question ?? null) === q)
      .sort((a, b) => (keyPoints.has(b.id) - keyPoints.has(a.id)) || b.id - a.id);
    if (!mine.length) continue;
    const id = `${where}:${q}`;
    let section = sections.get(id);
    if (!section) {
      const list = el("ul", { class: "harvest" });
      section = { node: el("section", { class: "leitfrage", dataset: { question: q === null ? "" : String(q) } },
        el("h3", { dir: "auto" }), list), list };
      sections.set(id, section);
    }
    section.node.querySelector("h3").textContent = questionTitle(q);
    reconcile(section.list, mine.map(itemView));
    out.push(section.node);
  }
  return out.length ? out : [el("p", { class: "muted", text: t("empty_table") })];
}

function render() {
  const all = [...contributions.values()];
  const now = round ? round.number : 1;
  for (const id of [...views.keys()]) if (!contributions.has(id)) views.delete(id);
  reconcile(document.getElementById("earlier"), grouped("earlier", all.filter((c) => c.round < now)));
  reconcile(document.getElementById("current"), grouped("current", all.filter((c) => c.round >= now)));
}

function renderRound() {
  if (!round) return;
  bar.classList.toggle("hidden", !round.planned);
  document.getElementById("round-title").textContent = roundTitle(round);
  document.getElementById("round-time").textContent = formatMs(remainingMs(round));
  document.getElementById("round-status").textContent = statusText(round);
  bar.classList.toggle("warning", inWarning(round));
  bar.classList.toggle("over", effectiveState(round) === "ended");
}

function applyMark(m) {
  if (m.key_point) keyPoints.add(m.id); else keyPoints.delete(m.id);
  render();
}

export const socket = connectLive({ event: eventId, role: "host", table: tableCode, key: body.dataset.key }, (snap) => {
  const table = snap.tables.find((x) => x.code === tableCode);
  questions = table ? table.questions : [];
  contributions.clear();
  for (const c of snap.contributions) contributions.set(c.id, c);
  keyPoints.clear();
  for (const id of snap.key_points || []) keyPoints.add(id);
  round = snap.round;
  render(); renderRound();
});
socket.on("contribution_added", (m) => { contributions.set(m.contribution.id, m.contribution); render(); });
socket.on("contribution_updated", (m) => { contributions.set(m.contribution.id, m.contribution); render(); });
socket.on("contribution_translated", (m) => {
  const c = contributions.get(m.contribution);
  if (c) { c.translation = m.translation; render(); }
});
socket.on("contribution_removed", (m) => { contributions.delete(m.id); render(); });
socket.on("key_point_marked", (m) => { if (m.table === tableCode) applyMark(m); });
socket.on("round_changed", (m) => { const again = !round || m.round.number !== round.number; round = m.round; renderRound(); if (again) render(); });
socket.on("event_updated", (m) => {
  const table = m.tables.find((x) => x.code === tableCode);
  if (table) { questions = table.questions; document.getElementById("theme").textContent = table.theme; }
  render();
});

// What the host typed stays in this browser until the server has stored it.
const pendingList = document.getElementById("pending");
const outbox = new Outbox(`facilitation:host-outbox:${eventId}:${tableCode}`, {
  message: "enter_contribution",
  payload: (item) => {
    const payload = { client_id: item.client_id, kind: item.kind, text: item.text };
    if (item.question !== null) payload.question = item.question;
    return payload;
  },
  onSaved: (item, ack) => {
    feedback.className = "feedback";
    feedback.textContent = t("entered_ok");
    contributions.set(ack.contribution.id, ack.contribution);
    render();
  },
  onWait: (error) => { feedback.textContent = error.message; },
  onRefused: (item, error) => {
    text.value = text.value.trim() ? `${text.value.trim()}\n${item.text}` : item.text;
    feedback.textContent = error.message;
    feedback.className = "feedback error";
  },
  onChange: () => renderPending(pendingList, outbox),
}).attach(socket);
socket.on("connect", () => outbox.flush());
renderPending(pendingList, outbox);

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const value = text.value.trim();
  if (!value) { feedback.textContent = t("text_empty"); return; }
  const q = document.getElementById("question").value;
  text.value = "";
  feedback.className = "feedback";
  feedback.textContent = socket.connected ? "" : t("offline");
  outbox.add({ kind: form.elements.kind.value, question: q === "" ? null : Number(q), text: value });
});

tick(renderRound);
