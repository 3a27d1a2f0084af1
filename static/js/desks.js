// Create a translation desk (a secret link for a bilingual helper); the page then lists it.
const body = document.body;
document.getElementById("desk-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = new FormData(e.target).get("name");
  const res = await fetch(`/api/events/${encodeURIComponent(body.dataset.event)}/desks`, {
    method: "POST", headers: { "Content-Type": "application/json", "X-Facilitator-Key": body.dataset.key },
    body: JSON.stringify({ name }),
  });
  const data = await res.json().catch(() => ({ ok: false }));
  if (data.ok) window.location.reload();
  else document.getElementById("desk-feedback").textContent = (data.error && data.error.message) || String(res.status);
});
