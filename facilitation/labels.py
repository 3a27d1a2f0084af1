"""Translated labels of the domain's values, and the strings the pages' scripts show."""

from __future__ import annotations

from flask_babel import gettext as _

from .console_labels import console_strings
from .content_labels import content_strings, template_helpers
from .grouping_labels import grouping_strings
from .i18n import plural_forms
from .rounds_labels import rounds_strings
from .voting_labels import voting_strings


def kind_labels() -> list[tuple[str, str]]:
    """The kinds of contribution with their labels, in form order."""
    return [
        ("need", _("Need")),
        ("idea", _("Idea")),
        ("problem", _("Problem")),
        ("works_well", _("Works well")),
    ]


def status_label(status: str) -> str:
    """The label of an event status."""
    return {"draft": _("In preparation"), "running": _("Running"), "closed": _("Closed")}.get(
        status, status
    )


def event_kind_label(kind: str) -> str:
    """The label of an event kind."""
    return {"world_cafe": _("World Café"), "akteurskonferenz": _("Akteurskonferenz")}.get(kind, kind)


def client_strings() -> dict:
    """Every string the browser scripts show, in the request's language."""
    return {
        "kinds": dict(kind_labels()),
        "statuses": {s: status_label(s) for s in ("draft", "running", "closed")},
        "event_kinds": {k: event_kind_label(k) for k in ("world_cafe", "akteurskonferenz")},
        "online": _("live"),
        "in_german": _("In German"),
        "carried_from": _("from %(event)s", event="%(event)s"),
        "carried_dots": plural_forms("%(n)s dot", "%(n)s dots"),
        "carried_merged": plural_forms("%(n)s card merged", "%(n)s cards merged"),
        "offline": _("offline – your input is kept and sent later"),
        "connecting": _("connecting…"),
        "sending": _("sending…"),
        "saved": _("saved ✓"),
        "text_empty": _("Please write something first."),
        "sent_ok": _("Thank you! Your contribution is saved."),
        "queued": _("No connection: your contribution will be sent automatically."),
        "round": _("Round"),
        "question": _("Question"),
        "general": _("General"),
        "contributions": _("contributions"),
        "contributions_n": plural_forms("%(n)s contribution", "%(n)s contributions"),
        "participants": _("participants"),
        "hide": _("Hide"),
        "show": _("Show again"),
        "edit": _("Correct"),
        "merge": _("Merge"),
        "merge_pick": _("Merge “%(text)s” into which contribution? Pick the one that stays."),
        "merge_here": _("Keep this one"),
        "merge_done": _("Merged. “Undo merge” on it brings it back."),
        "merged_into": _("merged into no. %(number)s"),
        "merged_count": plural_forms("+%(n)s merged card", "+%(n)s merged cards"),
        "unmerge": _("Undo merge"),
        "merged_yours": _("Your contribution was merged with one that says the same: it counts there."),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "delete": _("Delete"),
        "hidden": _("hidden"),
        "edited": _("corrected"),
        "by_host": _("typed by the table host"),
        "group_none": _("— no answer —"),
        "all_tables": _("All tables"),
        "show_hidden": _("show hidden"),
        "saved_plan": _("Saved."),
        "confirm_delete": _("Delete this table?"),
        "table": _("Table"),
        "code": _("Short name"),
        "theme": _("Field of action (theme)"),
        "questions": _("Guiding questions (one per line, 1–5)"),
        "add_table": _("Add table"),
        "empty_table": _("Nothing yet."),
        "event_closed": _("This event has ended. Thank you for taking part!"),
        "open_projector": _("Projector"),
        "qr": _("QR code"),
        "phone_page": _("Phone page"),
        **voting_strings(),
        **rounds_strings(),
        **console_strings(),
        **content_strings(),
        **grouping_strings(),
    }


def _day(value: str | None) -> str:
    """A date as people read it in the page's language: 30.11.2026 in German."""
    from .formats import date_text
    from .i18n import current_language

    return date_text(value, current_language())


def init_app(app) -> None:
    """Make the labels available in every template."""
    app.jinja_env.globals.update(
        client_strings=client_strings, status_label=status_label,
        event_kind_label=event_kind_label, day=_day,
    )

    @app.context_processor
    def kinds():
        return {"kinds": kind_labels()}

    app.context_processor(template_helpers)
