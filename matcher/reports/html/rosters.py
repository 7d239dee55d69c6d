"""The three lists of 包村联户 as printable HTML: one township per printed page.

:func:`render_rosters` renders :func:`matcher.reports.rosters.rosters` as one ``<section>`` to
include in the report page (or to print on its own). The section starts a printed page, and so
does each town after the first (``break-before: page``); a town's page holds its pairing
roster (包村名单), its service list (联户服务清单) and the task lists (一人一单) of the
providers based there, then a line to sign. Headers are in the rosters' language with the other
one beneath them; names stand beside ids. The section carries its own style sheet, scoped to
``.rosters``, and nothing that loads from a network; every text from the scenario or the plan
is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher.i18n import Lang, t
from matcher.reports.html.fmt import DASH, esc, number
from matcher.reports.rosters import (
    PairedCadre,
    ProviderSheet,
    Rosters,
    RosterTown,
    RosterVillage,
    ServiceLine,
    household_shown,
)

ROSTER_CSS = """
.rosters .roster-town { margin: 0 0 28px; }
.rosters h2 .alt, .rosters h3 .alt { color: #5f6b7a; font-weight: 400; font-size: .8em;
  margin-left: 8px; }
.rosters table.roster { border-collapse: collapse; font-size: .85rem; width: 100%;
  margin: 4px 0 14px; }
.rosters table.roster th, .rosters table.roster td { border: 1px solid #c9d1da;
  padding: 3px 6px; vertical-align: top; text-align: left; }
