"""HTTP routes, one blueprint per audience; register_views wires them and the error pages."""

from __future__ import annotations

import json

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _

from ..errors import AppError


def wants_json() -> bool:
    """True for API calls (JSON in, JSON out) rather than page loads."""
    return request.path.startswith("/api/") or request.is_json


def json_body(limit: int | None = None, empty=None) -> dict:
    """The request's JSON object; `empty` stands for an empty body (None: refused like any
    non-object). A body over `limit` bytes, bad JSON or anything but an object is refused
    with `invalid_payload` before any work is done."""
    if limit is not None and request.content_length and request.content_length > limit:
        raise AppError("invalid_payload", detail="too large")
    raw = request.get_data(cache=False)
    try:
        data = json.loads(raw) if raw else empty
    except (ValueError, RecursionError):
        raise AppError("invalid_payload", detail="JSON") from None
    if not isinstance(data, dict):
        raise AppError("invalid_payload", detail="JSON object expected")
    return data


def register_views(app: Flask) -> None:
    """Register every blueprint and the handlers that turn errors into pages or JSON."""
    from . import (
        admin,
        api,
        catalogue,
        desk,
        exports,
        grouping,
        hosts_plenary,
        pages,
        processes,
        qr_routes,
        surveys,
        voting,
    )

    for bp in (pages.bp, qr_routes.bp, api.bp, admin.bp, hosts_plenary.bp, exports.bp, voting.bp,
               surveys.bp, processes.bp, catalogue.bp, desk.bp, grouping.bp):
        app.register_blueprint(bp)

    @app.errorhandler(AppError)
    def app_error(exc: AppError):
        status = {"unknown_event": 404, "unknown_table": 404, "unknown_contribution": 404,
                  "unknown_voting_round": 404, "unknown_survey": 404,
                  "unknown_survey_response": 404, "unknown_process": 404, "unknown_catalogue_row": 404,
                  "forbidden": 403}.get(exc.code, 400)
        if wants_json():
            return jsonify(ok=False, error=exc.as_dict()), status
        return render_template("error.html", message=exc.message()), status

    @app.errorhandler(404)
    def not_found(exc):
        if wants_json():
            return jsonify(ok=False, error={"code": "not_found", "message": _("Not found.")}), 404
        return render_template("error.html", message=_("This page does not exist.")), 404

    @app.errorhandler(405)
    def not_allowed(exc):
        message = _("This action is not possible here.")
        if wants_json():
            return jsonify(ok=False, error={"code": "method_not_allowed", "message": message}), 405
        return render_template("error.html", message=message), 405

    @app.errorhandler(413)
    def too_large(exc):
        message = _("The upload is too large.")
        if wants_json():
            return jsonify(ok=False, error={"code": "too_large", "message": message}), 413
        return render_template("error.html", message=message), 413
