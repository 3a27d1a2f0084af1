// The projector's word view for the table in focus: the most frequent content words per
// Leitfrage, as a calm ranked list; fetched again (debounced) whenever its cards change.
import { socket } from "./projector.js";
import { el, t } from "./common.js";

const eventId = document.body.dataset.event;
const table = document.body.dataset.focus;
const columns = document.getElementById("word-columns");
const PER_QUESTION = 8;

function column(q) {
  const title = q.question === null ? t("general") : `${q.question + 1}. ${q.text}`;
  const list = q.words.length
    ? el("ol", { class: "words" }, ...q.words.slice(0, PER_QUESTION).map((w) =>
      el("li", { title: t("words_count", { word: w.word, n: w.count }) },
        el("span", { class: "word", text: w.word }), el("span", { class: "n", text: String(w.count) }))))
    : el("p", { class: "muted", text: t("words_none") });
  return el("div", { class: "word-question" }, el("h3", { text: title }), list);
}

async function refresh() {
  const response = await fetch(`/api/events/${eventId}/words?table=${encodeURIComponent(table)}`);
  const body = await response.json();
  if (!body.ok) return;
  columns.style.setProperty("--qcols", String(Math.min(4, Math.max(1, body.questions.length))));
  columns.replaceChildren(...body.questions.map(column));
}

let timer = null;
function soon() { clearTimeout(timer); timer = setTimeout(refresh, 1500); }

socket.on("snapshot", refresh);
for (const name of ["contribution_added", "contribution_updated", "contribution_removed"]) {
  socket.on(name, (m) => { if (!m.contribution || m.contribution.table === table || name === "contribution_removed") soon(); });
}
