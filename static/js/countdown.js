// A round's countdown on any device: the same numbers from the server, read against the
// server's clock (clocksync.js), so every phone and the projector show the same time.
import { clock } from "./clocksync.js";
import { t } from "./common.js";

export function remainingMs(round) {
  if (!round) return 0;
  if (round.state === "running") return Math.max(0, round.ends_at - clock.now());
  if (round.state === "paused") return round.remaining_ms;
  if (round.state === "idle") return round.duration_ms;
  return 0;
}

// As the room experiences it: a running round past its end has ended (timing.py).
export function effectiveState(round) {
  if (!round) return "idle";
  if (round.state === "running" && round.ends_at - clock.now() <= 0) return "ended";
  return round.state;
}

export function isLocked(round) {
  return Boolean(round && round.lock_between && effectiveState(round) === "ended");
}

export function inWarning(round) {
  const state = effectiveState(round);
  const left = remainingMs(round);
  return (state === "running" || state === "paused") && left > 0 && left <= round.warning_ms;
}

// 19:59 … 0:01, 0:00: whole seconds rounded up, so 0:00 appears exactly at the end.
export function formatMs(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function statusText(round) {
  const state = effectiveState(round);
  if (state === "idle") return t("round_idle", { n: round.number });
  if (state === "paused") return t("round_paused");
  if (state === "ended") return t("round_over");
  if (inWarning(round)) return t("round_warning");
  return "";
}

export function roundTitle(round) {
  return t("round_of", { n: round.number, of: round.rounds });
}

// Calls fn about four times a second (a countdown must not skip a second on a slow tick).
export function tick(fn) {
  fn();
  return setInterval(fn, 250);
}

// ---------- the end signal: a soft chime made in the browser, no audio file ----------
let audio = null;

export function soundReady() { return Boolean(audio && audio.state === "running"); }

// Browsers only allow sound after a click on the page: call this from a click handler.
export function enableSound() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return Promise.resolve(false);
  audio = audio || new Ctx();
  return audio.resume().then(() => true, () => false);
}

export function chime() {
  if (!soundReady()) return false;
  const start = audio.currentTime + 0.05;
  // Three falling bell-like tones (G5, E5, C5), each fading out: clear, not alarming.
  [784, 659.25, 523.25].forEach((freq, i) => {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    const at = start + i * 0.45;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.6);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 1.7);
  });
  return true;
}
