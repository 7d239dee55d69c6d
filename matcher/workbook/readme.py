"""The text of the template's instructions sheet (``说明``, ``README`` in English).

Its words come from the message catalogue (``workbook.readme.*``), in the workbook's language
with the other language beside it: every row is (term, explanation) in the workbook's
language, then the same two in the other. The explanation of every sheet and column, and the
lists of codes, are generated from the column tables, so they are always those that the reader
accepts.
"""

from __future__ import annotations

from matcher.i18n import Lang, t
from matcher.i18n.codes import (
    CATEGORY,
    DEPARTMENT,
    ORGANIZATION_KIND,
    PLACE_KIND,
    REGION,
    VULNERABLE,
    Labels,
)
from matcher.workbook.columns import SHEETS, Column, Kind, Sheet

Row = list[str]

# (term, explanation) keys of the opening rows; a term alone is a heading.
_INTRO: tuple[tuple[str, str | None], ...] = (
    ("workbook.readme.title", None),
    ("workbook.readme.use", "workbook.readme.use_text"),
    ("workbook.readme.places", "workbook.readme.places_text"),
    ("workbook.readme.codes", "workbook.readme.codes_text"),
    ("workbook.readme.units", None),
    ("workbook.readme.travel", "workbook.readme.travel_text"),
    ("workbook.readme.effort", "workbook.readme.effort_text"),
    ("workbook.readme.money", "workbook.readme.money_text"),
    ("workbook.readme.dates", "workbook.readme.dates_text"),
    ("workbook.readme.coordinates", "workbook.readme.coordinates_text"),
    ("workbook.readme.notation", None),
    ("workbook.readme.skills", "workbook.readme.skills_text"),
    ("workbook.readme.lists", "workbook.readme.lists_text"),
    ("workbook.readme.empty", "workbook.readme.empty_text"),
    ("workbook.readme.brackets", "workbook.readme.brackets_text"),
    ("workbook.readme.quotes", "workbook.readme.quotes_text"),
    ("workbook.readme.yes_no", "workbook.readme.yes_no_text"),
    ("workbook.readme.household", "workbook.readme.household_text"),
    ("workbook.readme.roads", "workbook.readme.roads_text"),
)

CODE_TABLES: tuple[tuple[str, Labels], ...] = (
    ("workbook.readme.categories", CATEGORY),
    ("workbook.readme.regions", REGION),
    ("workbook.readme.place_kinds", PLACE_KIND),
    ("workbook.readme.organization_kinds", ORGANIZATION_KIND),
    ("workbook.readme.departments", DEPARTMENT),
    ("workbook.readme.vulnerable", VULNERABLE),
)


def _other(lang: Lang) -> Lang:
    return "en" if lang == "zh" else "zh"


def _both(lang: Lang, term: str, text: str | None = None, **params: object) -> Row:
    """A row of catalogue words: in ``lang``, then in the other language; a heading's term
    starts with "#"."""
    row: Row = []
    for side in (lang, _other(lang)):
        words = t(term, side, **params)
        row += [words, t(text, side)] if text else [f"# {words}" if not row else words]
    return row


def readme_rows(lang: Lang = "zh") -> list[Row]:
    """The instructions sheet, one list of cell texts per row; a heading row starts with "#"."""
    rows = [_both(lang, term, text) for term, text in _INTRO]
    rows.append(_both(lang, "workbook.readme.sheets"))
    for sheet in SHEETS:
        rows.append(_sheet_heading(sheet, lang))
        for column in sheet.keys if sheet.key_value else sheet.columns:
            if column.kind is not Kind.NOTE:
                rows.append(_column_row(sheet, column, lang))
    for title, table in CODE_TABLES:
        rows.append(_both(lang, title))
        rows.extend(_code_row(code, names, lang) for code, names in table.items())
    rows.append(_both(lang, "workbook.readme.labels_accepted", "workbook.readme.labels_text"))
    return rows


def _sheet_heading(sheet: Sheet, lang: Lang) -> Row:
    row: Row = []
    for side in (lang, _other(lang)):
        need = t("workbook.readme." + ("required" if sheet.required else "optional"), side)
        words = t("workbook.readme.sheet", side, title=sheet.title(side), need=need)
        row.append(f"# {words}" if not row else words)
    return row


def _column_row(sheet: Sheet, column: Column, lang: Lang) -> Row:
    row: Row = []
    for side in (lang, _other(lang)):
        header = column.zh if side == "zh" else column.field
        parts = (
            []
            if sheet.key_value
            else [t("workbook.readme." + ("required" if column.required else "optional"), side)]
        )
        parts.append(t(f"workbook.readme.kind.{column.kind.value}", side))
        if column.unit:
            parts.append(column.unit)
        if column.refers:
            parts.append(t("workbook.readme.by_name", side))
        if column.choices and column.labels:
            if len(column.choices) <= 8:
                sep = "、" if side == "zh" else ", "
                parts.append(sep.join(column.choice_text(code, side) for code in column.choices))
            else:
                parts.append(t("workbook.readme.see_codes", side))
        row += [header, ("；" if side == "zh" else "; ").join(parts)]
    return row


def _code_row(code: str, names: tuple[str, str], lang: Lang) -> Row:
    chinese, english = names
    return [chinese, code, english, code] if lang == "zh" else [english, code, chinese, code]
