// Console panel: grouping hints (suggestions the facilitator merges or ignores) and the
// word view of one table. Nothing is merged unless the facilitator presses the button.
import { socket } from "./console.js";
import { el, kindChip, t, toast } from "./common.js";

const eventId = document.body.dataset.event;
const key = document.body.dataset.key;
const tableSelect = document.getElementById("groups-table");
const suggestButton = document.getElementById("groups-suggest");
const note = document.getElementById("groups-note");
const list = document.getElementById("groups-list");
const wordsBox = document.getElementById("words-console");
const ignoredKey = `groups-ignored:${eventId}`;
const ignored = new Set(JSON.parse(sessionStorage.getItem(ignoredKey) || "[]"));
let shown = false; // suggestions are on screen: new cards make them stale
let again = null; // the next request while embeddings are being prepared

const signature = (group) => group.contributions.join(",");

async function getJson(url) {
  const response = await fetch(url, { headers: { "X-Facilitator-Key": key } });
  const body = await response.json();
  if (!body.ok) throw new Error(body.error.message);
  return body;
}

function cardRow(group, card, dupes) {
  const stays = el("input", { type: "radio", name: `stays-${signature(group)}`, value: String(card.id),
    "aria-label": t("groups_stays") });
  const take = el("input", { type: "checkbox", value: String(card.id), "aria-label": t("merge") });
  return el("li", { dataset: { id: card.id } },
    el("label", { class: "stays" }, stays, el("span", { class: "small muted", text: t("groups_stays") })),
    take,
    el("span", { class: "text", text: card.text }),
    el("span", { class: "meta small muted" }, ` ${t("table")} ${card.table} · `, kindChip(card.kind), ` · #${card.id}`,
      dupes.has(card.id) ? ` · ${t("groups_near_duplicate")}` : ""));
}

function groupView(group) {
  const dupes = new Set(group.duplicates.flat());
  const rows = group.cards.map((card) => cardRow(group, card, dupes));
  rows[0].querySelector("input[type=radio]").checked = true;
  for (const row of rows.slice(1)) row.querySelector("input[type=checkbox]").checked = true;
  const box = el("article", { class: "group-hint", dataset: { ids: signature(group) } },
    el("h3", { text: group.title }),
    el("ul", { class: "group-cards" }, ...rows));
  const merge = () => {
    const target = Number(box.querySelector("input[type=radio]:checked").value);
    const sources = [...box.querySelectorAll("input[type=checkbox]:checked")]
      .map((x) => Number(x.value)).filter((id) => id !== target);
    if (!sources.length) { toast(t("groups_pick_some")); return; }
    socket.timeout(8000).emit("merge_contributions", { target_id: target, source_ids: sources }, (err, ack) => {
      if (err) { toast(t("offline")); return; }
      if (!ack.ok) { toast(ack.error.message); return; }
      box.remove();
      toast(t("groups_merged"));
    });
  };
  const ignore = () => {
    ignored.add(signature(group));
    sessionStorage.setItem(ignoredKey, JSON.stringify([...ignored]));
    box.remove();
    toast(t("groups_ignored"));
  };
  box.append(el("div", { class: "row-actions" },
    el("button", { class: "btn small", type: "button", text: t("groups_merge"), "data-action": "merge-group", onclick: merge }),
    el("button", { class: "btn small secondary", type: "button", text: t("groups_ignore"), "data-action": "ignore-group", onclick: ignore })));
  return box;
}

async function suggest() {
  note.textContent = t("groups_loading");
  suggestButton.disabled = true;
  const table = tableSelect.value;
  try {
    const body = await getJson(`/api/events/${eventId}/groups${table ? `?table=${encodeURIComponent(table)}` : ""}`);
    const groups = body.groups.filter((g) => !ignored.has(signature(g)));
    list.replaceChildren(...groups.map(groupView));
    note.textContent = [t(`groups_method_${body.method}`), body.note, groups.length ? "" : t("groups_none"),
      body.preparing ? t("groups_preparing", body.preparing) : ""].filter(Boolean).join(" ");
    shown = true;
    // The embeddings of many new cards are computed in the background: ask again soon.
    clearTimeout(again);
    if (body.preparing) again = setTimeout(() => { if (tableSelect.value === table) suggest(); }, 4000);
  } catch (error) {
    note.textContent = error.message;
  } finally {
    suggestButton.disabled = false;
  }
}

function wordList(words) {
  if (!words.length) return el("p", { class: "muted small", text: t("words_none") });
  return el("ol", { class: "words" }, ...words.map((w) =>
    el("li", { title: t("words_count", { word: w.word, n: w.count }) },
      el("span", { class: "word", text: w.word }), el("span", { class: "n", text: String(w.count) }))));
}

async function refreshWords() {
  const table = tableSelect.value;
  if (!table) { wordsBox.replaceChildren(el("p", { class: "muted small", text: t("words_pick_table") })); return; }
  try {
    const body = await getJson(`/api/events/${eventId}/words?table=${encodeURIComponent(table)}`);
    wordsBox.replaceChildren(...body.questions.map((q) => el("div", { class: "word-question" },
      el("h4", { text: q.question === null ? t("general") : `${q.question + 1}. ${q.text}` }), wordList(q.words))));
  } catch (error) {
    wordsBox.replaceChildren(el("p", { class: "error", text: error.message }));
  }
}

let timer = null;
function cardsChanged() {
  if (shown && !note.textContent.includes(t("groups_new_cards"))) note.textContent += ` ${t("groups_new_cards")}`;
  clearTimeout(timer);
  timer = setTimeout(refreshWords, 1500); // debounced: a burst of cards is one request
}

function fillTables(tables) {
  const chosen = tableSelect.value;
  tableSelect.replaceChildren(el("option", { value: "", text: t("all_tables") }),
    ...tables.map((x) => el("option", { value: x.code, text: `${x.code} · ${x.theme}` })));
  tableSelect.value = tables.some((x) => x.code === chosen) ? chosen : "";
}

socket.on("snapshot", (snap) => { fillTables(snap.tables); refreshWords(); });
socket.on("event_updated", (m) => fillTables(m.tables));
for (const name of ["contribution_added", "contribution_updated", "contribution_removed"]) socket.on(name, cardsChanged);
tableSelect.addEventListener("change", () => { shown = false; list.replaceChildren(); note.textContent = ""; refreshWords(); });
suggestButton.addEventListener("click", suggest);
