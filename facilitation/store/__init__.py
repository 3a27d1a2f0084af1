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
        return self.clock().astimezone(dt.UTC).isoformat(timespec="milliseconds")
