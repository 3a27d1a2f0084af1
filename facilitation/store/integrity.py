"""Store verb for the console's integrity panel: who voted in a voting round, from where."""

from __future__ import annotations


class IntegrityMixin:
    """Figures that show a facilitator whether one person may be voting many times."""

    def integrity_figures(self, event_id: str, round_id: int) -> dict:
        """For one voting round: voting devices, devices new since it opened (all, and
        those that voted), and the most voting devices that share one address tag."""
        with self.read():
            rnd = self._require_round(event_id, round_id)
            opened, closed = rnd["opened_at"], rnd["closed_at"]
            voters = self.row(
                "SELECT count(DISTINCT participant_id) AS n FROM dots WHERE round_id = ?",
                [round_id])["n"]
            new_devices = new_voters = 0
            if opened is not None:
                new_devices = self.row(
                    "SELECT count(*) AS n FROM participants WHERE event_id = ?"
                    " AND created_at >= ? AND (? IS NULL OR created_at <= ?)",
                    [event_id, opened, closed, closed])["n"]
                new_voters = self.row(
                    "SELECT count(DISTINCT d.participant_id) AS n FROM dots d"
                    " JOIN participants p ON p.id = d.participant_id"
                    " WHERE d.round_id = ? AND p.created_at >= ?", [round_id, opened])["n"]
            shared = self.row(
                "SELECT count(DISTINCT d.participant_id) AS n FROM dots d"
                " JOIN participants p ON p.id = d.participant_id"
                " WHERE d.round_id = ? AND p.address_tag IS NOT NULL"
                " GROUP BY p.address_tag ORDER BY n DESC LIMIT 1", [round_id])
        return {
            "round_id": round_id, "status": rnd["status"], "opened_at": opened,
            "closed_at": closed, "voters": voters, "new_devices": new_devices,
            "new_voters": new_voters, "most_devices_one_address": shared["n"] if shared else 0,
        }
