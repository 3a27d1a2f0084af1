// A table host records the dots of people without a phone (the physical Klebepunkte):
// a person is named or numbered by the host and has the same budget and cap as a phone.
// The ledger marks these dots as host-entered.
import { el, randomId, t, tn, toast } from "./common.js";
import { socket } from "./host.js";

const box = document.getElementById("host-dots");
const personInput = document.getElementById("dot-person");
const items = document.getElementById("dot-items");
const left = document.getElementById("dot-left");
const feedback = document.getElementById("dot-feedback");
const peopleList = document.getElementById("dot-people");

let round = null;
let people = [];

function person() { return personInput.value.trim().replace(/\s+/g, " "); }
function current() { return people.find((p) => p.person.toLowerCase() === person().toLowerCase()) || null; }

function render() {
  box.classList.toggle("hidden", !round);
  if (!round) return;
  peopleList.replaceChildren(...people.map((p) => el("option", { value: p.person })));
  const who = current();
  const dots = who ? who.dots : {};
  const n = who ? who.left : round.budget;
  left.textContent = person()
    ? tn("host_dots_left", n, { person: person() })
    : t("host_dots_pick");
  items.replaceChildren(...round.candidates.map((c) => {
    const n = dots[String(c.id)] || 0;
    return el("li", { dataset: { candidate: c.id } },
      el("span", { class: "dot-label", dir: "auto", text: c.label }),
      c.theme ? el("span", { class: "muted small", dir: "auto", text: c.theme }) : null,
      el("span", { class: "dot-buttons" },
        el("button", { class: "btn small secondary", type: "button", text: "−", "data-action": "dot-minus",
          "aria-label": t("host_dot_remove", { label: c.label }), disabled: !person() || !n, onclick: () => move(c.id, -1) }),
        el("strong", { class: "dot-count", text: String(n) }),
        el("button", { class: "btn small", type: "button", text: "+", "data-action": "dot-plus",
          "aria-label": t("host_dot_place", { label: c.label }), disabled: !person(), onclick: () => move(c.id, 1) })));
  }));
}

function move(candidateId, delta) {
  const who = person();
  if (!who || !round) return;
  socket.timeout(8000).emit("enter_dot", { round_id: round.id, candidate_id: candidateId, person: who, delta,
    client_id: randomId() }, (err, ack) => {
    if (err) { toast(t("offline")); return; }
    if (!ack.ok) { feedback.textContent = ack.error.message; feedback.className = "feedback error"; return; }
    feedback.textContent = ""; feedback.className = "feedback";
    people = ack.people;
    render();
  });
}

function applyRound(r, list) {
  round = r && r.status === "open" ? r : null;
  if (list) people = list;
  render();
}

socket.on("snapshot", (snap) => applyRound(snap.voting?.round, snap.voting?.people || []));
socket.on("voting_round_updated", (m) => {
  if (m.round.status === "open" && (!round || round.id !== m.round.id)) people = [];
  applyRound(m.round, null);
});
personInput.addEventListener("input", render);
