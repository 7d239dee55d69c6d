"""Sortable HTML tables: cells that escape their text, and a generic table of report rows.

A header click sorts the table (the page's small script): numerically when every cell of the
column is a number (thousands separators and % allowed), else as text. A cell whose display
is not its sort key (``0 / 2``, a list of fixes) carries ``data-sort``. Headers, empty notes
and the names of report keys come from the catalogue in the page's language; a key the
catalogue does not know (added to a report later) is shown as itself, humanised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from matcher.i18n import MESSAGES, Lang, label, t
from matcher.reports.headline import NameOf, named, who
from matcher.reports.html.fmt import DASH, as_float, esc, human, number, share

Row = TypeVar("Row")


@dataclass(frozen=True)
class Markup:
    """HTML that is already safe (built from escaped parts)."""

    html: str


@dataclass(frozen=True)
class Cell:
    """One table cell: what it shows, its sort key when that differs, and a tooltip."""

    show: str | Markup
    sort: float | str | None = None
    numeric: bool = False
    tip: str | None = None
    nowrap: bool = False

    def render(self) -> str:
        """The ``<td>``, escaped."""
        css = "num" if self.numeric else "nw" if self.nowrap else ""
        attrs = f' class="{css}"' if css else ""
        if self.sort is not None:
            attrs += f' data-sort="{esc(self.sort)}"'
        if self.tip:
            attrs += f' title="{esc(self.tip)}"'
        body = self.show.html if isinstance(self.show, Markup) else esc(self.show)
        return f"<td{attrs}>{body}</td>"


def text(value: Any, tip: str | None = None) -> Cell:
    """A text cell (a dash for None or empty)."""
    shown = DASH if value is None or value == "" else str(value)
    return Cell(shown, tip=tip)


def date(value: Any) -> Cell:
    """A date (or any short code) that must not wrap."""
    return Cell(DASH if value is None or value == "" else str(value), nowrap=True)


def num(value: Any, decimals: int = 0) -> Cell:
    """A right-aligned number."""
    return Cell(number(value, decimals), numeric=True)


def pct(value: Any) -> Cell:
    """A right-aligned share as a percentage."""
    return Cell(share(value), numeric=True)


def listing(values: Any, tip: str | None = None) -> Cell:
    """A list of values, comma-separated."""
    if isinstance(values, list | tuple):
        return text(", ".join(str(v) for v in values), tip=tip)
    return text(values, tip=tip)


def field_label(key: str, lang: Lang) -> str:
    """The name of a report's key in ``lang`` (``field.<key>`` of the catalogue), or the key
    itself, humanised, when the catalogue does not know it."""
    found = f"field.{key}"
    return t(found, lang) if found in MESSAGES else human(key)


def counts(tally: Any, lang: Lang, kind: str = "unmet_reason") -> Cell:
    """A ``{code: count}`` mapping as "label n, label n" (largest first), sorted by the total;
    codes by their labels of ``kind``."""
    if not isinstance(tally, Mapping) or not tally:
        return text(None)
    items = sorted(tally.items(), key=lambda kv: -(as_float(kv[1]) or 0.0))
    shown = t("list.sep", lang).join(f"{label(kind, str(k), lang)} {v}" for k, v in items)
    return Cell(shown, sort=sum(as_float(v) or 0.0 for _, v in items))


def table(table_id: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], lang: Lang) -> str:
    """A sortable table with one body row per report row (a "none" note when empty)."""
    body = ["<tr>" + "".join(cell.render() for cell in row) + "</tr>" for row in rows]
    if not body:
        return f'<p class="empty" id="{esc(table_id)}-empty">{esc(t("html.none", lang))}</p>'
    head = "".join(
        f'<th scope="col" aria-sort="none"><button type="button">{esc(h)}</button></th>'
        for h in headers
    )
    return (
        f'<div class="table-wrap"><table id="{esc(table_id)}" class="sortable" '
        f'data-rows="{len(body)}"><thead><tr>{head}</tr></thead><tbody>'
        + "\n".join(body)
        + "</tbody></table></div>"
    )


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _generic_cell(value: Any, lang: Lang) -> Cell:
    if isinstance(value, bool):
        return text(t("html.yes" if value else "html.no", lang))
    if isinstance(value, int | float):
        return num(value, 0 if isinstance(value, int) or float(value).is_integer() else 2)
    if isinstance(value, list | tuple):
        return listing([v if _scalar(v) else "…" for v in value])
    if isinstance(value, Mapping):
        if all(_scalar(v) for v in value.values()):
            return counts(value, lang)
        return text("…")
    return text(value)


def generic_rows(table_id: str, rows: Sequence[Any], lang: Lang) -> str:
    """Any list of dicts (a report key this page does not know yet) as a table."""
    dicts = [r for r in rows if isinstance(r, Mapping)]
    columns: list[str] = []
    for row in dicts[:50]:
        columns += [k for k in row if k not in columns]
    return table(
        table_id,
        [field_label(str(c), lang) for c in columns],
        ([_generic_cell(r.get(c), lang) for c in columns] for r in dicts),
        lang,
    )


def generic_tallies(table_id: str, key_header: str, tallies: Mapping[str, Any], lang: Lang) -> str:
    """A ``{key: {figure: value}}`` mapping (totals by department pair, by village...)."""
    items = [(k, v) for k, v in tallies.items() if isinstance(v, Mapping)]
    columns: list[str] = []
    for _, row in items[:50]:
        columns += [k for k in row if k not in columns]
    return table(
        table_id,
        [key_header, *(field_label(str(c), lang) for c in columns)],
        ([text(k), *(_generic_cell(v.get(c), lang) for c in columns)] for k, v in items),
        lang,
    )


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (reports may lack any key)."""
    return value if isinstance(value, Mapping) else {}


