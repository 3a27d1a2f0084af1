// The facilitator console: the live stream (hide, correct, merge duplicates), the event and its tables.
import { connectLive, el, kindChip, strings, t, tn, toast } from "./common.js";

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

// Send a console message; a lost connection or a refusal is said in a toast. The console's
// other panels use it too.
export function call(name, payload, onOk) {
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
  const target = c.merged_into && contributions.get(c.merged_into);
  const status = c.merged_into ? ` · ${t("merged_into", { number: target ? numberOf(target) : "?" })}` : c.hidden ? ` · ${t("hidden")}` : "";
  const meta = el("div", { class: "meta" },
    el("strong", { text: `${t("table")} ${c.table}` }), " · ", kindChip(c.kind), " · ",
    questionText(c), " · ", `${t("round")} ${c.round}`, ` · #${numberOf(c)}`,
    c.target_group ? ` · ${c.target_group}` : "",
    c.edited ? ` · ${t("edited")}` : "", status,
    merged ? el("strong", { class: "merged-count", text: ` · ${tn("merged_count", merged)}` }) : "",
    c.entered_by === "host" ? ` · ${t("by_host")}` : "");
  let content;
  if (editing.has(c.id)) {
    const area = el("textarea", { maxlength: "500", dir: "auto", "aria-label": t("edit") });
    area.value = c.text;
    content = el("div", {}, area, el("div", { class: "row-actions" },
      el("button", { class: "btn small", type: "button", text: t("save"), "data-action": "save-edit", onclick: () =>
        call("edit_contribution", { id: c.id, text: area.value }, (ack) => {
          editing.delete(c.id); upsert(ack.contribution);
        }) }),
      el("button", { class: "btn small secondary", type: "button", text: t("cancel"),
        onclick: () => { editing.delete(c.id); render(); } })));
  } else {
    content = el("div", { class: "text", dir: "auto", text: c.text });
    if (c.translation) {  // the translation desk's German rendering, beside the original
      content = el("div", {}, content,
        el("div", { class: "translation", lang: "de", text: `${t("in_german")}: ${c.translation.text}` }));
    }
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
      el("button", { class: "btn small secondary", type: "button", text: t("edit"), "data-action": "edit",
        onclick: () => { editing.add(c.id); render(); requestAnimationFrame(() => stream.querySelector(`li[data-id="${c.id}"] textarea`)?.focus()); } }),
      c.hidden ? null : el("button", { class: "btn small secondary", type: "button", text: t("merge"),
        "data-action": "merge", onclick: () => startMerge(c.id) }));
  }
  const cls = [c.hidden ? "is-hidden" : "", merging === c.id ? "is-merging" : ""].filter(Boolean).join(" ");
  return el("li", { class: cls, dataset: { id: c.id } }, content, actions, meta);
}

// The card's number in this event: the same in console, projector, host page and exports.
function numberOf(c) { return c.number ?? c.id; }

// Each card's element is kept and replaced only when what it shows changed. A card being
// corrected is never replaced or moved, so its text box keeps focus, caret and typed text
// however many cards arrive meanwhile (new cards are inserted above it).
const views = new Map(); // id -> { node, sig }

function signature(c, merged) {
  if (editing.has(c.id)) return "editing";
  return JSON.stringify([c.text, c.kind, c.hidden, c.merged_into, c.edited, c.round, c.question, c.table,
    c.target_group, c.number, c.translation && c.translation.text, merged, merging === c.id, Boolean(merging), numberOf(contributions.get(c.merged_into) || {})]);
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
  const shown = items.slice(0, 500);
  const wanted = new Set(shown.map((c) => c.id));
  for (const [id, view] of views) {
    if (!wanted.has(id)) { view.node.remove(); views.delete(id); }
  }
  const nodes = shown.map((c) => {
    const sig = signature(c, merged.get(c.id) || 0);
    const old = views.get(c.id);
    if (old && old.sig === sig) return old.node;
    const node = itemView(c, merged.get(c.id) || 0);
    if (old) old.node.replaceWith(node);
    views.set(c.id, { node, sig });
    return node;
  });
  // Put the nodes in order, inserting only those not yet in place (kept nodes are never moved).
  let ref = stream.firstChild;
  for (const node of nodes) {
    if (node === ref) { ref = ref.nextSibling; continue; }
    stream.insertBefore(node, ref);
  }
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
  set("ev-tz", event.time_zone); set("ev-projector-lang", event.projector_language ?? "");
  set("ev-next-steps", event.next_steps);
  const badge = document.getElementById("ev-status-badge");
  badge.textContent = strings.statuses[event.status] ?? event.status;
  badge.className = `status-badge status-${event.status}`;
  document.getElementById("event-close").disabled = event.status === "closed";
}

