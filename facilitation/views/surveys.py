"""Surveys (Umfragen): the phone's questionnaire, paper entry for staff, the projector's
results, and the JSON routes behind them (docs/api.md, docs/surveys.md)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from ..access import require_facilitator
from ..devices import DEVICE_COOKIE, valid_device_token
from ..devices import with_device_cookie as _with_device_cookie
from ..errors import AppError
from ..extensions import get_store, socketio
from ..i18n import current_language
from ..qr import qr_png
from ..rooms import console_room, event_room
from ..survey_templates import TEMPLATES, template_definition
from ..survey_view import closing_text, results_view, survey_view
from ..urls import base_url
from ..urls import survey_url as _survey_url
from . import json_body

bp = Blueprint("surveys", __name__)

MAX_SURVEY_BYTES = 256 * 1024  # a survey definition
MAX_BODY_BYTES = 64 * 1024  # answers, a paper sheet, a status change


def survey_url(event_id: str, survey_id: int) -> str:
    """The phone link of a survey, as in its QR code."""
    return _survey_url(base_url(current_app), event_id, survey_id)


def _groups(event: dict) -> list[str]:
    return list(event.get("join_options") or [])


def publish(event_id: str, survey_id: int) -> dict:
    """Send the survey's current results to projector and console (`survey_results`)."""
    store = get_store()
    event = store.get_event(event_id)
    survey = store.get_survey(event_id, survey_id)
    data = results_view(survey, store.survey_responses(event_id, survey_id), "de", _groups(event))
    socketio.emit("survey_results", data, to=[event_room(event_id), console_room(event_id)])
    return data


# -- phones ----------------------------------------------------------------------------


@bp.get("/e/<event_id>/s/<int:survey_id>")
def survey_page(event_id, survey_id):
    """A survey on a phone: the questions in the participant's language, or a clear word
    that it has been answered already or is closed."""
    store = get_store()
    event = store.get_event(event_id)
    survey = store.get_survey(event_id, survey_id)
    answered = False
    token = request.cookies.get(DEVICE_COOKIE)
    if valid_device_token(token):
        answered = store.has_answered(survey_id, store.participant(event_id, token)["id"])
    view = survey_view(survey, current_language())
    response = current_app.make_response(render_template(
        "survey.html", event=event, survey=view, accepts=store.survey_accepts(survey),
        answered=answered,
    ))
    return _with_device_cookie(response)


@bp.post("/api/events/<event_id>/surveys/<int:survey_id>/responses")
def answer(event_id, survey_id):
    """A phone's answers ({answers, client_id}); one response per device and survey."""
    store = get_store()
    store.get_event(event_id)
    token = request.cookies.get(DEVICE_COOKIE)
    if not valid_device_token(token):
        raise AppError("forbidden")
    data = json_body(MAX_BODY_BYTES)
    client_id = data.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or not 1 <= len(client_id) <= 64):
        raise AppError("invalid_payload", detail="client_id")
    participant = store.participant(event_id, token)
    response, created = store.add_survey_response(
        event_id, survey_id, data.get("answers"), participant_id=participant["id"],
        client_id=client_id, source="phone", language=current_language(),
    )
    if created:
        publish(event_id, survey_id)
    return jsonify(ok=True, response_id=response["id"], created=created)


# -- staff: paper entry and management ---------------------------------------------------


@bp.get("/e/<event_id>/s/<int:survey_id>/paper")
def paper_page(event_id, survey_id):
    """Keyboard-only entry of paper questionnaires; needs the facilitator key."""
    store = get_store()
    event = store.get_event(event_id)
    survey = store.get_survey(event_id, survey_id)
    key = request.args.get("key")
    require_facilitator(event_id, header=True)
    return render_template("survey_paper.html", event=event, key=key,
                           survey=survey_view(survey, current_language()),
                           count=survey["response_count"])


