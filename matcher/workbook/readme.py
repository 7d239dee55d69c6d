"""The text of the template's ``说明 README`` sheet, in Chinese and English.

It is generated from the column tables, so the explanation of every sheet and column, and the
lists of codes, are always those that the reader accepts.
"""

from __future__ import annotations

from matcher.workbook.columns import (
    CATEGORY_ZH,
    DEPARTMENT_ZH,
    ORGANIZATION_KIND_ZH,
    PLACE_KIND_ZH,
    REGION_ZH,
    SHEETS,
    VULNERABLE_ZH,
    Kind,
)

Row = list[str]

_INTRO: list[Row] = [
    ["# 包村联户资源匹配 · 场景工作簿 / Baolian Matcher scenario workbook"],
    ["用法", "How to use", "每张工作表是场景的一张清单，每行一条。第1行为中文表头，第2行为英文字段名；两行任留其一亦可，列的顺序不限。填好后运行 matcher import。",  # noqa: E501
     "Each sheet is one list of the scenario, one row per item. Row 1 holds the Chinese headers, row 2 the English field names; either row alone is enough and columns may be in any order. Then run matcher import."],  # noqa: E501
    ["# 单位 / Units"],
    ["车程", "travel", "分钟", "minutes"],
    ["工时", "effort", "小时", "hours"],
    ["金额、费用", "money", "元，整数", "whole yuan"],
    ["日期", "dates", "2026-12-01（也可 2026/12/1、2026年12月1日或Excel日期）", "ISO YYYY-MM-DD (2026/12/1, 2026年12月1日 or an Excel date also work)"],  # noqa: E501
    ["经纬度", "coordinates", "WGS-84 十进制度", "WGS-84 decimal degrees"],
    ["# 填写规则 / Notation"],
    ["技能", "skills", "技能:等级，用分号分隔，如 agri_tech:3; policy_service:2（全角冒号亦可），等级 1-3", "skill:level pairs separated by semicolons, e.g. agri_tech:3; policy_service:2 (a full-width colon is fine); levels 1-3"],  # noqa: E501
    ["多个值", "lists", "用 ; ； 、 或 , 分隔，如 V001; V002", "separated by ; ； 、 or , e.g. V001; V002"],  # noqa: E501
    ["空单元格", "empty cell", "取默认值：服务乡镇为空=全县，资金池类别/村/地区为空=不限，户编号为空=村级需求", "the default: no towns = the whole county, no pool categories/villages/regions = no restriction, no household = a village-level need"],  # noqa: E501
    ["[]", "[]", "明确为空：服务乡镇 [] = 不服务任何乡镇；技能 [] = 无技能", "explicitly empty: towns [] = serves no town; skills [] = no skill"],  # noqa: E501
    ['""', '""', '空文本；带引号的文本按原样读取，如 " 前后有空格 "', 'empty text; text in double quotes is read exactly, e.g. " padded "'],  # noqa: E501
    ["是/否", "yes/no", "是、否（也可 yes/no、true/false、1/0）", "是 or 否 (yes/no, true/false, 1/0 also work)"],  # noqa: E501
    ["户编号", "household", "只填化名编号（如 H-V001-0011），不得填写手机号或身份证号；请把该列设为文本格式", "a pseudonymous id (e.g. H-V001-0011), never a phone or ID-card number; keep the column formatted as Text"],  # noqa: E501
    ["道路", "roads", "删去道路表则按直线距离估算车程；保留空表则所有村都不可达", "delete the roads sheet to estimate travel from straight-line distance; an empty roads sheet leaves every village unreachable"],  # noqa: E501
]  # fmt: skip

_REQUIRED = {True: "必填 required", False: "选填 optional"}


def _codes(title: str, table: dict[str, str]) -> list[Row]:
    return [[f"# {title}"], *([code, zh] for code, zh in table.items())]


def readme_rows() -> list[Row]:
    """The README sheet, one list of cell texts per row; a heading row starts with "#"."""
    rows = list(_INTRO)
    rows.append(["# 工作表与列 / Sheets and columns"])
    for sheet in SHEETS:
        rows.append([f"# {sheet.name} {sheet.zh} ({_REQUIRED[sheet.required]})"])
        if sheet.key_value:
            for key in sheet.keys:
                rows.append([key.zh, key.field, key.unit, key.kind.value])
            continue
        for column in sheet.columns:
            if column.kind is Kind.NOTE:
                continue
            codes = (
                ", ".join(column.choices) if len(column.choices) <= 8 else "见代码表 / see codes"
            )
            detail = "; ".join(filter(None, (column.kind.value, column.unit, codes)))
            rows.append([column.zh, column.field, _REQUIRED[column.required], detail])
    rows.extend(_codes("需求类别与技能 / need categories and skills", CATEGORY_ZH))
    rows.extend(_codes("地区类别 / regions", REGION_ZH))
    rows.extend(_codes("驻地类型 / place kinds", PLACE_KIND_ZH))
    rows.extend(_codes("社会力量类型 / organisation kinds", ORGANIZATION_KIND_ZH))
    rows.extend(_codes("部门 / departments", DEPARTMENT_ZH))
    rows.extend(_codes("困难标签 / vulnerability tags", VULNERABLE_ZH))
    rows.append(
        ["中文名称亦可填写，导入时换成代码。", "Chinese names are accepted and become the codes."]
    )
    return rows
