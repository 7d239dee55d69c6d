"""A plan file as flat tables for planners: what the Excel workbook and the CSV files hold.

Built from the plan file alone (DESIGN §6), so a plan can be exported anywhere the scenario is
not at hand: assignments and open needs carry their village and category, and the KPIs and the
two reports are inside the plan. Each table has a Chinese header row and an English one (the
field names), the convention of the import template, and rows of plain values (text, numbers,
booleans, empty) so that spreadsheets sort and sum them. Lists inside a cell are written as
text ("P-edu 800; P-west 200").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from matcher.evaluate.kpis import stored_kpis
from matcher.i18n import MESSAGES, codes
from matcher.i18n.codes import zh
from matcher.plan import FundingLine, Plan
from matcher.reports.shapes import BlindSpotsReport, DuplicateAidReport, stored_reports

Cell = str | int | float | bool | None
Row = TypeVar("Row")
Section = TypeVar("Section")

# Excel number formats by column kind; None keeps Excel's General format.
YUAN = "#,##0"
SHARE = "0.0%"
DECIMAL = "0.00"


@dataclass(frozen=True)
class Column:
    """A column: its English field name (header row 2), Chinese header (row 1), number format."""

    key: str
    zh: str
    number_format: str | None = None


@dataclass(frozen=True)
class Table:
    """One sheet: a title, its columns, its rows of plain values, and a note for the reader
    when the table is empty or needs explaining (the workbook shows it below the table)."""

    title: str
    columns: tuple[Column, ...]
    rows: list[list[Cell]]
    note: str | None = None

    @property
    def header_zh(self) -> list[str]:
        """The Chinese header row (row 1)."""
        return [c.zh for c in self.columns]

    @property
    def header_en(self) -> list[str]:
        """The English header row: field names (row 2)."""
        return [c.key for c in self.columns]


REASON_ZH = zh(codes.UNMET_REASON)

_KPI_ZH: dict[str, str] = {
    key.removeprefix("kpi."): names[0] for key, names in MESSAGES.items() if key.startswith("kpi.")
} | REASON_ZH


def _funding_text(lines: Iterable[FundingLine]) -> str:
    return "; ".join(f"{line.pool} {line.amount}" for line in lines)


def _plain(value: object) -> Cell:
    """A JSON value as a cell: numbers and text kept, lists as "a, b", dicts as "k v; k v"."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return "; ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join("" if i is None else str(i) for i in value)
    return str(value)


def _object(value: Section | None) -> Section | None:
    """``value`` when it is a JSON object, else None (a plan file may hold anything)."""
    return value if isinstance(value, Mapping) else None


def _duplicate_aid(plan: Plan) -> DuplicateAidReport | None:
    return _object(stored_reports(plan.reports).get("duplicate_aid"))


def _blind_spots(plan: Plan) -> BlindSpotsReport | None:
    return _object(stored_reports(plan.reports).get("blind_spots"))


def _rows(items: list[Row] | None) -> list[Row]:
    """The JSON objects of a report's list (none when it is missing or not a list)."""
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _is_share(key: str) -> bool:
    return key.endswith(("_share", "_target")) or key == "gap"


