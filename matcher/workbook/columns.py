"""The workbook form of a scenario: one declarative table per sheet.

Each list of a scenario (DESIGN §3) is one sheet, titled in Chinese (``需求清单``) or like the
list (``needs``), one row per item and one column per field. A column knows its scenario field
(the English header), its Chinese header, the kind of value its cells hold (which fixes how a
cell is read and written, see :mod:`matcher.workbook.cells`), whether the field is required,
the codes a planner may pick from (written into the template as Excel drop-down lists of
"label code"; the code, its Chinese or English label and the drop-down's form are all
accepted), and the places it refers to (a town or village, by id or by name). ``scenario`` and
``policy`` are key/value sheets: one row per setting.

The reader and the writer both work from these tables, so the template, the export and the
import cannot drift apart; a test checks the tables against the pydantic models.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from matcher.i18n import Lang, codes
from matcher.i18n.codes import Labels, zh
from matcher.prepare.departments import CATEGORY_DEPARTMENT


class Kind(StrEnum):
    """How a cell is read and written (the notation is in :mod:`matcher.workbook.cells`)."""

    TEXT = "text"  # ids and names; numbers in the cell keep all their digits
    HOUSEHOLD = "household"  # text that must be a pseudonymous id (no phone or ID-card number)
    INT = "int"  # a whole number (yuan, counts)
    FLOAT = "float"  # a number (hours, minutes, degrees)
    BOOL = "bool"  # 是/否, yes/no, true/false, 1/0
    DATE = "date"  # ISO date 2026-12-01 (also 2026/12/1, 2026年12月1日 or an Excel date)
    DATES = "dates"  # dates separated by ; ； 、 or , (each as a DATE)
    LIST = "list"  # items separated by ; ； 、 or ,
    SKILLS = "skills"  # skill:level pairs: agri_tech:3; policy_service:2
    JSON = "json"  # a JSON object (the policy's weight tables), or key:value pairs
    NOTE = "note"  # a free remark the reader ignores


Refers = Literal["", "place", "village", "node"]
"""What a column's ids refer to: a place (town or county seat), a village, or either."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet (or one key of a key/value sheet)."""

    field: str  # the scenario field, also the English header
    zh: str  # the Chinese header
    kind: Kind = Kind.TEXT
    required: bool = False
    nullable: bool = False  # a list whose null (empty cell) differs from [] (an explicit "[]")
    choices: tuple[str, ...] = ()  # the codes of the drop-down list
    strict: bool = True  # only the choices are valid (else they are suggestions)
    aliases: tuple[tuple[str, str], ...] = ()  # (another name, the code it stands for)
    unit: str = ""  # shown in the README sheet
    target: tuple[str, ...] = ()  # key/value sheets: where the value goes in the scenario
    labels: Labels = dataclasses.field(default_factory=dict, compare=False, hash=False, repr=False)
    # the codes' Chinese and English labels (the drop-down shows "养老服务 elderly_care")
    refers: Refers = ""  # the places the column names, by id or by name
    lookup: dict[str, str] = dataclasses.field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )  # code_key(any accepted form) -> code, made once

    def __post_init__(self) -> None:
        for name, code in self.aliases:
            self.lookup.setdefault(code_key(name), code)
        if self.strict or self.aliases:
            for code in self.choices:
                self.lookup[code_key(code)] = code  # a code is itself whatever else is alike

    @property
    def headers(self) -> tuple[str, str]:
        """The two header cells: Chinese (row 1) and English (row 2)."""
        return (self.zh, self.field)

    @property
    def label(self) -> str:
        """The Chinese name of the column without its unit (车程(分钟) is 车程)."""
        return without_unit(self.zh)

    def choice_text(self, code: str, lang: Lang) -> str:
        """A code as the drop-down shows it: ``养老服务 elderly_care`` (``elderly_care 养老服务``
        in English), or the code alone when it has no label."""
        found = self.labels.get(code)
        if found is None:
            return code
        return f"{found[0]} {code}" if lang == "zh" else f"{code} {found[0]}"


