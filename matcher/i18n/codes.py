"""The labels of the codes a plan and a scenario use, in Chinese and English: one home for
each, read by the workbook, the exports, the reports, the command line and the web pages.

Codes stay what the files hold (``elderly_care``); people read labels (养老服务 / elderly
care). Each table maps a code to ``(zh, en)``.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

Labels = dict[str, tuple[str, str]]

CATEGORY: Labels = {
    "agri_tech": ("农业技术", "farming techniques"),
    "e_commerce": ("农村电商", "rural e-commerce"),
    "employment": ("就业帮扶", "employment"),
    "infrastructure": ("基础设施", "infrastructure"),
    "child_care": ("儿童关爱", "child care"),
    "education": ("教育帮扶", "education"),
    "elderly_care": ("养老服务", "elderly care"),
    "medical": ("医疗卫生", "medical care"),
    "mental_health": ("心理健康", "mental health"),
    "culture": ("文化服务", "culture"),
    "dispute_mediation": ("矛盾调解", "dispute mediation"),
    "policy_service": ("政策咨询", "policy advice"),
    "hardship_relief": ("困难救助", "hardship relief"),
}
REGION: Labels = {
    "east": ("东部", "east"),
    "central": ("中部", "central"),
    "west": ("西部", "west"),
}
PLACE_KIND: Labels = {"county_seat": ("县城", "county seat"), "town": ("乡镇", "town")}
ORGANIZATION_KIND: Labels = {
    "enterprise": ("企业", "enterprise"),
    "ngo": ("社会组织", "NGO"),
    "volunteer": ("志愿服务队", "volunteer team"),
    "cooperative": ("合作社", "cooperative"),
}
DEPARTMENT: Labels = {
    "agriculture": ("农业农村局", "agriculture bureau"),
    "human_resources": ("人力资源和社会保障局", "human resources bureau"),
    "education": ("教育局", "education bureau"),
    "civil_affairs": ("民政局", "civil affairs bureau"),
    "health": ("卫生健康委员会", "health commission"),
    "culture": ("文化广电旅游局", "culture and tourism bureau"),
    "finance": ("财政局", "finance bureau"),
    "charity": ("慈善总会", "charity federation"),
}
VULNERABLE: Labels = {
    "left_behind_child": ("留守儿童", "left-behind child"),
    "elderly_alone": ("独居老人", "elderly living alone"),
    "disabled": ("残疾", "disabled"),
    "low_income": ("低收入", "low income"),
}
UNMET_REASON: Labels = {
    "already_aided": ("近期已获帮扶（避免重复）", "aided recently (no repeat)"),
    "no_provider_in_reach": ("可及范围内无服务者", "nobody in reach can serve it"),
    "no_day_available": ("无可安排的工作日", "no working day left to serve it"),
    "no_eligible_funding": ("无适用资金", "no pool may pay for it"),
    "capacity_exhausted": ("服务者工时不足", "providers in reach have no hours left"),
    "funding_exhausted": ("资金或村上限不足", "money or the village cap ran short"),
    "not_chosen": ("未被选中（统筹取舍）", "not chosen (others came first)"),
}
SHORT_REASON: Labels = {
    "unreachable": ("道路不通", "no road reaches it"),
    "nobody_in_reach": ("可及范围内无干部", "no cadre in reach"),
    "too_few_in_reach": ("可及干部太少", "too few cadres in reach"),
    "cadres_busy": ("可及干部工时或包村名额已满", "the cadres in reach are fully busy"),
    "not_chosen": ("未安排（统筹取舍）", "not chosen (others came first)"),
}
PLAN_STATUS: Labels = {
    "optimal": ("最优", "optimal"),
    "feasible": ("可行", "feasible"),
    "infeasible": ("无可行方案", "infeasible"),
    "stopped": ("已停止（保留当前最好方案）", "stopped (best plan kept)"),
    "error": ("出错", "error"),
}

TABLES: dict[str, Labels] = {
    "category": CATEGORY,
    "region": REGION,
    "place_kind": PLACE_KIND,
    "organization_kind": ORGANIZATION_KIND,
    "department": DEPARTMENT,
    "vulnerable": VULNERABLE,
    "unmet_reason": UNMET_REASON,
    "short_reason": SHORT_REASON,
    "plan_status": PLAN_STATUS,
}
"""Every table by the kind of code it labels."""


def label(kind: str, code: str, lang: Lang) -> str:
    """The label of a code in ``lang`` (the code itself when the table does not know it, so
    a department or tag from another county's ledger still shows)."""
    found = TABLES[kind].get(code)
    if found is None:
        return code
    return found[0] if lang == "zh" else found[1]


def zh(table: Labels) -> dict[str, str]:
    """A table's Chinese labels by code."""
    return {code: names[0] for code, names in table.items()}
