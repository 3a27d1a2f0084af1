"""Store verbs for ticket codes: printed codes that unlock one device's dot budget."""

from __future__ import annotations

import secrets

from ..errors import AppError

# No 0/O, 1/I/L: codes are read off a badge and typed on a phone. 8 characters of 31
# (about 40 bits) keep guessing hopeless even with many forged devices.
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TICKET_LENGTH = 8
MAX_TICKETS = 2000


def normalise_ticket(code: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def format_ticket(code: str) -> str:
    """A stored code as printed: two groups of four, e.g. 'K7QM-3XPA'."""
    return f"{code[:4]}-{code[4:]}" if len(code) == TICKET_LENGTH else code


class TicketsMixin:
    """The console generates ticket codes; a phone redeems one to unlock its budget."""

    def generate_tickets(self, event_id: str, count: int, actor: str = "facilitator") -> list[str]:
        """Create `count` new unused codes (as printed); returns them."""
        if not isinstance(count, int) or count < 1:
            raise AppError("invalid_payload", detail="count")
        with self.write() as db:
            self._require_event(event_id)
            have = self.row("SELECT count(*) AS n FROM voting_tickets WHERE event_id = ?",
                            [event_id])["n"]
            if have + count > MAX_TICKETS:
                raise AppError("invalid_payload", detail=f"count (at most {MAX_TICKETS} codes)")
            existing = {r["code"] for r in self.rows(
                "SELECT code FROM voting_tickets WHERE event_id = ?", [event_id])}
            codes: list[str] = []
            while len(codes) < count:
                code = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
                if code not in existing:
                    existing.add(code)
                    codes.append(code)
            now = self.now()
            db["voting_tickets"].insert_all(
                [{"event_id": event_id, "code": c, "created_at": now} for c in codes]
            )
            self.bump(event_id)
            self.log(event_id, actor, "tickets_generated", {"count": count})
        return [format_ticket(c) for c in codes]

    def tickets(self, event_id: str) -> list[dict]:
        """Every code of the event, oldest first: {code, redeemed, redeemed_at}."""
        with self.read():
            rows = self.rows(
                "SELECT code, participant_id, redeemed_at FROM voting_tickets"
                " WHERE event_id = ? ORDER BY id", [event_id])
        return [{"code": format_ticket(r["code"]), "redeemed": r["participant_id"] is not None,
                 "redeemed_at": r["redeemed_at"]} for r in rows]

    def redeem_ticket(self, event_id: str, participant_id: int, code: str) -> dict:
        """Bind a code to this device. A device keeps the first code it redeemed;
        a code used by another device is refused."""
        wanted = normalise_ticket(code)
        with self.write() as db:
            self._require_event(event_id)
            if self._has_ticket(event_id, participant_id):
                return {"unlocked": True}  # already unlocked: the typed code stays unused
            row = self.row("SELECT id, participant_id FROM voting_tickets"
                           " WHERE event_id = ? AND code = ?", [event_id, wanted])
            if row is None:
                raise AppError("unknown_ticket")
            if row["participant_id"] is not None:
                raise AppError("ticket_used")
            db["voting_tickets"].update(
                row["id"], {"participant_id": participant_id, "redeemed_at": self.now()})
        return {"unlocked": True}

    def has_ticket(self, event_id: str, participant_id: int) -> bool:
        """True when this device has redeemed a code of the event."""
        with self.read():
            return self._has_ticket(event_id, participant_id)

    def _has_ticket(self, event_id: str, participant_id: int) -> bool:
        return self.row("SELECT 1 AS x FROM voting_tickets WHERE event_id = ? AND participant_id = ?",
                        [event_id, participant_id]) is not None