@dataclass(frozen=True)
class Sheet:
    """One sheet: a scenario list (columns) or a key/value sheet (keys)."""

    name: str  # the scenario list, and the sheet's English title
    zh: str  # the sheet's Chinese title; either is accepted on import
    columns: tuple[Column, ...]
    required: bool
    keys: tuple[Column, ...] = ()  # the settings of a key/value sheet

    @property
    def key_value(self) -> bool:
        """Whether rows are settings (key, value) rather than list items."""
        return bool(self.keys)

    def title(self, lang: Lang) -> str:
        """The sheet's title in a workbook written in ``lang``."""
        return self.zh if lang == "zh" else self.name

    @property
    def both(self) -> str:
        """Both titles, as a message names the sheet: ``需求清单 (needs)``."""
        return f"{self.zh} ({self.name})"


def normalized(text: str) -> str:
    """A header or key as compared: full-width folded, lower case, no spaces, _ or -."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-")


def without_unit(text: str) -> str:
    """A header without its unit: 车程(分钟) is also accepted as 车程, and "minutes (min)" as
    "minutes"."""
    folded = unicodedata.normalize("NFKC", text)
    return folded.split("(", 1)[0].strip()


_NOT_IN_KEY = re.compile(r"[\s_\-/|·・()（）\[\]【】:：]+")


def code_key(text: str) -> str:
    """A code or a label as compared: full-width folded, lower case, without spaces,
    underscores, dashes and brackets, so that ``elderly care``, ``Elderly_Care`` and
    ``养老服务 (elderly_care)`` meet their forms."""
    return _NOT_IN_KEY.sub("", unicodedata.normalize("NFKC", text).casefold())


# ----------------------------------------------------------------------------- codes

CATEGORY_ZH = zh(codes.CATEGORY)
REGION_ZH = zh(codes.REGION)
PLACE_KIND_ZH = zh(codes.PLACE_KIND)
ORGANIZATION_KIND_ZH = zh(codes.ORGANIZATION_KIND)
# The departments that own need categories, then the two that pay without owning one.
DEPARTMENTS: tuple[str, ...] = (*dict.fromkeys(CATEGORY_DEPARTMENT.values()), "finance", "charity")
DEPARTMENT_ZH = zh(codes.DEPARTMENT)
# Other common names of the same bodies, and ledger providers outside the drop-down list.
_DEPARTMENT_OTHER_NAMES: dict[str, str] = {
    "农业农村": "agriculture",
    "人社局": "human_resources",
    "人力资源社会保障局": "human_resources",
    "卫健委": "health",
    "卫生健康局": "health",
    "文旅局": "culture",
    "乡村振兴局": "rural_revitalization",
    "乡镇政府": "township",
    "妇联": "womens_federation",
    "红十字会": "red_cross",
    "商务局": "commerce",
    "司法局": "justice",
}
VULNERABLE_ZH = zh(codes.VULNERABLE)
YES, NO = "是", "否"


def _aliases(table: Labels) -> tuple[tuple[str, str], ...]:
    """(name, code) pairs from a code → (Chinese, English) table: each label, and the forms a
    drop-down or a planner writes them in (``养老服务 elderly_care``, ``elderly_care 养老服务``,
    ``养老服务 elderly care``)."""
    pairs: list[tuple[str, str]] = []
    for code, (chinese, english) in table.items():
        forms = (chinese, english, f"{chinese} {code}", f"{code} {chinese}", f"{english} {code}")
        pairs += [(form, code) for form in (*forms, f"{chinese} {english}", f"{english} {chinese}")]
    return tuple(pairs)


_DEPARTMENT = (*_aliases(codes.DEPARTMENT), *_DEPARTMENT_OTHER_NAMES.items())

# ----------------------------------------------------------------------------- the sheets


def _id(zh: str = "编号") -> Column:
    return Column("id", zh, required=True)


def _name() -> Column:
    return Column("name", "名称")


def _lon_lat() -> tuple[Column, Column]:
    return (
        Column("lon", "经度", Kind.FLOAT, required=True, unit="degrees WGS-84 / 度"),
        Column("lat", "纬度", Kind.FLOAT, required=True, unit="degrees WGS-84 / 度"),
    )


def _enum(
    field: str, zh: str, table: Labels, *, required: bool = True, kind: Kind = Kind.TEXT
) -> Column:
    """A column of codes: a drop-down list of ``table``'s codes, whose labels are read too.
    A list of codes (``kind=LIST``) may be null (no restriction) or explicitly empty."""
    return Column(
        field,
        zh,
        kind,
        required=required,
        nullable=kind is Kind.LIST,
        choices=tuple(table),
        aliases=_aliases(table),
        labels=table,
    )


def _department(field: str = "department", zh: str = "所属部门") -> Column:
    # Other departments and donors are allowed: the list only suggests.
    return Column(
        field,
        zh,
        required=True,
        choices=DEPARTMENTS,
        strict=False,
        aliases=_DEPARTMENT,
        labels=codes.DEPARTMENT,
    )


def _provider_columns() -> tuple[Column, ...]:
    return (
        Column("base", "驻地", required=True, refers="node"),
        Column(
            "skills",
            "技能",
            Kind.SKILLS,
            required=True,
            unit="skill:level 1-3",
            choices=tuple(codes.CATEGORY),
            aliases=_aliases(codes.CATEGORY),
            labels=codes.CATEGORY,
        ),
        Column("hours", "可用工时(小时)", Kind.FLOAT, required=True, unit="hours / 小时"),
        Column(
            "max_travel_minutes", "最远车程(分钟)", Kind.FLOAT, required=True, unit="minutes / 分钟"
        ),
    )


def _calendar_columns() -> tuple[Column, ...]:
    """A provider's own calendar (DESIGN §9): days off and hours a day."""
    return (
        Column("days_off", "休息日", Kind.DATES, unit="2026-12-05; 2026-12-06"),
        Column("daily_hours", "每日工时(小时)", Kind.FLOAT, unit="hours / 小时"),
    )


