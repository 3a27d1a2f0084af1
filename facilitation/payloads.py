"""The shape of every Socket.IO payload and JSON body, checked before anything runs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from .errors import AppError

ClientId = Annotated[StrictStr, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Id = Annotated[StrictInt, Field(ge=1, le=2**53)]


class Payload(BaseModel):
    """Base: unknown fields and loose types are refused, not guessed at."""

    model_config = ConfigDict(extra="forbid", strict=True)


# Texts per language ({"ar": "…"}); the store checks the language codes.
Translations = Annotated[dict[Annotated[StrictStr, Field(max_length=20)],
                              Annotated[StrictStr, Field(max_length=1000)]], Field(max_length=10)]
Language = Literal["de", "de-simple", "en", "tr", "ar", "fa", "uk", "ru"]


class SubmitContribution(Payload):
    client_id: ClientId | None = None
    kind: StrictStr
    question: Annotated[StrictInt, Field(ge=0, le=20)] | None = None
    text: Annotated[StrictStr, Field(max_length=5000)]
    language: Language | None = None  # the phone's interface language


class SetTargetGroup(Payload):
    group: Annotated[StrictStr, Field(max_length=200)] | None


class Empty(Payload):
    pass


class HideContribution(Payload):
    id: Id
    hidden: StrictBool


class MergeContributions(Payload):
    target_id: Id
    source_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]


class EditContribution(Payload):
    id: Id
    text: Annotated[StrictStr, Field(max_length=5000)]


class EventChanges(Payload):
    title: StrictStr | None = None
    date: StrictStr | None = None
    kind: Literal["world_cafe", "akteurskonferenz"] | None = None
    status: Literal["draft", "running", "closed"] | None = None
    join_question: StrictStr | None = None
    join_options: list[StrictStr] | None = None
    next_steps: Annotated[StrictStr, Field(max_length=4000)] | None = None
    time_zone: Annotated[StrictStr, Field(max_length=64)] | None = None
    projector_language: Annotated[StrictStr, Field(max_length=8)] | None = None
    join_question_i18n: Translations | None = None
    join_options_i18n: Annotated[list[Translations], Field(max_length=12)] | None = None


class UpdateEvent(Payload):
    changes: EventChanges


class TableFields(Payload):
    id: Id | None = None
    code: Annotated[StrictStr, Field(max_length=40)]
    theme: Annotated[StrictStr, Field(max_length=400)]
    questions: Annotated[list[Annotated[StrictStr, Field(max_length=600)]], Field(max_length=5)]
    theme_i18n: Translations | None = None
    questions_i18n: Annotated[list[Translations], Field(max_length=5)] | None = None


class TableTranslation(Payload):
    theme: Annotated[StrictStr, Field(max_length=400)] | None = None
    questions: Annotated[list[Annotated[StrictStr, Field(max_length=600)]], Field(max_length=5)] | None = None


class SaveTranslations(Payload):
    """One language of the event's texts; an empty text removes that translation."""

    language: Language
    join_question: Annotated[StrictStr, Field(max_length=400)] | None = None
    join_options: Annotated[
        list[Annotated[StrictStr, Field(max_length=200)]], Field(max_length=12)] | None = None
    tables: Annotated[
        dict[Annotated[StrictStr, Field(max_length=40)], TableTranslation], Field(max_length=40)] = {}
    candidates: Annotated[dict[Annotated[StrictStr, Field(max_length=20, pattern=r"^[0-9]+$")],
                               Annotated[StrictStr, Field(max_length=1000)]], Field(max_length=200)] = {}


class SaveTable(Payload):
    table: TableFields


class DeleteTable(Payload):
    id: Id


class OrderTables(Payload):
    ids: Annotated[list[Id], Field(min_length=1, max_length=100)]


class CopyQuestions(Payload):
    id: Id


def parse(model: type[Payload], data) -> Payload:
    """Validate data against model; AppError('invalid_payload') names the first bad field."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AppError("invalid_payload", detail="object expected")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        raise AppError("invalid_payload", detail=where) from None


# -- dot voting (Klebepunkte) ---------------------------------------------------------

Count = Annotated[StrictInt, Field(ge=1, le=50)]


class PlaceDot(Payload):
    round_id: Id
    candidate_id: Id
    client_id: ClientId  # required: a replayed message must never count twice


class HostDot(Payload):
    round_id: Id
    candidate_id: Id
    person: Annotated[StrictStr, Field(min_length=1, max_length=40)]
    delta: Literal[1, -1]
    client_id: ClientId


class RemoveDot(Payload):
    round_id: Id
    candidate_id: Id
    client_id: ClientId


class CreateVotingRound(Payload):
    title: Annotated[StrictStr, Field(max_length=400)]
    budget: Count = 5
    cap: Count = 3
    hide_counts: StrictBool = False
    require_ticket: StrictBool = False
    require_prior_device: StrictBool = False
    contribution_ids: Annotated[list[Id], Field(max_length=200)] = []
    # A statement is German text, or {"de": …, "ar": …} with German required.
    statements: Annotated[
        list[Annotated[StrictStr, Field(max_length=1000)] | Translations], Field(max_length=200)
    ] = []
    tables: Annotated[list[Annotated[StrictStr, Field(max_length=40)]], Field(max_length=40)] = []


class VotingRoundRef(Payload):
    round_id: Id


class GenerateTickets(Payload):
    count: Annotated[StrictInt, Field(ge=1, le=500)]


class RedeemTicket(Payload):
    code: Annotated[StrictStr, Field(max_length=40)]


# -- rounds, table hosts, rotation, Akteurskonferenz -------------------------------------

TableCode = Annotated[StrictStr, Field(max_length=40)]


class PlanRounds(Payload):
    rounds: Annotated[StrictInt, Field(ge=1, le=20)]
    minutes: Annotated[StrictInt, Field(ge=1, le=240)]
    lock_between: StrictBool = True
    sound: StrictBool = False


class MarkKeyPoint(Payload):
    id: Id
    key_point: StrictBool


class MakeRotation(Payload):
    seed: Annotated[StrictInt, Field(ge=0, le=2**31)] | None = None


class SetPhase(Payload):
    phase: Literal["plenary_input", "thematic_groups", "plenary_result"] | None


class SubmitImpulse(Payload):
    client_id: ClientId | None = None
    text: Annotated[StrictStr, Field(max_length=5000)]


class HideImpulse(Payload):
    id: Id
    hidden: StrictBool


class SetGroupCapacity(Payload):
    table: TableCode
    capacity: Annotated[StrictInt, Field(ge=1, le=10_000)] | None


class ChooseGroup(Payload):
    table: TableCode | None
