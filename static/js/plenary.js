// The phones' plenary page of an Akteurskonferenz: the agenda phase, an impulse for the
// wall, and the choice of a thematic group with its places left, live.
import { connectLive, el, t, tn } from "./common.js";
import { pickText } from "./content-lang.js";
import { Outbox, renderPending } from "./outbox.js";

const eventId = document.body.dataset.event;
const list = document.getElementById("groups");
const myGroupBox = document.getElementById("my-group");
const groupFeedback = document.getElementById("group-feedback");
const impulseForm = document.getElementById("impulse-form");
const impulse = document.getElementById("impulse");
const impulseFeedback = document.getElementById("impulse-feedback");

let groups = [];
let myGroup = null;

function placesText(g) {
  if (g.capacity === null) return tn("places_open", g.members);
  if (g.remaining === 0) return t("group_is_full");
  return t("places_left", { n: g.remaining, of: g.capacity });
}

function choose(table) {
  socket.timeout(8000).emit("choose_group", { table }, (err, ack) => {
    if (err) { groupFeedback.textContent = t("offline"); return; }
    groupFeedback.className = ack.ok ? "feedback" : "feedback error";
    groupFeedback.textContent = ack.ok ? "" : ack.error.message;
    if (ack.ok) { myGroup = ack.my_group; groups = ack.groups; render(); }
  });
}

function render() {
  list.replaceChildren(...groups.map((g) => {
    const mine = g.table === myGroup;
    const full = g.remaining === 0 && !mine;
    return el("li", { class: `${mine ? "mine" : ""}${full ? " full" : ""}`, dataset: { table: g.table } },
      el("div", {}, el("span", { class: "code", text: g.table }), " ", el("bdi", { text: pickText(g.theme, g.theme_i18n)[0] }),
        el("div", { class: "muted small places", text: placesText(g) })),
      mine ? el("button", { class: "btn small secondary", type: "button", text: t("leave_group"), onclick: () => choose(null) })
        : el("button", { class: "btn small", type: "button", text: t("choose"), disabled: full, onclick: () => choose(g.table) }));
  }));
  const chosen = groups.find((g) => g.table === myGroup);
  myGroupBox.classList.toggle("hidden", !chosen);
  myGroupBox.replaceChildren(...(chosen ? [
    el("strong", { text: t("your_group") + ": " }), el("bdi", { text: `${chosen.table} · ${pickText(chosen.theme, chosen.theme_i18n)[0]}` }), " ",
    el("a", { href: `/e/${eventId}/t/${encodeURIComponent(chosen.table)}`, text: t("go_to_table") })] : []));
}

function renderPhase(phase) {
  const node = document.getElementById("phase");
  node.classList.toggle("hidden", !phase);
  node.textContent = phase ? t(`phase_${phase}`) : "";
}

const socket = connectLive({ event: eventId, role: "participant" }, (snap) => {
  groups = snap.groups || [];
  myGroup = snap.my_group;
  renderPhase(snap.phase);
  render();
});
socket.on("groups_updated", (m) => { groups = m.groups; render(); });
socket.on("phase_changed", (m) => renderPhase(m.phase));

// An impulse stays in this browser until the server has stored it.
const pendingList = document.getElementById("impulse-pending");
const outbox = new Outbox(`facilitation:impulses:${eventId}`, {
  message: "submit_impulse",
  payload: (item) => ({ client_id: item.client_id, text: item.text }),
  onSaved: () => { impulseFeedback.className = "feedback"; impulseFeedback.textContent = t("impulse_sent"); },
  onWait: (error) => { impulseFeedback.textContent = error.message; },
  onRefused: (item, error) => {
    impulse.value = impulse.value.trim() ? `${impulse.value.trim()}\n${item.text}` : item.text;
    impulseFeedback.className = "feedback error";
    impulseFeedback.textContent = error.message;
  },
  onChange: () => renderPending(pendingList, outbox),
}).attach(socket);
socket.on("connect", () => outbox.flush());
renderPending(pendingList, outbox);

impulseForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = impulse.value.trim();
  if (!text) { impulseFeedback.textContent = t("text_empty"); return; }
  impulse.value = "";
  impulseFeedback.className = "feedback";
  impulseFeedback.textContent = socket.connected ? "" : t("offline");
  outbox.add({ text });
});
