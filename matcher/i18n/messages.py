"""The message catalogue: every text a person reads, by key, in Chinese and English.

``t(key, lang, **params)`` fills a message's ``{name}`` fields. A key missing from the
catalogue is a bug (KeyError), never a silent fallback; a test checks that every key has both
languages and the same fields in each.
"""

from __future__ import annotations

from matcher.i18n.codes import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # The figures a county reports upward, each against its policy target (DESIGN §1).
    "policy.households_reached": ("户覆盖率", "households reached"),
    "policy.villages_with_min_cadres": ("包村干部达标的村", "villages with their cadres"),
    "policy.social_share": ("社会力量服务占比", "social forces' share of service"),
    "policy.funds_per_village": ("村均工作经费（元）", "work funds per village (yuan)"),
    "policy.central_west_money": ("中西部资金占比", "money to central and western villages"),
    "policy.duplicate_aid_avoided": ("避免的重复帮扶", "duplicate aid avoided"),
    "policy.needs_unmet": ("未满足需求", "needs left open"),
    "policy.target": ("目标 {target}", "target {target}"),
    "policy.meets": ("达标", "met"),
    "policy.short": ("未达标", "short"),
    # KPI names (the plan's kpis keys).
    "kpi.objective": ("目标函数值", "objective"),
    "kpi.objective_terms": ("目标函数分项", "objective terms"),
    "kpi.needs_total": ("需求总数", "needs total"),
    "kpi.needs_servable": ("可服务需求数", "needs servable"),
    "kpi.needs_served": ("已满足需求数", "needs served"),
    "kpi.needs_served_share": ("需求满足率", "needs served share"),
    "kpi.needs_held_back_by_recent_aid": (
        "因近期已帮扶暂缓的需求数",
        "needs held back by recent aid",
    ),
    "kpi.value_served": ("已满足需求价值", "value served"),
    "kpi.value_servable": ("可服务需求价值", "value servable"),
    "kpi.value_served_share": ("需求价值满足率", "value served / servable"),
    "kpi.households_total": ("总户数", "households total"),
    "kpi.households_reached": ("覆盖户数", "households reached"),
    "kpi.households_reached_share": ("户覆盖率", "households reached share"),
    "kpi.villages_total": ("村总数", "villages total"),
    "kpi.villages_with_min_cadres": ("达到最少包村干部数的村", "villages with min cadres"),
    "kpi.villages_with_min_cadres_share": ("包村干部达标率", "villages with min cadres share"),
    "kpi.unreachable_villages": ("道路不通的村", "unreachable villages"),
    "kpi.pairings": ("包村结对数", "pairings"),
    "kpi.social_share_of_served_hours": ("社会力量服务工时占比", "social share of service hours"),
    "kpi.social_share_target": ("社会力量占比目标", "social share target"),
    "kpi.providers_used": ("参与服务者数", "providers used"),
    "kpi.organizations_used": ("参与社会组织数", "organisations used"),
    "kpi.service_hours": ("服务工时", "service hours"),
    "kpi.travel_hours": ("服务路途工时", "service travel hours"),
    "kpi.pairing_travel_hours": ("包村走访路途工时", "pairing travel hours"),
    "kpi.funding_used": ("已用资金（元）", "funding used (yuan)"),
    "kpi.funding_total": ("资金总额（元）", "funding total (yuan)"),
    "kpi.funding_by_pool": ("资金池", "funding by pool"),
    "kpi.village_funding_gini": ("村间资金基尼系数", "village funding Gini"),
    "kpi.min_village_value_share": ("最低村需求价值满足率", "min village value share"),
    "kpi.duplicates_in_plan": ("方案内重复帮扶", "duplicates in plan"),
    "kpi.duplicate_service_hours": ("重复服务工时", "duplicate service hours"),
    "kpi.duplicate_service_yuan": ("重复服务资金（元）", "duplicate aid spent (yuan)"),
    "kpi.unmet_by_reason": ("未满足需求（按原因）", "unmet by reason"),
    "kpi.organization_kinds": ("社会组织类型", "organisation kinds"),
    "kpi.violations": ("违反硬约束数", "rule violations"),
    "kpi.value": ("需求价值", "value"),
    "kpi.travel_penalty": ("路途扣分", "travel penalty"),
    "kpi.pairing_shortfall_penalty": ("包村不足扣分", "pairing shortfall penalty"),
    "kpi.pairing_change_penalty": ("结对变动扣分", "pairing change penalty"),
    "kpi.fairness_penalty": ("公平性扣分", "fairness penalty"),
    "kpi.total": ("合计", "total"),
    "kpi.amount": ("总额", "amount"),
    "kpi.used": ("已用", "used"),
    "kpi.left": ("余额", "left"),
    # The solver's section: how good the plan is, in plain words.
    "solver.section": ("求解情况", "solver"),
    "solver.name_status": ("求解器 / 状态", "solver / status"),
    "solver.within": (
        "与理论最优相差不超过 {gap}",
        "within {gap} of the best possible plan",
    ),
    "solver.proven": ("已证明为最优方案", "proven the best possible plan"),
    "solver.no_bound": ("未给出最优界", "no bound on the best possible plan"),
    "solver.seconds": ("用时（秒）", "seconds"),
    "solver.note": ("求解说明", "solver note"),
}


def t(key: str, lang: Lang, **params: object) -> str:
    """The message ``key`` in ``lang`` with its ``{fields}`` filled from ``params``."""
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**params) if params else text
