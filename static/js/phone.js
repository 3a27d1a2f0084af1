// A table's phone page: send contributions (kept in an outbox until the server
// confirms them), answer the join question, watch the table's harvest live.
import { clock, connectLive, el, kindChip, randomId, t } from "./common.js";

const body = document.body;
const eventId = body.dataset.event;
const tableCode = body.dataset.table;
const OUTBOX = `facilitation:outbox:${eventId}`;

const form = document.getElementById("contribute");
const text = document.getElementById("text");
const count = document.getElementById("count");
const feedback = document.getElementById("feedback");
const harvest = document.getElementById("harvest");
const harvestEmpty = document.getElementById("harvest-empty");
const harvestCount = document.getElementById("harvest-count");
const groupBox = document.getElementById("group-box");
const groupSelect = document.getElementById("group");
const sendButton = document.getElementById("send");

const contributions = new Map(); // id -> contribution (visible ones of this table)
let questions = [];
let closed = false;

// ---------- the outbox: survives reloads, resent on every (re)connect ----------
function loadOutbox() {
  let items;
  try { items = JSON.parse(localStorage.getItem(OUTBOX)) || []; } catch { items = []; }
  // Whatever was on its way when the page closed got no answer: it is sent again
  // (the server's idempotency key makes that safe).
  for (const item of items) item.inFlight = false;
  return items;
}
function saveOutbox(items) {
  try { localStorage.setItem(OUTBOX, JSON.stringify(items)); } catch { /* private mode: memory only */ }
}
let outbox = loadOutbox();
const mine = new Set(outbox.filter((i) => i.id).map((i) => i.id));

function flushOutbox() {
  if (!socket.connected) return;
  for (const item of outbox) {
    if (item.state === "sending" && !item.inFlight && item.table === tableCode) sendItem(item);
  }
}

function sendItem(item) {
  item.inFlight = true;
  const payload = { client_id: item.client_id, kind: item.kind, text: item.text };
  if (item.question !== null) payload.question = item.question;
  socket.timeout(8000).emit("submit_contribution", payload, (err, ack) => {
    item.inFlight = false;
    if (err) {
      // No answer: the socket dropped (resent on reconnect) or the answer is slow; if
      // still connected, try again shortly. The same client_id never stores twice.
      if (socket.connected) setTimeout(flushOutbox, 2000);
      render();
      return;
    }
    if (ack.ok) {
      item.state = "saved";
      item.id = ack.contribution.id;
      mine.add(ack.contribution.id);
      upsert(ack.contribution);
      // Keep a saved item a moment so its ✓ shows, then let the harvest hold it.
      setTimeout(() => { outbox = outbox.filter((i) => i !== item); saveOutbox(outbox); render(); }, 4000);
    } else if (ack.error.code === "rate_limited") {
      // Still ours to send: try again in a little while.
      feedback.textContent = ack.error.message;
      setTimeout(flushOutbox, 15000);
    } else {
      // Refused for good (too long, table gone…): give the text back to edit.
      outbox = outbox.filter((i) => i !== item);
      // Never lose it: into the field, after whatever is being typed there now.
      text.value = text.value.trim() ? `${text.value.trim()}\n${item.text}` : item.text;
      count.textContent = String(text.value.length);
      feedback.textContent = ack.error.message;
      feedback.className = "feedback error";
    }
    saveOutbox(outbox);
    render();
  });
}

// ---------- rendering ----------
function questionLabel(q) {
  if (q === null || q === undefined) return t("general");
  return `${t("question")} ${q + 1}`;
}

function itemView(c, state) {
  const meta = el("div", { class: "meta" },
    kindChip(c.kind), el("span", { text: questionLabel(c.question) }),
    c.round ? el("span", { text: `${t("round")} ${c.round}` }) : null,
    c.edited ? el("span", { text: t("edited") }) : null,
    c.entered_by === "host" ? el("span", { text: t("by_host") }) : null,
    state ? el("span", { class: `pending-state ${state}`, text: t(state) }) : null);
  return el("li", { class: mine.has(c.id) || state ? "mine" : "" , dataset: { id: c.id ?? "" } },
    el("div", { class: "text", text: c.text }), meta);
}

function render() {
  const items = [...contributions.values()].sort((a, b) => b.id - a.id);
  const pending = outbox.filter((i) => i.table === tableCode && !(i.id && contributions.has(i.id) && i.state === "saved"));
  harvest.replaceChildren(
    ...pending.map((i) => itemView(i, i.state)),
    ...items.map((c) => itemView(c, outbox.some((i) => i.id === c.id && i.state === "saved") ? "saved" : null)));
  harvestCount.textContent = String(items.length);
  harvestEmpty.classList.toggle("hidden", items.length + pending.length > 0);
}

function upsert(c) {
  contributions.set(c.id, c);
  render();
}

function applyPlan(event, tables) {
  closed = event.status === "closed";
  sendButton.disabled = closed;
  if (closed) { feedback.textContent = t("event_closed"); feedback.className = "feedback error"; }
  const table = tables.find((x) => x.code === tableCode);
  if (table) {
    document.getElementById("theme").textContent = table.theme;
    questions = table.questions;
    document.getElementById("questions").replaceChildren(...questions.map((q) => el("li", { text: q })));
    const select = document.getElementById("question");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: select.options[0].textContent }),
      ...questions.map((q, i) => el("option", { value: String(i), text: `${i + 1}. ${q}` })));
    select.value = chosen && Number(chosen) < questions.length ? chosen : "";
  }
  if (event.join_question && event.join_options.length) {
    document.getElementById("group-label").textContent = event.join_question;
    const current = groupSelect.value;
    groupSelect.replaceChildren(el("option", { value: "", text: t("group_none") }),
      ...event.join_options.map((o) => el("option", { value: o, text: o })));
    groupSelect.value = current;
    groupBox.classList.remove("hidden");
  } else {
    groupBox.classList.add("hidden");
  }
}

// ---------- the connection ----------
// Exported so a page's feature modules listen on the same connection.
export const socket = connectLive({ event: eventId, role: "participant", table: tableCode }, (snap) => {
  contributions.clear();
  for (const c of snap.contributions) contributions.set(c.id, c);
  applyPlan(snap.event, snap.tables);
  groupSelect.value = snap.participant.target_group || "";
  render();
  flushOutbox();
});

socket.on("contribution_added", (m) => upsert(m.contribution));
socket.on("contribution_updated", (m) => upsert(m.contribution));
socket.on("contribution_removed", (m) => { contributions.delete(m.id); render(); });
socket.on("event_updated", (m) => applyPlan(m.event, m.tables));

groupSelect.addEventListener("change", () => {
  socket.emit("set_target_group", { group: groupSelect.value || null }, (ack) => {
    if (!ack.ok) feedback.textContent = ack.error.message;
  });
});

text.addEventListener("input", () => { count.textContent = String(text.value.length); });

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const value = text.value.trim();
  if (!value) { feedback.textContent = t("text_empty"); text.focus(); return; }
  if (closed) return;
  const q = document.getElementById("question").value;
  const item = {
    client_id: randomId(), table: tableCode, state: "sending",
    kind: form.elements.kind.value, question: q === "" ? null : Number(q), text: value,
    created: clock.now(),
  };
  outbox.push(item);
  saveOutbox(outbox);
  text.value = "";
  count.textContent = "0";
  feedback.className = "feedback";
  feedback.textContent = socket.connected ? "" : t("queued");
  render();
  if (socket.connected) sendItem(item);
});

window.addEventListener("online", () => { if (!socket.connected) socket.connect(); });
render();
