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
    "kpi.duplicate_service_yuan": ("本方案重复支出（元）", "spent twice by this plan (yuan)"),
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
    # Lists and small words of the text reports.
    "list.sep": ("，", ", "),
    "list.semicolon": ("；", "; "),
    "text.label_value": ("{label}：{value}", "{label}: {value}"),
    "text.more": ("……另有 {count} 项", "... and {count} more"),
    "text.none": ("无", "none"),
    "text.no_reports": ("没有报告。", "No reports."),
    "text.of": ("{part} / {whole}", "{part} of {whole}"),
    "text.village_level": ("（村级）", "(village-level)"),
    # The summary of solve and report: policy figures, solver, other figures, duplicate aid.
    "summary.policy_title": ("政策指标", "policy figures"),
    "summary.other_title": ("其他指标", "other figures"),
    "summary.duplicate_title": ("重复帮扶", "duplicate aid"),
    "summary.figure": ("指标", "figure"),
    "summary.value": ("数值", "value"),
    "summary.target": ("目标", "target"),
    "summary.status": ("是否达标", "met?"),
    "solver.quality": ("方案质量", "how good"),
    "other.needs_served": ("已满足需求", "needs served"),
    "other.part_of_whole": ("{part} / {whole}（{share}）", "{part} of {whole} ({share})"),
    "other.money_used": ("已用资金（元）", "money used (yuan)"),
    "other.money_of_total": ("{used} / {total}（{share}）", "{used} of {total} ({share})"),
    # What each policy figure is made of.
    "detail.households_reached": (
        "覆盖 {reached} 户，共 {total} 户",
        "{reached} of {total} households",
    ),
    "detail.villages_with_min_cadres": (
        "{villages} / {total} 个村",
        "{villages} of {total} villages",
    ),
    "detail.social_share": ("社会组织承担的服务工时占比", "organisations' share of service hours"),
    "detail.funds_per_village": (
        "共 {used} 元，{villages} 个村；目标为每村每年 {per_year} 元，按规划期折算",
        (
            "{used} yuan over {villages} villages; target {per_year} yuan a village a year, for "
            "the horizon"
        ),
    ),
    "detail.central_west_money": (
        "目标：每个中西部村按东部村的 {tilt} 倍计",
        "target: each central or western village counts {tilt} times an eastern one",
    ),
    "detail.duplicate_aid_avoided": (
        "近期已获帮扶而暂缓 {held} 项；重复申报合并 {merged} 份",
        "{held} needs held back by recent aid; {merged} duplicate submission(s) merged",
    ),
    # The one duplicate-aid story: paid twice in the ledgers, avoided, spent twice by the plan.
    "dup.ledgers": ("台账中已重复帮扶", "paid twice in the ledgers"),
    "dup.ledgers_value": (
        (
            "{groups} 组（{households} 户），首次帮扶之外多花 {yuan} 元、{hours} 小时，占台账资金 "
            "{share}"
        ),
        (
            "{groups} groups ({households} households): {yuan} yuan and {hours} h beyond the first "
            "aid, {share} of the ledgers' money"
        ),
    ),
    "dup.ledgers_none": (
        "无：台账中没有同一户同一类别被多个服务者重复帮扶",
        "none: no household was aided twice in one category by different providers",
    ),
    "dup.near": (
        "另有 {groups} 组相关类别的帮扶（如儿童关爱与教育帮扶）：属于相关服务，不计为浪费",
        (
            "{groups} more groups in related categories (e.g. child care and education): related "
            "services, not counted as waste"
        ),
    ),
    "dup.avoided": ("本方案避免的重复", "avoided by this plan"),
    "dup.avoided_value": (
        "{count} 项：{held} 项需求近期已获帮扶而暂缓；{merged} 份重复申报已合并",
        (
            "{count}: {held} needs held back as aided recently; {merged} duplicate submission(s) "
            "merged"
        ),
    ),
    "dup.aided_again": (
        "；但本方案仍为其中 {count} 项安排了重复服务（见下一行）",
        "; but this plan serves {count} of them again (next line)",
    ),
    "dup.in_plan": ("本方案自身的重复支出", "spent twice by this plan"),
    "dup.in_plan_none": (
        "0：每项需求只服务一次，也不重复近期已有的帮扶",
        "0: each need is served once and no service repeats recent aid",
    ),
    "dup.in_plan_value": (
        "{services} 项服务重复：{yuan} 元、{hours} 小时花在近期已获帮扶或已由其他部门安排的需求上",
        (
            "{services} services repeat aid: {yuan} yuan and {hours} h on needs already aided or "
            "served by another silo"
        ),
    ),
    "dup.served_twice": (
        "；其中 {count} 份已合并的重复申报与保留的需求都被服务",
        "; {count} merged submissions served beside the need kept",
    ),
    "dup.related": (
        (
            "另有 {count} 处同一户（或同一村）"
            "同一类别的几项不同需求由不同服务者承担（如一个村的几项基础设施）：是不同的需求，"
            "不算重复"
        ),
        (
            "{count} households or villages have separate needs of one category served by "
            "different providers (e.g. a village's several infrastructure needs): separate needs, "
            "not duplicates"
        ),
    ),
    # The duplicate-aid report (text and page).
    "dup.title": ("重复帮扶", "Duplicate aid"),
    "dup.window": (
        (
            "统计口径：{days} 天内同一户（或同一村）同一类别由多个服务者帮扶即为重复；台账共 "
            "{records} 条记录、{yuan} 元、{hours} 小时。"
        ),
        (
            "Window {days} days: aid to one household (or village) in one category from more than "
            "one provider within it is a duplicate; the ledgers hold {records} records, {yuan} "
            "yuan, {hours} h."
        ),
    ),
    "dup.top_groups": ("重复最多的组", "Top groups"),
    "dup.by_department_pair": ("按部门组合", "By department pair"),
    "dup.by_village": ("按村", "By village"),
    "dup.by_category": ("按类别", "By category"),
    "dup.by_town": ("按乡镇", "By town"),
    "dup.near_title": (
        "相关类别的近似重复（不计为浪费）：{count} 组",
        "Near-duplicates (related categories, not counted as waste): {count}",
    ),
    "dup.near_totals": (
        (
            "{households} 户的 {records} 条记录：{yuan} 元（占台账资金 {share}）、{hours} 小时；"
            "每组首条之外 {overlap_yuan} 元、{overlap_hours} 小时"
        ),
        (
            "{records} records of {households} households: {yuan} yuan ({share} of ledger money), "
            "{hours} h; {overlap_yuan} yuan and {overlap_hours} h beyond each group's first record"
        ),
    ),
    "dup.held_back_title": (
        "因近期已获帮扶而暂缓的需求（H8）：{count} 项",
        "Needs held back by recent aid (H8): {count}",
    ),
    "dup.merged_title": (
        "求解前合并的重复申报：{count} 组",
        "Duplicate submissions merged before solving: {count}",
    ),
    "dup.merged_totals": (
        "{needs} 份申报并入 {kept} 项保留的需求（{yuan} 元、{hours} 小时不会重复安排）",
        (
            "{needs} submissions merged into {kept} needs kept ({yuan} yuan, {hours} h not planned "
            "twice)"
        ),
    ),
    "dup.merged_served_flag": (
        (
            "注意：本方案仍服务了 {count} 份已合并的申报（其中 {twice} 份与保留的需求都被服务）："
            "不违反硬约束，但同一户的同一需求被帮扶两次"
        ),
        (
            "Flag: the plan serves {count} merged submissions ({twice} beside the need kept): no "
            "hard rule is broken, but the household is aided twice for one need"
        ),
    ),
    "dup.plan_title": (
        "本方案自身的重复服务：{count} 项",
        "Duplicate services in the plan: {count}",
    ),
    "dup.plan_none": (
        "无：每项需求只服务一次（H1），也不安排重复近期帮扶的服务",
        (
            "none: the plan serves each need at most once (H1) and plans no service that repeats "
            "recent aid"
        ),
    ),
    "dup.why.already_aided": ("近期已获帮扶", "aided recently"),
    "dup.why.served_by_other": ("已由其他部门安排", "served by another silo"),
    # Column headers of the text reports and the page's tables.
    "col.need": ("需求", "need"),
    "col.village": ("村", "village"),
    "col.town": ("乡镇", "town"),
    "col.category": ("类别", "category"),
    "col.categories": ("类别", "categories"),
    "col.value": ("价值", "value"),
    "col.provider": ("服务者", "provider"),
    "col.providers": ("服务者", "providers"),
    "col.household": ("户", "household"),
    "col.households": ("户数", "households"),
    "col.records": ("记录", "records"),
    "col.groups": ("组数", "groups"),
    "col.departments": ("部门", "departments"),
    "col.department": ("部门", "department"),
    "col.dates": ("日期", "dates"),
    "col.waste_yuan": ("多花资金（元）", "waste yuan"),
    "col.waste_hours": ("多花工时", "waste h"),
    "col.overlap_yuan": ("重叠资金（元）", "overlap yuan"),
    "col.overlap_hours": ("重叠工时", "overlap h"),
    "col.kept": ("保留", "kept"),
    "col.merged": ("合并", "merged"),
    "col.kept_served_by": ("保留需求的服务者", "kept served by"),
    "col.served_merged_need": ("被服务的已合并需求", "served merged need"),
    "col.hours": ("工时", "hours"),
    "col.yuan": ("资金（元）", "yuan"),
    "col.why": ("原因", "why"),
    "col.services": ("服务数", "services"),
    "col.held_back_by": ("暂缓依据", "held back by"),
    "col.pairings": ("包村干部", "pairings"),
    "col.in_reach": ("可及干部", "in reach"),
    "col.candidates": ("其他可及干部（前 {count} 名）", "other cadres in reach (first {count})"),
    "col.with_served_need": ("有需求被服务", "with served need"),
    "col.unreached": ("未覆盖", "unreached"),
    "col.needs": ("需求数", "needs"),
    "col.value_open": ("未满足价值", "value open"),
    "col.reasons": ("原因", "reasons"),
    "col.reason": ("原因", "reason"),
    "col.need_ids": ("需求编号", "need ids"),
    "col.providers_in_reach": ("可及服务者", "providers in reach"),
    "col.pool": ("资金池", "pool"),
    # The blind-spot report (帮扶盲区).
    "blind.title": ("帮扶盲区", "Blind spots"),
    "blind.summary": (
        (
            "{villages} 个村中 {short} 个包村干部不足 {required} 名（缺 {pairings} 个结对）；"
            "{unreachable} 个村道路不通；{households} 户未覆盖（{share}）；{needs} "
            "项需求未满足（未满足价值 {value}）。"
        ),
        (
            "{short} of {villages} villages short of {required} cadres ({pairings} pairings "
            "missing); {unreachable} unreachable; {households} households unreached ({share}); "
            "{needs} needs unmet (value {value} open)."
        ),
    ),
    "blind.short_title": (
        "包村干部不足 {required} 名的村：{count} 个",
        "Villages short of {required} cadres: {count}",
    ),
    "blind.unreachable_title": ("道路不通的村：{count} 个", "Unreachable villages: {count}"),
    "blind.unreached_title": (
        "未覆盖的户（村无包村干部、户无需求被服务）：{total} / {households}（{share}）",
        "Households unreached (no pairing, no served need): {total} of {households} ({share})",
    ),
    "blind.groups_title": (
        "未满足需求（按乡镇 × 类别）：{count} 组",
        "Unmet needs by town × category: {count} groups",
    ),
    "blind.by_reason_title": ("未满足需求（按原因）", "Unmet needs by reason"),
    "blind.nobody_title": (
        "无人服务的需求类别：{count} 个",
        "Need categories served by nobody: {count}",
    ),
    "blind.candidate_free": ("{cadre}：可安排", "{cadre}: free"),
    "blind.candidate_no_slot": ("{cadre}：包村名额已满", "{cadre}: no slot"),
    "blind.candidate_busy": (
        "{cadre}：剩余 {left} 小时，需要 {needed} 小时",
        "{cadre}: {left} < {needed} h",
    ),
    # Blind-spot fixes: what a fix is, what each changes, the method in a footnote.
    "fix.intro": (
        (
            "最小补救措施：对未满足需求较多的乡镇 × 类别和包村干部不足的村，"
            "列出让它们得到服务所需的最少改变（新增工时、放宽出行范围、追加资金或安排包村干部），"
            "按预计收益排序。¹"
        ),
        (
            "Smallest fixes: for the towns × categories with most open needs and the villages "
            "short of cadres, the least change that would let them be served (more hours, a longer "
            "trip, more money or a cadre to pair), best first.¹"
        ),
    ),
    "fix.group": (
        "{town} · {category}：{needs} 项需求未满足，未满足价值 {value}",
        "{town} · {category}: {needs} needs open, value {value}",
    ),
    "fix.serves": ("可服务 {needs} 项，预计增加 {value}", "serves {needs}, est. +{value}"),
    "fix.resolved": (
        "；重新求解验证：{open} 项中服务 {served} 项{gain}（{verdict}，{seconds} 秒）",
        "; re-solved: {served} of {open} served{gain} ({verdict}, {seconds} s)",
    ),
    "fix.gain": ("，目标函数 {value}", ", objective {value}"),
    "fix.kept": ("承诺兑现", "promise kept"),
    "fix.broken": ("承诺未兑现", "PROMISE BROKEN"),
    "fix.not_confirmed": ("；未能验证：{error}", "; not confirmed: {error}"),
    "fix.more_groups": ("……另有 {count} 组有补救措施", "... and {count} more groups with fixes"),
    "fix.village": (
        "{village}（{why}，缺 {shortfall} 名）：",
        "village {village} ({why}, {shortfall} short):",
    ),
    "fix.pairing": (
        "安排 {cadre} 包联（驻地 {base}，单程 {minutes} 分钟，走访共 {hours} 小时）",
        "pair {cadre} (base {base}, {minutes} min away, {hours} h of visits)",
    ),
    "fix.no_slot": ("，但其包村名额已满", "; it has no pairing slot left"),
    "fix.road": (
        "{count} 项需求所在村不通公路：只有修路（或在村内设服务点）才能服务",
        (
            "{count} needs in a village no road reaches: only a road (or a base inside the "
            "village) serves them"
        ),
    ),
    "fix.change.extra_hours": (
        "在 {base} 组建 {hours} 小时的服务队（{skills}），服务 {town}",
        "a team of {hours} h ({skills}) at {base} for {town}",
    ),
    "fix.change.longest_trip": ("，最远单程 {minutes} 分钟", ", longest trip {minutes} min"),
    "fix.change.provider_hours": (
        "{provider} 增加 {hours} 小时",
        "{hours} more hours for {provider}",
    ),
    "fix.change.longer_travel": (
        "{provider} 的出行上限放宽到 {minutes} 分钟",
        "{provider}'s travel limit raised to {minutes} min",
    ),
    "fix.change.pool_top_up": (
        "资金池 {pool} 追加 {yuan} 元，专用于 {villages} 个村的{categories}",
        "{yuan} yuan more in pool {pool} for {categories} in {villages} village(s)",
    ),
    "fix.change.new_pool": (
        "{department} 新设资金 {yuan} 元，专用于 {villages} 个村的{categories}",
        "a new {department} pool of {yuan} yuan for {categories} in {villages} village(s)",
    ),
    "fix.change.village_cap": (
        "{village} 的资金上限提高 {yuan} 元",
        "{village}'s funding cap raised by {yuan} yuan",
    ),
    "fix.footnote": (
        (
            "¹ 预计收益按整个模型线性规划（LP）松弛的对偶价格估算（列生成，HiGHS）："
            "把补救措施放宽的约束价格记为零后，它新增的服务的检验数之和。"
        ),
        (
            "¹ Estimated value: the reduced cost of the services a fix makes possible, with the "
            "prices of the rows it relaxes set to zero, from the dual prices of the whole model's "
            "LP relaxation (column generation, HiGHS)."
        ),
    ),
    "fix.not_converged": (
        "LP 未收敛：预计收益仅为估计。",
        "The LP did not converge: the values are estimates.",
    ),
    "fix.skipped": ("补救措施：未排序（{why}）", "Fixes: not ranked ({why})"),
    "fix.kind.extra_hours": ("新增工时", "more hours"),
    "fix.kind.provider_hours": ("增加工时", "more hours for a provider"),
    "fix.kind.longer_travel": ("放宽出行", "longer trips"),
    "fix.kind.extra_funding": ("追加资金", "more money"),
    "fix.kind.village_cap": ("提高村上限", "higher village cap"),
    "fix.kind.road": ("修路", "a road"),
    "fix.kind.pairing": ("安排包村", "a pairing"),
    # The command line's own lines.
    "cli.bad_lang": (
        "--lang 只能是 zh 或 en，不能是 {value}",
        "--lang must be zh or en, not {value}",
    ),
    "cli.severity.error": ("错误", "error"),
    "cli.severity.warning": ("警告", "warning"),
    "cli.scenario_invalid": (
        "{path}：{count} 个问题，未求解。",
        "{path}: {count} problem(s); nothing was solved.",
    ),
    "cli.plan_unreadable": (
        "{path}：不是可读的方案文件：{error}",
        "{path}: not a readable plan file: {error}",
    ),
    "cli.valid": (
        (
            "{path}：有效（{villages} 个村、{cadres} 名干部、{organizations} 个社会组织、{pools} "
            "个资金池、{needs} 项需求、{records} 条帮扶记录；{warnings} 个警告）"
        ),
        (
            "{path}: valid ({villages} villages, {cadres} cadres, {organizations} organisations, "
            "{pools} pools, {needs} needs, {records} aid records; {warnings} warning(s))"
        ),
    ),
    "cli.solving": ("求解中…", "solving…"),
    "cli.solving_with": ("{solver} 求解中…", "{solver}…"),
    "cli.progress": (
        "求解中… {seconds} 秒  当前最好 {objective}  上界 {bound}  {message}",
        "solving… {seconds} s  incumbent {objective}  bound {bound}  {message}",
    ),
    "cli.plan_written": ("方案已写入 {path}", "plan written to {path}"),
    "cli.html_written": ("HTML 报告已写入 {path}", "HTML report written to {path}"),
    "cli.html_unwritable": (
        "{path}：无法写入 HTML 报告：{error}",
        "{path}: cannot write the HTML report: {error}",
    ),
    "cli.violations_see_plan": (
        "{count} 项违反硬约束：详见方案文件",
        "{count} rule violation(s): see the plan file",
    ),
    "cli.check_objective": ("目标函数值 {objective}", "objective {objective}"),
    "cli.check_objective_stated": (
        "目标函数值 {objective}（方案文件记载 {stated}）",
        "objective {objective} (the plan states {stated})",
    ),
    "cli.check_violations": ("{count} 项违反硬约束", "{count} violation(s)"),
    "cli.unknown_solvers": (
        "未知的求解器 {unknown}；可选：{known}",
        "unknown solver(s) {unknown}; choose from {known}",
    ),
    "cli.table_written": ("表格已写入 {path}", "table written to {path}"),
    "cli.diff_written": ("差异已写入 {path}", "diff written to {path}"),
    "cli.diff_unwritable": (
        "{path}：无法写入差异：{error}",
        "{path}: cannot write the diff: {error}",
    ),
    "compare.title": ("{scenario}：每个求解器 {seconds} 秒", "{scenario}: {seconds} s each"),
    "compare.status": ("状态", "status"),
    "compare.bound": ("上界", "bound"),
    "compare.gap": ("相对差距", "gap"),
    "compare.spent_twice": ("{count} 项，{yuan} 元", "{count}, {yuan} yuan"),
    # matcher diff.
    "diff.scenarios": ("A：{a}；B：{b}（{same}）", "A: {a}; B: {b} ({same})"),
    "diff.same": ("同一情景", "the same scenario"),
    "diff.different": ("不同情景", "DIFFERENT scenarios"),
    "diff.maybe_same": ("不能确定是同一情景", "not known to be the same scenario"),
    "diff.warning": ("警告：{text}", "warning: {text}"),
    "diff.warn_different": (
        "两个方案的情景不同（sha256 不一致）：属假设比较，需求、村和指标未必一一对应",
        (
            "the plans are of different scenarios (their sha256 differ): a what-if comparison; "
            "needs, villages and KPIs may not correspond"
        ),
    ),
    "diff.warn_no_sha": (
        "方案 {plan} 未记载情景的 sha256：情景可能不同",
        "plan {plan} states no scenario sha256: the scenarios may differ",
    ),
    "diff.warn_not_given": (
        "给出的情景不是方案 {plan} 的情景（sha256 不一致）",
        "the scenario given is not plan {plan}'s (sha256 differ)",
    ),
    "diff.change": ("变化", "change"),
    "diff.needs": (
        (
            "需求：新增服务 {gained}{gained_value}，不再服务 {lost}{lost_value}，换人服务 {moved}，"
            "不变 {unchanged}"
        ),
        (
            "needs: {gained} gained{gained_value}, {lost} lost{lost_value}, {moved} moved, "
            "{unchanged} unchanged"
        ),
    ),
    "diff.valued": ("（价值 {value}）", " (value {value})"),
    "diff.gained": ("新增：", "gained:"),
    "diff.lost": ("减少：", "lost:"),
    "diff.moved": ("换人：", "moved:"),
    "diff.unmet_in_a": ("A 中未满足原因", "unmet in A"),
    "diff.unmet_in_b": ("B 中未满足原因", "unmet in B"),
    "diff.from": ("原服务者", "from"),
    "diff.to": ("新服务者", "to"),
    "diff.minutes_a": ("A 单程分钟", "minutes A"),
    "diff.minutes_b": ("B 单程分钟", "minutes B"),
    "diff.households_need_scenario": (
        "户：此部分需要情景文件（--scenario）：方案不记载户",
        "households: this section needs the scenario (--scenario): plans do not name households",
    ),
    "diff.households": (
        "有需求被服务的户：A {a}，B {b}；新增 {gained}，减少 {lost}",
        "households with a served need: A {a}, B {b}; {gained} gained, {lost} lost",
    ),
    "diff.pairings": (
        "包村结对：新增 {added}，解除 {removed}，涉及 {villages} 个村",
        "pairings: {added} added, {removed} removed, in {villages} village(s)",
    ),
    "diff.added": ("新增", "added"),
    "diff.removed": ("解除", "removed"),
    "diff.money": (
        "资金（元）：A {a}，B {b}，变化 {shift}",
        "money (yuan): A {a}, B {b}, change {shift}",
    ),
    "diff.shift": ("变化", "shift"),
    "diff.money_needs_scenario": (
        "按村的资金需要情景文件（--scenario）",
        "money per village needs the scenario (--scenario)",
    ),
    "diff.villages_funded": (
        "{count} 个村的资金有变化：",
        "{count} village(s) funded differently:",
    ),
    "diff.hours": (
        "服务工时：A {a}，B {b}，变化 {shift}；{providers} 个服务者有变化",
        "service hours: A {a}, B {b}, change {shift}; {providers} provider(s) changed",
    ),
    "diff.capacity": ("工时上限", "capacity"),
    "diff.identical": (
        "两个方案的服务、结对、资金和工时完全相同",
        "the plans serve, pair, fund and spend the same",
    ),
    # The HTML page.
    "html.title_suffix": ("包村联户资源匹配报告", "Baolian Matcher report"),
    "html.subtitle": ("包村联户 · 资源匹配方案", "BAOLIAN MATCHER · 包村联户 ALLOCATION PLAN"),
    "html.scenario": ("情景", "Scenario"),
    "html.status": ("方案状态", "Status"),
    "html.horizon": ("规划期 {start} 起 {days} 天", "Horizon {start} + {days} days"),
    "html.generated": ("报告生成于 {when}", "Report of {when}"),
    "html.scenario_sha": ("情景 {sha}…", "Scenario {sha}…"),
    "html.nav_summary": ("概览", "Summary"),
    "html.nav_map": ("地图", "Map"),
    "html.nav_charts": ("图表", "Charts"),
    "html.none": ("无。", "None."),
    "html.yes": ("是", "yes"),
    "html.no": ("否", "no"),
    "html.violations_banner": (
        "本方案违反 {count} 项硬约束（{rules}）。以下数字按计算结果显示；请用 matcher check 查看。",
        (
            "This plan breaks {count} hard rule(s) ({rules}). Its figures are shown as computed; "
            "see matcher check."
        ),
    ),
    "html.held_back_note": (
        "另有 {count} 项因近期已获帮扶而暂缓",
        "{count} held back by recent aid",
    ),
    "html.value_note": ("按优先级和重点人群加权的需求价值", "of the value the plan could serve"),
    "html.money_note": ("占资金总额 {total} 元的 {share}", "{share} of {total} yuan"),
    "html.unreachable_note": ("没有道路可达，只有修路或村内设点才能服务", "no road reaches them"),
    "html.travel_note": ("服务往返路途所用工时", "hours spent on the road to serve"),
    "html.violations_note": ("H1–H8 由评估器逐条核对", "H1–H8 checked by the evaluator"),
    "html.map_title": ("各村需求满足情况", "Villages by needs served"),
    "html.map_note": (
        (
            "{villages} 个村，{roads} 条道路；{short} 个村包村干部不足，{unreachable} "
            "个村道路不通。颜色：该村可服务需求（不含近期已获帮扶而暂缓的）中已服务的比例。"
        ),
        (
            "{villages} villages, {roads} roads; {short} short of paired cadres, {unreachable} "
            "unreachable. Colour: share of the village's servable needs (those not held back by "
            "recent aid) that the plan serves."
        ),
    ),
    "html.charts_title": ("未满足需求与资金", "Unmet needs and funding"),
    "html.chart_category": ("未满足需求（按类别）", "Unmet needs by category"),
    "html.chart_town": ("未满足需求（按乡镇）", "Unmet needs by town"),
    "html.chart_funding": (
        "各资金池：已用 / 总额（元）",
        "Funding per pool: used of amount (yuan)",
    ),
    "html.no_pools": ("情景中没有资金池。", "The scenario has no pools."),
    "html.more_towns": ("另有 {count} 个乡镇", "and {count} more towns"),
    "html.bar_tip": (
        "{name}：{needs} 项需求中 {unmet} 项未满足（{detail}）",
        "{name}: {unmet} unmet of {needs} needs ({detail})",
    ),
    "html.pool_tip": (
        "{name}（{id}，{department}）：已用 {used} / {amount} 元（{share}）",
        "{name} ({id}, {department}): {used} of {amount} yuan used ({share})",
    ),
    "html.record_tip": (
        "{id}：{provider}（{department}）{date}，{yuan} 元，{hours} 小时",
        "{id}: {provider} ({department}) {date}, {yuan} yuan, {hours} h",
    ),
    "html.groups_title": (
        "未满足需求（按乡镇 × 类别）及补救措施",
        "Unmet needs by town × category, with the changes that would close them",
    ),
    "html.villages": ("村数", "villages"),
    "html.hours_open": ("未满足工时", "hours open"),
    "html.yuan_open": ("未满足资金（元）", "yuan open"),
    "html.main_reason": ("主要原因", "main reason"),
    "html.fixes": ("补救措施", "fixes"),
    "html.estimate": ("预计 +{value}，{needs} 项需求", "≈ +{value} value, {needs} needs"),
    "html.served_after": ("验证后服务 {count} 项", "{count} needs served after"),
    "html.value_added": ("价值 {value}", "{value} value"),
    "html.confirmed": ("✓ 已经重新求解验证", "✓ confirmed by re-solve"),
    "html.refuted": ("✗ 重新求解未兑现", "✗ not kept by re-solve"),
    "html.fixes_confirmed": (
        "已验证 {count} 项补救措施。",
        "{count} fix(es) confirmed by re-solving.",
    ),
    "html.short_title": (
        "包村干部不足 {required} 名的村",
        "Villages short of {required} paired cadres",
    ),
    "html.shortfall": ("缺少", "shortfall"),
    "html.cadre_free": ("可安排", "free"),
    "html.cadre_no_slot": ("名额已满", "no slot"),
    "html.cadre_busy": ("剩余 {left} 小时，需要 {needed} 小时", "{left} < {needed} h"),
    "html.unreachable_title": ("道路不通的村", "Unreachable villages (no road reaches them)"),
    "html.unreached_title": (
        "未覆盖的户：村无包村干部，户无需求被服务",
        "Households unreached: no pairing in the village and no served need",
    ),
    "html.unreached_note": (
        "{households} 户中 {total} 户（{share}）。",
        "{total} of {households} households ({share}).",
    ),
    "html.nobody_title": ("无人服务的需求类别", "Need categories served by nobody"),
    "html.hover_records": (
        "鼠标移到记录数上可查看各条记录。",
        "Hover a record count for the records.",
    ),
    "html.duplicate_groups": (
        "台账中的重复帮扶（同一户、同一类别、多个服务者）",
        "Duplicate aid in the ledgers (one household, one category, several providers)",
    ),
    "html.first": ("首次", "first"),
    "html.last": ("末次", "last"),
    "html.days": ("相隔天数", "days"),
    "html.total_yuan": ("合计资金（元）", "total yuan"),
    "html.open_needs": ("待办需求", "open needs"),
    "html.relation": ("相关原因", "relation"),
    "html.near_title": (
        "相关类别的近似重复：同一户的相关类别（已标注，不计为浪费）",
        "Near-duplicates: related categories for one household (flagged, not waste)",
    ),
    "html.near_note": (
        "相关类别由不同服务者提供，可能有重叠，需核实；不计入浪费。",
        (
            "Related categories from different providers may overlap and are worth checking; they "
            "are not counted as waste."
        ),
    ),
    "html.near_by_pair": ("近似重复（按类别组合）", "Near-duplicates by category pair"),
    "html.held_back_title": (
        "因近期已获帮扶而暂缓的需求（H8）",
        "Needs held back by recent aid (H8)",
    ),
    "html.merged_title": ("求解前合并的重复申报", "Duplicate submissions merged before solving"),
    "html.merged_rule": (
        (
            "同一户同一类别的多份待办申报视为一项需求：保留固定指派的、价值最高的、工时最多的、"
            "最早提出的；已暂缓的和固定指派的不合并。"
        ),
        (
            "Open needs of one household and one category are one need: the one kept is a pinned "
            "need, else the highest value, the most hours, the earliest submitted; needs held back "
            "by recent aid and pinned needs are not merged."
        ),
    ),
    "html.merged_value": ("合并的价值", "merged value"),
    "html.merged_hours": ("合并的工时", "merged hours"),
    "html.merged_yuan": ("合并的资金（元）", "merged yuan"),
    "html.merged_served_title": (
        "本方案仍服务的已合并申报",
        "Merged submissions the plan serves anyway",
    ),
    "html.plan_duplicates_title": ("本方案自身的重复服务", "Duplicate services in the plan"),
    "html.technical": (
        "技术细节（目标函数、上界、差距）",
        "Technical details (objective, bound, gap)",
    ),
    "html.technical_note": (
        (
            "目标函数为需求价值减去路途、包村不足、结对变动和公平性扣分；上界由求解器证明，"
            "任何方案都不会超过它。"
        ),
        (
            "The objective is the value served less the travel, pairing-shortfall, pairing-change "
            "and fairness penalties; the bound is proven by the solver: no plan can exceed it."
        ),
    ),
    "html.footer": (
        (
            "Baolian Matcher {version} · 方案由 {solver} 求解 · 所有数字均由评估器按硬约束 H1–H8 "
            "重新计算"
        ),
        "Baolian Matcher {version} · plan by {solver} · every figure from the evaluator (H1–H8)",
    ),
    # The map.
    "map.title": (
        "{county}各村，按需求满足比例着色",
        "Villages of {county} coloured by the share of their needs served",
    ),
    "map.the_county": ("本县", "the county"),
    "map.needs_served": (
        "已服务需求 {served} / {servable}（{share}）{held}",
        "needs served {served} of {servable} ({share}){held}",
    ),
    "map.held_back": ("，另有 {count} 项因近期已获帮扶而暂缓", ", {count} held back by recent aid"),
    "map.value_served": ("需求价值满足率 {share}", "value served {share}"),
    "map.village_facts": (
        "包村干部 {pairings} 名 · {households} 户 · {region}",
        "pairings {pairings} · {households} households · {region}",
    ),
    "map.unreachable": (
        "道路不通：没有道路通到这个村",
        "UNREACHABLE: no road reaches this village",
    ),
    "map.short": (
        "包村干部不足：{pairings} / {required}（{why}）",
        "SHORT of cadres: {pairings} of {required} ({why})",
    ),
    "map.legend_served": ("需求满足比例", "Needs served"),
    "map.legend_no_needs": ("无待办需求", "no open needs"),
    "map.legend_short": ("包村干部不足", "short of cadres"),
    "map.legend_unreachable": ("道路不通", "unreachable"),
    "map.legend_town": ("乡镇驻地", "town seat"),
    "map.legend_road": ("道路", "road"),
    "map.legend_note": (
        "圆面积：户数。鼠标移到村上可查看数字。",
        "Circle area: households. Hover a village for its figures.",
    ),
    # Names of report keys shown as facts (near-duplicate and merged totals, solver details).
    "field.groups": ("组数", "groups"),
    "field.records": ("记录数", "records"),
    "field.households": ("户数", "households"),
    "field.total_yuan": ("合计资金（元）", "total yuan"),
    "field.total_hours": ("合计工时", "total hours"),
    "field.overlap_yuan": ("重叠资金（元）", "overlap yuan"),
    "field.overlap_hours": ("重叠工时", "overlap hours"),
    "field.share_of_ledger_yuan": ("占台账资金", "share of ledger yuan"),
    "field.merges": ("合并组数", "merges"),
    "field.needs_merged": ("合并的申报", "needs merged"),
    "field.merged_value": ("合并的价值", "merged value"),
    "field.merged_hours": ("合并的工时", "merged hours"),
    "field.merged_cost": ("合并的资金（元）", "merged cost"),
    "field.served_in_plan": ("方案仍服务", "served in plan"),
    "field.served_twice": ("重复服务", "served twice"),
    "field.served_in_plan_hours": ("方案仍服务的工时", "served in plan hours"),
    "field.served_in_plan_yuan": ("方案仍服务的资金（元）", "served in plan yuan"),
    "field.need": ("需求", "need"),
    "field.kept": ("保留的需求", "kept"),
    "field.provider": ("服务者", "provider"),
    "field.kept_served_by": ("保留需求的服务者", "kept served by"),
    "field.household": ("户", "household"),
    "field.village": ("村", "village"),
    "field.category": ("类别", "category"),
    "field.hours": ("工时", "hours"),
    "field.yuan": ("资金（元）", "yuan"),
    "field.key": ("项", "key"),
    "field.objective": ("目标函数值", "objective"),
    "field.bound": ("上界", "bound"),
    "field.gap": ("相对差距", "gap"),
    "field.seed": ("随机种子", "seed"),
    "field.version": ("版本", "version"),
    "field.value": ("需求价值", "value"),
    "field.travel_penalty": ("路途扣分", "travel penalty"),
    "field.pairing_shortfall_penalty": ("包村不足扣分", "pairing shortfall penalty"),
    "field.pairing_change_penalty": ("结对变动扣分", "pairing change penalty"),
    "field.fairness_penalty": ("公平性扣分", "fairness penalty"),
    "field.total": ("目标函数合计", "total"),
    # Why two need categories are related (near-duplicates), by category pair.
    "relation.child_care|education": (
        "留守儿童课后看护与课业辅导：看护走访通常包括作业辅导",
        (
            "after-school care of a left-behind child and tutoring: care visits routinely include "
            "homework help"
        ),
    ),
    "relation.child_care|mental_health": (
        "留守儿童关爱与同一儿童的心理支持，常在同一次走访中进行",
        (
            "care of a left-behind child and psychological support of the same child, often in the "
            "same visits"
        ),
    ),
    "relation.elderly_care|medical": (
        "老人居家照护与医疗随访：养老走访包括健康检查和慢病随访",
        (
            "home care of an elderly person and medical visits: elderly-care visits include health "
            "checks and chronic-disease follow-up"
        ),
    ),
    "relation.medical|mental_health": (
        "医疗与心理健康服务：村医和卫生服务队两者都提供",
        "medical and mental-health services: village doctors and health teams deliver both",
    ),
    "relation.e_commerce|employment": (
        "电商培训与就业安置：都着眼于同一户的收入，常是同一次培训",
        (
            "e-commerce training and job placement: both aim at the same household income, often "
            "with the same training"
        ),
    ),
    "relation.hardship_relief|policy_service": (
        "困难救助与政策咨询：咨询常是为同一笔补助（低保、临时救助）办理申请",
        (
            "hardship relief and policy service: the service is often the application for the same "
            "subsidy (低保, 临时救助) that relief pays"
        ),
    ),
    # matcher sweep: the summary by policy and the run's own lines.
    "sweep.title": ("按策略汇总", "sweep by policy"),
    "sweep.solver": ("求解器", "solver"),
    "sweep.runs": ("运行次数", "runs"),
    "sweep.runs_failed": ("{runs}（失败 {failed}）", "{runs} ({failed} failed)"),
    "sweep.sd_pp": ("± {sd} 个百分点", "± {sd} pp"),
    "sweep.met_runs": ("达标 {met}/{runs}", "met {met}/{runs}"),
    "sweep.within_note": (
        (
            "≈：与基准策略 {baseline} 的差异在不同随机种子的波动范围内（配对 t 检验的 95% 区间包含 "
            "0，无法配对时差异小于标准差），不能据此判断策略的效果。"
        ),
        (
            "≈: the difference from the baseline policy {baseline} is within the spread of "
            "repeated seeds (the 95% paired t interval covers 0; unpaired, it is smaller than the "
            "standard deviation): do not read it as an effect of the policy."
        ),
    ),
    "sweep.within": (
        "{policy}：{figures}。与基准 {baseline} 的差异在不同随机种子的波动范围内",
        "{policy}: {figures} within the spread of repeated seeds of the baseline {baseline}",
    ),
    "sweep.nothing_to_run": (
        "请给出情景文件、--generate 规格，或两者都给",
        "give scenario files, --generate SPEC, or both",
    ),
    "sweep.plan": (
        (
            "共 {runs} 次运行（{scenarios} 个情景 × {policies} 个策略）；{path} 中已有 {skipped} "
            "次，待运行 {pending} 次"
        ),
        (
            "{runs} runs ({scenarios} scenarios × {policies} policies); {skipped} already in "
            "{path}, {pending} to run"
        ),
    ),
    "sweep.could_not_run": ("无法运行：{error}", "the sweep could not run: {error}"),
    "sweep.interrupted": (
        "已中断；已完成的行保存在 {path}：再次运行同一命令即可继续",
        "interrupted; the rows written so far are in {path}: run the same command again to go on",
    ),
    "sweep.done": (
        (
            "运行 {ran} 次，用时 {seconds} 秒，失败 {errors} 次（其行中记有错误）；跳过 {skipped} "
            "次；表格：{path}"
        ),
        (
            "{ran} run(s) in {seconds} s, {errors} failed (their rows hold the error); {skipped} "
            "skipped; table: {path}"
        ),
    ),
    "sweep.plans": ("；方案：{path}", "; plans: {path}"),
    "sweep.bar": ("运行", "sweep"),
    "sweep.bar_failed": ("次失败", "failed"),
    "sweep.bar_eta": ("预计剩余", "ETA"),
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
    # The three lists of 包村联户 (matcher.reports.rosters): who is paired with which village,
    # which household's need goes to whom with which money, and each person's own list.
    "html.nav_rosters": ("三张清单", "the three lists"),
    "roster.pairing": ("包村名单", "village pairing roster"),
    "roster.service": ("联户服务清单", "household service list"),
    "roster.provider": ("个人任务单", "each person's task list"),
    "roster.title": ("包村联户三张清单", "the three lists of 包村联户"),
    "roster.town_page": ("{town}：包村联户清单", "{town}: pairing and service lists"),
    "roster.town": ("乡镇", "town"),
    "roster.town_id": ("乡镇代码", "town id"),
    "roster.no_town": ("（未注明乡镇）", "(town not stated)"),
    "roster.village": ("村", "village"),
    "roster.village_id": ("村代码", "village id"),
    "roster.households": ("户数", "households"),
    "roster.cadre": ("干部", "cadre"),
    "roster.cadre_id": ("干部编号", "cadre id"),
    "roster.name": ("姓名/名称", "name"),
    "roster.post": ("职务", "post"),
    "roster.department": ("部门", "department"),
    "roster.pairing_status": ("结对情况", "pairing"),
    "roster.existing": ("原有结对", "existing"),
    "roster.new": ("新增结对", "new"),
    "roster.released": ("不再结对", "released"),
    "roster.minutes": ("单程路途（分钟）", "one-way travel (min)"),
    "roster.visits": ("走访次数", "visits"),
    "roster.visit_hours": ("走访工时（含路途）", "visit hours (travel included)"),
    "roster.required": ("应有包村干部数", "cadres required"),
    "roster.shortfall": ("缺少包村干部数", "cadres short"),
    "roster.no_cadre": ("尚无包村干部", "no cadre paired"),
    "roster.short_by": ("还缺 {count} 名包村干部", "{count} more cadre(s) needed"),
    "roster.household": ("户", "household"),
    "roster.household_id": ("户编号", "household id"),
    "roster.household_label": ("户标签", "household label"),
    "roster.village_level": ("村级需求", "village-level need"),
    "roster.need": ("需求编号", "need"),
    "roster.category": ("类别", "category"),
    "roster.vulnerable": ("重点人群", "vulnerable"),
    "roster.priority": ("优先级", "priority"),
    "roster.provider_id": ("服务者编号", "provider id"),
    "roster.provider_name": ("服务者", "provider"),
    "roster.provider_type": ("服务者类型", "provider type"),
    "roster.provider_unit": ("部门/组织类型", "department or kind"),
    "roster.type_cadre": ("干部", "cadre"),
    "roster.type_organization": ("社会力量", "social organisation"),
    "roster.need_hours": ("服务工时", "work hours"),
    "roster.hours": ("工时（含路途）", "hours (travel included)"),
    "roster.yuan": ("资金（元）", "money (yuan)"),
    "roster.funding": ("资金来源", "paid by"),
    "roster.submitted": ("提出日期", "raised on"),
    "roster.task": ("任务", "task"),
    "roster.task_pairing": ("包村联系：走访 {visits} 次", "village contact: {visits} visits"),
    "roster.task_pairing_plain": ("包村联系", "village contact"),
    "roster.for_whom": ("服务对象", "for whom"),
    "roster.where": ("地点", "where"),
    "roster.base": ("驻地", "base"),
    "roster.hours_total": ("已安排工时", "hours planned"),
    "roster.hours_available": ("可用工时", "hours available"),
    "roster.hours_left": ("剩余工时", "hours left"),
    "roster.tasks": ("任务数", "tasks"),
    "roster.none": ("无", "none"),
    "roster.from_plan_only": (
        "仅据方案文件生成：未提供情景文件，乡镇、部门、职务与可用工时暂缺",
        "made from the plan file alone: without the scenario, towns, departments, posts and "
        "hours available are not shown",
    ),
    "roster.signature": (
        "乡镇负责人签字：__________　日期：__________",
        "signed for the town: __________  date: __________",
    ),
}


def t(key: str, lang: Lang, **params: object) -> str:
    """The message ``key`` in ``lang`` with its ``{fields}`` filled from ``params``."""
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**params) if params else text
