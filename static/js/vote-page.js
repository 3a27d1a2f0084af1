// The voting page for phones without a table: only the "Punkte kleben" panel.
import { connectLive } from "./common.js";
import { mountVote } from "./vote.js";

const socket = connectLive({ event: document.body.dataset.event, role: "participant" }, () => {});
mountVote(socket, document.getElementById("vote-panel"));
window.addEventListener("online", () => { if (!socket.connected) socket.connect(); });
