"""Pages in Chromium: wait until a page's scripts have drawn its live state.

A fixed wait (`page.wait_for_timeout(600)`) is too short on a busy machine and too long
on a quiet one. Call `count_fetches(context)` before opening pages, then `settle(page)`
after each `goto` (or after anything that changes the page, such as a new window size).
"""

from __future__ import annotations

from tests.helpers import wait_for

# Counts the page's fetches in flight (added before the page's own scripts run).
_COUNT_FETCHES = """{
  window.fetchesInFlight = 0;
  const fetch = window.fetch;
  window.fetch = (...args) => {
    window.fetchesInFlight += 1;
    return fetch(...args).finally(() => setTimeout(() => { window.fetchesInFlight -= 1; }));
  };
}"""

# The page's scripts have drawn its live state: the socket (where the page has one) is
# connected, which Socket.IO reports only after the snapshot it brought has been handed
# to the page's handlers; no fetch is in flight (some pages fetch on a snapshot) and every
# image has loaded or failed; nothing on the page has changed for 150 ms (the answers have
# been drawn); and the entrance animations and transitions have ended (a card arrives in
# a lighter colour).
_SETTLED = """async () => {
  const conn = document.getElementById('conn');
  const labels = document.getElementById('i18n');
  const online = labels && JSON.parse(labels.textContent).online;  // what #conn says then
  const ready = () => (!conn || conn.textContent === online) && !window.fetchesInFlight
                      && [...document.images].every(image => image.complete);
  let changed = performance.now();
  const seen = new MutationObserver(() => { changed = performance.now(); });
  seen.observe(document.documentElement,
               {subtree: true, childList: true, attributes: true, characterData: true});
  const quiet = 150, deadline = performance.now() + 30000;  // as Playwright waits
  while (performance.now() < deadline) {
    if (!ready()) changed = performance.now();
    else if (performance.now() - changed > quiet) break;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  seen.disconnect();
  const finite = document.getAnimations().filter(a => a.effect.getTiming().iterations !== Infinity);
  await Promise.all(finite.map(a => a.finished.catch(() => null)));
  return ready();
}"""


def count_fetches(context) -> None:
    """Count each page's fetches in flight (before its own scripts run), for settle()."""
    context.add_init_script(_COUNT_FETCHES)


def settle(page) -> None:
    """Wait until the page has drawn its live state (fails after 30 s without it)."""
    assert page.evaluate(_SETTLED), f"{page.url}: not connected, or its fetches or images did not end"


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Wait until `expression` is true in the page (fails after `timeout` seconds).

    Instead of `page.wait_for_function`: on our pages, whose Content-Security-Policy
    forbids eval, Playwright's in-page polling re-evaluates the expression with eval and
    fails with an EvalError whenever the first check is false (a slow machine). Each
    `page.evaluate` here runs through DevTools, which the policy does not govern.
    """
    wait_for(lambda: page.evaluate(expression), timeout, interval=0.025,
             what=f"{page.url}: {expression}")
