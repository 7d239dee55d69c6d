"""The month being replayed: the county, its calendar, the register, and who reaches whom."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.register.memory import MemoryRegister
from matcher.replay.execution import Crew
from matcher.replay.reach import Reach
from matcher.scenario import Scenario
from matcher.schedule.calendar import WorkCalendar


@dataclass(frozen=True)
class Month:
    """What every step of the day loop reads; the register is the one thing that changes."""

    county: Scenario
    calendar: WorkCalendar
    register: MemoryRegister
    reach: Reach
    crew: Crew
