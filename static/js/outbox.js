// What a page has sent but not yet seen acknowledged. Kept in localStorage, so a reload,
// a Wi-Fi drop or a server restart loses nothing; sent again on every (re)connect with the
// same client_id, the server's idempotency key: a resend is never stored twice.
//
// Each item is { client_id, state: "sending" | "saved", ...the page's own fields }.
// The page says how an item becomes a message (`payload`) and what to do with the
// answer: `onSaved(item, ack)`, `onRefused(item, error)` (refused for good: the item
// leaves the outbox, the page gives its text back), `onWait(error)` (rate-limited: kept,
// tried again later) and `onChange()` after every change, to re-render.
import { el, randomId, t } from "./common.js";

const ACK_TIMEOUT_MS = 8000;
const RETRY_MS = 2000;        // no answer while connected: try again soon
const RATE_LIMIT_RETRY_MS = 15000;
const SHOW_SAVED_MS = 4000;   // a saved item stays this long, so its ✓ can show

export class Outbox {
  constructor(storageKey, { message, payload, onSaved = () => {}, onRefused = () => {},
    onWait = () => {}, onChange = () => {}, sendable = () => true }) {
    Object.assign(this, { storageKey, message, payload, onSaved, onRefused, onWait, onChange, sendable });
    this.socket = null;
    this.items = this.load();
  }

  load() {
    let items;
    try { items = JSON.parse(localStorage.getItem(this.storageKey)) || []; } catch { items = []; }
    if (!Array.isArray(items)) items = [];
    // Saved ones were only kept for their ✓; whatever was on its way when the page
    // closed got no answer and is sent again.
    items = items.filter((item) => item && item.state === "sending");
    for (const item of items) item.inFlight = false;
    return items;
  }

  save() {
    try { localStorage.setItem(this.storageKey, JSON.stringify(this.items)); } catch { /* private mode: memory only */ }
  }

  attach(socket) {
    this.socket = socket;
    return this;
  }

  // Keep a new item (saved before anything is sent) and send it if connected.
  add(fields) {
    const item = { ...fields, client_id: randomId(), state: "sending" };
    this.items.push(item);
    this.save();
    this.onChange();
    this.flush();
    return item;
  }

  flush() {
    if (!this.socket || !this.socket.connected) return;
    for (const item of this.items) {
      if (item.state === "sending" && !item.inFlight && this.sendable(item)) this.send(item);
    }
  }

  drop(item) {
    this.items = this.items.filter((i) => i !== item);
    this.save();
  }

  send(item) {
    item.inFlight = true;
    this.socket.timeout(ACK_TIMEOUT_MS).emit(this.message, this.payload(item), (err, ack) => {
      item.inFlight = false;
      if (err) {
        // No answer: the socket dropped (resent on reconnect) or the answer is slow.
        if (this.socket.connected) setTimeout(() => this.flush(), RETRY_MS);
      } else if (ack.ok) {
        item.state = "saved";
        this.onSaved(item, ack);
        this.save();
        setTimeout(() => { this.drop(item); this.onChange(); }, SHOW_SAVED_MS);
      } else if (ack.error.code === "rate_limited") {
        this.onWait(ack.error);
        setTimeout(() => this.flush(), RATE_LIMIT_RETRY_MS);
      } else {
        this.drop(item);
        this.onRefused(item, ack.error);
      }
      this.onChange();
    });
  }
}

// The outbox's items as a list (text and "sending…" / "saved ✓"), for pages that show
// nothing else of what they sent.
export function renderPending(list, outbox) {
  list.replaceChildren(...outbox.items.map((item) => el("li", { class: "mine" },
    el("div", { class: "text", dir: "auto", text: item.text }),
    el("div", { class: "meta" }, el("span", { class: `pending-state ${item.state}`, text: t(item.state) })))));
  list.classList.toggle("hidden", outbox.items.length === 0);
}
