// Paper questionnaires typed in by staff, keyboard only: digits pick answers, Enter moves
// on, Enter on the last question saves the sheet and starts the next one.
const body = document.body;
const api = `/api/events/${encodeURIComponent(body.dataset.event)}/surveys/${body.dataset.survey}`;
const key = body.dataset.key;
const strings = JSON.parse(document.getElementById("paper-strings").textContent);
const form = document.getElementById("paper-form");
const sheet = document.getElementById("paper-sheet");
const count = document.getElementById("paper-count");
const feedback = document.getElementById("paper-feedback");
const undo = document.getElementById("paper-undo");
const items = [...form.querySelectorAll("li.paper-q")];
let current = 0;
let lastSaved = null;

function focusItem(i) {
  current = Math.max(0, Math.min(i, items.length - 1));
  items.forEach((li, j) => li.classList.toggle("current", j === current));
  const area = items[current].querySelector("textarea");
  (area || items[current]).focus();
}

function options(li) { return [...li.querySelectorAll(".paper-opt")]; }

function answerOf(li) {
  const kind = li.dataset.kind;
  if (kind === "text") return li.querySelector("textarea").value.trim() || null;
  const chosen = options(li).filter((o) => o.classList.contains("chosen")).map((o) => Number(o.dataset.value));
  if (kind === "multiple") return chosen.length ? chosen : null;
  return chosen.length ? chosen[0] : null;
}

function reset() {
  items.forEach((li) => {
    options(li).forEach((o) => { o.classList.remove("chosen"); o.removeAttribute("aria-pressed"); });
    const area = li.querySelector("textarea");
    if (area) area.value = "";
  });
  if (/^\d+$/.test(sheet.value)) sheet.value = String(Number(sheet.value) + 1);
  focusItem(0);
}

async function call(method, url, payload) {
  const res = await fetch(url, {
    method, headers: { "Content-Type": "application/json", "X-Facilitator-Key": key },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  return res.json().catch(() => ({ ok: false }));
}

async function save() {
  const answers = items.map(answerOf);
  if (answers.every((a) => a === null)) { feedback.textContent = strings.empty; focusItem(0); return; }
  const data = await call("POST", `${api}/paper`, { answers, sheet: sheet.value.trim() || null });
  if (!data.ok) { feedback.textContent = (data.error && data.error.message) || "?"; return; }
  lastSaved = data.response_id;
  undo.disabled = false;
  count.textContent = data.responses;
  feedback.textContent = strings.saved;
  reset();
}

function next() {
  if (current === items.length - 1) save();
  else focusItem(current + 1);
}

function pick(li, n) {
  const opts = options(li);
  const opt = opts[n - 1];
  if (!opt) return;
  if (li.dataset.kind === "multiple") {
    opt.classList.toggle("chosen");
    return;
  }
  opts.forEach((o) => o.classList.toggle("chosen", o === opt));
  next();
}

form.addEventListener("keydown", (e) => {
  if (e.target === sheet) {
    if (e.key === "Enter") { e.preventDefault(); focusItem(0); }
    return;
  }
  const li = items[current];
  if (li.dataset.kind === "text") {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); next(); }
    return;
  }
  if (/^[1-9]$/.test(e.key)) { e.preventDefault(); pick(li, Number(e.key)); }
  else if (e.key === "0") { e.preventDefault(); options(li).forEach((o) => o.classList.remove("chosen")); next(); }
  else if (e.key === "Enter") { e.preventDefault(); next(); }
  else if (e.key === "ArrowUp" || (e.key === "Tab" && e.shiftKey)) { e.preventDefault(); focusItem(current - 1); }
  else if (e.key === "ArrowDown" || e.key === "Tab") { e.preventDefault(); focusItem(current + 1); }
});

items.forEach((li, i) => {
  li.addEventListener("click", (e) => {
    focusItem(i);
    const opt = e.target.closest(".paper-opt");
    if (opt) pick(li, options(li).indexOf(opt) + 1);
  });
});

form.addEventListener("submit", (e) => { e.preventDefault(); save(); });

undo.addEventListener("click", async () => {
  if (lastSaved === null) return;
  const data = await call("DELETE", `${api}/responses/${lastSaved}`);
  if (data.ok) {
    lastSaved = null;
    undo.disabled = true;
    count.textContent = Math.max(0, Number(count.textContent) - 1);
    feedback.textContent = strings.deleted;
  }
  focusItem(0);
});

focusItem(0);
