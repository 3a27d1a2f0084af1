// The console's integrity panel: for each voting round that has started, how many
// devices vote, how many are new since it opened, the most voting devices behind one
// network address, and what was refused — with a plain warning when the pattern looks
// like one person voting many times. Asks `get_integrity` on the console's connection
// every few seconds while a round is open (once for a closed one).
import { el, t } from "./common.js";
import { socket } from "./console.js";

const root = document.getElementById("integrity-console");
const rounds = new Map();
const panels = new Map();
const EVERY_MS = 5000;

function ask(roundId) {
  socket.timeout(8000).emit("get_integrity", { round_id: roundId }, (err, ack) => {
    if (err || !ack || !ack.ok) return; // offline or gone: the next tick asks again
    panels.set(roundId, ack.integrity);
    render();
  });
}

function refused(counts) {
  const entries = Object.entries(counts || {}).filter(([, n]) => n > 0);
  if (!entries.length) return t("integrity_nothing");
  return entries.map(([reason, n]) => `${n} × ${t(`integrity_reason_${reason}`)}`).join(" · ");
}

function row(label, value) {
  return el("tr", {}, el("th", { scope: "row", text: label }), el("td", { class: "num", text: String(value) }));
}

function view(round) {
  const p = panels.get(round.id);
  const box = el("article", { class: "integrity-round", dataset: { round: round.id } },
    el("h3", { text: round.title }));
  if (!p) return box;
  box.append(el("table", { class: "integrity-figures" }, el("tbody", {},
    row(t("integrity_voters"), p.voters),
    row(t("integrity_new"), t("integrity_new_value", { devices: p.new_devices, voted: p.new_voters })),
    row(t("integrity_shared"), p.most_devices_one_address),
    row(t("integrity_refused"), refused(p.refused)),
    row(t("integrity_door"), refused(p.refused_at_door)))));
  if (p.warnings.length) {
    box.append(el("ul", { class: "integrity-warnings", role: "alert" },
      ...p.warnings.map((w) => el("li", { class: "warning", dataset: { code: w.code }, text: w.message }))));
  } else {
    box.append(el("p", { class: "muted small integrity-ok", text: t("integrity_ok") }));
  }
  return box;
}

function render() {
  const started = [...rounds.values()].filter((r) => r.status !== "draft").sort((a, b) => b.id - a.id);
  root.replaceChildren(el("h2", { text: t("integrity_heading") }),
    el("p", { class: "muted small", text: t("integrity_intro") }),
    ...(started.length ? started.map(view) : [el("p", { class: "muted", text: t("integrity_none") })]));
}

function askAll(onlyOpen) {
  for (const r of rounds.values()) {
    if (r.status === "open" || (!onlyOpen && r.status === "closed")) ask(r.id);
  }
}

socket.on("snapshot", (snap) => {
  rounds.clear(); panels.clear();
  for (const r of snap.voting.rounds) rounds.set(r.id, r);
  render(); askAll(false);
});
socket.on("voting_round_updated", (m) => { rounds.set(m.round.id, m.round); render(); if (m.round.status !== "draft") ask(m.round.id); });
socket.on("voting_round_deleted", (m) => { rounds.delete(m.round_id); panels.delete(m.round_id); render(); });
setInterval(() => { if (socket.connected && !document.hidden) askAll(true); }, EVERY_MS);