def _yuan(field: str, zh: str, required: bool = False) -> Column:
    return Column(field, zh, Kind.INT, required=required, unit="whole yuan / 元")


SCENARIO_KEYS: tuple[Column, ...] = (
    Column("schema_version", "格式版本", Kind.INT, target=("schema_version",)),
    Column("name", "方案名称", target=("name",)),
    Column("horizon.start", "规划起始日期", Kind.DATE, required=True, target=("horizon", "start")),
    Column("horizon.days", "规划天数", Kind.INT, required=True, target=("horizon", "days"),
           unit="days / 天"),
    Column("horizon.holidays", "节假日", Kind.DATES, target=("horizon", "holidays")),
    Column("horizon.workdays", "调休上班日", Kind.DATES, target=("horizon", "workdays")),
)  # fmt: skip


def _policy(key: str, zh: str, kind: Kind, unit: str = "") -> Column:
    return Column(key, zh, kind, unit=unit, target=("policy", key))


POLICY_KEYS: tuple[Column, ...] = (
    _policy("min_cadres_per_village", "每村最少包村干部数", Kind.INT),
    _policy("visits_per_pairing", "每个包村走访次数", Kind.INT),
    _policy("visit_hours", "每次走访工时", Kind.FLOAT, "hours / 小时"),
    _policy("round_trip", "按往返计车程", Kind.BOOL),
    _policy("detour_factor", "绕行系数", Kind.FLOAT),
    _policy("speed_kmh", "平均车速", Kind.FLOAT, "km/h / 公里每小时"),
    _policy("village_funding_cap", "每村资金上限", Kind.INT, "whole yuan / 元"),
    _policy("priority_weights", "优先级权重", Kind.JSON, 'JSON {"1": 1, ...}'),
    _policy("region_weights", "地区权重", Kind.JSON, 'JSON {"east": 1.0, ...}'),
    _policy("vulnerable_weight", "困难户权重", Kind.FLOAT),
    _policy("travel_penalty_per_hour", "每小时车程扣分", Kind.FLOAT),
    _policy("pairing_shortfall_penalty", "包村缺额扣分", Kind.FLOAT),
    _policy("pairing_change_penalty", "包村调整扣分", Kind.FLOAT),
    _policy("fairness_floor_share", "公平保底比例", Kind.FLOAT, "0-1"),
    _policy("fairness_weight", "公平权重", Kind.FLOAT),
    _policy("duplicate_window_days", "重复帮扶判定天数", Kind.INT, "days / 天"),
    _policy("allow_repeat_aid", "允许重复帮扶", Kind.BOOL),
    _policy("social_share_target", "社会力量占比目标", Kind.FLOAT, "0-1"),
    _policy("schedule", "按日排期", Kind.BOOL),
    _policy("daily_hours", "每日工时", Kind.FLOAT, "hours / 小时"),
    _policy("day_start", "每日开始时间", Kind.TEXT, "08:30"),
    _policy("response_working_days", "答复期限(工作日)", Kind.INT, "working days / 工作日"),
    _policy("visit_min_gap_days", "走访最短间隔天数", Kind.INT, "days / 天"),
    _policy("late_penalty_per_day", "每逾期一天扣分", Kind.FLOAT),
)

