"""Errors a user can cause, each with a stable code and a message in the user's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_app_context
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Counted:
    """A message whose wording follows a number: both English forms, and the counting parameter."""

    singular: str
    plural: str
    count: str

    def text(self, params: dict) -> str:
        """The form the language's plural rule picks for params[count], filled in."""
        n = params[self.count]
        if has_app_context():
            form = get_translations().ungettext(self.singular, self.plural, n)
        else:
            form = self.singular if n == 1 else self.plural
        return form % params


def _n(singular: str, plural: str, count: str) -> Counted:
    """Marks a counted message for extraction (babel keyword `_n:1,2`)."""
    return Counted(singular, plural, count)


# One entry per error code. The message is translated when it is sent, so it is in
# the language of whoever caused it.
MESSAGES = {
    "invalid_payload": _l("The request is incomplete or malformed: %(detail)s"),
    "unknown_event": _l("This event does not exist."),
    "unknown_table": _l("This table does not exist in this event."),
    "unknown_contribution": _l("This contribution does not exist."),
    "unknown_kind": _l("Unknown kind of contribution."),
    "merge_invalid": _l("These contributions cannot be merged: %(detail)s"),
    "unknown_question": _l("This guiding question does not exist at this table."),
    "text_empty": _l("Please write something first."),
    "text_too_long": _n("The text is too long: at most %(limit)s character.",
                        "The text is too long: at most %(limit)s characters.", "limit"),
    "forbidden": _l("You are not allowed to do this."),
    "not_joined": _l("Please open the page of a table first."),
    "event_closed": _l("This event has ended; nothing more can be sent."),
    "duplicate_table": _l("A table with this short name already exists."),
    "table_has_contributions": _l(
        "This table already has contributions and cannot be deleted. You can rename it instead."
    ),
    "too_many_tables": _n("An event can have at most %(limit)s table.",
                          "An event can have at most %(limit)s tables.", "limit"),
    "invalid_option": _l("Please pick one of the offered answers."),
    "invalid_plan": _l("The plan file cannot be read: %(detail)s"),
    "rate_limited": _l("Slow down a little: please wait a moment and try again."),
    # one budget per person (docs/security.md)
    "too_many_devices": _l(
        "Too many new phones have joined from this network in the last minute."
        " Please wait a minute and try again."
    ),
    "too_many_connections": _l(
        "Too many connections from this network at once. Please wait a moment and try again;"
        " if this page is open in other tabs, close them."
    ),
    "slowed_down": _n(
        "Too many requests came from this network in a short time. Please wait %(seconds)s"
        " second and try again.",
        "Too many requests came from this network in a short time. Please wait %(seconds)s"
        " seconds and try again.", "seconds"),
    "device_too_new": _l(
        "This vote counts only phones that were here before it started. If you just arrived,"
        " please ask the facilitation for a ticket code."
    ),
    "invalid_session_file": _l("This file cannot be imported: %(detail)s"),
    "session_file_too_new": _l(
        "This file was written by a newer version of facilitation (%(detail)s). "
        "Please update facilitation to import it."
    ),
    "export_failed": _l("The session files could not be written: %(detail)s"),
    "text_shaping_unavailable": _l(
        "The table cards need Arabic and Persian letters joined and set right to left, and "
        "this computer lacks the libraqm library for it. Install it (Debian: apt-get install "
        "libraqm0, or run scripts/system-deps.sh as root) and try again."
    ),
    # dot voting (Klebepunkte)
    "unknown_voting_round": _l("This voting round does not exist."),
    "voting_not_open": _l("This voting round has not started yet."),
    "voting_closed": _l("This voting round is closed: the dots can no longer be changed."),
    "voting_round_open": _l("Another voting round is still open. Please close it first."),
    "voting_round_not_draft": _l("Only a voting round that has not started can be deleted."),
    "unknown_candidate": _l("This item is not part of the voting round."),
    "candidate_hidden": _l("This item has been withdrawn from the vote."),
    "budget_exhausted": _n(
        "You have used your %(budget)s dot. Take it back to place it elsewhere.",
        "You have used all %(budget)s of your dots. Take one back to place it elsewhere.", "budget",
    ),
    "cap_reached": _n("At most %(cap)s dot per item.", "At most %(cap)s dots per item.", "cap"),
    "no_dot_to_remove": _l("You have no dot on this item."),
    "no_candidates": _l("A voting round needs at least one item to vote on."),
    "too_many_candidates": _n("A voting round can have at most %(limit)s item.",
                              "A voting round can have at most %(limit)s items.", "limit"),
    "ticket_required": _l("This vote needs a ticket code: please type the code from your card."),
    "unknown_ticket": _l("This ticket code is not valid. Please check it and try again."),
    "ticket_used": _l("This ticket code has already been used on another phone."),
    "too_many_contributions": _n(
        "You have already sent %(limit)s contribution at this table, the most one phone can"
        " send here. Please talk to the table host.",
        "You have already sent %(limit)s contributions at this table, the most one phone can"
        " send here. Please talk to the table host.", "limit",
    ),
    # the measures catalogue, processes and surveys
    "unknown_catalogue_row": _l("This row of the measures catalogue does not exist."),
    "translator_unavailable": _l("The machine translator cannot be reached: %(detail)s"),
    "unknown_process": _l("This participation process does not exist."),
    "not_in_process": _l("This event is not part of a participation process."),
    "unknown_survey": _l("This survey does not exist."),
    "unknown_survey_response": _l("This response does not exist."),
    "survey_closed": _l("This survey is not open: answers can no longer be sent."),
    "survey_answered": _l("You have already answered this survey on this phone. Thank you!"),
    "survey_empty": _l("Please answer at least one question."),
    # rounds, table hosts, rotation, Akteurskonferenz
    "round_locked": _l(
        "This round is over. You can write again when the next round starts;"
        " your text stays in the field."
    ),
    "round_running": _l("A round is already running. End it before starting the next one."),
    "round_not_running": _l("No round is running right now."),
    "round_not_paused": _l("The round is not paused."),
    "no_more_rounds": _n(
        "The %(rounds)s planned round is done. Plan more rounds to start another one.",
        "All %(rounds)s planned rounds are done. Plan more rounds to start another one.", "rounds",
    ),
    "rotation_impossible": _l("The rotation plan cannot be made yet: %(detail)s"),
    "unknown_impulse": _l("This impulse does not exist."),
    "group_full": _l(
        "Sorry, the group “%(theme)s” is full. Please choose another group – thank you!"
    ),
}


class AppError(Exception):
    """A refusal with a code from MESSAGES; nothing was changed when it is raised."""

    def __init__(self, code: str, **params):
        if code not in MESSAGES:
            raise KeyError(code)
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        """The message in the current request's language (English outside a request)."""
        entry = MESSAGES[self.code]
        if isinstance(entry, Counted):
            return entry.text(self.params)
        return str(entry) % self.params if self.params else str(entry)

    def as_dict(self) -> dict:
        """The error object of an acknowledgement or JSON response."""
        return {"code": self.code, "message": self.message()}

    def ack(self) -> dict:
        """The acknowledgement that tells the sender what went wrong."""
        return {"ok": False, "error": self.as_dict()}
