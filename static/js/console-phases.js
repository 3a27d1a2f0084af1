// The console's phases as tabs: Vorbereitung, Live, Abstimmung, Ergebnisse/Export.
// The chosen phase lives in the URL's #fragment, so the ?key= query is never touched and a
// reload or a bookmark opens the same phase. Arrow keys move between tabs (WAI-ARIA tabs).
const tabs = [...document.querySelectorAll(".phase-tabs [role=tab]")];
const PHASES = tabs.map((b) => b.dataset.phase);

export function showPhase(phase, focus = false) {
  if (!PHASES.includes(phase)) return;
  for (const tab of tabs) {
    const on = tab.dataset.phase === phase;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    if (on && focus) tab.focus();
  }
  document.body.dataset.phase = phase;
  if (location.hash !== `#${phase}`) history.replaceState(null, "", `${location.pathname}${location.search}#${phase}`);
}

for (const tab of tabs) {
  tab.addEventListener("click", () => showPhase(tab.dataset.phase));
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: tabs.length - 1 - i }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    showPhase(tabs[(i + step + tabs.length) % tabs.length].dataset.phase, true);
  });
}

const fromHash = location.hash.slice(1);
const status = document.body.dataset.status;
showPhase(PHASES.includes(fromHash) ? fromHash : status === "draft" ? "prep" : status === "closed" ? "results" : "live");
