"""The strings the scripts of World Café rounds, table hosts, the rotation plan and the
Akteurskonferenz show (labels.py has the rest)."""

from __future__ import annotations

from flask_babel import gettext as _

from .i18n import plural_forms


def rounds_strings() -> dict:
    """Merged into `labels.client_strings()`, in the request's language."""
    return {
        "round_of": _("Round %(n)s of %(of)s"),
        "round_idle": _("Round %(n)s starts soon"),
        "round_paused": _("Paused"),
        "round_over": _("Time is up"),
        "round_warning": _("Less than two minutes left – time to come to a close"),
        "round_locked": _("This round is over. You can write again when the next round starts."),
        "next_table": _("Round %(n)s → Table %(table)s: %(theme)s"),
        "your_number": _("Your number in the rotation plan: %(n)s"),
        "move_now": _("Please move to your next table now."),
        "go_to_table": _("Open the page of this table"),
        "sound_ready": _("End sound on"),
        "phase_plenary_input": _("Plenary input"),
        "phase_thematic_groups": _("Thematic groups"),
        "phase_plenary_result": _("Plenary result"),
        "impulse_wall": _("Impulses from the plenary"),
        "impulse_wall_empty": _("No impulses yet: send yours from your phone."),
        "impulse_sent": _("Thank you! Your impulse is on the wall."),
        "choose_group_title": _("Thematic groups: choose yours on your phone"),
        "places_open": plural_forms("%(n)s person, no limit", "%(n)s people, no limit"),
        "places_left": _("Places left: %(n)s of %(of)s"),
        "group_is_full": _("Full"),
        "choose": _("Choose"),
        "your_group": _("Your group"),
        "leave_group": _("Leave the group"),
        "earlier_rounds": _("Earlier rounds"),
        "this_round": _("This round"),
        "key_point": _("Key point"),
        "mark_key_point": _("Mark as key point"),
        "unmark_key_point": _("Remove the mark"),
        "entered_ok": _("Saved as typed by the table host."),
        "capacity": _("Places"),
        "no_limit": _("no limit"),
        "fig_repeat_visits": _("Repeat visits to a table"),
        "fig_repeat_pairings": _("Repeat meetings of the same two people"),
        "fig_distinct_contacts": _("Different people met (mean per person)"),
        "fig_imbalance": _("Target-group imbalance (people per table)"),
        "fig_plan": _("Rotation plan"),
        "fig_random": _("Random assignment"),
        "rotation_people": plural_forms("%(n)s participant", "%(n)s participants"),
        "host_link": _("Host link"),
        "host_qr": _("Host QR"),
        "vote_key_points": _("Dot vote on the groups' key points"),
        "no_key_points": _("No key points marked yet."),
    }
