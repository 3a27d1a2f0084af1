// The facilitator's survey page: create from a template or a file, open, close, set the
// closing time. Every change reloads the page, which then shows the stored state.
const body = document.body;
const api = `/api/events/${encodeURIComponent(body.dataset.event)}/surveys`;
const key = body.dataset.key;
const feedback = document.getElementById("surveys-feedback");

async function post(url, payload) {
  const res = await fetch(url, {
    method: "POST", headers: { "Content-Type": "application/json", "X-Facilitator-Key": key },
    body: typeof payload === "string" ? payload : JSON.stringify(payload),
  });
  const data = await res.json().catch(() => ({ ok: false }));
  if (data.ok) window.location.reload();
  else feedback.textContent = (data.error && data.error.message) || String(res.status);
}

document.querySelectorAll("[data-template]").forEach((button) => {
  button.addEventListener("click", () => post(api, { template: button.dataset.template }));
});

document.getElementById("survey-file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (file) post(api, await file.text());
});

document.querySelectorAll("section[data-survey]").forEach((section) => {
  const url = `${api}/${section.dataset.survey}/status`;
  section.querySelectorAll("[data-status]").forEach((button) => {
    button.addEventListener("click", () => post(url, { status: button.dataset.status }));
  });
  section.querySelector("[data-save-closing]").addEventListener("click", () => {
    post(url, { closes_at: section.querySelector("[data-closes]").value || null });
  });
});
