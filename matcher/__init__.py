"""Baolian Matcher: match cadres, organisations and budget pools to villages and their needs."""

__version__ = "0.1.0"