def summary_table(plan: Plan) -> Table:
    """Solver, status, objective, bound, gap, seconds, seed; scenario name and hash; counts."""
    s, ref = plan.solver, plan.scenario
    duplicate_aid = _duplicate_aid(plan)
    dup_note = _object(duplicate_aid.get("plan_duplicates")) if duplicate_aid else None
    rows: list[list[Cell]] = [
        ["solver", "求解器", s.name],
        ["status", "状态", s.status],
        ["objective", "目标函数值", s.objective],
        ["bound", "目标上界", s.bound],
        ["gap", "最优性差距", s.gap],
        ["seconds", "用时（秒）", s.seconds],
        ["seed", "随机种子", s.seed],
        ["version", "版本", s.version],
        ["scenario_name", "情景名称", ref.name],
        ["scenario_sha256", "情景校验值 SHA-256", ref.sha256],
        ["assignments", "已分配需求数", len(plan.assignments)],
        ["pairings", "包村结对数", len(plan.pairings)],
        ["unmet", "未满足需求数", len(plan.unmet)],
        ["duplicate_services", "重复服务数", len(plan.duplicate_services)],
        ["violations", "违反硬约束数", len(plan.violations)],
    ]
    if dup_note is not None and dup_note.get("note"):
        rows.append(["duplicate_services_note", "重复服务说明", str(dup_note["note"])])
    columns = (Column("key", "项目代码"), Column("label", "项目"), Column("value", "数值"))
    return Table("方案概要", columns, rows)


def _kpi_rows(prefix: str, label: str, value: object, rows: list[list[Cell]]) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            part = _KPI_ZH.get(str(key), str(key))
            _kpi_rows(f"{prefix}.{key}", f"{label}：{part}", child, rows)
    else:
        rows.append([prefix, label, _plain(value)])


def kpis_table(plan: Plan) -> Table:
    """Every KPI as key, label, value; nested figures flattened to dotted keys
    (``funding_by_pool.P-edu.left``, ``unmet_by_reason.capacity_exhausted``)."""
    rows: list[list[Cell]] = []
    for key, value in plan.kpis.items():
        _kpi_rows(key, _KPI_ZH.get(key, key.replace("_", " ")), value, rows)
    columns = (Column("key", "指标代码"), Column("label", "指标"), Column("value", "数值"))
    note = None if rows else "the plan file carries no KPIs: run `matcher check` to compute them"
    return Table("关键指标", columns, rows, note)


def _records(
    title: str,
    columns: Sequence[Column],
    records: Iterable[Mapping[str, Any]],
    note: str | None = None,
) -> Table:
    """A table of records: each column takes the record's field of its name, lists and dicts
    written as text."""
    rows = [[_plain(r.get(c.key)) for c in columns] for r in records]
    return Table(title, tuple(columns), rows, note)


def _spend(lines: Sequence[FundingLine]) -> dict[str, Any]:
    return {"funding_yuan": sum(x.amount for x in lines), "funding": _funding_text(lines)}


_ASSIGNMENTS = (
    Column("need", "需求编号"),
    Column("village", "村"),
    Column("category", "类别"),
    Column("provider", "服务者"),
    Column("travel_minutes", "单程路途（分钟）", DECIMAL),
    Column("hours", "工时（含路途）", DECIMAL),
    Column("funding_yuan", "资金合计（元）", YUAN),
    Column("funding", "资金来源"),
)


def assignments_table(plan: Plan) -> Table:
    """One row per served need: who serves it, the travel, hours and money."""
    records = ({**a.model_dump(), **_spend(a.funding)} for a in plan.assignments)
    return _records("需求分配", _ASSIGNMENTS, records)


def pairings_table(plan: Plan) -> Table:
    """One row per pairing of a cadre with a village (包村)."""
    columns = (Column("cadre", "干部"), Column("village", "村"))
    return _records("包村结对", columns, (p.model_dump() for p in plan.pairings))


_POOLS = (
    Column("pool", "资金池"),
    Column("amount", "总额（元）", YUAN),
    Column("used", "已用（元）", YUAN),
    Column("left", "余额（元）", YUAN),
    Column("needs_paid", "资助需求数"),
)


