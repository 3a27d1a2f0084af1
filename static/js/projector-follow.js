// The room's projector follows the vote: when the facilitator opens a voting round, the
// projector switches to the voting view by itself (browser Back returns to the tables).
// Only the live moment of opening switches, so a projector sent back to the tables
// during a vote stays there.
import { socket } from "./projector.js";

socket.on("voting_round_updated", (m) => {
  if (m.round.status !== "open") return;
  location.assign(`/e/${encodeURIComponent(document.body.dataset.event)}/projector/vote`);
});