document.getElementById("close-form").addEventListener("submit", (e) => {
  e.preventDefault();
  call("update_event", { changes: { next_steps: document.getElementById("ev-next-steps").value } },
    () => toast(t("saved_plan")));
});
document.getElementById("event-close").addEventListener("click", () => {
  if (!confirm(t("confirm_close"))) return;
  call("update_event", { changes: { next_steps: document.getElementById("ev-next-steps").value, status: "closed" } },
    () => toast(t("event_closed_console")));
});

// Table editors, one per table, keyed by the table's id and kept across updates: a field
// the facilitator has changed and not saved yet keeps its text; untouched fields follow
// the server. A new table's form becomes that table's editor once saved.
const tableRows = new Map(); // id -> row controller
const newRows = new Set();

function tableEditor(table) {
  const code = el("input", { type: "text", maxlength: "20", "aria-label": t("code"), dir: "auto" });
  const theme = el("input", { type: "text", maxlength: "200", "aria-label": t("theme"), dir: "auto" });
  const questions = el("textarea", { rows: "5", "aria-label": t("questions"), dir: "auto" });
  const row = { table: null, base: { code: "", theme: "", questions: "" } };
  const fields = { code, theme, questions };
  const valuesOf = (x) => ({ code: x?.code ?? "", theme: x?.theme ?? "", questions: (x?.questions ?? []).join("\n") });
  const links = el("span", { class: "links" });
  const actions = el("div", { class: "row-actions" });
  const node = el("div", { class: "table-row" },
    el("div", { class: "table-head" }, el("label", {}, t("code"), code), el("label", {}, t("theme"), theme)),
    el("label", {}, t("questions"), questions), actions);
  row.node = node;
  // Takes the server's version of the table; fields with unsaved typing are left alone.
  row.update = (x) => {
    const next = valuesOf(x);
    for (const [name, input] of Object.entries(fields)) {
      if (input.value === row.base[name]) input.value = next[name];
    }
    row.base = next; row.table = x;
    node.dataset.table = x?.code ?? "";
    if (x) node.dataset.id = String(x.id);
    links.replaceChildren(...(x ? [
      el("a", { href: tableUrls[x.code] || "#", target: "_blank", rel: "noopener", text: t("phone_page") }),
      el("a", { href: `/e/${eventId}/t/${encodeURIComponent(x.code)}/qr.png`, target: "_blank", rel: "noopener", text: `${t("qr")} PNG` }),
      el("a", { href: `/e/${eventId}/t/${encodeURIComponent(x.code)}/qr.svg`, target: "_blank", rel: "noopener", text: "SVG" }),
      el("a", { href: `/e/${eventId}/projector?table=${encodeURIComponent(x.code)}`, target: "_blank", rel: "noopener", text: t("open_projector") }),
    ] : []));
    actions.replaceChildren(
      el("button", { class: "btn small", type: "button", text: t("save"), "data-action": "save-table", onclick: save }),
      x ? el("button", { class: "btn small secondary", type: "button", text: "↑", "data-action": "table-up",
        "aria-label": t("move_up_named", { code: x.code }), title: t("move_up_named", { code: x.code }), onclick: () => move(x.id, -1) }) : null,
      x ? el("button", { class: "btn small secondary", type: "button", text: "↓", "data-action": "table-down",
        "aria-label": t("move_down_named", { code: x.code }), title: t("move_down_named", { code: x.code }), onclick: () => move(x.id, 1) }) : null,
      x ? el("button", { class: "btn small secondary", type: "button", text: t("questions_to_all"), "data-action": "questions-to-all",
        onclick: () => { if (confirm(t("confirm_questions_to_all"))) call("copy_questions", { id: x.id }, () => toast(t("saved_plan"))); } }) : null,
      el("button", { class: "btn small secondary", type: "button", text: t("delete"), "data-action": "delete-table", onclick: remove }),
      links);
  };
  const save = () => {
    const payload = { code: code.value.trim(), theme: theme.value.trim(),
      questions: questions.value.split("\n").map((q) => q.trim()).filter(Boolean) };
    if (row.table) payload.id = row.table.id;
    call("save_table", { table: payload }, (ack) => {
      // What was saved is now the base: the fields follow the server from here on.
      for (const [name, input] of Object.entries(fields)) row.base[name] = input.value;
      if (!row.table) {
        newRows.delete(row);
        const other = tableRows.get(ack.table.id); // the broadcast may have come first
        if (other && other !== row) other.node.replaceWith(row.node);
        tableRows.set(ack.table.id, row);
      }
      row.update(ack.table);
      toast(t("saved_plan"));
    });
  };
  const remove = () => {
    if (!row.table) { newRows.delete(row); node.remove(); return; }
    if (!confirm(t("confirm_delete"))) return;
    call("delete_table", { id: row.table.id }, () => { tableRows.delete(row.table.id); node.remove(); });
  };
  row.update(table);
  return row;
}

