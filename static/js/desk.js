// The translation desk: cards in other languages, each with a German text typed by a
// bilingual helper. Live: new cards arrive (the page listens like a projector); a card
// being typed in is never re-rendered.
import { connectLive, el } from "./common.js";

const body = document.body;
const event = body.dataset.event;
const key = body.dataset.key;
const machine = Boolean(body.dataset.machine);
const api = `/api/events/${encodeURIComponent(event)}/desk`;
const strings = JSON.parse(document.getElementById("desk-strings").textContent);
const list = document.getElementById("desk-cards");
const openOnly = document.getElementById("desk-open-only");
const fmt = (s, params) => Object.entries(params).reduce((acc, [k, v]) => acc.replace(`%(${k})s`, v), s);
const suggested = new Map();  // card id -> machine text put into the box
const done = new Set();  // cards saved on this page: they stay in view until it is reloaded
let cards = [];
let timer = null;

async function call(method, path, payload) {
  const res = await fetch(api + path, {
    method, headers: { "Content-Type": "application/json", "X-Desk-Key": key },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  return res.json().catch(() => ({ ok: false }));
}

function note(card) {
  const t = card.translation;
  if (!t) return "";
  return t.machine ? fmt(strings.machine_by, { name: t.by }) : fmt(strings.by, { name: t.by });
}

function item(card) {
  const area = el("textarea", { rows: "2", maxlength: "1000", lang: "de", "aria-label": strings.german });
  area.value = card.translation ? card.translation.text : "";
  const status = el("span", { class: "feedback", role: "status" });
  const save = el("button", { class: "btn small", type: "button", text: strings.save, onclick: async () => {
    const text = area.value.trim();
    if (!text) return;
    const data = await call("POST", "/translations", {
      contribution: card.id, text, machine: suggested.get(card.id) === text });
    status.textContent = data.ok ? strings.saved : ((data.error && data.error.message) || "?");
    if (data.ok) {
      done.add(card.id);
      card.translation = data.translation;
      li.querySelector(".desk-by").textContent = note(card);
    }
  } });
  const li = el("li", { class: "card desk-card", dataset: { id: String(card.id) } },
    el("p", { class: "meta", text: `#${card.id} · ${card.table} · ${card.theme} · ${strings.kinds[card.kind] || card.kind} · ${card.language}` }),
    el("p", { class: "desk-original", lang: card.language, dir: "auto", text: card.text }),
    el("label", { class: "strong", text: strings.german }), area,
    el("p", { class: "row-actions" }, save,
      machine ? el("button", { class: "btn small secondary", type: "button", text: strings.suggest, onclick: async () => {
        const data = await call("GET", `/suggestion?contribution=${card.id}&key=${encodeURIComponent(key)}`);
        if (data.ok) { area.value = data.text; suggested.set(card.id, data.text); status.textContent = strings.machine_note; }
        else status.textContent = (data.error && data.error.message) || "?";
      } }) : null, status),
    el("p", { class: "muted small desk-by", text: note(card) }));
  return li;
}

function render() {
  const shown = cards.filter((c) => !openOnly.checked || !c.translation || done.has(c.id));
  const busy = list.querySelector("li:focus-within");
  const busyId = busy ? Number(busy.dataset.id) : null;
  const existing = new Map([...list.children].map((li) => [Number(li.dataset.id), li]));
  const next = shown.map((c) => (c.id === busyId ? existing.get(busyId) : existing.get(c.id) || item(c)));
  if (busy && !next.includes(busy)) next.unshift(busy);  // never pull a card from under the caret
  list.replaceChildren(...next);
  const open = cards.filter((c) => !c.translation).length;
  document.getElementById("desk-count").textContent = fmt(strings.count, { open, all: cards.length });
}

async function refresh() {
  const data = await call("GET", `?key=${encodeURIComponent(key)}`);
  if (data.ok) { cards = data.cards; render(); }
}

function soon() { clearTimeout(timer); timer = setTimeout(refresh, 400); }

openOnly.addEventListener("change", render);
const socket = connectLive({ event, role: "projector" }, soon);
socket.on("contribution_added", soon);
socket.on("contribution_removed", soon);
socket.on("contribution_translated", (data) => {
  const card = cards.find((c) => c.id === data.contribution);
  if (card) { card.translation = data.translation; }
});
refresh();
