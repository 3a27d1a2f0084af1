// The "Punkte kleben" panel on a phone: the open voting round's items grouped by field
// of action, a big + and − per item, "3 of 5 dots left" always in view.
// Taps go out one at a time, each with its own idempotency key, so a resend after a
// dropped connection never counts twice and acknowledgements arrive in order.
import { el, randomId, rankText, t, tn, toast } from "./common.js";
import { hasTranslation, onShownLangChange, pickText, wireOriginalToggle } from "./content-lang.js";

const RTL = new Set(["ar", "fa"]);

// A statement in the language shown, marked up with it. Without a translation it is the
// label as typed or as written on a card, in whatever language: its own direction.
function labelView(c, cls) {
  const [text, lang] = pickText(c.label, c.label_i18n);
  const translated = lang !== "de";
  return el("div", { class: cls, text, lang: translated ? lang.replace("-simple", "") : null,
    dir: translated ? (RTL.has(lang) ? "rtl" : "ltr") : "auto" });
}

const shownLabel = (c) => (c.label_i18n ? pickText(c.label, c.label_i18n)[0] : c.label);

export function mountVote(socket, root) {
  let round = null;        // the public round shown (open, or the one closed last)
  let mine = null;         // { dots: {id: n}, used, left, budget, unlocked }
  const queue = [];        // taps not yet acknowledged: { name, candidate, client_id, delta }
  let sending = false;
  let savedAt = 0;         // when the last tap was acknowledged, for the "saved ✓" hint
  // The queue survives a reload: a tap never acknowledged is sent again, with its key.
  const QUEUE = `facilitation:dots:${document.body.dataset.event}`;
  const persist = () => {
    try { localStorage.setItem(QUEUE, JSON.stringify({ round: round && round.id, queue })); } catch { /* memory only */ }
  };
  const restore = () => {
    try {
      const kept = JSON.parse(localStorage.getItem(QUEUE));
      if (kept && round && kept.round === round.id && round.status === "open") queue.push(...kept.queue);
    } catch { /* nothing kept */ }
  };

  const pendingDelta = (cid) => queue.filter((q) => q.candidate === cid).reduce((s, q) => s + q.delta, 0);
  const myCount = (cid) => ((mine && mine.dots[String(cid)]) || 0) + pendingDelta(cid);
  const usedNow = () => (mine ? mine.used : 0) + queue.reduce((s, q) => s + q.delta, 0);

  function send() {
    if (sending || !queue.length || !socket.connected) return;
    sending = true;
    const op = queue[0];
    socket.timeout(8000).emit(op.name, { round_id: round.id, candidate_id: op.candidate, client_id: op.client_id }, (err, ack) => {
      sending = false;
      if (err) { render(); return; } // no answer: stays queued, resent with the same key on reconnect
      queue.shift();
      persist();
      if (ack.ok) { mine = ack.mine; savedAt = Date.now(); setTimeout(render, 4000); }
      else toast(ack.error.message);
      render();
      send();
    });
  }

  function tap(candidate, delta) {
    if (!round || round.status !== "open" || !mine) return;
    if (delta > 0 && usedNow() >= round.budget) { toast(t("vote_no_dots_left")); return; }
    if (delta > 0 && myCount(candidate) >= round.cap) { toast(round.cap === 1 ? t("vote_cap_one") : tn("vote_cap", round.cap, { cap: round.cap })); return; }
    if (delta < 0 && myCount(candidate) <= 0) return;
    queue.push({ name: delta > 0 ? "place_dot" : "remove_dot", candidate, delta, client_id: randomId() });
    persist();
    render();
    send();
  }

  function dotsView(n, cap) {
    const shown = Math.max(cap, n);
    return el("span", { class: "vote-dots", "aria-hidden": "true" },
      ...Array.from({ length: Math.min(shown, 10) }, (_, i) => el("span", { class: i < n ? "dot on" : "dot" })));
  }

  function itemView(c, frozen) {
    const n = myCount(c.id);
    return el("li", { class: n ? "vote-item has-dots" : "vote-item", dataset: { candidate: c.id } },
      labelView(c, "vote-label text"),
      el("div", { class: "vote-controls" },
        el("button", { class: "vote-btn minus", type: "button", "aria-label": `${t("vote_remove")}: ${shownLabel(c)}`,
          disabled: frozen || n <= 0, text: "−", onclick: () => tap(c.id, -1) }),
        dotsView(n, round.cap),
        el("span", { class: "vote-count", text: String(n) }),
        el("button", { class: "vote-btn plus", type: "button", "aria-label": `${t("vote_add")}: ${shownLabel(c)}`,
          disabled: frozen || !(mine && mine.unlocked), text: "+", onclick: () => tap(c.id, +1) })));
  }

  function ticketBox() {
    const input = el("input", { type: "text", autocomplete: "off", autocapitalize: "characters",
      maxlength: "20", "aria-label": t("vote_ticket_code"), placeholder: "ABCD-EFGH", class: "ticket-input" });
    const submit = (e) => {
      e.preventDefault();
      socket.timeout(8000).emit("redeem_ticket", { code: input.value.trim() }, (err, ack) => {
        if (err) { toast(t("offline")); return; }
        if (!ack.ok) { toast(ack.error.message); return; }
        mine = { ...mine, unlocked: true };
        toast(t("vote_unlocked"));
        render();
      });
    };
    return el("form", { class: "card vote-ticket", onsubmit: submit },
      el("p", { class: "strong", text: t("vote_ticket_needed") }),
      el("div", { class: "send-row" }, input, el("button", { class: "btn", type: "submit", text: t("vote_unlock") })));
  }

  // "sending…" while taps wait for their acknowledgement, then "saved ✓" for a moment.
  function syncState() {
    if (queue.length) return el("span", { class: "pending-state sending", text: t("sending") });
    if (Date.now() - savedAt < 4000) return el("span", { class: "pending-state saved", text: t("saved") });
    return null;
  }

  // Once a round is closed its result comes with it: the ranking, ties as "2=".
  function resultView() {
    const labels = new Map(round.candidates.map((c) => [c.id, shownLabel(c)]));
    const rows = (round.result || []).filter((r) => r.dots > 0 && labels.has(r.candidate_id));
    if (!rows.length) return [];
    return [el("h3", { class: "vote-theme", text: t("vote_result") }),
      el("ol", { class: "vote-result" }, ...rows.map((r) =>
        el("li", { class: myCount(r.candidate_id) > 0 ? "mine" : "", dataset: { candidate: r.candidate_id } },
          el("span", { class: "vote-result-rank", text: rankText(r.rank, r.tied) }),
          el("span", { class: "vote-result-label text", dir: "auto", text: labels.get(r.candidate_id) }),
          el("span", { class: "vote-result-dots", text: String(r.dots), "aria-label": tn("vote_dots_total", r.dots) }))))];
  }

  let seenOpen = false; // a table page shows a closed round only if it saw it open
  // Screen readers hear only what changed ("3 of 5 dots left"), not the whole panel
  // that is redrawn on every tap: one polite status line that outlives the redraws.
  const live = el("p", { class: "sr-only", role: "status", "aria-live": "polite" });
  root.after(live);
  function say(text) { if (live.textContent !== text) live.textContent = text; }

  function render() {
    if (round && round.status === "open") seenOpen = true;
    const optional = root.dataset.optional === "1";
    root.classList.toggle("hidden", optional && (!round || (round.status !== "open" && !seenOpen)));
    if (!round) {
      root.replaceChildren(el("p", { class: "muted", text: t("vote_none") }));
      return;
    }
    const frozen = round.status !== "open";
    const used = usedNow();
    const left = Math.max(0, round.budget - used);
    say(frozen ? t("vote_closed") : t("vote_left", { left, budget: round.budget }));
    const head = el("div", { class: frozen ? "vote-head frozen" : "vote-head" },
      el("h2", { dir: "auto", text: round.title }),
      frozen
        ? el("p", { class: "vote-closed strong", text: t("vote_closed") })
        : el("p", { class: "vote-left", dataset: { left: String(left) } },
          el("strong", { text: t("vote_left", { left, budget: round.budget }) }), " ",
          dotsView(left, round.budget), " ", syncState()));
    const parts = [head];
    if (!frozen) parts.push(el("p", { class: "muted small", text: round.cap === 1 ? t("vote_rules_one") : tn("vote_rules", round.cap, { cap: round.cap }) }));
    if (!frozen && mine && !mine.unlocked) parts.push(ticketBox());
    if (frozen) parts.push(...resultView());
    // grouped by field of action in table order; typed statements (no table) last.
    // Once frozen, only the items this phone has dots on remain.
    const shown = frozen ? round.candidates.filter((c) => myCount(c.id) > 0) : round.candidates;
    if (frozen && shown.length) parts.push(el("p", { class: "strong", text: t("vote_your_dots") }));
    const groups = new Map();
    const sortKey = (c) => (c.table ? `0${c.table}` : "1");
    for (const c of [...shown].sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.position - b.position)) {
      const key = c.theme || "";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(c);
    }
    for (const [german, items] of groups) {
      const theme = german && pickText(german, items[0].theme_i18n)[0];
      parts.push(el("h3", { class: "vote-theme", dir: "auto", text: theme || t("vote_other") }));
      parts.push(el("ul", { class: "vote-list" }, ...items.map((c) => itemView(c, frozen))));
    }
    // dots on an item withdrawn meanwhile can still be taken back
    const known = new Set(round.candidates.map((c) => String(c.id)));
    const withdrawn = Object.keys((mine && mine.dots) || {}).filter((id) => !known.has(id));
    if (withdrawn.length) {
      parts.push(el("ul", { class: "vote-list" }, ...withdrawn.map((id) =>
        itemView({ id: Number(id), label: t("vote_withdrawn") }, frozen))));
    }
    root.replaceChildren(...parts);
    wireOriginalToggle(document.getElementById("original-toggle"),
      { original: t("show_original"), back: t("show_translation") },
      hasTranslation(...round.candidates.flatMap((c) => [c.label_i18n, c.theme_i18n])), "vote");
  }
  onShownLangChange(() => render());

  function apply(voting) {
    if (!voting) return;
    const fresh = !round;
    if (!round || !voting.round || voting.round.id !== round.id) queue.length = 0;
    round = voting.round;
    if (fresh) restore();
    mine = voting.mine;
    render();
    send();
  }

  // The moment a round opens: say so, and bring the panel into view unless the person
  // is typing (a table page's form is further down).
  function announce() {
    toast(t("vote_started"));
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName);
    if (!typing) setTimeout(() => root.scrollIntoView({ behavior: "smooth", block: "start" }), 50);
  }

  socket.on("snapshot", (snap) => apply(snap.voting));
  socket.on("connect", send);
  socket.on("voting_round_updated", (m) => {
    const r = m.round;
    if (r.status === "open" || (round && r.id === round.id)) {
      if (!round || r.id !== round.id) {
        announce();
        if (r.require_ticket) {
          // whether this phone holds a code is the server's to say: ask for a fresh state
          socket.emit("request_snapshot", {}, (ack) => { if (ack.ok) apply(ack.snapshot.voting); });
          return;
        }
        // a round just opened holds no dots yet: no need for every phone to ask at once
        apply({ round: r, mine: { round_id: r.id, dots: {}, used: 0, left: r.budget, budget: r.budget, unlocked: true } });
        return;
      }
      round = r;
      if (r.status !== "open") queue.length = 0; // frozen: unsent taps are void
      render();
    }
  });
  socket.on("my_dots", (m) => { if (round && m.round_id === round.id) { mine = m; render(); } });
  render();
}