.rosters table.roster th { position: static; background: #e9eef3; font-weight: 600; }
.rosters table.roster th .alt { display: block; font-weight: 400; font-size: .75em;
  color: #5f6b7a; }
.rosters table.roster td.num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.rosters table.roster td.nw { white-space: nowrap; }
.rosters .id { color: #5f6b7a; font-size: .85em; margin-left: 4px; white-space: nowrap; }
.rosters tr.group-start td { border-top: 2px solid #7b8794; }
.rosters tr.released td { color: #8a94a0; text-decoration: line-through; }
.rosters .short { color: #b42318; font-weight: 600; display: block; }
.rosters .tag { display: inline-block; border: 1px solid #c9d1da; border-radius: 8px;
  padding: 0 5px; margin: 1px 2px 0 0; font-size: .8em; }
.rosters .person { margin: 10px 0 4px; font-weight: 600; }
.rosters .person .figures { font-weight: 400; margin-left: 10px; }
.rosters .over { color: #b42318; }
.rosters .sign { margin: 18px 0 0; }
.rosters .empty { color: #5f6b7a; font-style: italic; }
@media print {
  .rosters { break-before: page; page-break-before: always; }
  .rosters .roster-town + .roster-town { break-before: page; page-break-before: always; }
  .rosters table.roster thead { display: table-header-group; }
  .rosters table.roster tr, .rosters .person { break-inside: avoid; }
  .rosters .person { break-after: avoid; }
}
"""


def _other(lang: Lang) -> Lang:
    """The language shown beside ``lang``."""
    return "en" if lang == "zh" else "zh"


def _both(key: str, lang: Lang, tag: str = "span", **params: object) -> str:
    """A message in ``lang`` with the other language beside it (escaped)."""
    other = _other(lang)
    return (
        f"{esc(t(key, lang, **params))}"
        f'<{tag} class="alt" lang="{other}">{esc(t(key, other, **params))}</{tag}>'
    )


def _named(name: str | None, item_id: str | None) -> str:
    """A name with its id beside it (the id alone when unnamed), escaped."""
    if not item_id:
        return esc(name) if name else DASH
    if not name:
        return esc(item_id)
    return f'{esc(name)}<span class="id">{esc(item_id)}</span>'


def _cell(html: str, numeric: bool = False, rowspan: int = 1, nowrap: bool = False) -> str:
    """A ``<td>`` around already escaped HTML."""
    css = "num" if numeric else "nw" if nowrap else ""
    attrs = f' class="{css}"' if css else ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    return f"<td{attrs}>{html}</td>"


def _num(value: float | int | None, decimals: int = 0) -> str:
    """A right-aligned number (a dash when missing)."""
    return _cell(esc(number(value, decimals)), numeric=True)


def _table(headers: Sequence[str], rows: Sequence[str], lang: Lang) -> str:
    """A printable table whose headers are message keys, shown in both languages."""
    if not rows:
        return f'<p class="empty">{esc(t("roster.none", lang))}</p>'
    head = "".join(f'<th scope="col">{_both(h, lang)}</th>' for h in headers)
    return (
        f'<table class="roster"><thead><tr>{head}</tr></thead><tbody>'
        + "\n".join(rows)
        + "</tbody></table>"
    )


# The pairing roster


_PAIRING_HEADERS = (
    "roster.village",
    "roster.households",
    "roster.cadre",
    "roster.post",
    "roster.department",
    "roster.pairing_status",
    "roster.minutes",
    "roster.visits",
    "roster.visit_hours",
)


def _cadre_cells(cadre: PairedCadre, status: str) -> str:
    """The cells of a paired (or released) cadre after the village's."""
    return (
        _cell(_named(cadre["name"], cadre["cadre"]))
        + _cell(esc(cadre["title"] or DASH))
        + _cell(esc(cadre["department_label"] or cadre["department"] or DASH))
        + _cell(esc(status))
        + _num(cadre["minutes"])
        + _num(cadre["visits"])
        + _num(cadre["hours"], 1)
    )


def _village_rows(village: RosterVillage, lang: Lang) -> list[str]:
    """A village's rows: its cadres (or a line saying it has none), then those released;
    the village and its households span them."""
    lines: list[tuple[str, str]] = []  # (row class, the cadre's cells)
    for cadre in village["cadres"]:
        status = (
            ""
            if cadre["existing"] is None
            else t("roster.existing" if cadre["existing"] else "roster.new", lang)
        )
        lines.append(("", _cadre_cells(cadre, status)))
    if not village["cadres"]:
        lines.append(("", f'<td colspan="7" class="empty">{esc(t("roster.no_cadre", lang))}</td>'))
    for cadre in village["released"]:
        lines.append(("released", _cadre_cells(cadre, t("roster.released", lang))))
    head = _named(village["village_name"], village["village"])
    if village["shortfall"]:
        short = t("roster.short_by", lang, count=village["shortfall"])
        head += f'<span class="short">{esc(short)}</span>'
    span = len(lines)
    rows = []
    for i, (css, cells) in enumerate(lines):
        classes = " ".join(c for c in ("group-start" if i == 0 else "", css) if c)
        attrs = f' class="{classes}"' if classes else ""
        first = ""
        if i == 0:
            households = esc(number(village["households"]))
            first = _cell(head, rowspan=span) + _cell(households, numeric=True, rowspan=span)
        rows.append(f"<tr{attrs}>{first}{cells}</tr>")
    return rows


def _pairing_section(villages: list[RosterVillage], lang: Lang) -> str:
    """包村名单 of one town."""
    rows = [row for village in villages for row in _village_rows(village, lang)]
    return f"<h3>{_both('roster.pairing', lang)}</h3>" + _table(_PAIRING_HEADERS, rows, lang)


# The service list


_SERVICE_HEADERS = (
    "roster.village",
    "roster.household",
    "roster.need",
    "roster.category",
    "roster.provider_name",
    "roster.provider_unit",
    "roster.hours",
    "roster.yuan",
    "roster.funding",
    "roster.submitted",
)


def _funding(line: ServiceLine) -> str:
    """Each paying pool by name with its amount, one per line."""
    shares = [
        f"{_named(s['pool_name'], s['pool'])} {esc(number(s['amount']))}" for s in line["funding"]
    ]
    return "<br>".join(shares) or DASH


def _service_row(line: ServiceLine, first_of_village: bool, lang: Lang) -> str:
    """A served need; the village is named on its first row only."""
    tags = "".join(f'<span class="tag">{esc(tag)}</span>' for tag in line["vulnerable_labels"])
    whom = esc(household_shown(line, lang))
    if line["household_label"] and line["household"]:
        whom += f'<span class="id">{esc(line["household"])}</span>'
    village = _named(line["village_name"], line["village"]) if first_of_village else ""
    css = ' class="group-start"' if first_of_village else ""
    return (
        f"<tr{css}>"
        + _cell(village)
        + _cell(whom, nowrap=True)
        + _cell(esc(line["need"]), nowrap=True)
        + _cell(
            esc(line["category_label"] or line["category"] or DASH) + (" " + tags if tags else "")
        )
        + _cell(_named(line["provider_name"], line["provider"]))
        + _cell(esc(line["provider_unit"] or DASH))
        + _num(line["hours"], 1)
        + _num(line["yuan"])
        + _cell(_funding(line))
        + _cell(esc(line["submitted"] or DASH), nowrap=True)
        + "</tr>"
    )


def _service_section(lines: list[ServiceLine], lang: Lang) -> str:
    """联户服务清单 of one town."""
    rows = []
    previous: str | None = None
    for line in lines:
        rows.append(_service_row(line, line["village"] != previous, lang))
        previous = line["village"]
    return f"<h3>{_both('roster.service', lang)}</h3>" + _table(_SERVICE_HEADERS, rows, lang)


# Each provider's own list


_TASK_HEADERS = (
    "roster.task",
    "roster.where",
    "roster.for_whom",
    "roster.need",
    "roster.minutes",
    "roster.hours",
    "roster.yuan",
)


def _parenthesised(text: str, lang: Lang) -> str:
    """Text in full-width brackets in Chinese, in plain ones in English."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _person(sheet: ProviderSheet, lang: Lang) -> str:
    """One person's list: who, their post and unit, hours planned against hours available,
    then their tasks."""
    kind = "roster.type_cadre" if sheet["provider_type"] == "cadre" else "roster.type_organization"
    bits = [
        t(kind, lang) if sheet["provider_type"] else None,
        sheet["title"],
        sheet["unit_label"],
        f"{t('roster.base', lang)} {sheet['base_name'] or sheet['base']}"
        if sheet["base"]
        else None,
    ]
    about = " · ".join(esc(b) for b in bits if b)
    total, available, left = sheet["hours_total"], sheet["hours_available"], sheet["hours_left"]
    figures = f"{esc(t('roster.hours_total', lang))} {esc(number(total, 1))}"
    if available is not None:
        over = ' class="over"' if left is not None and left < -1e-6 else ""
        left_text = f"{t('roster.hours_left', lang)} {number(left, 1)}"
        figures += (
            f" / {esc(t('roster.hours_available', lang))} {esc(number(available, 1))}"
            f"<span{over}>{esc(_parenthesised(left_text, lang))}</span>"
        )
    head = (
        f'<p class="person">{_named(sheet["name"], sheet["provider"])}'
        f"{' · ' + about if about else ''}"
        f'<span class="figures">{figures}</span></p>'
    )
    rows = []
    for task in sheet["tasks"]:
        where = _named(task["village_name"], task["village"])
        if task["town_name"]:
            where = f"{esc(task['town_name'])} · {where}"
        whom = esc(household_shown(task, lang)) if task["task"] == "service" else DASH
        rows.append(
            "<tr>"
            + _cell(esc(task["what"]))
            + _cell(where)
            + _cell(whom)
            + _cell(esc(task["need"] or DASH))
            + _num(task["minutes"])
            + _num(task["hours"], 1)
            + _num(task["yuan"])
            + "</tr>"
        )
    return head + _table(_TASK_HEADERS, rows, lang)


def _provider_section(sheets: list[ProviderSheet], lang: Lang) -> str:
    """个人任务单 of the people on one town's page."""
    body = "\n".join(_person(s, lang) for s in sheets)
    if not sheets:
        body = f'<p class="empty">{esc(t("roster.none", lang))}</p>'
    return f"<h3>{_both('roster.provider', lang)}</h3>{body}"


# The whole


def _town_page(rosters: Rosters, town: RosterTown, lang: Lang) -> str:
    """One town's printed page(s): the lists asked for, then a line to sign."""
    z = town["town"]
    shown = town["town_name"] or z or t("roster.no_town", lang)
    title = esc(t("roster.town_page", lang, town=shown))
    if town["town_name"] and z:
        title += f'<span class="id">{esc(z)}</span>'
    parts = [f'<div class="roster-town" data-town="{esc(z or "")}"><h2>{title}</h2>']
    kinds = rosters["kinds"]
    if "pairing" in kinds:
        parts.append(_pairing_section([v for v in rosters["pairing"] if v["town"] == z], lang))
    if "service" in kinds:
        parts.append(_service_section([s for s in rosters["service"] if s["town"] == z], lang))
    if "provider" in kinds:
        # Each person's list is printed once, on the page of the town of their base; a
        # roster filtered to one town prints everyone working there on that town's page.
        filtered = rosters["town"] is not None
        sheets = [p for p in rosters["provider"] if filtered or p["town"] == z]
        parts.append(_provider_section(sheets, lang))
    parts.append(f'<p class="sign">{esc(t("roster.signature", lang))}</p></div>')
    return "\n".join(parts)


def render_rosters(rosters: Rosters, lang: Lang = "zh") -> str:
    """The rosters as one printable, self-contained ``<section id="rosters">``: a town per
    printed page, headers in ``lang`` with the other language beneath (labels of categories
    and departments are those the rosters were built in)."""
    note = ""
    if not rosters["complete"]:
        note = f'<p class="note">{_both("roster.from_plan_only", lang)}</p>'
    meta = [rosters["scenario"]]
    if rosters["horizon_start"]:
        meta.append(f"{rosters['horizon_start']} + {rosters['horizon_days']}")
    meta_line = " · ".join(esc(m) for m in meta if m)
    towns = rosters["towns"] or [{"town": None, "town_name": None}]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return "\n".join(
        [
            f'<section id="rosters" class="rosters" lang="{html_lang}">',
            f"<style>{ROSTER_CSS}</style>",
            f"<h2>{_both('roster.title', lang)}</h2>",
            f'<p class="note">{meta_line}</p>' if meta_line else "",
            note,
            *(_town_page(rosters, town, lang) for town in towns),
            "</section>",
        ]
    )
