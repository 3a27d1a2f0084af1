// A survey on a phone: answers are kept on the device while typing (a reload or a dropped
// Wi-Fi loses nothing) and sent once with a client id, so a resend never counts twice.
import { randomId } from "./common.js";

const body = document.body;
const event = body.dataset.event;
const survey = body.dataset.survey;
const form = document.getElementById("survey-form");
const feedback = document.getElementById("survey-feedback");
const strings = JSON.parse(document.getElementById("survey-strings").textContent);
const draftKey = `survey:${event}:${survey}`;

function collect() {
  return [...form.querySelectorAll("fieldset.survey-q")].map((fs) => {
    const kind = fs.dataset.kind;
    if (kind === "text") return fs.querySelector("textarea").value.trim() || null;
    const checked = [...fs.querySelectorAll("input:checked")].map((i) => i.value).filter((v) => v !== "");
    if (kind === "multiple") return checked.length ? checked.map(Number) : null;
    return checked.length ? Number(checked[0]) : null;
  });
}

function restore(draft) {
  form.querySelectorAll("fieldset.survey-q").forEach((fs, i) => {
    const value = draft.answers[i];
    if (value === null || value === undefined) return;
    if (fs.dataset.kind === "text") { fs.querySelector("textarea").value = value; return; }
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    fs.querySelectorAll("input").forEach((input) => { input.checked = values.includes(input.value); });
  });
}

function load() {
  try { return JSON.parse(localStorage.getItem(draftKey)) || null; } catch { return null; }
}

function save(draft) {
  try { localStorage.setItem(draftKey, JSON.stringify(draft)); } catch { /* private mode */ }
}

async function send(draft) {
  feedback.textContent = strings.sending;
  let res;
  try {
    res = await fetch(`/api/events/${encodeURIComponent(event)}/surveys/${survey}/responses`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ answers: draft.answers, client_id: draft.client_id }),
    });
  } catch {
    feedback.textContent = strings.offline;
    setTimeout(() => send(draft), 4000);
    return;
  }
  const data = await res.json().catch(() => ({ ok: false }));
  if (data.ok) {
    localStorage.removeItem(draftKey);
    form.remove();
    document.getElementById("survey-done").classList.remove("hidden");
    window.scrollTo(0, 0);
    return;
  }
  draft.client_id = null;  // refused: the next try is a new attempt
  save(draft);
  feedback.textContent = (data.error && data.error.message) || strings.offline;
}

if (form) {
  const draft = load();
  if (draft) restore(draft);
  form.addEventListener("input", () => save({ ...(load() || {}), answers: collect(), client_id: null }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const answers = collect();
    if (answers.every((a) => a === null)) { feedback.textContent = strings.empty; return; }
    const d = { answers, client_id: randomId() };
    save(d);
    send(d);
  });
  // A draft that was being sent when the page closed goes out again now.
  if (draft && draft.client_id) send(draft);
}
