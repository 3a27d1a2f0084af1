// The console's "Punkte kleben" panel: create a voting round from contributions, whole
// tables or typed statements; open and close it; the tally per item and per target
// group; ticket codes. Listens on the console's own connection.
import { el, provenanceText, rankText, t, tn, toast } from "./common.js";
import { call, socket } from "./console.js";

const root = document.getElementById("vote-console");
const eventId = document.body.dataset.event;
const key = document.body.dataset.key;

let tables = [];
let groups = [];
let tickets = { total: 0, redeemed: 0 };
const contributions = new Map();
const rounds = new Map();
const tallies = new Map();
const picked = new Set();

// ---------- the form for a new round ----------
const form = el("form", { class: "vote-form", id: "vote-form" });
const fTitle = el("input", { type: "text", id: "vote-title-input", maxlength: "200", required: true });
const fBudget = el("input", { type: "number", id: "vote-budget", min: "1", max: "50", value: "5" });
const fCap = el("input", { type: "number", id: "vote-cap", min: "1", max: "50", value: "3" });
const fHide = el("input", { type: "checkbox", id: "vote-hide" });
const fTicket = el("input", { type: "checkbox", id: "vote-ticket" });
const fPrior = el("input", { type: "checkbox", id: "vote-prior-device" });
const fStatements = el("textarea", { id: "vote-statements", rows: "3" });
const fTables = el("div", { class: "vote-tables", id: "vote-tables" });
const fFilter = el("select", { class: "auto", "aria-label": t("table") });
const fPick = el("ul", { class: "vote-pick", id: "vote-pick" });

function renderPickers() {
  const checked = new Set([...fTables.querySelectorAll("input:checked")].map((i) => i.value));
  fTables.replaceChildren(...tables.map((x) => el("label", { class: "inline-check" },
    el("input", { type: "checkbox", value: x.code, checked: checked.has(x.code) }), ` ${x.code} · ${x.theme}`)));
  const only = fFilter.value;
  fFilter.replaceChildren(el("option", { value: "", text: t("all_tables") }),
    ...tables.map((x) => el("option", { value: x.code, text: `${x.code} · ${x.theme}` })));
  fFilter.value = only;
  renderPick();
}

// Only the checklist follows new contributions: the table boxes are left alone.
function renderPick() {
  const only = fFilter.value;
  const items = [...contributions.values()].filter((c) => !c.hidden && (!only || c.table === only));
  fPick.replaceChildren(...items.map((c) => el("li", {}, el("label", { class: "inline-check" },
    el("input", { type: "checkbox", value: String(c.id), checked: picked.has(c.id),
      onchange: (e) => { if (e.target.checked) picked.add(c.id); else picked.delete(c.id); } }),
    el("strong", { text: ` ${c.table} ` }), c.text))));
}
fFilter.addEventListener("change", renderPick);

form.append(
  el("h3", { text: t("vote_create") }),
  el("label", { for: "vote-title-input", text: t("vote_title") }), fTitle,
  el("div", { class: "vote-numbers" },
    el("label", {}, t("vote_budget"), fBudget), el("label", {}, t("vote_cap_label"), fCap)),
  el("label", { class: "inline-check" }, fHide, ` ${t("vote_hide_counts")}`),
  el("label", { class: "inline-check" }, fTicket, ` ${t("vote_require_ticket")}`),
  el("label", { class: "inline-check" }, fPrior, ` ${t("vote_require_prior_device")}`),
  el("p", { class: "strong", text: t("vote_from_tables") }), fTables,
  el("p", { class: "strong" }, t("vote_pick"), " ", fFilter), fPick,
  el("label", { for: "vote-statements", text: t("vote_statements") }), fStatements,
  el("div", { class: "row-actions" }, el("button", { class: "btn small", type: "submit", text: t("vote_create") })));

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const payload = {
    title: fTitle.value.trim(), budget: Number(fBudget.value), cap: Number(fCap.value),
    hide_counts: fHide.checked, require_ticket: fTicket.checked,
    require_prior_device: fPrior.checked,
    tables: [...fTables.querySelectorAll("input:checked")].map((i) => i.value),
    contribution_ids: [...picked],
    statements: fStatements.value.split("\n").map((s) => s.trim()).filter(Boolean),
  };
  call("create_voting_round", payload, (ack) => {
    rounds.set(ack.round.id, ack.round);
    picked.clear(); fStatements.value = ""; fTitle.value = "";
    toast(t("vote_created"));
    renderPickers(); renderRounds();
  });
});

// ---------- rounds and their tallies ----------
function tallyTable(round) {
  const tally = tallies.get(round.id);
  if (!tally) return null;
  const byId = new Map(round.candidates.map((c) => [c.id, c]));
  const cols = [...groups, ""];
  return el("table", { class: "vote-tally" },
    el("thead", {}, el("tr", {}, el("th", { text: t("vote_rank") }), el("th", { text: t("vote_item") }),
      el("th", { text: t("vote_total") }), ...cols.map((g) => el("th", { class: "group", text: g || t("vote_no_group") })))),
    el("tbody", {}, ...tally.ranking.map((r) => {
      const c = byId.get(r.candidate_id) || { label: "?" };
      const per = tally.by_group[String(r.candidate_id)] || {};
      return el("tr", { class: c.hidden ? "is-hidden" : "", dataset: { candidate: r.candidate_id } },
        el("td", { text: rankText(r.rank, r.tied) }),
        el("td", { class: "text" }, c.table ? el("strong", { text: `${c.table} ` }) : null, el("bdi", { text: c.label }),
          c.hidden ? el("em", { text: ` (${t("vote_withdrawn_note")})` }) : null,
          c.provenance ? el("div", { class: "meta", text: provenanceText(c.provenance) }) : null),
        el("td", { class: "num", text: String(r.dots) }),
        ...cols.map((g) => el("td", { class: "num", text: String(per[g] || 0) })));
    })));
}

