"""The three lists of 包村联户 (:mod:`matcher.reports.rosters`) as flat tables for the workbook
and the CSV files: 包村名单 (one row per village and paired cadre), 联户服务清单 (one row per
served need) and 个人任务单 (one row per task of each provider).

The sheets are named in Chinese (what a township office prints); their CSV files by the
English keys of :data:`ROSTER_SHEETS`. As in the plan's other tables, row 1 holds the Chinese
headers and row 2 the English field names; every row carries its town and village, so that
Excel's filter cuts out one township's lists. Built with the scenario (``index``) the lists are
complete; without it, from the plan's own naming fields, towns, departments, posts and hours
available stay empty and each sheet says so in its note.
"""

from __future__ import annotations

from matcher.export.plan_tables import DECIMAL, YUAN, Cell, Column, Table
from matcher.i18n import Lang, t
from matcher.plan import Plan, carries_names
from matcher.problem.index import ScenarioIndex
from matcher.reports.rosters import (
    FundingShare,
    PairedCadre,
    ProviderType,
    Rosters,
    RosterVillage,
    household_shown,
    rosters,
)

ROSTER_SHEETS: dict[str, str] = {
    "pairing_roster": t("roster.pairing", "zh"),
    "service_list": t("roster.service", "zh"),
    "provider_tasks": t("roster.provider", "zh"),
}
"""The roster tables' keys (CSV file names ``<key>.csv``) and Chinese sheet names, in order."""


def _col(key: str, message: str, number_format: str | None = None) -> Column:
    """A column whose Chinese header is the catalogue's (one wording everywhere)."""
    return Column(key, t(message, "zh"), number_format)


def _type_label(kind: ProviderType | None, lang: Lang) -> str | None:
    """干部 or 社会力量 (cadre or social organisation)."""
    if kind is None:
        return None
    return t("roster.type_cadre" if kind == "cadre" else "roster.type_organization", lang)


def _funding_text(shares: list[FundingShare]) -> str:
    """ "农业农村局帮扶资金 3,000; P-west 800": each pool by name (its id when unnamed)."""
    return "; ".join(f"{s['pool_name'] or s['pool']} {s['amount']:,}" for s in shares)


_PAIRING = (
    _col("town", "roster.town_id"),
    _col("town_name", "roster.town"),
    _col("village", "roster.village_id"),
    _col("village_name", "roster.village"),
    _col("households", "roster.households"),
    _col("cadre", "roster.cadre_id"),
    _col("cadre_name", "roster.name"),
    _col("title", "roster.post"),
    _col("department", "roster.department"),
    _col("status", "roster.pairing_status"),
    _col("minutes", "roster.minutes", DECIMAL),
    _col("visits", "roster.visits"),
    _col("hours", "roster.visit_hours", DECIMAL),
    _col("shortfall", "roster.shortfall"),
)


def _pairing_row(village: RosterVillage, cadre: PairedCadre | None, status: str) -> list[Cell]:
    """A row of 包村名单: the village, then the cadre (empty for a village without one)."""
    head: list[Cell] = [
        village["town"],
        village["town_name"],
        village["village"],
        village["village_name"],
        village["households"],
    ]
    if cadre is None:
        return [*head, None, None, None, None, status, None, None, None, village["shortfall"]]
    return [
        *head,
        cadre["cadre"],
        cadre["name"],
        cadre["title"],
        cadre["department_label"],
        status,
        cadre["minutes"],
        cadre["visits"],
        cadre["hours"],
        village["shortfall"],
    ]


def pairing_roster_table(found: Rosters) -> Table:
    """包村名单: per village its paired cadres (existing first), a row saying so for a village
    with none, and the existing pairings the plan releases."""
    lang = found["lang"]
    rows: list[list[Cell]] = []
    for village in found["pairing"]:
        for cadre in village["cadres"]:
            status = t("roster.existing" if cadre["existing"] else "roster.new", lang)
            rows.append(_pairing_row(village, cadre, "" if cadre["existing"] is None else status))
        if not village["cadres"]:
            rows.append(_pairing_row(village, None, t("roster.no_cadre", lang)))
        for cadre in village["released"]:
            rows.append(_pairing_row(village, cadre, t("roster.released", lang)))
    return Table(ROSTER_SHEETS["pairing_roster"], _PAIRING, rows, _note(found))


