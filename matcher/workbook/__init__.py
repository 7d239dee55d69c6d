"""Scenarios in the planners' own tools: Excel workbooks and folders of CSV files.

County offices keep their rosters and ledgers (需求清单, 帮扶台账, pool budgets) in Excel. This
package reads such a workbook into a scenario, reporting every problem at its sheet, row and
column (``需求清单!G8``) in Chinese and English, writes the template planners fill in (sheets
titled in Chinese, or English), and exports a scenario in the same form, losslessly: importing
the export gives back an equal scenario.

The sheets and columns are declared once in :mod:`matcher.workbook.columns`; the notation of a
cell (numbers, lists, skills, empty cells, ``[]``, codes by their labels) is in
:mod:`matcher.workbook.cells`; towns and villages named by name are resolved by
:mod:`matcher.workbook.places`; the words of problems come from the message catalogue
(:mod:`matcher.workbook.words`). The format is described in ``docs/workbook.md``.
"""

from matcher.workbook.reading import import_scenario, read_csv_folder, read_workbook
from matcher.workbook.results import ImportResult, Location
from matcher.workbook.writing import export_scenario_csv, export_scenario_xlsx, write_template

__all__ = [
    "ImportResult",
    "Location",
    "export_scenario_csv",
    "export_scenario_xlsx",
    "import_scenario",
    "read_csv_folder",
    "read_workbook",
    "write_template",
]
