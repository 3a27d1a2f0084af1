// The projector: every table with its newest contributions, live; or one table in focus.
import { connectLive, countLabel, el, kindChip, t } from "./common.js";
import { setText } from "./content-lang.js";

const eventId = document.body.dataset.event;
const focus = document.body.dataset.focus || null;
const grid = document.getElementById("grid");
const totals = document.getElementById("totals");
const title = document.getElementById("title");

let tables = [];
const contributions = new Map();
const PER_CARD = 6;

function text(node, german, translations) {
  setText(node, german, translations);
  return node;
}

function tableCard(table, items) {
  const head = el("h2", {}, el("span", { class: "code", text: table.code }),
    // German, or the projector language set in the console where it is translated.
    text(el("span", { dir: "auto" }), table.theme, table.theme_i18n),
    el("span", { class: "count", text: countLabel(items.length) }));
  const newest = [...items].sort((a, b) => b.id - a.id);
  if (focus) {
    const groups = [null, ...table.questions.map((_, i) => i)]
      .map((q) => ({ q, items: newest.filter((c) => (c.question ?? null) === q) }))
      .filter((g) => g.items.length || g.q !== null);
    const cols = el("div", { class: "questions" }, ...groups.map((g) =>
      el("div", {}, g.q === null ? el("h3", { text: t("general") })
        : el("h3", {}, `${g.q + 1}. `, text(el("bdi"), table.questions[g.q], (table.questions_i18n || [])[g.q])),
        el("ul", {}, ...g.items.slice(0, 8).map(itemView)))));
    cols.style.setProperty("--qcols", String(Math.min(3, Math.max(1, groups.length))));
    return el("article", { class: "tcard", dataset: { table: table.code } }, head, cols);
  }
  return el("article", { class: "tcard", dataset: { table: table.code } }, head,
    el("ul", {}, ...newest.slice(0, PER_CARD).map(itemView)));
}

function itemView(c) {
  return el("li", { dataset: { id: c.id } }, kindChip(c.kind),
    el("span", { class: "num", text: `#${c.number ?? c.id}` }), el("span", { class: "text", dir: "auto", text: c.text }));
}

function render() {
  const shown = focus ? tables.filter((x) => x.code === focus) : tables;
  const byTable = new Map(shown.map((x) => [x.code, []]));
  for (const c of contributions.values()) byTable.get(c.table)?.push(c);
  const cols = shown.length <= 4 ? 2 : shown.length <= 9 ? 3 : 4;
  grid.style.setProperty("--cols", String(cols));
  grid.replaceChildren(...shown.map((x) => tableCard(x, byTable.get(x.code))));
  // A card holding more than fits fades out at the bottom instead of cutting a line.
  for (const ul of grid.querySelectorAll(".tcard > ul")) ul.classList.toggle("more", ul.scrollHeight > ul.clientHeight + 1);
  totals.textContent = countLabel(contributions.size);
}

// Exported so a page's feature modules listen on the same connection.
// After the close: a thank-you and what happens next instead of the join QR code and clock.
// A projector language set in the console applies at once (unless ?lang= chose one).
function applyEvent(event) {
  const over = event.status === "closed";
  document.body.classList.toggle("event-over", over);
  document.getElementById("end-view").classList.toggle("hidden", !over);
  document.getElementById("end-next").textContent = event.next_steps || "";
  // Reloaded without ?lang= (which would also change the laptop's console language).
  // Compared with the content language the page was drawn in (German when none is set):
  // <html lang> says "de" for Einfache Sprache, and a language set back to none must
  // bring German back too.
  const wanted = event.projector_language || "de";
  if (!new URLSearchParams(location.search).has("lang") && document.body.dataset.contentLang !== wanted) {
    location.reload();
  }
}

export const socket = connectLive({ event: eventId, role: "projector" }, (snap) => {
  tables = snap.tables;
  title.textContent = snap.event.title;
  applyEvent(snap.event);
  contributions.clear();
  for (const c of snap.contributions) contributions.set(c.id, c);
  render();
});
socket.on("contribution_added", (m) => { contributions.set(m.contribution.id, m.contribution); render(); });
socket.on("contribution_updated", (m) => { contributions.set(m.contribution.id, m.contribution); render(); });
socket.on("contribution_removed", (m) => { contributions.delete(m.id); render(); });
socket.on("event_updated", (m) => { tables = m.tables; title.textContent = m.event.title; applyEvent(m.event); render(); });
