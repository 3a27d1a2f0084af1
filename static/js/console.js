// The facilitator console: the live stream (hide, correct, merge duplicates), the event and its tables.
import { connectLive, el, kindChip, t, tn, toast } from "./common.js";

const eventId = document.body.dataset.event;
const key = document.body.dataset.key;
const stream = document.getElementById("stream");
const filterTable = document.getElementById("filter-table");
const showHidden = document.getElementById("show-hidden");

let event = null;
let tables = [];
let tableUrls = {};
const contributions = new Map();
const editing = new Set();
let merging = null; // the id of the duplicate being merged, while the facilitator picks the one that stays
const mergeBar = el("div", { class: "merge-bar hidden", role: "status" });
stream.before(mergeBar);

function call(name, payload, onOk) {
  socket.timeout(8000).emit(name, payload, (err, ack) => {
    if (err) { toast(t("offline")); return; }
    if (!ack.ok) { toast(ack.error.message); return; }
    if (onOk) onOk(ack);
  });
}

// ---------- stream ----------
function questionText(c) {
  const table = tables.find((x) => x.code === c.table);
  if (c.question === null || c.question === undefined || !table) return t("general");
  return `${c.question + 1}. ${table.questions[c.question] ?? ""}`;
}

function mergedCounts() {
  const counts = new Map();
  for (const c of contributions.values()) if (c.merged_into) counts.set(c.merged_into, (counts.get(c.merged_into) || 0) + 1);
  return counts;
}

function startMerge(id) { merging = id; render(); }
function stopMerge() { merging = null; render(); }
function mergeInto(target) {
  call("merge_contributions", { target_id: target, source_ids: [merging] }, (ack) => {
    merging = null;
    for (const c of [ack.target, ...ack.merged]) contributions.set(c.id, c);
    render();
    toast(t("merge_done"));
  });
}
document.addEventListener("keydown", (e) => { if (e.key === "Escape" && merging) stopMerge(); });

function itemView(c, merged) {
  const status = c.merged_into ? ` · ${t("merged_into", { number: c.merged_into })}` : c.hidden ? ` · ${t("hidden")}` : "";
  const meta = el("div", { class: "meta" },
    el("strong", { text: `${t("table")} ${c.table}` }), " · ", kindChip(c.kind), " · ",
    questionText(c), " · ", `${t("round")} ${c.round}`, ` · #${c.id}`,
    c.target_group ? ` · ${c.target_group}` : "",
    c.edited ? ` · ${t("edited")}` : "", status,
    merged ? el("strong", { class: "merged-count", text: ` · ${tn("merged_count", merged)}` }) : "",
    c.entered_by === "host" ? ` · ${t("by_host")}` : "");
  let content;
  if (editing.has(c.id)) {
    const area = el("textarea", { maxlength: "500" });
    area.value = c.text;
    content = el("div", {}, area, el("div", { class: "row-actions" },
      el("button", { class: "btn small", type: "button", text: t("save"), onclick: () =>
        call("edit_contribution", { id: c.id, text: area.value }, (ack) => {
          editing.delete(c.id); upsert(ack.contribution);
        }) }),
      el("button", { class: "btn small secondary", type: "button", text: t("cancel"),
        onclick: () => { editing.delete(c.id); render(); } })));
  } else {
    content = el("div", { class: "text", dir: "auto", text: c.text });
  }
  let actions;
  if (merging && merging !== c.id) {
    actions = el("div", { class: "actions" }, c.hidden ? null : el("button", { class: "btn small", type: "button",
      text: t("merge_here"), "data-action": "merge-here", onclick: () => mergeInto(c.id) }));
  } else if (merging) {
    actions = el("div", { class: "actions" }, el("button", { class: "btn small secondary", type: "button",
      text: t("cancel"), onclick: stopMerge }));
  } else {
    actions = el("div", { class: "actions" },
      el("button", { class: "btn small secondary", type: "button",
        text: c.merged_into ? t("unmerge") : c.hidden ? t("show") : t("hide"), "data-action": "toggle-hidden",
        onclick: () => call("hide_contribution", { id: c.id, hidden: !c.hidden }, (ack) => upsert(ack.contribution)) }),
      el("button", { class: "btn small secondary", type: "button", text: t("edit"),
        onclick: () => { editing.add(c.id); render(); } }),
      c.hidden ? null : el("button", { class: "btn small secondary", type: "button", text: t("merge"),
        "data-action": "merge", onclick: () => startMerge(c.id) }));
  }
  const cls = [c.hidden ? "is-hidden" : "", merging === c.id ? "is-merging" : ""].filter(Boolean).join(" ");
  return el("li", { class: cls, dataset: { id: c.id } }, content, actions, meta);
}

function render() {
  const only = filterTable.value;
  const items = [...contributions.values()]
    .filter((c) => (!only || c.table === only) && (showHidden.checked || !c.hidden))
    .sort((a, b) => b.id - a.id);
  const source = merging && contributions.get(merging);
  if (!source || source.hidden) merging = null; // hidden or merged meanwhile: nothing to merge
  mergeBar.classList.toggle("hidden", !merging);
  if (merging) {
    const snippet = source.text.length > 60 ? `${source.text.slice(0, 60)}…` : source.text;
    mergeBar.replaceChildren(el("span", { text: t("merge_pick", { text: snippet }) }),
      el("button", { class: "btn small secondary", type: "button", text: t("cancel"), onclick: stopMerge }));
  }
  const merged = mergedCounts();
  stream.replaceChildren(...items.slice(0, 500).map((c) => itemView(c, merged.get(c.id) || 0)));
  document.getElementById("stream-empty").classList.toggle("hidden", items.length > 0);
  document.getElementById("total").textContent = String(contributions.size);
  const counts = new Map(tables.map((x) => [x.code, 0]));
  for (const c of contributions.values()) if (!c.hidden) counts.set(c.table, (counts.get(c.table) || 0) + 1);
  document.getElementById("counts").replaceChildren(...tables.map((x) => el("span", { text: `${x.code}: ${counts.get(x.code)}` })));
}