_KEY_VALUE_COLUMNS: tuple[Column, ...] = (
    Column("key", "参数", required=True),
    Column("value", "取值", required=True),
    Column("note", "说明", Kind.NOTE),
)

# fmt: off
SHEETS: tuple[Sheet, ...] = (
    Sheet("scenario", "基本信息", _KEY_VALUE_COLUMNS, required=True, keys=SCENARIO_KEYS),
    Sheet("places", "乡镇驻地", (
        _id(),
        _name(),
        _enum("kind", "类型", codes.PLACE_KIND),
        *_lon_lat(),
    ), required=True),
    Sheet("villages", "行政村", (
        _id(),
        _name(),
        Column("town", "所属乡镇", required=True, refers="place"),
        *_lon_lat(),
        Column("households", "户数", Kind.INT, required=True),
        Column("population", "人口", Kind.INT),
        Column("left_behind_children", "留守儿童", Kind.INT),
        Column("elderly", "老年人", Kind.INT),
        _enum("region", "地区类别", codes.REGION),
        _yuan("funding_cap", "资金上限(元)"),
    ), required=True),
    Sheet("roads", "道路", (
        Column("from", "起点", required=True, refers="node"),
        Column("to", "终点", required=True, refers="node"),
        Column("minutes", "车程(分钟)", Kind.FLOAT, required=True, unit="minutes / 分钟"),
    ), required=False),
    Sheet("cadres", "干部", (
        _id(),
        Column("name", "姓名"),
        Column("title", "职务"),
        _department(),
        *_provider_columns(),
        Column("max_villages", "最多包村数", Kind.INT),
        Column("paired_villages", "已包村", Kind.LIST, refers="village"),
        Column("available", "是否在岗", Kind.BOOL, choices=(YES, NO)),
        *_calendar_columns(),
    ), required=True),
    Sheet("organizations", "社会力量", (
        _id(),
        _name(),
        _enum("kind", "类型", codes.ORGANIZATION_KIND),
        *_provider_columns(),
        Column("towns", "服务乡镇", Kind.LIST, nullable=True, refers="place"),
        *_calendar_columns(),
    ), required=False),
    Sheet("pools", "资金池", (
        _id(),
        _name(),
        _department(),
        _yuan("amount", "金额(元)", required=True),
        _enum("categories", "可用类别", codes.CATEGORY, required=False, kind=Kind.LIST),
        Column("villages", "限定村", Kind.LIST, nullable=True, refers="village"),
        _enum("regions", "限定地区", codes.REGION, required=False, kind=Kind.LIST),
        _yuan("max_per_need", "单项上限(元)"),
    ), required=False),
    Sheet("needs", "需求清单", (
        _id(),
        Column("village", "所属村", required=True, refers="village"),
        Column("household", "户编号", Kind.HOUSEHOLD),
        _enum("category", "类别", codes.CATEGORY),
        _enum("skill", "所需技能", codes.CATEGORY, required=False),
        Column("level", "等级", Kind.INT, unit="1-3"),
        Column("hours", "工时(小时)", Kind.FLOAT, required=True, unit="hours / 小时"),
        _yuan("cost", "费用(元)"),
        Column("priority", "优先级", Kind.INT, unit="1-5"),
        Column("vulnerable", "困难标签", Kind.LIST, aliases=_aliases(codes.VULNERABLE),
               labels=codes.VULNERABLE),
        Column("household_label", "户标签(组别门牌)", Kind.HOUSEHOLD),
        Column("submitted", "提交日期", Kind.DATE),
        Column("pinned_provider", "指定服务方"),
        Column("respond_by", "答复期限", Kind.DATE),
    ), required=True),
    Sheet("aid_records", "帮扶台账", (
        _id(),
        Column("household", "户编号", Kind.HOUSEHOLD),
        Column("village", "所属村", required=True, refers="village"),
        _enum("category", "类别", codes.CATEGORY),
        Column("provider", "帮扶方", required=True, aliases=_DEPARTMENT),
        _yuan("cost", "费用(元)"),
        Column("hours", "工时(小时)", Kind.FLOAT, unit="hours / 小时"),
        Column("date", "帮扶日期", Kind.DATE, required=True),
    ), required=False),
    Sheet("policy", "政策参数", _KEY_VALUE_COLUMNS, required=False, keys=POLICY_KEYS),
)
# fmt: on