def funding_by_pool_table(plan: Plan) -> Table:
    """Each pool's amount, used and left (from the KPIs) and how many served needs it helps
    pay for; a pool the KPIs lack (a hand-written plan) shows what the assignments spent."""
    paid: Counter[str] = Counter()
    spent: Counter[str] = Counter()
    for a in plan.assignments:
        paid.update({line.pool for line in a.funding if line.amount > 0})
        for line in a.funding:
            spent[line.pool] += line.amount
    kpi = stored_kpis(plan.kpis).get("funding_by_pool")
    pools = {str(k): v for k, v in kpi.items()} if isinstance(kpi, Mapping) else {}
    records = [
        {**(f if isinstance(f, Mapping) else {}), "pool": pool, "needs_paid": paid[pool]}
        for pool, f in pools.items()
    ]
    records += [
        {"pool": pool, "used": spent[pool], "needs_paid": paid[pool]}
        for pool in sorted(set(spent) - set(pools))
    ]
    return _records("资金池使用", _POOLS, records)


_VILLAGE_FUNDING = (
    Column("village", "村"),
    Column("yuan", "资金（元）", YUAN),
    Column("needs_funded", "获资助需求数"),
    Column("needs_served", "已满足需求数"),
)


def funding_by_village_table(plan: Plan) -> Table:
    """Money per village from the assignments' village field (empty village: not stated)."""
    totals: dict[str | None, Counter[str]] = defaultdict(Counter)
    for a in plan.assignments:
        amount = sum(line.amount for line in a.funding)
        totals[a.village].update(yuan=amount, needs_funded=amount > 0, needs_served=1)
    order = sorted(totals, key=lambda v: (v is None, v or ""))
    records = [{"village": v, "yuan": 0, "needs_funded": 0, **totals[v]} for v in order]
    note = None
    if None in totals:
        note = "assignments without a village field are counted on the row with no village"
    return _records("各村资金", _VILLAGE_FUNDING, records, note)


_UNMET = (
    Column("need", "需求编号"),
    Column("village", "村"),
    Column("category", "类别"),
    Column("reason", "原因代码"),
    Column("reason_label", "原因"),
    Column("detail", "说明"),
    Column("detail_en", "说明（英文）"),
)


def unmet_table(plan: Plan) -> Table:
    """One row per open need with its most structural reason: the detail in Chinese where the
    plan carries it (``detail_zh``, names beside ids), else as written, and the English kept
    beside it."""
    records = (
        {
            **u.model_dump(),
            "reason_label": REASON_ZH.get(u.reason, u.reason),
            "detail": u.detail_zh or u.detail,
            "detail_en": u.detail,
        }
        for u in plan.unmet
    )
    return _records("未满足需求", _UNMET, records)


_DUPLICATE_GROUPS = (
    Column("household", "户"),
    Column("village", "村"),
    Column("category", "类别"),
    Column("records", "帮扶记录"),
    Column("providers", "帮扶方"),
    Column("departments", "部门"),
    Column("dates", "日期"),
    Column("span_days", "间隔天数"),
    Column("total_yuan", "资金合计（元）", YUAN),
    Column("total_hours", "工时合计", DECIMAL),
    Column("waste_yuan", "重复资金（元）", YUAN),
    Column("waste_hours", "重复工时", DECIMAL),
    Column("needs", "相关需求"),
)


def duplicate_aid_groups_table(plan: Plan) -> Table:
    """The duplicate-aid report's groups: one household (or village) and category helped by
    more than one provider inside the window, with the waste beyond the first record."""
    report = _duplicate_aid(plan)
    records = []
    for g in _rows(report.get("groups") if report else None):
        dates = [d.get("date") for d in _rows(g.get("details"))]
        records.append({**g, "dates": "; ".join(str(d) for d in dates if d is not None)})
    note = None if report else "the plan file has no duplicate-aid report"
    return _records("重复帮扶", _DUPLICATE_GROUPS, records, note)


_DUPLICATE_SERVICES = (
    Column("need", "需求编号"),
    Column("provider", "服务者"),
    Column("department", "部门"),
    Column("why", "重复原因"),
    Column("household", "户"),
    Column("village", "村"),
    Column("category", "类别"),
    Column("travel_minutes", "单程路途（分钟）", DECIMAL),
    Column("hours", "工时（含路途）", DECIMAL),
    Column("funding_yuan", "资金（元）", YUAN),
    Column("funding", "资金来源"),
)