function roundView(round) {
  const tally = tallies.get(round.id);
  const voters = tally ? tally.voters : 0;
  const actions = el("div", { class: "row-actions" });
  if (round.status === "draft") {
    actions.append(
      el("button", { class: "btn small", type: "button", "data-action": "open", text: t("vote_open"),
        onclick: () => call("open_voting_round", { round_id: round.id }) }),
      el("button", { class: "btn small secondary", type: "button", text: t("vote_delete"),
        onclick: () => call("delete_voting_round", { round_id: round.id }) }));
  } else if (round.status === "open") {
    actions.append(el("button", { class: "btn small", type: "button", "data-action": "close", text: t("vote_close"),
      onclick: () => { if (confirm(t("vote_confirm_close"))) call("close_voting_round", { round_id: round.id }); } }));
  }
  actions.append(el("a", { href: `/e/${eventId}/projector/vote?round=${round.id}`, target: "_blank",
    rel: "noopener", text: t("vote_show_projector") }));
  return el("article", { class: `vote-round ${round.status}`, dataset: { round: round.id } },
    el("h3", {}, round.title, " ", el("span", { class: `vote-status ${round.status}`, text: t(`vote_status_${round.status}`) })),
    el("p", { class: "muted small" },
      tn("vote_rules_short", round.budget, { budget: round.budget, cap: round.cap }),
      round.hide_counts ? ` · ${t("vote_hide_counts")}` : "",
      round.require_ticket ? ` · ${t("vote_require_ticket")}` : "",
      round.require_prior_device ? ` · ${t("vote_require_prior_device")}` : "",
      " · ", el("span", { class: "vote-voters", text: votersText(voters) })),
    actions, el("div", { class: "vote-tally-box" }, tallyTable(round)));
}

const votersText = (n) => tn("vote_voters", n);

// A tally (up to three a second) replaces only the numbers: the buttons stay put, so a
// click on "Close voting" is never lost to a redraw.
function renderTally(roundId) {
  const article = roundsBox.querySelector(`[data-round="${roundId}"]`);
  const round = rounds.get(roundId);
  if (!article || !round) { renderRounds(); return; }
  article.querySelector(".vote-voters").textContent = votersText(tallies.get(roundId).voters);
  article.querySelector(".vote-tally-box").replaceChildren(tallyTable(round) || "");
}

const roundsBox = el("div", { class: "vote-rounds", id: "vote-rounds" });
function renderRounds() {
  roundsBox.replaceChildren(...[...rounds.values()].sort((a, b) => b.id - a.id).map(roundView));
}

// ---------- ticket codes ----------
const ticketCount = el("input", { type: "number", min: "1", max: "500", value: "50", id: "ticket-count" });
const ticketSummary = el("span", { class: "muted small", id: "ticket-summary" });
function renderTickets() {
  ticketSummary.textContent = t("vote_tickets_summary", tickets);
}
const ticketBox = el("div", { class: "vote-ticket-admin" },
  el("h3", { text: t("vote_tickets") }),
  el("label", {}, t("vote_tickets_count"), ticketCount),
  el("div", { class: "row-actions" },
    el("button", { class: "btn small secondary", type: "button", text: t("vote_tickets_make"),
      onclick: () => call("generate_tickets", { count: Number(ticketCount.value) }, (ack) => {
        tickets = ack.summary; renderTickets();
      }) }),
    el("a", { href: `/e/${eventId}/tickets?key=${encodeURIComponent(key)}`, target: "_blank", rel: "noopener",
      text: t("vote_tickets_print") }),
    ticketSummary));

root.append(el("h2", { text: t("vote_heading") }),
  el("div", { class: "vote-console-grid" }, el("div", {}, form, ticketBox), roundsBox));

// ---------- live ----------
socket.on("snapshot", (snap) => {
  tables = snap.tables;
  groups = snap.event.join_options;
  contributions.clear();
  for (const c of snap.contributions) contributions.set(c.id, c);
  rounds.clear(); tallies.clear();
  for (const r of snap.voting.rounds) rounds.set(r.id, r);
  for (const [id, tally] of Object.entries(snap.voting.tallies)) tallies.set(Number(id), tally);
  tickets = snap.voting.tickets;
  renderPickers(); renderRounds(); renderTickets();
});
socket.on("contribution_added", (m) => { contributions.set(m.contribution.id, m.contribution); renderPick(); });
socket.on("contribution_updated", (m) => { contributions.set(m.contribution.id, m.contribution); renderPick(); });
socket.on("event_updated", (m) => { tables = m.tables; groups = m.event.join_options; renderPickers(); renderRounds(); });
socket.on("voting_round_updated", (m) => { rounds.set(m.round.id, m.round); renderRounds(); });
socket.on("tickets_updated", (m) => { tickets = m; renderTickets(); });
socket.on("voting_round_deleted", (m) => { rounds.delete(m.round_id); tallies.delete(m.round_id); renderRounds(); });
// With several server processes an older tally can arrive late: keep the newer state.
const stale = (had, m) => had && (had.seq > m.seq || (had.status === "closed" && m.status !== "closed"));
socket.on("tally", (m) => {
  if (stale(tallies.get(m.round_id), m)) return;
  tallies.set(m.round_id, m);
  if (rounds.has(m.round_id)) renderTally(m.round_id);
});
