"""``matcher replay``: the daily service loop of DESIGN §10 run offline on a simulated month, so
that operating policies (first-come dispatch, siloed dispatch, weekly and daily re-planning) can
be compared on the service KPIs.

The modules, in the order a day uses them: ``policies`` (what each policy does in the morning
and after the arrivals), ``reach`` (who may serve what, from the hard rules), ``execution``
(what providers do on a day), ``households`` (fates closing needs, satisfaction answers),
``measures`` (the month's figures), ``simulate`` (the day loop), with ``month`` the state they
share. All changes go through :class:`matcher.register.memory.MemoryRegister`.
"""

from __future__ import annotations

from matcher.replay.policies import POLICIES
from matcher.replay.simulate import ReplayOptions, ReplayResult, replay

__all__ = ["POLICIES", "ReplayOptions", "ReplayResult", "replay"]