def rows(value: list[Row] | None) -> list[Row]:
    """The dict rows of a report's list as stored (none when it is missing or not a list)."""
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def h3(title: str, count: int | None = None) -> str:
    """A sub-heading, with the number of rows when given."""
    tail = f' <span class="count">{count:,}</span>' if count is not None else ""
    return f"<h3>{esc(title)}{tail}</h3>"


def facts(values: Mapping[str, Any], lang: Lang) -> str:
    """Scalar figures as one line of "name: value" (a report's totals or notes)."""
    shown = [
        f"<b>{esc(field_label(str(k), lang))}:</b> "
        + esc(
            share(v) if "share" in str(k) and isinstance(v, float) else _generic_cell(v, lang).show
        )
        for k, v in values.items()
        if _scalar(v) and v is not None
    ]
    return f'<p class="note facts">{" · ".join(shown)}</p>' if shown else ""


def generic_section(key: str, value: Any, prefix: str, lang: Lang, depth: int = 0) -> str:
    """Any report key this page has no layout for: lists of rows as tables, tallies as tables,
    nested sections as a heading with their parts, scalars as a line of facts."""
    table_id = f"{prefix}-{key}".replace("_", "-")
    if isinstance(value, list):
        if any(isinstance(r, Mapping) for r in value):
            return h3(field_label(key, lang), len(value)) + generic_rows(table_id, value, lang)
        return facts({key: ", ".join(str(v) for v in value)}, lang) if value else ""
    if not isinstance(value, Mapping) or not value:
        return facts({key: value}, lang) if _scalar(value) else ""
    if all(isinstance(v, Mapping) for v in value.values()):  # {key: {figure: value}}
        return h3(field_label(key, lang), len(value)) + generic_tallies(
            table_id, field_label("key", lang), value, lang
        )
    heading = field_label(key, lang)
    parts = [h3(heading) if depth == 0 else f"<h4>{esc(heading)}</h4>"]
    parts.append(facts({k: v for k, v in value.items() if _scalar(v)}, lang))
    if depth < 2:
        parts += [
            generic_section(str(k), v, table_id, lang, depth + 1)
            for k, v in value.items()
            if not _scalar(v)
        ]
    return "\n".join(p for p in parts if p)


class Names:
    """What people read for ids on the page, in its language: a place's, village's, cadre's,
    organisation's or pool's name beside its id (``东坡村 (V1)``), a department by its label,
    a code by its label."""

    def __init__(self, name_of: NameOf | None, lang: Lang) -> None:
        self.name_of, self.lang = name_of, lang

    def named(self, item_id: Any) -> str:
        """An id with its name beside it (the id alone when it has no name)."""
        return named(item_id, self.name_of)

    def cell(self, item_id: Any) -> Cell:
        """A cell of an id with its name, sorted by the name."""
        if item_id is None or item_id == "":
            return text(None)
        key = str(item_id)
        found = self.name_of(key) if self.name_of is not None else None
        return Cell(self.named(key), sort=found or key)

    def town(self, town_id: Any) -> Cell:
        """A town's name and id."""
        return self.cell(town_id)

    def village(self, village_id: Any) -> Cell:
        """A village's name and id."""
        return self.cell(village_id)

    def who(self, provider: Any) -> str:
        """A provider or department as people know it."""
        return who(provider, self.lang, self.name_of)

    def people(self, values: Any) -> Cell:
        """A list of providers or departments, comma-separated."""
        if not isinstance(values, list | tuple):
            return text(None if values is None else self.who(values))
        return text(t("list.sep", self.lang).join(self.who(v) for v in values) or None)

    def code(self, kind: str, code: Any) -> str:
        """A code's label (a dash when missing)."""
        return label(kind, str(code), self.lang) if code else DASH


def records_tip(details: Any, names: Names) -> str | None:
    """Ledger records as tooltip lines: id, provider, department, date, money, hours."""
    if not isinstance(details, list):
        return None
    lang = names.lang
    lines = [
        t(
            "html.record_tip",
            lang,
            id=d.get("id"),
            provider=names.who(d.get("provider")),
            department=names.who(d.get("department"))
            + (f", {names.code('category', d.get('category'))}" if d.get("category") else ""),
            date=d.get("date"),
            yuan=number(d.get("cost")),
            hours=number(d.get("hours"), 1),
        )
        for d in details
        if isinstance(d, Mapping)
    ]
    return "\n".join(lines) or None
