"""The only layer that knows SQL: a Store whose methods are the domain's verbs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .actions import ActionsMixin
from .base import StoreBase
from .catalogue import CatalogueMixin
from .conference import ConferenceMixin
from .contributions import ContributionsMixin
from .desk import DeskMixin
from .dots import DotsMixin
from .events import EventsMixin
from .export import ExportMixin
from .host_dots import HostDotsMixin
from .hosts import HostsMixin
from .importing import ImportMixin
from .integrity import IntegrityMixin
from .participants import ParticipantsMixin, device_hash
from .privacy import PrivacyMixin
from .processes import ProcessesMixin
from .rotation import RotationMixin
from .rounds import RoundsMixin
from .surveys import SurveysMixin
from .table_editing import TableEditingMixin
from .tables import TablesMixin
from .translations import TranslationsMixin
from .voting import VotingMixin

__all__ = ["Store", "device_hash"]


_second: tuple[dt.datetime | None, str] = (None, "")  # the last whole second, formatted


def utc_iso(moment: dt.datetime) -> str:
    """`moment` as ISO 8601 in UTC with milliseconds, e.g. 2026-11-30T22:40:45.150+00:00.

    Every dot and card is stamped: ``isoformat(timespec=...)`` took 2 µs of the 40 µs a
    dot costs the store, so the whole seconds are formatted once and the milliseconds
    appended (the same text as ``isoformat``, tested).
    """
    global _second
    if moment.tzinfo is not dt.UTC:
        moment = moment.astimezone(dt.UTC)
    whole, cached = moment.replace(microsecond=0), _second
    if cached[0] != whole:
        cached = _second = (whole, whole.isoformat()[:-6])  # without "+00:00"
    return f"{cached[1]}.{moment.microsecond // 1000:03d}+00:00"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store(
    EventsMixin, TablesMixin, TableEditingMixin, ParticipantsMixin, ContributionsMixin,
    RoundsMixin, HostsMixin, HostDotsMixin, RotationMixin, ConferenceMixin, VotingMixin,
    DotsMixin, TranslationsMixin, SurveysMixin, ProcessesMixin, CatalogueMixin, DeskMixin,
    IntegrityMixin, ExportMixin, ImportMixin, PrivacyMixin, ActionsMixin, StoreBase,
):
    """All reads and writes of the product. `clock` is injectable for tests."""

    def __init__(self, path: str | Path, clock: Callable[[], dt.datetime] = _utc_now):
        self.clock = clock
        self._final_counts: dict[tuple, dict[int, int]] = {}  # closed voting rounds' sums
        super().__init__(path)

    def now(self) -> str:
        """The current time as an ISO 8601 string in UTC with milliseconds."""
        return utc_iso(self.clock())
