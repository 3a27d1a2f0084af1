"""The voting burst (placeholder until dot voting lands)."""

import importlib.util


def available() -> bool:
    return importlib.util.find_spec("facilitation.sockets.voting") is not None