function upsert(c) { contributions.set(c.id, c); render(); }

// ---------- event and tables ----------
function fillEvent() {
  document.getElementById("title").textContent = event.title;
  const set = (id, v) => { const n = document.getElementById(id); if (document.activeElement !== n) n.value = v ?? ""; };
  set("ev-title", event.title); set("ev-date", event.date); set("ev-kind", event.kind);
  set("ev-status", event.status); set("ev-question", event.join_question);
  set("ev-options", event.join_options.join("\n"));
}

function tableEditor(table) {
  const code = el("input", { type: "text", maxlength: "20", "aria-label": t("code") });
  const theme = el("input", { type: "text", maxlength: "200", "aria-label": t("theme") });
  const questions = el("textarea", { rows: "3", "aria-label": t("questions") });
  code.value = table?.code ?? "";
  theme.value = table?.theme ?? "";
  questions.value = (table?.questions ?? []).join("\n");
  const save = () => {
    const payload = { code: code.value.trim(), theme: theme.value.trim(),
      questions: questions.value.split("\n").map((q) => q.trim()).filter(Boolean) };
    if (table) payload.id = table.id;
    call("save_table", { table: payload }, () => toast(t("saved_plan")));
  };
  const links = table ? el("span", { class: "links" },
    el("a", { href: tableUrls[table.code] || "#", target: "_blank", rel: "noopener", text: t("phone_page") }),
    el("a", { href: `/e/${eventId}/t/${encodeURIComponent(table.code)}/qr.png`, target: "_blank", rel: "noopener", text: `${t("qr")} PNG` }),
    el("a", { href: `/e/${eventId}/t/${encodeURIComponent(table.code)}/qr.svg`, target: "_blank", rel: "noopener", text: "SVG" }),
    el("a", { href: `/e/${eventId}/projector?table=${encodeURIComponent(table.code)}`, target: "_blank", rel: "noopener", text: t("open_projector") })) : null;
  return el("div", { class: "table-row", dataset: { table: table?.code ?? "" } },
    el("div", { class: "table-head" },
      el("label", {}, t("code"), code), el("label", {}, t("theme"), theme)),
    el("label", {}, t("questions"), questions),
    el("div", { class: "row-actions" },
      el("button", { class: "btn small", type: "button", text: t("save"), onclick: save }),
      table ? el("button", { class: "btn small secondary", type: "button", text: t("delete"), onclick: () => {
        if (confirm(t("confirm_delete"))) call("delete_table", { id: table.id });
      } }) : null, links));
}

function renderTables() {
  const box = document.getElementById("tables");
  if (box.contains(document.activeElement)) return; // never overwrite what is being typed
  box.replaceChildren(...tables.map(tableEditor));
  const chosen = filterTable.value;
  filterTable.replaceChildren(el("option", { value: "", text: t("all_tables") }),
    ...tables.map((x) => el("option", { value: x.code, text: `${x.code} · ${x.theme}` })));
  filterTable.value = chosen;
}

document.getElementById("add-table").addEventListener("click", () => {
  document.getElementById("tables").append(tableEditor(null));
});

document.getElementById("event-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const options = document.getElementById("ev-options").value.split("\n").map((o) => o.trim()).filter(Boolean);
  const question = document.getElementById("ev-question").value.trim();
  call("update_event", { changes: {
    title: document.getElementById("ev-title").value, date: document.getElementById("ev-date").value,
    kind: document.getElementById("ev-kind").value, status: document.getElementById("ev-status").value,
    join_question: question || null, join_options: options } }, () => toast(t("saved_plan")));
});

document.getElementById("plan-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = document.getElementById("plan-file").files[0];
  const msg = document.getElementById("plan-msg");
  if (!file) return;
  const response = await fetch(`/api/events/${eventId}/plan`, {
    method: "POST", headers: { "Content-Type": "application/json", "X-Facilitator-Key": key }, body: await file.text() });
  const body = await response.json();
  msg.textContent = body.ok ? t("saved_plan") : body.error.message;
  msg.className = body.ok ? "" : "error";
});

filterTable.addEventListener("change", render);
showHidden.addEventListener("change", render);

// Exported so a page's feature modules listen on the same connection.
export const socket = connectLive({ event: eventId, role: "console", key }, (snap) => {
  event = snap.event; tables = snap.tables; tableUrls = snap.table_urls;
  contributions.clear();
  for (const c of snap.contributions) contributions.set(c.id, c);
  fillEvent(); renderTables(); render();
});
socket.on("contribution_added", (m) => upsert(m.contribution));
socket.on("contribution_updated", (m) => upsert(m.contribution));
socket.on("event_updated", (m) => {
  event = m.event; tables = m.tables;
  for (const x of tables) tableUrls[x.code] ??= `${location.origin}/e/${eventId}/t/${encodeURIComponent(x.code)}`;
  fillEvent(); renderTables(); render();
});
