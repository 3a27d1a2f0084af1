// The console's translation editor: pick a language, then give the question at join and
// its answers, each table's field of action and guiding questions, and the voting
// statements in it, each beside its German original. Empty means "show German".
// Saved with one `save_translations` message; listens on the console's own connection.
import { el, strings, t, toast } from "./common.js";
import { socket } from "./console.js";

const RTL = new Set(["ar", "fa"]);
const panel = document.getElementById("translations-panel");
const languageSelect = document.getElementById("tr-language");
const fields = document.getElementById("tr-fields");
const form = document.getElementById("tr-form");

let event = null;
let tables = [];
const rounds = new Map();

// One input for one text: labelled with its German original, typed in the chosen language.
function field(german, current, kind, extra) {
  const lang = languageSelect.value;
  const input = el(kind === "long" ? "textarea" : "input", {
    type: kind === "long" ? null : "text", rows: kind === "long" ? "2" : null, lang: lang.replace("-simple", ""),
    dir: RTL.has(lang) ? "rtl" : "ltr", maxlength: kind === "short" ? "200" : "300",
    placeholder: german, "aria-label": t("translation_of", { text: german }), dataset: extra });
  input.value = current || "";
  return el("label", { class: "tr-field" }, el("span", { class: "muted small", lang: "de", text: german }), input);
}

function render() {
  if (!event || panel.contains(document.activeElement)) return; // never overwrite typing
  const lang = languageSelect.value;
  const parts = [];
  if (event.join_question) {
    parts.push(el("h3", { text: t("group_question") }),
      field(event.join_question, (event.join_question_i18n || {})[lang], "short", { part: "join_question" }),
      ...event.join_options.map((o, i) => field(o, ((event.join_options_i18n || [])[i] || {})[lang], "short",
        { part: "join_option", index: String(i) })));
  }
  for (const table of tables) {
    parts.push(el("h3", { text: `${t("table")} ${table.code}` }),
      field(table.theme, (table.theme_i18n || {})[lang], "short", { part: "theme", table: table.code }),
      ...table.questions.map((q, i) => field(q, ((table.questions_i18n || [])[i] || {})[lang], "question",
        { part: "question", table: table.code, index: String(i) })));
  }
  for (const round of rounds.values()) {
    parts.push(el("h3", { text: round.title }),
      ...round.candidates.map((c) => field(c.label, (c.label_i18n || {})[lang], "long",
        { part: "candidate", candidate: String(c.id) })));
  }
  fields.replaceChildren(...parts);
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const payload = { language: languageSelect.value, tables: {}, candidates: {} };
  for (const input of fields.querySelectorAll("input, textarea")) {
    const { part, table, index, candidate } = input.dataset;
    const value = input.value.trim();
    if (part === "join_question") payload.join_question = value;
    else if (part === "join_option") (payload.join_options ??= [])[Number(index)] = value;
    else if (part === "theme") (payload.tables[table] ??= {}).theme = value;
    else if (part === "question") ((payload.tables[table] ??= {}).questions ??= [])[Number(index)] = value;
    else if (part === "candidate") payload.candidates[candidate] = value;
  }
  socket.timeout(8000).emit("save_translations", payload, (err, ack) => {
    if (err) { toast(t("offline")); return; }
    if (!ack.ok) { toast(ack.error.message); return; }
    document.activeElement?.blur();
    toast(t("translations_saved"));
  });
});

languageSelect.addEventListener("change", () => { document.activeElement?.blur(); render(); });
for (const option of languageSelect.options) option.textContent = strings.language_names[option.value] || option.value;

socket.on("snapshot", (snap) => {
  event = snap.event; tables = snap.tables;
  rounds.clear();
  for (const r of (snap.voting && snap.voting.rounds) || []) rounds.set(r.id, r);
  render();
});
socket.on("event_updated", (m) => { event = m.event; tables = m.tables; render(); });
socket.on("voting_round_updated", (m) => { rounds.set(m.round.id, m.round); render(); });
socket.on("voting_round_deleted", (m) => { rounds.delete(m.round_id); render(); });
