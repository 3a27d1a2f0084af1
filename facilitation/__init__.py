"""facilitation: live participation for World Cafés and Akteurskonferenzen.

The package import stays light (no Flask, no gevent) so that `facilitation serve` can
let gevent patch the standard library before anything else is imported;
`create_app`, `socketio` and `get_store` are loaded from .app on first use.
"""

__all__ = ["create_app", "get_store", "socketio"]


def __getattr__(name):
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
