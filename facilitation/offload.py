"""CPU-heavy work (exports, the rotation plan) off the gevent loop, so live clients keep going."""

from __future__ import annotations

from flask import Flask


def off_the_loop(app: Flask, fn, *args):
    """fn(*args) in a real thread under gevent, so live clients keep going meanwhile.

    Its inputs are read before, in the greenlet: fn is a pure function of them and never
    touches the store (whose lock is a greenlet lock) from the thread. The thread still
    shares the GIL, but the loop gets its turn every few milliseconds instead of waiting
    for the whole computation.
    """
    if app.config.get("ASYNC_MODE") == "gevent":
        from gevent import get_hub

        return get_hub().threadpool.apply(fn, args)
    return fn(*args)
