// The measures catalogue page. Every cell saves itself (debounced) and the server sends
// `catalogue_updated` to every console, so two people can work at once. Live-safe: a row
// being edited keeps its caret and unsaved text whatever arrives; other rows update in place.
import { connectLive, el } from "./common.js";

const body = document.body;
const event = body.dataset.event;
const key = body.dataset.key;
const api = `/api/events/${encodeURIComponent(event)}/catalogue`;
const strings = JSON.parse(document.getElementById("cat-strings").textContent);
const list = document.getElementById("cat-rows");
const template = document.getElementById("cat-row-template");
const feedback = document.getElementById("cat-feedback");
const fmt = (s, params) => Object.entries(params).reduce((acc, [k, v]) => acc.replace(`%(${k})s`, v), s);
const pending = new Map();  // "rowId:field" -> timer of an unsaved edit
let rows = [];

async function call(method, path, payload) {
  const res = await fetch(api + path, {
    method, headers: { "Content-Type": "application/json", "X-Facilitator-Key": key },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const data = await res.json().catch(() => ({ ok: false }));
  if (!data.ok) feedback.textContent = (data.error && data.error.message) || String(res.status);
  return data;
}

function fill(li, row) {
  li.dataset.id = row.id;
  for (const input of li.querySelectorAll("[data-field]")) {
    const field = input.dataset.field;
    // Never overwrite what someone is typing (focused, or waiting to be saved).
    if (input === document.activeElement || pending.has(`${row.id}:${field}`)) continue;
    const value = row[field] ?? "";
    if (input.value !== value) input.value = value;
  }
  li.querySelector(".cat-priority").textContent = fmt(strings.priority, { n: row.shown_priority ?? row.dots });
  li.querySelector(".cat-sources").textContent = row.sources.length
    ? fmt(strings.sources, { numbers: row.sources.map((n) => `#${n}`).join(", ") }) : strings.no_sources;
}

function render(next) {
  rows = next;
  document.getElementById("cat-count").textContent = rows.length;
  const existing = new Map([...list.children].map((li) => [Number(li.dataset.id), li]));
  rows.forEach((row, i) => {
    let li = existing.get(row.id);
    if (!li) li = template.content.firstElementChild.cloneNode(true);
    fill(li, row);
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    existing.delete(row.id);
  });
  for (const li of existing.values()) if (!li.contains(document.activeElement)) li.remove();
}

function renderSide(state) {
  const card = (c) => el("li", {},
    el("span", { dir: "auto", text: c.text }),
    el("span", { class: "meta", text: ` · ${strings.kinds[c.kind] || c.kind} · ${c.theme || ""} · #${c.id}${c.dots ? ` · ${c.dots}` : ""}` }));
  document.getElementById("cat-proposals").replaceChildren(...state.proposals.map((c) => {
    const li = card(c);
    li.append(" ", el("button", { class: "btn small", type: "button", text: strings.take, onclick: async () => {
      const data = await call("POST", "/rows", { values: { field: c.theme || "", measure: c.text, sources: [c.id] } });
      if (data.ok) refresh();
    } }));
    return li;
  }));
  document.getElementById("cat-context").replaceChildren(...state.context.map(card));
}

async function refresh() {
  const data = await call("GET", "");
  if (data.ok) { render(data.rows); renderSide(data); }
}

list.addEventListener("input", (e) => {
  const input = e.target.closest("[data-field]");
  if (!input) return;
  const li = input.closest("li");
  const id = Number(li.dataset.id);
  const field = input.dataset.field;
  const slot = `${id}:${field}`;
  clearTimeout(pending.get(slot));
  pending.set(slot, setTimeout(async () => {
    const data = await call("PATCH", `/rows/${id}`, { changes: { [field]: input.value } });
    pending.delete(slot);
    if (data.ok) {
      feedback.textContent = strings.saved;
      li.classList.add("saved");
      setTimeout(() => li.classList.remove("saved"), 800);
    }
  }, input.tagName === "SELECT" ? 0 : 500));
});
list.addEventListener("change", (e) => { if (e.target.tagName === "SELECT") e.target.dispatchEvent(new Event("input", { bubbles: true })); });

list.addEventListener("click", async (e) => {
  const button = e.target.closest("[data-act]");
  if (!button) return;
  const li = button.closest("li");
  const id = Number(li.dataset.id);
  const index = rows.findIndex((r) => r.id === id);
  const act = button.dataset.act;
  if (act === "up" && index > 0) await call("POST", `/rows/${id}/move`, { to: index - 1 });
  if (act === "down" && index < rows.length - 1) await call("POST", `/rows/${id}/move`, { to: index + 1 });
  if (act === "split") await call("POST", `/rows/${id}/split`, {});
  if (act === "join" && index < rows.length - 1) await call("POST", `/rows/${id}/join`, { other: rows[index + 1].id });
  if (act === "delete" && window.confirm(strings.confirm_delete)) await call("DELETE", `/rows/${id}`);
  refresh();
});

document.getElementById("cat-add").addEventListener("click", async () => {
  const data = await call("POST", "/rows", {});
  if (data.ok) { await refresh(); list.lastElementChild?.querySelector("textarea[data-field=measure]")?.focus(); }
});
document.getElementById("cat-vote").addEventListener("click", async () => {
  const data = await call("POST", "/vote", {});
  if (data.ok) feedback.textContent = strings.vote_done;
});

const socket = connectLive({ event, role: "console", key }, () => refresh());
socket.on("catalogue_updated", (data) => render(data.rows));
refresh();