@bp.post("/api/events/<event_id>/surveys/<int:survey_id>/paper")
def paper_answer(event_id, survey_id):
    """One paper questionnaire typed in by staff ({answers, sheet}); facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    data = json_body(MAX_BODY_BYTES)
    sheet = data.get("sheet")
    if sheet is not None and (not isinstance(sheet, str) or len(sheet) > 20):
        raise AppError("invalid_payload", detail="sheet")
    response, _created = store.add_survey_response(
        event_id, survey_id, data.get("answers"), source="paper", sheet=sheet or None,
    )
    publish(event_id, survey_id)
    count = store.get_survey(event_id, survey_id)["response_count"]
    return jsonify(ok=True, response_id=response["id"], responses=count)


@bp.delete("/api/events/<event_id>/surveys/<int:survey_id>/responses/<int:response_id>")
def delete_response(event_id, survey_id, response_id):
    """Remove a response typed in by mistake; facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    store.delete_survey_response(event_id, survey_id, response_id)
    publish(event_id, survey_id)
    return jsonify(ok=True)


@bp.get("/e/<event_id>/surveys")
def manage_page(event_id):
    """The surveys of an event for the facilitator: create, open, close, links."""
    store = get_store()
    event = store.get_event(event_id)
    key = request.args.get("key")
    require_facilitator(event_id, header=True)
    language = current_language()
    surveys = [{**s, "view": survey_view(s, language), "url": survey_url(event_id, s["id"]),
                "closes_text": closing_text(s.get("closes_at"), language)}
               for s in store.surveys(event_id)]
    return render_template("surveys.html", event=event, key=key, surveys=surveys,
                           templates=[(name, label()) for name, (label, _d) in TEMPLATES.items()])


@bp.get("/api/events/<event_id>/surveys")
def list_surveys(event_id):
    """Every survey of the event with its definition and response count; facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    return jsonify(ok=True, surveys=store.surveys(event_id))


@bp.post("/api/events/<event_id>/surveys")
def create_survey(event_id):
    """Create a survey from a definition ({title, questions, …}) or a template
    ({"template": "ilm_kreis_migrants"}); facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    data = json_body(MAX_SURVEY_BYTES)
    if "template" in data:
        data = template_definition(data["template"])
    survey = store.create_survey(event_id, data)
    return jsonify(ok=True, survey=survey, url=survey_url(event_id, survey["id"]))


@bp.post("/api/events/<event_id>/surveys/<int:survey_id>/status")
def set_status(event_id, survey_id):
    """Open or close a survey ({"status": "open"|"closed"}), optionally with a new
    closing time ({"closes_at": "2026-12-14T23:59"}); facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    data = json_body(MAX_BODY_BYTES)
    if "closes_at" in data:
        store.set_survey_closing(event_id, survey_id, data["closes_at"])
    if "status" in data:
        store.set_survey_status(event_id, survey_id, data["status"])
    publish(event_id, survey_id)
    return jsonify(ok=True, survey=store.get_survey(event_id, survey_id))


# -- results ---------------------------------------------------------------------------------


@bp.get("/api/events/<event_id>/surveys/<int:survey_id>/results")
def survey_results(event_id, survey_id):
    """The survey's results as the projector shows them (small cells as "< N")."""
    store = get_store()
    event = store.get_event(event_id)
    survey = store.get_survey(event_id, survey_id)
    data = results_view(survey, store.survey_responses(event_id, survey_id), current_language(),
                        _groups(event))
    return jsonify(ok=True, results=data)


@bp.get("/e/<event_id>/projector/survey/<int:survey_id>")
def projector_page(event_id, survey_id):
    """The projector's view of a survey: bars, scale distributions, free-text wall, the
    breakdown by target group, live."""
    store = get_store()
    event = store.get_event(event_id)
    survey = store.get_survey(event_id, survey_id)
    data = results_view(survey, store.survey_responses(event_id, survey_id), current_language(),
                        _groups(event))
    return render_template("projector_survey.html", event=event, results=data,
                           url=survey_url(event_id, survey_id))


@bp.get("/e/<event_id>/s/<int:survey_id>/qr.png")
def survey_qr(event_id, survey_id):
    """The QR code of the survey's phone link (for the projector and printed flyers)."""
    store = get_store()
    store.get_survey(event_id, survey_id)
    return current_app.response_class(qr_png(survey_url(event_id, survey_id)),
                                      mimetype="image/png")