_SERVICE = (
    _col("town", "roster.town_id"),
    _col("town_name", "roster.town"),
    _col("village", "roster.village_id"),
    _col("village_name", "roster.village"),
    _col("for_whom", "roster.household"),
    _col("household", "roster.household_id"),
    _col("need", "roster.need"),
    _col("category", "roster.category"),
    _col("vulnerable", "roster.vulnerable"),
    _col("provider", "roster.provider_id"),
    _col("provider_name", "roster.provider_name"),
    _col("provider_type", "roster.provider_type"),
    _col("provider_unit", "roster.provider_unit"),
    _col("minutes", "roster.minutes", DECIMAL),
    _col("hours", "roster.hours", DECIMAL),
    _col("yuan", "roster.yuan", YUAN),
    _col("funding", "roster.funding"),
    _col("submitted", "roster.submitted"),
)


def service_list_table(found: Rosters) -> Table:
    """联户服务清单: one row per served need, for whom, by whom, with which money."""
    lang = found["lang"]
    rows: list[list[Cell]] = [
        [
            s["town"],
            s["town_name"],
            s["village"],
            s["village_name"],
            household_shown(s, lang),
            s["household"],
            s["need"],
            s["category_label"] or s["category"],
            "、".join(s["vulnerable_labels"]) or None,
            s["provider"],
            s["provider_name"],
            _type_label(s["provider_type"], lang),
            s["provider_unit"],
            s["minutes"],
            s["hours"],
            s["yuan"],
            _funding_text(s["funding"]) or None,
            s["submitted"],
        ]
        for s in found["service"]
    ]
    return Table(ROSTER_SHEETS["service_list"], _SERVICE, rows, _note(found))


_PROVIDER = (
    _col("provider", "roster.provider_id"),
    _col("name", "roster.name"),
    _col("provider_type", "roster.provider_type"),
    _col("title", "roster.post"),
    _col("unit", "roster.provider_unit"),
    _col("base_name", "roster.base"),
    _col("task", "roster.task"),
    _col("town_name", "roster.town"),
    _col("village", "roster.village_id"),
    _col("village_name", "roster.village"),
    _col("for_whom", "roster.for_whom"),
    _col("need", "roster.need"),
    _col("minutes", "roster.minutes", DECIMAL),
    _col("hours", "roster.hours", DECIMAL),
    _col("yuan", "roster.yuan", YUAN),
    _col("hours_total", "roster.hours_total", DECIMAL),
    _col("hours_available", "roster.hours_available", DECIMAL),
    _col("hours_left", "roster.hours_left", DECIMAL),
)


def provider_tasks_table(found: Rosters) -> Table:
    """个人任务单: one row per task of each provider (its visits, then its services), with the
    provider's total hours against the hours it has on every row."""
    lang = found["lang"]
    rows: list[list[Cell]] = []
    for p in found["provider"]:
        for task in p["tasks"]:
            whom = household_shown(task, lang) if task["task"] == "service" else None
            rows.append(
                [
                    p["provider"],
                    p["name"],
                    _type_label(p["provider_type"], lang),
                    p["title"],
                    p["unit_label"],
                    p["base_name"] or p["base"],
                    task["what"],
                    task["town_name"],
                    task["village"],
                    task["village_name"],
                    whom,
                    task["need"],
                    task["minutes"],
                    task["hours"],
                    task["yuan"],
                    p["hours_total"],
                    p["hours_available"],
                    p["hours_left"],
                ]
            )
    return Table(ROSTER_SHEETS["provider_tasks"], _PROVIDER, rows, _note(found))


def _note(found: Rosters) -> str | None:
    """The sheets' note when the rosters were made without the scenario."""
    return None if found["complete"] else t("roster.from_plan_only", "zh")


def has_rosters(plan: Plan, index: ScenarioIndex | None) -> bool:
    """Whether a plan's export holds the roster sheets: with the scenario, or when the plan
    names its parties itself."""
    return index is not None or carries_names(plan)


def roster_tables(
    plan: Plan, index: ScenarioIndex | None = None, lang: Lang = "zh"
) -> dict[str, Table]:
    """The three roster tables by key (:data:`ROSTER_SHEETS` order); none when the plan
    carries no naming fields and no scenario is given (its rosters would be ids alone)."""
    if not has_rosters(plan, index):
        return {}
    found = rosters(index, plan, lang)
    return {
        "pairing_roster": pairing_roster_table(found),
        "service_list": service_list_table(found),
        "provider_tasks": provider_tasks_table(found),
    }
