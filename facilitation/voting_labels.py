"""Every string the dot-voting scripts show (phone panel, projector bars, console panel)."""

from __future__ import annotations

from flask_babel import gettext as _

from .i18n import plural_forms


def integrity_strings() -> dict:
    """Translated strings for static/js/console-integrity.js (the integrity panel)."""
    return {
        "integrity_heading": _("Integrity of the vote"),
        "integrity_intro": _(
            "Is one person voting many times? These figures are checked every few seconds"
            " while a voting round is open."),
        "integrity_none": _("No voting round has started yet."),
        "integrity_voters": _("Voting devices"),
        "integrity_new": _("Devices new since the vote opened"),
        "integrity_new_value": _("%(devices)s (%(voted)s of them voted)"),
        "integrity_shared": _("Most voting devices from one network address"),
        "integrity_refused": _("Refused attempts during the vote"),
        "integrity_door": _("Refused at the door (whole server, since it started)"),
        "integrity_nothing": _("none"),
        "integrity_ok": _("Nothing unusual."),
        "integrity_reason_too_many_devices": _("new devices over the limit per address"),
        "integrity_reason_too_many_connections": _("too many connections from one address"),
        "integrity_reason_flood": _("connections dropped for flooding"),
        "integrity_reason_slowed_down": _("addresses paused after a flood"),
        "integrity_reason_device_too_new": _("devices too new for this vote"),
        "integrity_reason_ticket_required": _("dots without a ticket code"),
        "integrity_reason_unknown_ticket": _("wrong ticket codes"),
        "integrity_reason_ticket_used": _("ticket codes already used"),
        "integrity_reason_rate_limited": _("messages over the rate limit"),
    }


def voting_strings() -> dict:
    """Translated strings for static/js/vote*.js, merged into labels.client_strings()."""
    return {
        "vote_heading": _("Place your dots"),
        "vote_started": _("Voting has started: place your dots!"),
        "vote_left": _("Dots left: %(left)s of %(budget)s"),
        "vote_rules": plural_forms("At most %(cap)s dot per item. Tap + to stick a dot, − to take it back.",
                                   "At most %(cap)s dots per item. Tap + to stick a dot, − to take it back."),
        "vote_rules_one": _("One dot per item. Tap + to stick your dot, − to take it back."),
        "vote_cap_one": _("Only one dot per item."),
        "vote_add": _("Add a dot"),
        "vote_remove": _("Take a dot back"),
        "vote_no_dots_left": _("No dots left: take one back to place it elsewhere."),
        "vote_cap": plural_forms("At most %(cap)s dot per item.", "At most %(cap)s dots per item."),
        "vote_closed": _("Voting has ended: your dots are counted and can no longer be changed."),
        "vote_none": _("No voting is open right now. This page updates by itself."),
        "vote_other": _("Statements"),
        "vote_withdrawn": _("Withdrawn item"),
        "vote_ticket_needed": _("This vote needs the code from your card."),
        "vote_ticket_code": _("Ticket code"),
        "vote_unlock": _("Unlock"),
        "vote_unlocked": _("Unlocked. You can place your dots."),
        "vote_your_dots": _("Your dots"),
        "vote_result": _("The result"),
        "vote_voters": plural_forms("%(n)s has voted", "%(n)s have voted"),
        "vote_dots_total": plural_forms("%(n)s dot", "%(n)s dots"),
        "vote_hidden_counts": _("The results are shown when voting ends."),
        "vote_running": _("Voting is open"),
        "vote_more": plural_forms("… and %(n)s more item (all of them in the console and the exports)",
                                  "… and %(n)s more items (all of them in the console and the exports)"),
        "vote_final": _("Final result"),
        "vote_no_round": _("No voting round yet."),
        "vote_create": _("Create voting round"),
        "vote_title": _("Title"),
        "vote_budget": _("Dots per person"),
        "vote_cap_label": _("Dots per item (at most)"),
        "vote_hide_counts": _("Hide counts on the projector until the end"),
        "vote_require_ticket": _("Needs a ticket code"),
        "vote_require_prior_device": _(
            "Only phones that were here before the vote opened (or have a ticket code)"),
        **integrity_strings(),
        "vote_from_tables": _("All visible contributions of these tables"),
        "vote_pick": _("Or pick single contributions"),
        "vote_statements": _("Statements typed in (one per line, e.g. for the Leitbild)"),
        "vote_open": _("Open voting"),
        "vote_close": _("Close voting"),
        "vote_delete": _("Delete"),
        "vote_confirm_close": _("Close this voting round? Dots can no longer be changed."),
        "vote_show_projector": _("Show on projector"),
        "vote_rank": _("Rank"),
        "vote_item": _("Item"),
        "vote_total": _("Dots"),
        "vote_no_group": _("no answer"),
        "vote_tickets": _("Ticket codes"),
        "vote_tickets_count": _("Number of new codes"),
        "vote_tickets_make": _("Generate codes"),
        "vote_tickets_print": _("Print codes"),
        "vote_tickets_summary": _("Codes used: %(redeemed)s of %(total)s"),
        "vote_rules_short": plural_forms("%(budget)s dot per person, at most %(cap)s per item",
                                         "%(budget)s dots per person, at most %(cap)s per item"),
        "vote_status_draft": _("in preparation"),
        "vote_status_open": _("open"),
        "vote_status_closed": _("closed"),
        "vote_created": _("Voting round created. Open it when the room is ready."),
        "vote_withdrawn_note": _("withdrawn"),
    }
