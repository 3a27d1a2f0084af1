// Carry forward: preview what earlier events of the process offer, tick, carry.
import { el, provenanceText } from "./common.js";

const body = document.body;
const api = `/api/events/${encodeURIComponent(body.dataset.event)}/carry-forward`;
const key = body.dataset.key;
const form = document.getElementById("carry-form");
const strings = JSON.parse(document.getElementById("carry-strings").textContent);
const list = document.getElementById("carry-items");
const go = document.getElementById("carry-go");
const feedback = document.getElementById("carry-feedback");
const fmt = (s, params) => Object.entries(params).reduce((acc, [k, v]) => acc.replace(`%(${k})s`, v), s);


function options() {
  const data = new FormData(form);
  return { from: data.getAll("from"), source: data.get("source"), per_field: Number(data.get("per_field")) };
}

async function preview() {
  const o = options();
  const query = new URLSearchParams({ source: o.source, per_field: String(o.per_field) });
  o.from.forEach((f) => query.append("from", f));
  const res = await fetch(`${api}?${query}`, { headers: { "X-Facilitator-Key": key } });
  const data = await res.json().catch(() => ({ ok: false }));
  if (!data.ok) { feedback.textContent = (data.error && data.error.message) || String(res.status); return; }
  list.replaceChildren(...data.items.map((item, i) => el("li", {},
    el("label", { class: "check" },
      el("input", { type: "checkbox", value: String(i), checked: true }),
      el("span", { dir: "auto", text: ` ${item.text}` })),
    el("span", { class: "meta", text: ` · ${item.theme || strings.no_field} · ${provenanceText(item.provenance)}` }))));
  feedback.textContent = data.items.length ? "" : strings.none;
  go.disabled = !data.items.length;
}

document.getElementById("carry-preview").addEventListener("click", preview);
form.addEventListener("change", (e) => { if (!list.contains(e.target)) { list.replaceChildren(); go.disabled = true; } });
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const pick = [...list.querySelectorAll("input:checked")].map((i) => Number(i.value));
  const res = await fetch(api, {
    method: "POST", headers: { "Content-Type": "application/json", "X-Facilitator-Key": key },
    body: JSON.stringify({ ...options(), as: new FormData(form).get("as"), pick }),
  });
  const data = await res.json().catch(() => ({ ok: false }));
  if (!data.ok) { feedback.textContent = (data.error && data.error.message) || String(res.status); return; }
  let text = data.voting_round ? strings.done_round : fmt(strings.done_briefs, { n: data.briefs });
  if (data.unplaced && data.unplaced.length) text += " " + fmt(strings.unplaced, { n: data.unplaced.length });
  feedback.textContent = text;
});
