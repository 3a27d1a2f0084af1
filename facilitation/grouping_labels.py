"""Every string the grouping hints and the word view show (console panel, projector)."""

from __future__ import annotations

from flask_babel import gettext as _


def grouping_strings() -> dict:
    """Translated strings for static/js/console-groups.js and projector-words.js."""
    return {
        "groups_loading": _("Comparing the cards…"),
        "groups_none": _("No groups to suggest: no two cards are similar enough."),
        "groups_method_lexical": _("Method: shared spelling (built in)."),
        "groups_method_semantic": _("Method: meaning, across languages (multilingual-e5-small)."),
        "groups_stays": _("stays"),
        "groups_merge": _("Merge the ticked cards into the one that stays"),
        "groups_ignore": _("Ignore"),
        "groups_ignored": _("Suggestion ignored."),
        "groups_merged": _("Merged. “Undo merge” in the stream brings a card back."),
        "groups_pick_some": _("Tick at least one card besides the one that stays."),
        "groups_near_duplicate": _("near-duplicate"),
        "groups_new_cards": _("New cards have arrived since: suggest again to include them."),
        "groups_preparing": _("Comparing by meaning is being prepared: %(done)s of %(total)s cards done. "
                              "Meanwhile these suggestions come from shared spelling."),
        "words_pick_table": _("Pick a table to see its frequent words."),
        "words_none": _("No words yet."),
        "words_count": _("%(word)s, on %(n)s cards"),
    }
