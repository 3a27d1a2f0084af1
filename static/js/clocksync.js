// The server's clock on this device: clientTime + offset = serverTime.
// Measured NTP-style with `sync_clock` pings: the server reads its clock roughly halfway
// through the round trip, so offset = server_time - (sent + received) / 2, with an error of
// at most half the round trip; of several pings the shortest round trip decides.
// A phone whose own clock is minutes off still shows the same countdown as the projector.

const listeners = new Set();

export const clock = {
  offset: 0,
  rtt: null,
  measured: false,
  now() { return Date.now() + this.offset; },
};

export function onClockChange(fn) { listeners.add(fn); }

let resync = null;
let afterReconnect = null;
let lastSocket = null;

// A first estimate from a snapshot's server_time, until a ping has measured properly.
// Measured already, but a snapshot's time is over 3 s off: a clock was set meanwhile (the
// laptop woke from sleep): the estimate now, and a measurement at once.
export function roughOffset(serverTime) {
  if (typeof serverTime !== "number") return;
  if (clock.measured) {
    if (Math.abs(serverTime - clock.now()) <= 3000 + (clock.rtt || 0) || !lastSocket) return;
    clock.measured = false;
    clearTimeout(afterReconnect);
    syncClock(lastSocket);
  }
  clock.offset = serverTime - Date.now();
  for (const fn of listeners) fn(clock);
}

// After a reconnect the measured offset still holds; it is measured again 10–30 s later,
// at random: a whole hall reconnecting at once would ping in the server's busiest seconds,
// when round trips are longest and offsets least accurate (docs/api.md, One clock).
const RESYNC_AFTER_RECONNECT_MS = [10000, 30000];

// On every (re)connect: measure at once until a measurement has succeeded, else later.
export function syncClockOnConnect(socket) {
  lastSocket = socket;
  clearTimeout(afterReconnect);
  if (!clock.measured) { syncClock(socket); return; }
  const [least, most] = RESYNC_AFTER_RECONNECT_MS;
  afterReconnect = setTimeout(() => { if (socket.connected) syncClock(socket, 3); },
                              least + Math.random() * (most - least));
}

let measuring = false;  // one series of pings at a time

export function syncClock(socket, samples = 5) {
  if (measuring) return;
  measuring = true;
  let best = null;
  let left = samples;
  const ping = () => {
    const sent = Date.now();
    socket.timeout(5000).emit("sync_clock", {}, (err, ack) => {
      const received = Date.now();
      if (!err && ack && ack.ok) {
        const rtt = received - sent;
        if (!best || rtt < best.rtt) best = { rtt, offset: ack.server_time - (sent + received) / 2 };
      }
      left -= 1;
      if (left > 0 && socket.connected) { setTimeout(ping, 120); return; }
      measuring = false;
      if (!best) return;
      clock.offset = best.offset;
      clock.rtt = best.rtt;
      clock.measured = true;
      document.body.dataset.clockOffset = String(Math.round(best.offset));
      for (const fn of listeners) fn(clock);
    });
  };
  ping();
  // Clocks drift and Wi-Fi round trips vary: measure again every few minutes.
  clearInterval(resync);
  resync = setInterval(() => { if (socket.connected) syncClock(socket, 3); }, 5 * 60 * 1000);
}