function move(id, step) {
  const ids = tables.map((x) => x.id);
  const i = ids.indexOf(id);
  const j = i + step;
  if (i < 0 || j < 0 || j >= ids.length) return;
  [ids[i], ids[j]] = [ids[j], ids[i]];
  call("order_tables", { ids });
}

function renderTables() {
  const box = document.getElementById("tables");
  const known = new Set(tables.map((x) => x.id));
  for (const [id, row] of tableRows) if (!known.has(id)) { row.node.remove(); tableRows.delete(id); }
  const nodes = tables.map((x) => {
    let row = tableRows.get(x.id);
    if (row) row.update(x);
    else { row = tableEditor(x); tableRows.set(x.id, row); }
    return row.node;
  });
  // Same order as on the server; moving a row keeps its typed text (focus may move with it).
  let ref = box.firstChild;
  for (const node of nodes) {
    if (node === ref) { ref = ref.nextSibling; continue; }
    box.insertBefore(node, ref);
  }
  for (const row of newRows) box.append(row.node); // unsaved new tables stay at the end
  const chosen = filterTable.value;
  filterTable.replaceChildren(el("option", { value: "", text: t("all_tables") }),
    ...tables.map((x) => el("option", { value: x.code, text: `${x.code} · ${x.theme}` })));
  filterTable.value = chosen;
}

document.getElementById("add-table").addEventListener("click", () => {
  const row = tableEditor(null);
  newRows.add(row);
  document.getElementById("tables").append(row.node);
  row.node.querySelector("input").focus();
});

document.getElementById("event-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const options = document.getElementById("ev-options").value.split("\n").map((o) => o.trim()).filter(Boolean);
  const question = document.getElementById("ev-question").value.trim();
  call("update_event", { changes: {
    title: document.getElementById("ev-title").value, date: document.getElementById("ev-date").value,
    kind: document.getElementById("ev-kind").value, status: document.getElementById("ev-status").value,
    time_zone: document.getElementById("ev-tz").value.trim() || "Europe/Berlin",
    projector_language: document.getElementById("ev-projector-lang").value || null,
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
socket.on("contribution_translated", (m) => {
  const c = contributions.get(m.contribution);
  if (c) upsert({ ...c, translation: m.translation });
});
socket.on("event_updated", (m) => {
  event = m.event; tables = m.tables;
  for (const x of tables) tableUrls[x.code] ??= `${location.origin}/e/${eventId}/t/${encodeURIComponent(x.code)}`;
  fillEvent(); renderTables(); render();
});
