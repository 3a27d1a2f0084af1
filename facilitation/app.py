"""facilitation: live participation for World Cafés and Akteurskonferenzen."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

from . import autosave, compression, guard, i18n, labels, room_manager, security, sockets, views
from . import config as config_module
from .extensions import get_store, socketio
from .packets import JsonPacket
from .store import Store

__all__ = ["create_app", "get_store", "socketio"]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class App(Flask):
    """Flask, without routing Socket.IO's messages through the URL map.

    Flask-SocketIO runs every message's handler inside a request context made from the
    connection's opening request, and Flask matched that request's path against every
    route of the app each time (an exception object for the miss included): with our
    64 routes 8 of the 23 µs a message's request context took. Paths under
    /socket.io/ never reach a view (engine.io answers them before Flask) and handlers
    build no URLs from them, so those contexts get no URL adapter.
    """

    def create_url_adapter(self, request):
        if request is not None and request.path.startswith(guard.SOCKETIO_PATH):
            return None
        return super().create_url_adapter(request)


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, store, translations, routes and Socket.IO handlers."""
    settings = config_module.resolve(config)
    app = App(
        __name__,
        static_folder=str(config_module.ROOT / "static"),
        template_folder=str(config_module.ROOT / "templates"),
        instance_path=settings["INSTANCE_DIR"],
    )
    app.config.update(settings)
    # Flask's own cookie session is not used (participants are anonymous devices), but a
    # key keeps extensions that expect one quiet.
    app.config.setdefault("SECRET_KEY", None)
    if not app.config.get("ADMIN_TOKEN"):
        token, created = security.admin_token(settings["INSTANCE_DIR"])
        app.config["ADMIN_TOKEN"] = token
        app.config["ADMIN_TOKEN_CREATED"] = created
    app.extensions["store"] = Store(settings["DATABASE"])

    i18n.init_app(app)
    labels.init_app(app)
    security.init_app(app)
    compression.init_app(app)

    views.register_views(app)
    autosave.init_app(app)  # closing an event writes its session folder

    public_origin = _origin(settings.get("PUBLIC_URL") or "")

    def allowed_origin(origin, environ):
        """Same origin as the request, or the configured public URL; never '*'."""
        if not origin:
            return True  # not a browser (CLI tools, load generator): no CORS applies
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin in (own, public_origin)

    sockets.register()  # the handlers, on `socketio`
    if settings["ASYNC_MODE"] == "gevent":
        # Websocket frames written at once and whole; the handshake from the parsed
        # request (before the frame limit below, which builds on the driver's class).
        from . import websocket_send, websocket_server

        websocket_send.install()
        websocket_server.install()
    queue = settings.get("MESSAGE_QUEUE") or None
    socketio.init_app(
        app,
        async_mode=settings["ASYNC_MODE"],
        cors_allowed_origins=allowed_origin,
        max_http_buffer_size=settings["MAX_MESSAGE_BYTES"],
        ping_interval=10,
        ping_timeout=20,
        message_queue=queue,
        # rooms indexed by client: a disconnect leaves its own rooms (room_manager.py)
        **room_manager.manager(queue),
        manage_session=False,
        serializer=JsonPacket,  # JSON only: no search for binary parts in every payload
    )
    compression.without_websocket_deflate(app)  # after init_app: it must wrap Socket.IO's layer
    guard.limit_websocket_frames(socketio, settings["MAX_MESSAGE_BYTES"])
    guard.init_app(app)  # outermost: counts and refuses before anything else runs
    return app

