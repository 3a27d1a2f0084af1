// Shared by every page: translated strings, safe element building, the live connection.
// Text is only ever set with textContent: contributions can contain anything.

import { clock, roughOffset, syncClockOnConnect } from "./clocksync.js";

export const strings = JSON.parse(document.getElementById("i18n").textContent);

export function t(key, params = {}) {
  let s = strings[key] ?? key;
  for (const [k, v] of Object.entries(params)) s = s.replace(`%(${k})s`, String(v));
  return s;
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// A counted message in the page's language: the server sends each plural message as
// {one, few, many, other, …} (CLDR categories, labels.plural_forms), the browser's plural
// rules pick the category (Arabic has six, Ukrainian and Russian three, German two).
const pluralRules = new Intl.PluralRules(document.documentElement.lang || "de");

export function tn(key, n, params = {}) {
  const forms = strings[key];
  if (!forms || typeof forms !== "object") return t(key, { num: n, n, ...params });
  let s = forms[pluralRules.select(n)] ?? forms.other ?? Object.values(forms)[0];
  for (const [k, v] of Object.entries({ num: n, n, ...params })) s = s.replace(`%(${k})s`, String(v));
  return s;
}

// Puts `nodes` into `parent` in this order, moving only nodes that are out of place and
// removing the rest: a node that stays where it is keeps focus, caret and typed text.
export function reconcile(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.children]) if (!wanted.has(child)) child.remove();
  let ref = parent.firstElementChild;
  for (const node of nodes) {
    if (node === ref) { ref = ref.nextElementSibling; continue; }
    parent.insertBefore(node, ref);
  }
}

export function countLabel(n) {
  return tn("contributions_n", n);
}

// Text someone typed, set into a translated sentence: isolated (FSI … PDI) so an Arabic
// theme inside a German sentence, or a German one inside an Arabic sentence, keeps its
// own direction and does not reorder the words around it.
export function isolate(text) {
  return `\u2068${text}\u2069`;
}

// A place in a ranking as people read it: "2." or "2. (gleichauf)".
export function rankText(rank, tied) {
  return t(tied ? "rank_tied" : "rank_place", { rank });
}

export function kindChip(kind) {
  return el("span", { class: `kind kind-${kind}`, text: strings.kinds[kind] || kind });
}

// Connects with Socket.IO, shows the state in #conn, hands every snapshot to onSnapshot.
// Socket.IO reconnects by itself; each reconnect brings a fresh snapshot from the server.
// The page's language goes with the auth: the server answers in it (errors, refusals).
export function connectLive(auth, onSnapshot) {
  const conn = document.getElementById("conn");
  // The page's language travels with the handshake (?lang=) and in auth, so the server's
  // refusals and messages (connect_error reasons, acknowledgements) speak the language
  // shown; the code, not the html lang, so Einfache Sprache stays Einfache Sprache.
  const lang = document.documentElement.dataset.lang || document.documentElement.lang;
  auth = { ...auth, lang };
  // Back soon after a restart: first retry after 0.25–0.75 s, then at most 2 s apart
  // (socket.io's defaults are 1 s and 5 s; a refused retry costs the laptop nothing).
  const socket = io({ auth, query: lang ? { lang } : {}, transports: ["websocket", "polling"],
                      reconnectionDelay: 500, reconnectionDelayMax: 2000 });
  const show = (state) => {
    if (!conn) return;
    conn.textContent = t(state);
    conn.classList.toggle("offline", state !== "online");
  };
  socket.on("connect", () => { show("online"); syncClockOnConnect(socket); });
  socket.on("disconnect", () => show("offline"));
  socket.on("connect_error", (err) => {
    show("offline");
    if (err && err.data && err.data.message && conn) conn.textContent = err.data.message;
  });
  // The device reports the network gone (Wi-Fi switched off): drop the socket now rather
  // than after the ping timeout, so new input waits in the outbox; Socket.IO reconnects.
  window.addEventListener("offline", () => { if (socket.connected) socket.io.engine.close(); });
  window.addEventListener("online", () => { if (!socket.connected) socket.connect(); });
  socket.on("snapshot", (snap) => {
    roughOffset(snap.server_time);
    onSnapshot(snap);
  });
  return socket;
}

// The server's clock, measured with sync_clock pings (clocksync.js).
export { clock };

export function toast(message, ms = 3500) {
  const node = el("div", { class: "toast", role: "status", text: message });
  document.body.append(node);
  setTimeout(() => node.remove(), ms);
}

export function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Where a voting item carried forward from an earlier event comes from:
// "aus World Café 2, Migrant*innen, 14 Punkte" (docs/processes.md).
export function provenanceText(p) {
  if (!p) return "";
  const parts = [t("carried_from", { event: p.event })];
  if (p.audience) parts.push(p.audience);
  if (p.dots !== null && p.dots !== undefined) parts.push(tn("carried_dots", p.dots));
  if (p.merged) parts.push(tn("carried_merged", p.merged));
  return parts.join(", ");
}
