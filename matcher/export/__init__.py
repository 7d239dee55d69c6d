"""Exporting a plan for planners: Excel workbooks and CSV files of its tables (DESIGN §6) and
of its rosters, the three lists of 包村联户; a schedule's sheets and iCalendar files
(:mod:`matcher.export.ics`) when the plan has one (DESIGN §9)."""

from matcher.export.plan_tables import SHEETS, Column, Table, plan_tables
from matcher.export.roster_tables import ROSTER_SHEETS, roster_tables
from matcher.export.schedule_tables import SCHEDULE_SHEETS, schedule_tables
from matcher.export.spreadsheet import write_plan_csv, write_plan_xlsx

__all__ = [
    "ROSTER_SHEETS",
    "SCHEDULE_SHEETS",
    "SHEETS",
    "Column",
    "Table",
    "plan_tables",
    "roster_tables",
    "schedule_tables",
    "write_plan_csv",
    "write_plan_xlsx",
]
