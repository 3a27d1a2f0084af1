"""The strings the facilitator console's scripts show (issue 12: table editor, phases)."""

from __future__ import annotations

from flask_babel import gettext as _

from .i18n import plural_forms


def console_strings() -> dict:
    """Console strings in the request's language."""
    return {
        "move_up_named": _("Move table %(code)s up"),
        "move_down_named": _("Move table %(code)s down"),
        "questions_to_all": _("Use these guiding questions for all tables"),
        "confirm_questions_to_all": _(
            "Give every table these guiding questions? Their own questions are replaced."
        ),
        "confirm_close": _(
            "End the event now? Phones and the projector show the end screen; the files are saved."
        ),
        "event_closed_console": _("The event has ended. The session folder is being saved."),
        "seat_now_next": _("Now: Table %(now)s · Next: Table %(next)s"),
        "seat_now": _("Now: Table %(now)s"),
        "host_dots_left": plural_forms("%(person)s has %(n)s dot left.", "%(person)s has %(n)s dots left."),
        "rank_place": _("%(rank)s."),
        "rank_tied": _("%(rank)s. (tied)"),
        "host_dots_pick": _("First write the person's name or number."),
        "host_dot_place": _("One dot more on “%(label)s”"),
        "host_dot_remove": _("One dot less on “%(label)s”"),
    }