# The template's own sheets, which the reader skips without a warning: the instructions, and
# the codes the drop-down lists show (with their Chinese and English labels).
README_TITLE: dict[Lang, str] = {"zh": "说明", "en": "README"}
CODES_TITLE: dict[Lang, str] = {"zh": "代码表", "en": "codes"}
IGNORED_SHEETS: frozenset[str] = frozenset(
    normalized(title)
    for title in (*README_TITLE.values(), *CODES_TITLE.values(), "说明 README", "代码")
)
# Header cells a reader also accepts (beyond the field name and the Chinese header).
HEADER_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("needs", "village"): ("村", "村庄"),
    ("aid_records", "village"): ("村", "村庄"),
    ("cadres", "available"): ("在岗",),
}


# Other titles a planner may give a sheet (the list's English words, shorter Chinese names).
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "scenario": ("场景", "基本情况"),
    "places": ("乡镇", "驻地", "乡镇和县城"),
    "villages": ("村", "村庄"),
    "cadres": ("干部名单", "包村干部"),
    "organizations": ("社会组织", "社会力量名单", "organisations"),
    "pools": ("资金", "帮扶资金"),
    "needs": ("需求",),
    "aid_records": ("台账", "aid records", "ledger"),
    "policy": ("政策",),
}


def sheet_for_title(title: str) -> Sheet | None:
    """The sheet a workbook tab or CSV file name stands for: its list name, its Chinese title
    or one of :data:`SHEET_ALIASES`."""
    key = normalized(title)
    for sheet in SHEETS:
        names = (sheet.name, sheet.zh, *SHEET_ALIASES.get(sheet.name, ()))
        if key in {normalized(name) for name in names}:
            return sheet
    return None


def header_names(sheet: Sheet, column: Column) -> tuple[str, ...]:
    """Every header text that names ``column``, normalized."""
    names = (
        column.field,
        column.zh,
        without_unit(column.zh),
        *HEADER_ALIASES.get((sheet.name, column.field), ()),
    )
    return tuple(dict.fromkeys(normalized(name) for name in names))


def key_for(sheet: Sheet, text: str) -> Column | None:
    """The setting a key cell names (its English key or Chinese label), in either key/value
    sheet: a planner who puts the horizon among the policy rows is still understood."""
    wanted = normalized(text)
    own = sheet.keys
    others = tuple(key for s in SHEETS for key in s.keys if s is not sheet)
    for key in (*own, *others):
        if wanted in (normalized(key.field), normalized(key.zh), normalized(without_unit(key.zh))):
            return key
    return None
