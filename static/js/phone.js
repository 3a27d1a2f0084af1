// A table's phone page: send contributions (kept in an outbox until the server
// confirms them), answer the join question, watch the table's harvest live.
import { clock, connectLive, countLabel, el, kindChip, t, toast } from "./common.js";
import { Outbox } from "./outbox.js";
import { contentLang, hasTranslation, onShownLangChange, pickText, setText, wireOriginalToggle } from "./content-lang.js";

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
let lastVote = null; // the latest voting round: its results are linked on the end screen if public
let lastEvent = null;
let lastTables = [];
let plan = null; // the last event and tables, re-applied when the language shown changes

// ---------- the outbox: survives reloads, resent on every (re)connect ----------
const outbox = new Outbox(OUTBOX, {
  message: "submit_contribution",
  payload: (item) => {
    const payload = { client_id: item.client_id, kind: item.kind, text: item.text };
    if (item.question !== null) payload.question = item.question;
    if (item.language) payload.language = item.language;
    return payload;
  },
  sendable: (item) => item.table === tableCode,
  onSaved: (item, ack) => {
    // Sent after all: the "no connection" note is no longer true.
    if (feedback.textContent === t("queued") || feedback.textContent === t("offline")) {
      feedback.textContent = t("sent_ok"); feedback.className = "feedback";
    }
    item.id = ack.contribution.id;
    mine.add(item.id);
    contributions.set(item.id, ack.contribution);
  },
  onWait: (error) => { feedback.textContent = error.message; },
  onRefused: (item, error) => {
    // Refused for good (too long, table gone…): never lose it: into the field, after
    // whatever is being typed there now.
    text.value = text.value.trim() ? `${text.value.trim()}\n${item.text}` : item.text;
    count.textContent = String(text.value.length);
    feedback.textContent = error.message;
    feedback.className = "feedback error";
  },
  onChange: () => render(),
});
const mine = new Set(outbox.items.filter((i) => i.id).map((i) => i.id));

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
    el("div", { class: "text", text: c.text, dir: "auto",
      lang: c.language ? c.language.replace("-simple", "") : null }), meta);
}

function render() {
  const items = [...contributions.values()].sort((a, b) => b.id - a.id);
  const pending = outbox.items.filter((i) => i.table === tableCode && !(i.id && contributions.has(i.id) && i.state === "saved"));
  harvest.replaceChildren(
    ...pending.map((i) => itemView(i, i.state)),
    ...items.map((c) => itemView(c, outbox.items.some((i) => i.id === c.id && i.state === "saved") ? "saved" : null)));
  harvestCount.textContent = String(items.length);
  harvestEmpty.classList.toggle("hidden", items.length + pending.length > 0);
}

function upsert(c) {
  contributions.set(c.id, c);
  render();
}

function applyPlan(event, tables) {
  lastEvent = event; lastTables = tables;
  plan = { event, tables };
  closed = event.status === "closed";
  sendButton.disabled = closed;
  // The end screen replaces form, rounds and seats: thanks, what happens next, results.
  document.body.classList.toggle("event-over", closed);
  document.getElementById("end-screen").classList.toggle("hidden", !closed);
  if (closed) {
    const next = event.next_steps || "";
    document.getElementById("end-next").textContent = next;
    document.getElementById("end-next-title").classList.toggle("hidden", !next);
    const n = [...contributions.values()].length;
    document.getElementById("end-count").textContent = countLabel(n);
    const shown = lastVote && lastVote.status === "closed" && !lastVote.hide_counts;
    document.getElementById("end-results").classList.toggle("hidden", !shown);
  }
  const table = tables.find((x) => x.code === tableCode);
  if (table) {
    const maps = table.questions_i18n || [];
    setText(document.getElementById("theme"), table.theme, table.theme_i18n);
    questions = table.questions;
    // Each question isolated in a <bdi> with its own language and direction; the list
    // item keeps the page's direction, so its number stays where the page puts it.
    document.getElementById("questions").replaceChildren(...questions.map((q, i) => {
      const text = el("bdi");
      setText(text, q, maps[i]);
      return el("li", {}, text);
    }));
    const select = document.getElementById("question");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: select.options[0].textContent }),
      ...questions.map((q, i) => el("option", { value: String(i), dir: "auto", text: `${i + 1}. ${pickText(q, maps[i])[0]}` })));
    select.value = chosen && Number(chosen) < questions.length ? chosen : "";
    wireOriginalToggle(document.getElementById("original-toggle"),
      { original: t("show_original"), back: t("show_translation") },
      hasTranslation(table.theme_i18n, maps, event.join_question_i18n));
  }
  if (event.join_question && event.join_options.length) {
    setText(document.getElementById("group-label"), event.join_question, event.join_question_i18n);
    const current = groupSelect.value;
    const optionMaps = event.join_options_i18n || [];
    // The value stays the German answer (what the server stores); the label is translated.
    groupSelect.replaceChildren(el("option", { value: "", text: t("group_none") }),
      ...event.join_options.map((o, i) => el("option", { value: o, dir: "auto", text: pickText(o, optionMaps[i])[0] })));
    groupSelect.value = current;
    groupBox.classList.remove("hidden");
  } else {
    groupBox.classList.add("hidden");
  }
  document.dispatchEvent(new CustomEvent("content-shown"));
}

onShownLangChange(() => { if (plan) applyPlan(plan.event, plan.tables); });

// ---------- the connection ----------
// Exported so a page's feature modules listen on the same connection.
export const socket = connectLive({ event: eventId, role: "participant", table: tableCode }, (snap) => {
  lastVote = snap.voting?.round || null;
  contributions.clear();
  for (const c of snap.contributions) contributions.set(c.id, c);
  applyPlan(snap.event, snap.tables);
  groupSelect.value = snap.participant.target_group || "";
  render();
  outbox.flush();
});
outbox.attach(socket);

socket.on("contribution_added", (m) => upsert(m.contribution));
socket.on("contribution_updated", (m) => upsert(m.contribution));
socket.on("contribution_removed", (m) => {
  // The author learns that a merged card lives on in another one (a hidden one: nothing).
  if (m.merged && mine.has(m.id) && contributions.has(m.id)) toast(t("merged_yours"));
  contributions.delete(m.id);
  render();
});
socket.on("event_updated", (m) => applyPlan(m.event, m.tables));
socket.on("voting_round_updated", (m) => { lastVote = m.round; if (lastEvent) applyPlan(lastEvent, lastTables); });

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
  text.value = "";
  count.textContent = "0";
  feedback.className = "feedback";
  feedback.textContent = socket.connected ? "" : t("queued");
  outbox.add({
    table: tableCode, kind: form.elements.kind.value, question: q === "" ? null : Number(q),
    text: value, created: clock.now(), language: contentLang,
  });
});

window.addEventListener("online", () => { if (!socket.connected) socket.connect(); });
render();
