// A table's phone page: the "Punkte kleben" panel appears while a voting round is open.
import { socket } from "./phone.js";
import { mountVote } from "./vote.js";

mountVote(socket, document.getElementById("vote-panel"));
