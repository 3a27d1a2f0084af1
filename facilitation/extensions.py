"""The objects every handler and view shares, in a leaf module nothing imports back.

`socketio` is created unbound here and bound to the app in `create_app` (Flask-SocketIO's
own pattern); `get_store` finds the app's store. Handlers and views import these from
here, never from `app.py`, so the package has no import circle.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_socketio import SocketIO

from .store import Store

# Unbound at import, bound to the app in create_app.
socketio = SocketIO()


def get_store(app: Flask | None = None) -> Store:
    """The app's store (the current app's when none is given)."""
    return (app or current_app).extensions["store"]
