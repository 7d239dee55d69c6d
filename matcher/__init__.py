"""Baolian Matcher: match cadres, organisations and budget pools to villages and their needs."""

import time as _time

__version__ = "0.1.0"

IMPORTED_AT = _time.monotonic()
"""When this package was first imported: in a ``matcher`` command, within a fraction of a
second of the process's start, which is where the command's time limit counts from."""
