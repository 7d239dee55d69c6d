"""Exporting a plan for planners: Excel workbooks and CSV files of its tables (DESIGN §6)."""

from matcher.export.plan_tables import SHEETS, Column, Table, plan_tables
from matcher.export.spreadsheet import write_plan_csv, write_plan_xlsx

__all__ = [
    "SHEETS",
    "Column",
    "Table",
    "plan_tables",
    "write_plan_csv",
    "write_plan_xlsx",
]