def duplicate_services_table(plan: Plan) -> Table:
    """Services a siloed plan spent on aid already given or planned by another silo, with
    the report's department, household, village and category; empty (with a note) for a
    joint plan, which never holds one (H1)."""
    report = _duplicate_aid(plan)
    plan_dups = _object(report.get("plan_duplicates")) if report else None
    services = _rows(plan_dups.get("services") if plan_dups else None)
    known = {(s.get("need"), s.get("provider")): s for s in services}
    records = [
        {**known.get((d.need, d.provider), {}), **d.model_dump(), **_spend(d.funding)}
        for d in plan.duplicate_services
    ]
    note = None
    if not records:
        stated = plan_dups.get("note") if plan_dups else None
        note = str(stated or "none: the plan holds no duplicate service")
    return _records("方案内重复服务", _DUPLICATE_SERVICES, records, note)


_SHORT_VILLAGES = (
    Column("village", "村"),
    Column("name", "村名"),
    Column("town", "乡镇"),
    Column("households", "户数"),
    Column("pairings", "包村干部数"),
    Column("required", "最少干部数"),
    Column("shortfall", "缺口"),
    Column("why", "原因"),
    Column("paired_cadres", "已结对干部"),
    Column("cadres_in_reach", "可及干部数"),
)


def short_villages_table(plan: Plan) -> Table:
    """Villages with fewer paired cadres than the policy's minimum, and why (blind spots)."""
    report = _blind_spots(plan)
    note = None if report else "the plan file has no blind-spot report"
    short = _rows(report.get("short_villages") if report else None)
    return _records("包村不足的村", _SHORT_VILLAGES, short, note)


_UNMET_GROUPS = (
    Column("town", "乡镇"),
    Column("category", "类别"),
    Column("needs", "未满足需求数"),
    Column("villages", "涉及村数"),
    Column("main_reason", "主要原因"),
    Column("reasons", "原因分布"),
    Column("value_open", "未满足价值", DECIMAL),
    Column("hours_open", "未满足工时", DECIMAL),
    Column("yuan_open", "未满足资金（元）", YUAN),
    Column("need_ids", "需求编号（前20个）"),
)


def unmet_groups_table(plan: Plan) -> Table:
    """Open needs grouped by town × category with their reasons (blind-spot report)."""
    report = _blind_spots(plan)
    note = None if report else "the plan file has no blind-spot report"
    groups = _rows(report.get("unmet_groups") if report else None)
    return _records("未满足需求分组", _UNMET_GROUPS, groups, note)


_BUILDERS: dict[str, Callable[[Plan], Table]] = {
    "summary": summary_table,
    "kpis": kpis_table,
    "assignments": assignments_table,
    "pairings": pairings_table,
    "funding_by_pool": funding_by_pool_table,
    "funding_by_village": funding_by_village_table,
    "unmet": unmet_table,
    "duplicate_aid_groups": duplicate_aid_groups_table,
    "duplicate_services": duplicate_services_table,
    "short_villages": short_villages_table,
    "unmet_groups": unmet_groups_table,
}
# The sheet names, in workbook order; also the CSV file names (``<sheet>.csv``).
SHEETS: tuple[str, ...] = tuple(_BUILDERS)


def plan_tables(plan: Plan) -> dict[str, Table]:
    """Every table of a plan by sheet name, in :data:`SHEETS` order (every sheet always
    present, empty ones with a note, so that scripts can rely on the set)."""
    return {name: build(plan) for name, build in _BUILDERS.items()}


def share_rows(table: Table) -> set[int]:
    """Rows of a key/label/value table (summary, kpis) whose value is a share: shown as %."""
    return {i for i, row in enumerate(table.rows) if isinstance(row[0], str) and _is_share(row[0])}
