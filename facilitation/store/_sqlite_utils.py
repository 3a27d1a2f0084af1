"""sqlite-utils, imported without numpy.

sqlite-utils imports numpy whenever it is installed, only to map numpy values to column
types; we never insert numpy values. numpy is installed with the `semantic` extra
(the grouping model), and importing it costs every server process 19 MB of memory at
start (a server holds 2,000 phones in about 250 MB). So numpy is hidden while
sqlite-utils is imported; the grouping model imports it normally when it is used.
"""

from __future__ import annotations

import sys

_had_numpy = "numpy" in sys.modules
if not _had_numpy:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" → ImportError
try:
    import sqlite_utils
    from sqlite_utils import Migrations
    from sqlite_utils.utils import dedupe_keys
finally:
    if not _had_numpy:
        del sys.modules["numpy"]

__all__ = ["Migrations", "dedupe_keys", "sqlite_utils"]
