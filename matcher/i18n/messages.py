"""The message catalogue: every text a person reads, by key, in Chinese and English.

``t(key, lang, **params)`` fills a message's ``{name}`` fields. A key missing from the
catalogue is a bug (KeyError), never a silent fallback; a test checks that every key has both
languages and the same fields in each.
"""

from __future__ import annotations

from matcher.i18n.codes import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # Workbook import and template.
    "workbook.cell.excel_error": (
        "{column}为 Excel 错误值 {text}",
        "{column} holds the Excel error {text}",
    ),
    "workbook.cell.not_a_choice": (
        "{column} {text} 不是可选的值；是否应为 {nearest}？",
        "{column} {text} is not one of the choices; did you mean {nearest}?",
    ),
    "workbook.cell.rounded": (
        "{column}是超过 15 位的数字，Excel 已改动其末尾几位；请把该列设为文本格式后重新填写",
        "{column} is a number of more than 15 digits, so Excel has already changed its last "
        "digits; format the column as Text (文本) and type the value again",
    ),
    "workbook.cell.scientific": (
        "{column} {text} 是科学计数法的数字，已丢失部分数字；请把该列设为文本格式后重新填写",
        "{column} {text} is a number in scientific notation: its digits are lost; format the "
        "column as Text (文本) and type the value again",
    ),
    "workbook.cell.personal_number": (
        "{column}只能填化名编号：此值像手机号或身份证号",
        "household ids must be pseudonymous: this one looks like a phone or ID-card number "
        "({column})",
    ),
    "workbook.cell.personal_number_stored": (
        "{column}只能填化名编号：此值像手机号或身份证号（单元格以数字保存）",
        "household ids must be pseudonymous: this one looks like a phone or ID-card number "
        "({column}; the cell holds it as a number)",
    ),
    "workbook.cell.too_large": ("{column}数值过大：{text}", "{column} is too large: {text}"),
    "workbook.cell.not_whole": (
        "{column}必须是整数，不能是 {text}",
        "{column} must be a whole number, not {text}",
    ),
    "workbook.cell.not_number": (
        "{column}必须是数字，不能是 {text}",
        "{column} must be a number, not {text}",
    ),
    "workbook.cell.not_yes_no": (
        "{column}只能填“是”或“否”，不能是 {text}",
        "{column} must be 是 or 否 (yes or no), not {text}",
    ),
    "workbook.cell.not_date": (
        "{column}必须是日期，写作“2026-12-01”，不能是 {text}",
        '{column} must be a date written like "2026-12-01", not {text}',
    ),
    "workbook.cell.not_date_number": (
        "{column}必须是日期，写作“2026-12-01”，不能是 {text}（单元格是数字：请设为日期或文本格式）",
        '{column} must be a date written like "2026-12-01", not {text} (the cell holds a '
        "number; format it as a date or as text)",
    ),
    "workbook.cell.not_dates": (
        "{column}应为用“;”分隔的日期，如“2026-10-01; 2026-10-02”，不能是 {text}",
        '{column} must be dates separated by ";" like "2026-10-01; 2026-10-02", not {text}',
    ),
    "workbook.cell.not_list": (
        "{column}应为用“;”分隔的多项或文本的 JSON 列表，不能是 {text}",
        '{column} must be items separated by ";" or a JSON list of text, not {text}',
    ),
    "workbook.cell.not_skills": (
        "{column}应写作“技能:等级”，如“agri_tech:3; policy_service:2”，不能是 {text}",
        '{column} must be skill:level pairs like "agri_tech:3; policy_service:2", not {text}',
    ),
    "workbook.cell.skill_twice": (
        "{column}中技能 {skill} 出现了两次",
        "{column} lists the skill {skill} twice",
    ),
    "workbook.cell.not_pairs": (
        '{column}应为 JSON 对象如 {{"1": 1, "2": 2}} 或“1:1; 2:2”形式的键值对，不能是 {text}',
        '{column} must be a JSON object like {{"1": 1, "2": 2}} or pairs like "1:1; 2:2", '
        "not {text}",
    ),
    "workbook.sheet.ignored": (
        "工作表 {sheet} 不属于场景，已忽略；场景的工作表为：{sheets}",
        "sheet {sheet} is not part of a scenario and is ignored; the sheets are {sheets}",
    ),
    "workbook.sheet.twice": (
        "{sheet} 和 {other} 都是工作表 {list}；请只保留一个",
        "{sheet} and {other} are both the sheet {list}; keep one",
    ),
    "workbook.sheet.missing": (
        "缺少工作表 {sheet}，场景必须有它（模板中包含全部工作表）",
        "the sheet {sheet} is missing; a scenario needs it (the template has every sheet)",
    ),
    "workbook.column.repeated": (
        "列 {header} 与第 {letter} 列重复，都是{column}；请删去一列",
        "column {header} repeats the column {column} (column {letter}); remove one",
    ),
    "workbook.column.unknown": (
        "未知的列 {header}，已忽略",
        "unknown column {header} is ignored",
    ),
    "workbook.column.unknown_near": (
        "未知的列 {header}，已忽略；是否应为 {near}？",
        "unknown column {header} is ignored; did you mean {near}?",
    ),
    "workbook.column.no_headers": (
        "第 {row} 行不是工作表 {sheet} 的表头：第一行应为列名（{examples}）",
        "row {row} names no column of the sheet {sheet}: the first row must hold the headers "
        "({examples})",
    ),
    "workbook.column.missing": (
        "工作表 {sheet} 缺少必填列“{column}”",
        "the column {column} is missing from the sheet {sheet}; it is required",
    ),
    "workbook.column.no_header": (
        "此列有值但没有表头，已忽略",
        "this column has values but no header; it is ignored",
    ),
    "workbook.roads_empty": (
        "道路表没有任何行，所有村都不可达；如要按直线距离估算车程，请删除该表",
        "the roads sheet has no rows, so no village can be reached; delete the sheet to use "
        "straight-line distances instead",
    ),
    "workbook.setting.no_key": (
        "此值没有参数名；请在此单元格填写参数",
        "this value has no key; name the setting in this cell",
    ),
    "workbook.setting.unknown": (
        "未知的参数 {setting}，已忽略",
        "unknown setting {setting} is ignored",
    ),
    "workbook.setting.twice": (
        "参数 {setting} 填写了两次（另见 {first}）",
        "the setting {setting} is given twice (also at {first})",
    ),
    "workbook.place.unknown": (
        "{text} 不是任何{what}的编号或名称",
        "{text} is neither the id nor the name of a {what}",
    ),
    "workbook.place.unknown_near": (
        "{text} 不是任何{what}的编号或名称；是否应为 {nearest}？",
        "{text} is neither the id nor the name of a {what}; did you mean {nearest}?",
    ),
    "workbook.place.ambiguous": (
        "名称 {text} 对应 {count} 个{what}：{candidates}；请填写编号或带上乡镇名，如 {example}",
        "the name {text} fits {count} places ({what}): {candidates}; write the id, or the name "
        "with its town, e.g. {example}",
    ),
    "workbook.file.not_found": ("找不到文件：{path}", "file not found: {path}"),
    "workbook.file.old_xls": (
        "{file} 是旧版 .xls 工作簿；请另存为 .xlsx（Excel 2007 及以后）",
        "{file} is an old .xls workbook; save it as .xlsx (Excel 2007+)",
    ),
    "workbook.file.lone_csv": (
        "请给出存放 {file} 和其他 CSV 文件的文件夹",
        "give the folder that holds {file} and the other CSV files",
    ),
    "workbook.file.unknown_kind": (
        "{file} 既不是 .xlsx 工作簿，也不是存放 CSV 文件的文件夹",
        "{file} is neither an .xlsx workbook nor a folder of CSV files",
    ),
    "workbook.file.unreadable": ("无法读取 {path}：{error}", "cannot read {path}: {error}"),
    "workbook.file.not_xlsx": (
        "{file} 无法作为 .xlsx 工作簿读取（{error}）",
        "{file} cannot be read as an .xlsx workbook ({error})",
    ),
    "workbook.file.damaged": (
        "{file} 已损坏，无法读取（{error}）",
        "{file} is damaged and cannot be read ({error})",
    ),
    "workbook.file.sheet_damaged": (
        "工作表 {sheet} 已损坏，无法读取（{error}）",
        "the sheet {sheet} is damaged and cannot be read ({error})",
    ),
    "workbook.file.no_folder": ("找不到文件夹：{path}", "folder not found: {path}"),
    "workbook.file.no_csv": (
        "{path} 中没有 CSV 文件（places.csv、villages.csv、needs.csv……）",
        "{path} holds no CSV files (places.csv, villages.csv, needs.csv, ...)",
    ),
    "workbook.file.crs": (
        "经纬度无法换算为 WGS-84：{error}",
        "lon/lat cannot be converted to WGS-84: {error}",
    ),
    "workbook.file.not_text": (
        "此文件既不是 UTF-8 也不是 GBK 文本",
        "this file is neither UTF-8 nor GBK text",
    ),
    "workbook.file.gbk": (
        "此文件不是 UTF-8，已按 GBK 读取；请另存为“CSV UTF-8”以确保每个字符无误",
        'this file is not UTF-8; it was read as GBK. Save it as "CSV UTF-8" to be sure that '
        "every character is kept",
    ),
    "workbook.more_problems": (
        "……另有 {more} 个问题（{errors} 个错误、{warnings} 个警告）：只列出前 {limit} 个",
        "… and {more} more problems ({errors} errors, {warnings} warnings): only the first "
        "{limit} are listed",
    ),
    "workbook.more_problems_whole": (
        "……另有 {more} 个问题（{errors} 个错误、{warnings} 个警告）：只列出前 {limit} 个；"
        "改正这些后再整体检查各表",
        "… and {more} more problems ({errors} errors, {warnings} warnings): only the first "
        "{limit} are listed; the sheets are checked as a whole once these are corrected",
    ),
    "workbook.limit.directory": (
        "{file} 的部件数超出工作簿应有的数量（{entries} 个 zip 条目、目录 {size}；"
        "上限 {limit} 个）",
        "{file} holds more parts than a workbook has ({entries} zip entries, {size} of "
        "directory; the limit is {limit} entries)",
    ),
    "workbook.limit.parts": (
        "{file} 有 {parts} 个部件；工作簿一般只有几十个（上限 {limit}）",
        "{file} holds {parts} parts; a workbook has a few dozen (the limit is {limit})",
    ),
    "workbook.limit.method": (
        "{file} 的部件 {part} 使用压缩方法 {method}；工作簿使用 deflate",
        "the part {part} of {file} is compressed with method {method}; a workbook uses deflate",
    ),
    "workbook.limit.encrypted": (
        "{file} 的部件 {part} 已加密",
        "the part {part} of {file} is encrypted",
    ),
    "workbook.limit.stated_total": (
        "{file} 声明解压后为 {size}，超过上限 {limit}",
        "{file} states {size} uncompressed, over the limit of {limit}",
    ),
    "workbook.limit.stated_part": (
        "{file} 的部件 {part} 声明解压后为 {size}，超过每个部件的上限 {limit}",
        "the part {part} of {file} states {size} uncompressed, over the limit of {limit} per part",
    ),
    "workbook.limit.stated_strings": (
        "{file} 的共享字符串 {part} 声明解压后为 {size}，超过上限 {limit}",
        "the shared strings {part} of {file} state {size} uncompressed, over the limit of {limit}",
    ),
    "workbook.limit.ratio": (
        "{file} 的部件 {part} 解压后膨胀 {ratio} 倍（{compressed} 到 {inflated} 或更多）；"
        "工作簿最多压缩 {limit} 倍（压缩炸弹？）",
        "the part {part} of {file} inflates {ratio} times ({compressed} to {inflated} or more); "
        "a workbook compresses at most {limit} times (a zip bomb?)",
    ),
    "workbook.limit.inflated_total": (
        "{file} 解压后超过上限 {limit}（在部件 {part} 处）",
        "{file} inflates to more than {limit}, the limit (at the part {part})",
    ),
    "workbook.limit.part": ("部件 {part}", "the part {part}"),
    "workbook.limit.strings_part": ("共享字符串 {part}", "the shared strings {part}"),
    "workbook.limit.inflated_part": (
        "{what} 解压后超过上限 {limit}（其声明大小为 {stated}）",
        "{what} inflates to more than {limit}, the limit (its stated size is {stated})",
    ),
    "workbook.limit.whole_part": (
        "{what} 需整体读取，解压后超过上限 {limit}",
        "{what} is read whole and inflates to more than {limit}, the limit",
    ),
    "workbook.limit.whole_tags": (
        "{what} 含有超过 {limit} 个 XML 标签",
        "{what} holds more than {limit} XML tags",
    ),
    "workbook.limit.text_run": (
        "{what} 含有超过 {limit} 的连续文本或空白；一个单元格最多 {cell} 个字符",
        "{what} holds a text or whitespace run of more than {limit}; a cell holds at most "
        "{cell} characters",
    ),
    "workbook.limit.excel_rows": (
        "{what} 超过 {limit} 行，即 Excel 的最大行数",
        "{what} holds more than {limit} rows, Excel's maximum",
    ),
    "workbook.limit.node_tags": (
        "{what} 在一行、一个字符串或两行之间含有超过 {limit} 个 XML 标签；"
        "{columns} 个单元格的整行约有 65,000 个",
        "{what} holds more than {limit} XML tags in one row, one string or between two rows; "
        "a full row of {columns} cells has about 65,000",
    ),
    "workbook.limit.cell_chars": (
        "此单元格有 {chars} 个字符；单元格最多 {limit} 个（Excel 的上限）；其后内容未读取",
        "this cell holds {chars} characters; a cell holds at most {limit} (Excel's limit); "
        "nothing more was read",
    ),
    "workbook.limit.past_excel": (
        "工作表 {sheet} 超过第 {limit} 行，即 Excel 的最后一行",
        "the sheet {sheet} goes on past row {limit}, Excel's last row",
    ),
    "workbook.limit.rows": (
        "工作表 {sheet} 第 {row} 行有值，超过每表 {limit} 行的上限；其后内容未读取",
        "the sheet {sheet} has values in row {row}, past the limit of {limit} rows per sheet; "
        "nothing more was read",
    ),
    "workbook.limit.total_rows": (
        "各表有值的行合计超过 {limit} 行（上限），在 {sheet} 第 {row} 行达到；其后内容未读取",
        "the sheets hold more than {limit} rows with values (the limit, for all sheets "
        "together), reached at row {row} of {sheet}; nothing more was read",
    ),
    "workbook.limit.cells": (
        "各表单元格合计超过 {limit} 个（上限；每行计到最后一个值），在 {sheet} 第 {row} 行达到；"
        "其后内容未读取",
        "the sheets hold more than {limit} cells (the limit; counted up to the last value of "
        "each row), reached at row {row} of {sheet}; nothing more was read",
    ),
    "workbook.limit.chars": (
        "各表文本合计超过 {limit} 个字符（上限），在 {sheet} 第 {row} 行达到；其后内容未读取",
        "the sheets hold more than {limit} characters of text (the limit), reached at row "
        "{row} of {sheet}; nothing more was read",
    ),
    "workbook.limit.entries": (
        "各表单元格合计超过 {limit} 个（上限；列表的每一项各算一个），在 {sheet} 第 {row} 行达到；"
        "其后内容未读取",
        "the sheets hold more than {limit} cells (the limit; each entry of a list counted), "
        "reached at row {row} of {sheet}; nothing more was read",
    ),
    "workbook.limit.csv_files": (
        "文件夹中有 {files} 个 CSV 文件；上限为 {limit}",
        "the folder holds {files} CSV files; the limit is {limit}",
    ),
    "workbook.limit.csv_file": (
        "{file} 大小为 {size}，超过每个 CSV 文件的上限 {limit}",
        "{file} is {size}, over the limit of {limit} per CSV file",
    ),
    "workbook.limit.csv_total": (
        "CSV 文件合计 {size}，超过上限 {limit}",
        "the CSV files hold {size} in all, over the limit of {limit}",
    ),
    "workbook.limit.csv_record": (
        "{file} 的一行超过 {limit} 个字符（引号未闭合？）；其后内容未读取",
        "a row of {file} holds more than {limit} characters (an unclosed quote?); nothing more "
        "was read",
    ),
    "workbook.limit.csv_unreadable": (
        "{file} 第 {line} 行无法按 CSV 读取（{error}）",
        "{file} cannot be read as CSV at line {line} ({error})",
    ),
    "workbook.template.range": (
        "请填写 {low}-{high} 的整数；其他值由导入时检查",
        "a whole number {low}-{high}; the import checks any other value",
    ),
    "workbook.template.code_list": (
        "可从列表中选择，也可填写代码、中文名或英文名；导入时检查",
        "pick from the list, or type the code or its Chinese or English name; the import checks it",
    ),
    "workbook.template.place_list": (
        "可从列表中选择名称，也可填写编号；导入时检查",
        "pick a name from the list, or type the id; the import checks it",
    ),
    "workbook.template.written": ("模板已写入 {path}", "template written to {path}"),
    "workbook.import.written": ("场景已写入 {path}", "scenario written to {path}"),
    "workbook.import.failed": (
        "{path}：{count} 个问题，未写入任何文件。",
        "{path}: {count} problem(s); nothing was written.",
    ),
    "workbook.readme.title": (
        "包村联户资源匹配 · 场景工作簿",
        "Baolian Matcher scenario workbook",
    ),
    "workbook.readme.use": ("用法", "How to use"),
    "workbook.readme.use_text": (
        "每张工作表是场景的一张清单，每行一条。前两行是表头：中文列名和英文字段名，两行任留其一"
        "亦可，列的顺序不限；工作表名用中文或英文均可。填好后运行 matcher import。",
        "Each sheet is one list of the scenario, one row per item. The two header rows hold "
        "the English field names and the Chinese headers; either row alone is enough, columns "
        "may be in any order, and sheets may have their Chinese or English titles. Then run "
        "matcher import.",
    ),
    "workbook.readme.places": ("乡镇和村", "towns and villages"),
    "workbook.readme.places_text": (
        "填写乡镇或村的地方（村的所属乡镇、驻地、道路起点终点、已包村、服务乡镇、限定村、需求和"
        "台账的所属村）填编号或名称均可，如 T01 或 福市镇；重名的村请填编号，或在村名前加乡镇名，"
        "如 福市镇小园村。",
        "Wherever a town or village is named (a village's town, bases, road ends, paired "
        "villages, an organisation's towns, a pool's villages, the village of a need or an "
        "aid record), its id or its name will do, e.g. T01 or 福市镇; for two villages of one "
        "name write the id, or the town's name before the village's, e.g. 福市镇小园村.",
    ),
    "workbook.readme.codes": ("代码", "codes"),
    "workbook.readme.codes_text": (
        "类别、地区、类型和部门可从下拉列表选择（“代码表”工作表），也可填写代码、中文名或英文名，"
        "如 elderly_care、养老服务、elderly care。",
        "Categories, regions, kinds and departments can be picked from the drop-down lists "
        "(the codes sheet), or typed as the code or its Chinese or English name, e.g. "
        "elderly_care, 养老服务, elderly care.",
    ),
    "workbook.readme.units": ("单位", "Units"),
    "workbook.readme.travel": ("车程", "travel"),
    "workbook.readme.travel_text": ("分钟", "minutes"),
    "workbook.readme.effort": ("工时", "effort"),
    "workbook.readme.effort_text": ("小时", "hours"),
    "workbook.readme.money": ("金额、费用", "money"),
    "workbook.readme.money_text": ("元，整数", "whole yuan"),
    "workbook.readme.dates": ("日期", "dates"),
    "workbook.readme.dates_text": (
        "2026-12-01（也可 2026/12/1、2026年12月1日或Excel日期）",
        "ISO YYYY-MM-DD, e.g. 2026-12-01 (2026/12/1, 2026年12月1日 or an Excel date also work)",
    ),
    "workbook.readme.coordinates": ("经纬度", "coordinates"),
    "workbook.readme.coordinates_text": ("WGS-84 十进制度", "WGS-84 decimal degrees"),
    "workbook.readme.notation": ("填写规则", "Notation"),
    "workbook.readme.skills": ("技能", "skills"),
    "workbook.readme.skills_text": (
        "技能:等级，用分号分隔，如 agri_tech:3; policy_service:2 或 农业技术:3；"
        "全角冒号亦可；等级 1-3",
        "skill:level pairs separated by semicolons, e.g. agri_tech:3; policy_service:2 or "
        "农业技术:3 (a full-width colon is fine); levels 1-3",
    ),
    "workbook.readme.lists": ("多个值", "lists"),
    "workbook.readme.lists_text": (
        "用 ; ； 、 或 , 分隔，如 V001; V002",
        "separated by ; ； 、 or , e.g. V001; V002",
    ),
    "workbook.readme.empty": ("空单元格", "empty cell"),
    "workbook.readme.empty_text": (
        "取默认值：服务乡镇为空=全县，资金池类别/村/地区为空=不限，户编号为空=村级需求",
        "the default: no towns = the whole county, no pool categories/villages/regions = no "
        "restriction, no household = a village-level need",
    ),
    "workbook.readme.brackets": ("[]", "[]"),
    "workbook.readme.brackets_text": (
        "明确为空：服务乡镇 [] = 不服务任何乡镇；技能 [] = 无技能",
        "explicitly empty: towns [] = serves no town; skills [] = no skill",
    ),
    "workbook.readme.quotes": ('""', '""'),
    "workbook.readme.quotes_text": (
        '空文本；带引号的文本按原样读取，如 " 前后有空格 "',
        'empty text; text in double quotes is read exactly, e.g. " padded "',
    ),
    "workbook.readme.yes_no": ("是/否", "yes/no"),
    "workbook.readme.yes_no_text": (
        "是、否（也可 yes/no、true/false、1/0）",
        "是 or 否 (yes/no, true/false, 1/0 also work)",
    ),
    "workbook.readme.household": ("户编号", "household"),
    "workbook.readme.household_text": (
        "只填化名编号（如 H-V001-0011），不得填写手机号或身份证号；请把该列设为文本格式",
        "a pseudonymous id (e.g. H-V001-0011), never a phone or ID-card number; keep the "
        "column formatted as Text",
    ),
    "workbook.readme.roads": ("道路", "roads"),
    "workbook.readme.roads_text": (
        "删去道路表则按直线距离估算车程；保留空表则所有村都不可达",
        "delete the roads sheet to estimate travel from straight-line distance; an empty roads "
        "sheet leaves every village unreachable",
    ),
    "workbook.readme.sheets": ("工作表与列", "Sheets and columns"),
    "workbook.readme.sheet": ("{title}（{need}）", "{title} ({need})"),
    "workbook.readme.required": ("必填", "required"),
    "workbook.readme.optional": ("选填", "optional"),
    "workbook.readme.kind.text": ("文本", "text"),
    "workbook.readme.kind.household": ("化名户编号", "pseudonymous household id"),
    "workbook.readme.kind.int": ("整数", "whole number"),
    "workbook.readme.kind.float": ("数字", "number"),
    "workbook.readme.kind.bool": ("是/否", "yes/no"),
    "workbook.readme.kind.date": ("日期", "date"),
    "workbook.readme.kind.list": ("多个值", "list"),
    "workbook.readme.kind.dates": ("多个日期", "dates"),
    "workbook.readme.kind.skills": ("技能:等级", "skill:level pairs"),
    "workbook.readme.kind.json": ("键:值", "key:value pairs"),
    "workbook.readme.kind.note": ("备注", "remark"),
    "workbook.readme.by_name": ("编号或名称", "id or name"),
    "workbook.readme.see_codes": ("见下方代码表", "see the codes below"),
    "workbook.readme.categories": ("需求类别与技能", "need categories and skills"),
    "workbook.readme.regions": ("地区类别", "regions"),
    "workbook.readme.place_kinds": ("驻地类型", "place kinds"),
    "workbook.readme.organization_kinds": ("社会力量类型", "organisation kinds"),
    "workbook.readme.departments": ("部门", "departments"),
    "workbook.readme.vulnerable": ("困难标签", "vulnerability tags"),
    "workbook.readme.labels_accepted": ("中文名称", "labels"),
    "workbook.readme.labels_text": (
        "中文名称和英文名称亦可填写，导入时换成代码。",
        "Chinese and English names are accepted and become the codes.",
    ),
    # The figures a county reports upward, each against its policy target (DESIGN §1).
    "policy.households_reached": ("户覆盖率", "households reached"),
    "policy.villages_with_min_cadres": ("包村干部达标的村", "villages with their cadres"),
    "policy.social_share": ("社会力量服务占比", "social forces' share of service"),
    "policy.funds_per_village": ("村均工作经费（元）", "work funds per village (yuan)"),
    "policy.central_west_money": ("中西部资金占比", "money to central and western villages"),
    "policy.duplicate_aid_avoided": ("避免的重复帮扶", "duplicate aid avoided"),
    "policy.needs_unmet": ("未满足需求", "needs left open"),
    "policy.response_on_time": ("响应时限达标率", "needs answered within the deadline"),
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
    "kpi.late_penalty": ("超期响应扣分", "late response penalty"),
    "kpi.total": ("合计", "total"),
    "kpi.amount": ("总额", "amount"),
    "kpi.used": ("已用", "used"),
    "kpi.left": ("余额", "left"),
    # KPIs of a scheduled plan (DESIGN §9).
    "kpi.on_time_share": ("按时响应率", "on-time share"),
    "kpi.late_needs": ("超期响应需求数", "needs answered late"),
    "kpi.response_working_days_median": ("响应工作日（中位数）", "response working days (median)"),
    "kpi.response_working_days_p90": (
        "响应工作日（90% 分位）",
        "response working days (90th percentile)",
    ),
    "kpi.needs_open_past_due": ("已超期的未满足需求", "open needs already past due"),
    "kpi.routes": ("出行路线数", "routes"),
    "kpi.route_travel_hours": ("路线路途工时", "route travel hours"),
    "kpi.route_hours_saved": ("合并出行节省工时", "travel hours saved by routes"),
    "other.response_working_days": (
        "响应工作日（中位数 / 第 90 百分位）",
        "response working days (median / 90th percentile)",
    ),
    "other.median_p90": ("{median} / {p90}", "{median} / {p90}"),
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
    "detail.response_on_time": (
        "按时响应 {on_time} 项，超期 {late} 项（时限：{days} 个工作日）",
        "{on_time} answered on time, {late} late (deadline: {days} working days)",
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
    # Schedule planning.
    "cli.calendar_filled": (
        "已按国家法定节假日加入 {holidays} 个放假日和 {workdays} 个调休上班日",
        "added {holidays} official holidays and {workdays} make-up working days",
    ),
    "cli.calendar_missing_years": (
        "{years} 年的调休上班日尚未收录：请把这些年的调休上班日填入 horizon.workdays",
        "the make-up working days of {years} are not known yet: type them into horizon.workdays",
    ),
    "cli.calendar_unknown": (
        "--calendar 只接受 cn，不接受 {value}",
        "--calendar takes cn only, not {value}",
    ),
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
    "html.violations_note": ("硬约束由评估器逐条核对", "every hard rule checked by the evaluator"),
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
    "field.late_penalty": ("超期响应扣分", "late response penalty"),
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
    # Schedule outputs (DESIGN §9).
    # matcher.reports.schedule and its renderings: the text report, the HTML report's calendar
    # and route map, the workbook's 日程 and 个人日程 sheets, the iCalendar files and the API.
    "sched.nav": ("日程", "Schedule"),
    "sched.title": (
        "日程：走访与服务的日期和顺序",
        "schedule: the days and order of visits and services",
    ),
    "sched.weekday.0": ("周一", "Mon"),
    "sched.weekday.1": ("周二", "Tue"),
    "sched.weekday.2": ("周三", "Wed"),
    "sched.weekday.3": ("周四", "Thu"),
    "sched.weekday.4": ("周五", "Fri"),
    "sched.weekday.5": ("周六", "Sat"),
    "sched.weekday.6": ("周日", "Sun"),
    "sched.sep": ("、", ", "),
    "sched.paren": ("（{text}）", " ({text})"),
    "sched.count_title": ("{title}（{count}）", "{title} ({count})"),
    "sched.yes": ("是", "yes"),
    "sched.no": ("否", "no"),
    "sched.summary_visit": ("走访 {village}", "Visit {village}"),
    "sched.summary_service": ("服务 {village}：{needs}", "Service {village}: {needs}"),
    "sched.summary_both": ("走访、服务 {village}：{needs}", "Visit and service {village}: {needs}"),
    "sched.need_line": ("{need} {whom}：{what}", "{need} {whom}: {what}"),
    "sched.whom_what": ("{whom}：{what}", "{whom}: {what}"),
    "sched.task_visit": ("包村走访", "village visit"),
    "sched.on_time": ("按时响应", "responded on time"),
    "sched.on_time_detail": (
        "{served} 项已服务需求中 {on_time} 项在 {days} 个工作日内响应，{late} 项逾期",
        "{on_time} of {served} served needs within {days} working days; {late} late",
    ),
    "sched.response_days": ("响应工作日", "response working days"),
    "sched.response_value": (
        "中位数 {median}，第 90 百分位 {p90}",
        "median {median}, 90th percentile {p90}",
    ),
    "sched.response_note": ("中位数；第 90 百分位 {p90}", "median; 90th percentile {p90}"),
    "sched.late_needs": ("逾期响应的需求", "needs served late"),
    "sched.late_note": ("服务日晚于响应期限", "served after their response deadline"),
    "sched.past_due": ("已过期限仍未服务的需求", "open needs already past due"),
    "sched.past_due_card_note": (
        "计划期开始时响应期限已过，方案仍未安排",
        "their deadline passed before the horizon starts, and the plan leaves them open",
    ),
    "sched.past_due_note": (
        "计划期开始时响应期限已经过去、而本方案仍未安排的需求，逾期最久的在前；逾期工作日按计划期第一天计",
        "needs whose response deadline had passed before the horizon starts and which this "
        "plan leaves open, most overdue first; working days overdue on the horizon's first day",
    ),
    "sched.route_travel": ("路线路途", "route travel"),
    "sched.hours_value": ("{hours} 小时", "{hours} h"),
    "sched.routes_line": (
        "{routes} 条路线，{stops} 个站点（走访 {visits} 次）",
        "{routes} routes, {stops} stops ({visits} visits)",
    ),
    "sched.routes_text": ("{hours} 小时；{routes}", "{hours} h; {routes}"),
    "sched.saved_title": ("路线节省的工时", "hours the routes save"),
    "sched.saved_note": (
        "与每个站点单独往返相比",
        "against one round trip per stop",
    ),
    "sched.histogram_title": (
        "响应工作日分布（已服务需求）",
        "response working days (served needs)",
    ),
    "sched.histogram_axis": ("从提出到服务的工作日", "working days from submission to service"),
    "sched.no_histogram": (
        "缺少情景文件，无法计算响应工作日",
        "response working days need the scenario",
    ),
    "sched.bin_more": ("＞{low}", ">{low}"),
    "sched.bin_tip": ("{days} 个工作日：{needs} 项需求", "{days} working days: {needs} needs"),
    "sched.calendar_title": (
        "日程表：每人每个工作日的站点",
        "calendar: each person's stops by working day",
    ),
    "sched.calendar_note": (
        "按驻地所在乡镇分表，每周一张表（当周没有安排的人不列出）；每格按顺序列出当天的站点："
        "村名、“走访”标记和服务的需求项数；“休”为本人休息日。点击一格即在下方路线图中显示当天路线。",
        "one table per town of the people's bases and per week (people with nothing that week "
        "left out); each cell lists the day's stops in order: the village, a visit mark and the "
        "needs served; \"off\" is the person's day off. Click a cell to draw that day's route "
        "on the map below.",
    ),
    "sched.town_calendar": ("{town}（{people} 人）", "{town} ({people} people)"),
    "sched.week": ("{first} 至 {last}", "{first} to {last}"),
    "sched.day_off": ("休", "off"),
    "sched.cell_visit": ("走访", "visit"),
    "sched.cell_needs": ("{count}项", "{count} need(s)"),
    "sched.map_title": (
        "路线图：每人每天的站点顺序",
        "route map: each person's stops in order, day by day",
    ),
    "sched.map_note": (
        "从驻地出发，按顺序经过各站点后返回驻地（虚线为返程）；直线只表示先后顺序，路途按道路计算。",
        "from the base through the stops in order and back (dashed: the way back); straight "
        "lines show the order only, travel follows the roads.",
    ),
    "sched.map_provider": ("服务者", "provider"),
    "sched.map_day": ("日期", "day"),
    "sched.map_svg_title": ("一位服务者一天的路线", "one provider's route on one day"),
    "sched.map_caption": ("{provider}：{facts}", "{provider}: {facts}"),
    "sched.route_facts": (
        "{date} {weekday}，{stops} 个站点，路途 {travel} 分钟，共 {hours} 小时",
        "{date} {weekday}, {stops} stops, {travel} min of travel, {hours} h in all",
    ),
    "sched.base_label": ("驻地：{base}", "base: {base}"),
    "sched.providers_title": ("每人日程", "each person's days"),
    "sched.person_line": (
        "{who}：{days} 天，{stops} 个站点，{hours} 小时",
        "{who}: {days} days, {stops} stops, {hours} h",
    ),
    "sched.more_providers": (
        "另有 {count} 人的日程见 HTML 报告、工作簿（个人日程）或日历文件",
        "{count} more people's days are in the HTML report, the workbook (个人日程) and the "
        "calendar files",
    ),
    "sched.none": ("方案中没有路线", "the plan has no routes"),
    "sched.from_plan_only": (
        "仅据方案文件生成：未提供情景文件，乡镇、期限和响应工作日暂缺",
        "made from the plan file alone: without the scenario, towns, deadlines and response "
        "working days are not shown",
    ),
    "sched.sheet.stops": ("日程", "schedule"),
    "sched.sheet.provider": ("个人日程", "each person's schedule"),
    "sched.col.date": ("日期", "date"),
    "sched.col.weekday": ("星期", "weekday"),
    "sched.col.order": ("当日顺序", "order in the day"),
    "sched.col.arrive": ("到达时间", "arrive"),
    "sched.col.depart": ("离开时间", "depart"),
    "sched.col.visit": ("是否走访", "visit"),
    "sched.col.need_ids": ("需求编号", "needs"),
    "sched.col.for_whom": ("服务对象及需求", "households and needs"),
    "sched.col.day_travel": ("当日路途（分钟）", "travel that day (min)"),
    "sched.col.day_hours": ("当日工时", "hours that day"),
    "sched.col.due": ("响应期限", "due"),
    "sched.col.late": ("逾期工作日", "working days late"),
    "sched.col.overdue": ("逾期工作日", "working days overdue"),
    "sched.col.days": ("工作日", "working days"),
    "sched.col.needs": ("需求数", "needs"),
    "sched.ics.calendar_name": ("包村联户日程 · {name}", "Schedule · {name}"),
    "sched.ics.location": ("{village}，{town}", "{village}, {town}"),
    "sched.ics.times": (
        "当天第 {order} 站（共 {stops} 站），{arrive} 到达，{depart} 离开",
        "stop {order} of {stops} that day, arrive {arrive}, leave {depart}",
    ),
    "sched.ics.visit_hours": ("包村走访（{hours} 小时）", "village visit ({hours} h)"),
    "sched.ics.hours": ("{hours} 小时", "{hours} h"),
    "sched.ics.due": ("期限 {due}", "due {due}"),
    "api.title.no_schedule": ("该方案没有日程", "The plan has no schedule"),
    "api.detail.no_schedule": (
        "作业 {job} 的方案没有日程：其情景未开启 policy.schedule",
        "the plan of job {job} has no schedule: its scenario does not turn policy.schedule on",
    ),
    "api.title.no_provider": ("没有此服务者", "No such provider"),
    "api.detail.no_provider": (
        "作业 {job} 的情景和日程中都没有服务者 {provider}",
        "job {job} has no provider {provider} in its scenario or its schedule",
    ),
    # Scenario problems (intake).
    # matcher.intake: what `validate`, `import` and the API say is wrong with a scenario.
    # Words inside the messages.
    "intake.the_file": ("文件", "the file"),
    "intake.the_request_body": ("请求体", "the request body"),
    "intake.the_scenario": ("情景", "the scenario"),
    "intake.the_value": ("该值", "the value"),
    "intake.value.private": ("所填的值", "the value given"),
    "intake.value.object": ("对象", "an object"),
    "intake.value.list": ("列表", "a list"),
    "intake.value.nan": ("NaN（非数）", "NaN"),
    "intake.value.infinity": ("无穷大", "infinity"),
    "intake.value.minus_infinity": ("负无穷大", "-infinity"),
    "intake.value.unshowable": ("无法显示的值", "a value that cannot be shown"),
    "intake.did_you_mean": ('；是否应为 "{close}"？', '; did you mean "{close}"?'),
    "intake.noun.places": ("地点", "place"),
    "intake.noun.villages": ("村", "village"),
    "intake.noun.cadres": ("干部", "cadre"),
    "intake.noun.organizations": ("社会组织", "organisation"),
    "intake.noun.pools": ("资金池", "pool"),
    "intake.noun.needs": ("需求", "need"),
    "intake.noun.aid_records": ("帮扶记录", "aid record"),
    "intake.road_end.from": ("起点", "from"),
    "intake.road_end.to": ("终点", "to"),
    # Reading the file.
    "intake.file_not_found": ("找不到文件：{file}", "file not found: {file}"),
    "intake.is_folder": (
        "{file} 是文件夹，不是情景文件",
        "{file} is a folder, not a scenario file",
    ),
    "intake.cannot_read": ("无法读取 {file}：{reason}", "cannot read {file}: {reason}"),
    "intake.not_utf8": (
        "{what}不是 UTF-8 文本（第 {line} 行第 {column} 列的字节不是 UTF-8，可能是以 GBK "
        "保存的）；请另存为 UTF-8",
        "{what} is not UTF-8 text (a byte at line {line}, column {column} is not UTF-8; it may "
        "be saved as GBK); save it as UTF-8",
    ),
    "intake.not_json": (
        "{what}不是有效的 JSON：第 {line} 行第 {column} 列，{reason}",
        "{what} is not valid JSON: {reason} at line {line}, column {column}",
    ),
    "intake.json.expecting_value": ("此处应有一个值", "Expecting value"),
    "intake.json.expecting_comma": ("此处应有逗号", "Expecting ',' delimiter"),
    "intake.json.expecting_colon": ("此处应有冒号", "Expecting ':' delimiter"),
    "intake.json.expecting_name": (
        "此处应有带双引号的键名",
        "Expecting property name enclosed in double quotes",
    ),
    "intake.json.extra_data": ("此处起有多余的内容", "Extra data"),
    "intake.json.unterminated": ("从此处开始的字符串没有结束", "Unterminated string starting at"),
    "intake.json.control": ("此处有无效的控制字符", "Invalid control character at"),
    "intake.json.escape": ("此处有无效的转义", "Invalid \\escape"),
    "intake.json.u_escape": ("此处有无效的 \\uXXXX 转义", "Invalid \\uXXXX escape"),
    "intake.json.trailing_comma_object": (
        "对象末尾多了逗号",
        "Illegal trailing comma before end of object",
    ),
    "intake.json.trailing_comma_array": (
        "数组末尾多了逗号",
        "Illegal trailing comma before end of array",
    ),
    "intake.duplicate_key": (
        '{what}的同一个对象中键 "{name}" 出现了两次',
        '{what} gives the key "{name}" twice in one object',
    ),
    "intake.too_deep": (
        "{what}嵌套层级过深，不是情景文件",
        "{what} is nested too deeply to be a scenario",
    ),
    "intake.yaml_invalid": (
        "文件不是有效的 YAML：{detail}",
        "the file is not valid YAML: {detail}",
    ),
    "intake.yaml_where": ("第 {line} 行第 {column} 列", "line {line}, column {column}"),
    "intake.aliases_expand": (
        "文件中的别名展开后有 {size} 个值，超过任何县的规模（至多 {limit} 个）；请把各值直接写出",
        "the file's aliases expand to {size} values, more than any county holds (at most "
        "{limit}); write the values out",
    ),
    "intake.alias_self": (
        "文件中有 YAML 别名位于其自身的锚点之内：它引用了自身",
        "the file holds a YAML alias inside its own anchor: it refers to itself",
    ),
    "intake.file_empty": (
        "文件为空；情景是一个含 schema_version 1 的对象",
        "the file is empty; a scenario is an object with schema_version 1",
    ),
    "intake.not_object": (
        "情景必须是一个对象（含 schema_version、places、villages 等），不能是 {value}",
        "a scenario must be an object (with schema_version, places, villages, ...), not {value}",
    ),
    "intake.must_be_object": ("情景必须是一个对象", "a scenario must be an object"),
    # Values no field accepts (matcher.intake.bounds): the text itself is never repeated.
    "intake.text.too_long": (
        "过长：共 {length} 个字符（至多 {limit} 个）",
        "text of {length} characters is too long (at most {limit})",
    ),
    "intake.text.surrogate": (
        "不是有效的 Unicode：第 {position} 个字符是孤立的代理项 U+{code}",
        "is not valid Unicode: a lone surrogate U+{code} at character {position}",
    ),
    "intake.text.control": (
        "第 {position} 个字符是控制字符 U+{code}",
        "holds a control character U+{code} at character {position}",
    ),
    "intake.text.direction": (
        "第 {position} 个字符是文字方向控制符 U+{code}",
        "holds a text-direction control U+{code} at character {position}",
    ),
    "intake.the_key": ("键{problem}", "the key {problem}"),
    "intake.the_text": ("文本{problem}", "the text {problem}"),
    "intake.number.digits": ("{digits} 位的数字", "a number of {digits} digits"),
    "intake.number.plain": ("数字", "a number"),
    "intake.number.too_large": (
        "{size}超出了所有字段的取值范围（任何字段都不超过 10^15）",
        "{size} is beyond every field's range (no field takes more than 10^15)",
    ),
    "intake.nested_deeper": ("嵌套超过 {limit} 层", "nested deeper than {limit} levels"),
    "intake.key_not_text": ("对象的键必须是文本", "an object key must be text"),
    "intake.more_values": (
        "另有 {count} 个类似的值未列出",
        "{count} more value(s) like these were not listed",
    ),
    # Fields the schema refuses (pydantic's errors, by kind).
    "intake.field.bad_key": (
        '"{name}" 不是 {parent} 的有效键；应为 {expected} 之一',
        '"{name}" is not a valid key of {parent}; use one of {expected}',
    ),
    "intake.field.missing": ("缺少必填字段 {label}", "required field {label} is missing"),
    "intake.field.extra": ('未知字段 "{label}"{hint}', 'unknown field "{label}"{hint}'),
    "intake.field.text": (
        "{label} 必须是文本，不能是 {value}{quote}",
        "{label} must be text, not {value}{quote}",
    ),
    "intake.field.quote_it": ("（请加引号）", " (write it in quotes)"),
    "intake.field.empty": ("{label} 不能为空", "{label} must not be empty"),
    "intake.field.too_long": (
        "{label} 最多 {limit} 个字符",
        "{label} must be at most {limit} characters long",
    ),
    "intake.field.too_many": (
        "{label} 最多列出 {limit} 项",
        "{label} may list at most {limit} items",
    ),
    "intake.field.whole_number": (
        "{label} 必须是整数，不能是 {value}",
        "{label} must be a whole number, not {value}",
    ),
    "intake.field.too_large": ("{label} 过大：{value}", "{label} is too large: {value}"),
    "intake.field.number": (
        "{label} 必须是数字，不能是 {value}",
        "{label} must be a number, not {value}",
    ),
    "intake.field.bool": (
        "{label} 必须是 true 或 false，不能是 {value}",
        "{label} must be true or false, not {value}",
    ),
    "intake.field.at_least": (
        "{label} 必须不小于 {bound}，不能是 {value}",
        "{label} must be at least {bound}, not {value}",
    ),
    "intake.field.more_than": (
        "{label} 必须大于 {bound}，不能是 {value}",
        "{label} must be more than {bound}, not {value}",
    ),
    "intake.field.at_most": (
        "{label} 必须不大于 {bound}，不能是 {value}",
        "{label} must be at most {bound}, not {value}",
    ),
    "intake.field.less_than": (
        "{label} 必须小于 {bound}，不能是 {value}",
        "{label} must be less than {bound}, not {value}",
    ),
    "intake.field.one_of": (
        "{label} 必须是 {expected} 之一，不能是 {value}",
        "{label} must be one of {expected}, not {value}",
    ),
    "intake.field.date": (
        '{label} 必须是形如 "2026-12-01" 的日期，不能是 {value}',
        '{label} must be a date written like "2026-12-01", not {value}',
    ),
    "intake.field.list": (
        "{label} 必须是列表，不能是 {value}",
        "{label} must be a list, not {value}",
    ),
    "intake.field.object": (
        "{label} 必须是对象（键: 值），不能是 {value}",
        "{label} must be an object (key: value pairs), not {value}",
    ),
    "intake.field.model": (
        "{label} 必须是含具名字段的对象，不能是 {value}",
        "{label} must be an object with named fields, not {value}",
    ),
    "intake.field.finite": ("{label} 必须是有限的数", "{label} must be a finite number"),
    "intake.field.id_spaces": (
        "编号的开头和结尾不能有空白",
        "an id must not begin or end with white space",
    ),
    "intake.field.id_hidden": (
        "编号必须是可打印的文本；其中含有 U+{code}（不可见字符或控制字符）",
        "an id must be printable text; it holds U+{code} (invisible or a control character)",
    ),
    "intake.field.personal": (
        "户编号必须是化名：此编号看似手机号或身份证号",
        "household ids must be pseudonymous: this one looks like a phone or ID-card number",
    ),
    "intake.field.date_number": (
        "日期必须写成 YYYY-MM-DD，不能是数字",
        "a date must be written as YYYY-MM-DD, not a number",
    ),
    "intake.field.date_range": (
        "日期必须在 {first} 至 {last} 之间，不能是 {value}",
        "a date must lie between {first} and {last}, not {value}",
    ),
    # References between lists and ids (matcher.intake.validation).
    "intake.schema_version_missing": (
        '缺少 schema_version；情景文件以 "schema_version": 1 开头',
        'schema_version is missing; a scenario starts with "schema_version": 1',
    ),
    "intake.schema_version_unread": (
        "schema_version 为 {value}，本版本的包联匹配只能读取 schema_version 1",
        "schema_version is {value}, but this version of Baolian Matcher reads only "
        "schema_version 1",
    ),
    "intake.schema_version_not_one": (
        "schema_version 必须是数字 1，不能是 {value}",
        "schema_version must be the number 1, not {value}",
    ),
    "intake.unknown_top_field": (
        '未知的顶层字段 "{name}"，已忽略{hint}',
        'unknown top-level field "{name}" is ignored{hint}',
    ),
    "intake.not_finite": (
        "{field} 为 {value}；请填写有限的数",
        "{field} is {value}; write a finite number",
    ),
    "intake.duplicate_id": (
        '{noun}编号 "{item}" 重复使用：{where} 也用了它；{list} 中的编号必须唯一',
        '{noun} id "{item}" is used twice: {where} has it too; ids must be unique within {list}',
    ),
    "intake.shared_id": (
        '{noun}编号 "{item}" 同时是一个{other}的编号（{where}）；地点、村、干部和社会组织的编号'
        "不能相同",
        '{noun} id "{item}" is also the id of a {other} ({where}); places, villages, cadres and '
        "organisations must have different ids",
    ),
    "intake.town_unknown": ('乡镇 "{town}" 不是已知的地点', 'town "{town}" is not a known place'),
    "intake.road_end_unknown": (
        '道路{end} "{node}" 不是已知的地点或村',
        'road {end} "{node}" is not a place or village',
    ),
    "intake.road_loop": (
        '道路的起点和终点都是 "{start}"，已忽略',
        'road runs from "{start}" to itself and is ignored',
    ),
    "intake.base_unknown": (
        '驻地 "{base}" 不是已知的地点或村',
        'base "{base}" is not a place or village',
    ),
    "intake.paired_village_unknown": (
        '引用了不存在的包联村 "{village}"',
        'paired village "{village}" is not a known village',
    ),
    "intake.paired_village_twice": (
        '包联村 "{village}" 列了两次；每个结对只列一次',
        'paired village "{village}" is listed twice; a pairing is listed once',
    ),
    "intake.village_unknown": (
        '引用了不存在的村 "{village}"',
        'village "{village}" is not a known village',
    ),
    "intake.pinned_unknown": (
        '指定服务者 pinned_provider "{provider}" 不是已知的干部或社会组织',
        'pinned_provider "{provider}" is not a known cadre or organisation',
    ),
    # Schedule (DESIGN §9).
    "intake.schedule.respond_by_before_submitted": (
        "答复期限 respond_by {respond_by} 早于需求提交日期 {submitted}",
        "respond_by {respond_by} is before the need was submitted on {submitted}",
    ),
    "intake.schedule.holiday_and_workday": (
        "{day} 同时列为节假日（holidays）和调休工作日（workdays）",
        "{day} is listed both as a holiday and as a make-up working day (workdays)",
    ),
    "intake.schedule.workday_not_weekend": (
        "调休工作日 {day} 不是周六或周日：周一至周五本就是工作日",
        "make-up working day {day} is not a Saturday or Sunday: Monday to Friday are working "
        "days already",
    ),
    "intake.schedule.day_outside": (
        "{day} 在规划期（{start} 至 {last}）之外，且早于所有需求的提交日期，不影响任何日期",
        "{day} lies outside the horizon ({start} to {last}) and before every need's "
        "submission: it changes nothing",
    ),
    "intake.schedule.day_off_outside": (
        "休息日 {day} 不在规划期（{start} 至 {last}）内，不影响任何安排",
        "day off {day} lies outside the horizon ({start} to {last}): it changes nothing",
    ),
    "intake.schedule.past_midnight": (
        "每天 {day_start} 出发、工作 {hours} 小时，将超过午夜",
        "a working day that starts at {day_start} and lasts {hours} hours runs past midnight",
    ),
    # Pins no plan can keep (matcher.intake.pinned).
    "intake.pin.no_day": (
        '指定服务者 "{provider}" 在此需求提出（{submitted}）之后的规划期内没有工作日',
        'pinned_provider "{provider}" has no working day in the horizon on or after this '
        "need's submission ({submitted})",
    ),
    "intake.pin.day_too_short": (
        '指定服务者 "{provider}" 一天只能工作 {day} 小时，而此需求 {hours} 小时加往返路程 '
        "{trip} 小时放不进一天",
        'pinned_provider "{provider}" works {day} hours a day, and this need\'s {hours} hours '
        "with its {trip} hours of round trip do not fit one day",
    ),
    "intake.pin.unavailable": (
        '指定服务者 "{provider}" 是标记为不可用的干部，不能服务此需求',
        'pinned_provider "{provider}" is a cadre marked unavailable, so cannot serve this need',
    ),
    "intake.pin.no_skill": (
        '指定服务者 "{provider}" 不具备此需求所要求的技能：{skill}',
        'pinned_provider "{provider}" does not hold the skill {skill} that this need asks for',
    ),
    "intake.pin.low_level": (
        '指定服务者 "{provider}" 的{skill}技能为 {level} 级，低于此需求要求的 {need_level} 级',
        'pinned_provider "{provider}" holds {skill} at level {level}, below the level '
        "{need_level} this need asks for",
    ),
    "intake.pin.other_towns": (
        '指定服务者 "{provider}" 只服务乡镇 {towns}，而村 {village} 位于乡镇 {town}',
        'pinned_provider "{provider}" serves only the towns {towns}, and village {village} '
        "lies in town {town}",
    ),
    "intake.pin.no_towns": (
        '指定服务者 "{provider}" 的服务乡镇列表为空，而村 {village} 位于乡镇 {town}',
        'pinned_provider "{provider}" has an empty list of towns, and village {village} lies '
        "in town {town}",
    ),
    "intake.pin.unreachable": (
        '指定服务者 "{provider}" 从驻地 {base} 没有道路可到达村 {village}',
        'pinned_provider "{provider}" cannot reach village {village} by road from its base {base}',
    ),
    "intake.pin.too_far": (
        '指定服务者 "{provider}" 距村 {village} {minutes} 分钟，超出其 {limit} 分钟的路程上限',
        'pinned_provider "{provider}" is {minutes} minutes from village {village}, beyond its '
        "travel limit of {limit} minutes",
    ),
    "intake.pin.held_back": (
        "同一户同一类别近期已获帮扶（帮扶记录 {records}），此需求暂缓，指定服务者 "
        '"{provider}" 不能服务；请取消指定或设置 policy.allow_repeat_aid',
        "this need is held back by recent aid to the same household and category (aid records "
        '{records}), so pinned_provider "{provider}" cannot serve it; unpin it or set '
        "policy.allow_repeat_aid",
    ),
    "intake.pin.hours_item": ("{need} {hours} 小时", "{need} {hours} h"),
    "intake.pin.hours_over": (
        '指定给 "{provider}" 的需求连同路程共需 {taken} 小时（{listed}）；{provider} 只有 '
        "{hours} 小时，任何方案都无法保留全部指定（H4）",
        'the needs pinned to "{provider}" take {taken} hours with travel ({listed}); {provider} '
        "has {hours} hours, so no plan can keep every pin (H4)",
    ),
    "intake.pin.money_short": (
        "此指定需求费用 {cost} 元，但在其他指定需求之外，村 {village} 的资金上限和可支付它的资金池"
        "只能支付其中 {got} 元（H5、H6）：任何方案都无法保留此指定；请取消指定、降低费用或增加资金",
        "this pinned need costs {cost} yuan, but with the other pins only {got} of it can be "
        "paid from village {village}'s cap and the pools that admit it (H5, H6): no plan can "
        "keep the pin; unpin it, lower its cost or add money",
    ),
    # Unmet reasons' details.
    # matcher.evaluate.unmet: why an open need stayed open (Unmet.detail and detail_zh). The
    # English is the plan's detail as it has always been written, ids only; the Chinese
    # names villages, providers and pools as 名称（编号） and categories by their labels.
    "unmet.detail.list_more": ("{shown}等，另有 {more} 个", "{shown} and {more} more"),
    "unmet.detail.village": ("{village}", "village {village}"),
    "unmet.detail.at_village": ("{village}：{detail}", "village {village}: {detail}"),
    "unmet.detail.household": ("{village}{household} 户", "{household} of village {village}"),
    "unmet.detail.aid_record": ("{provider}（{date}）", "{provider} on {date}"),
    "unmet.detail.already_aided": (
        "{whom}的{category}需求近期已获帮扶：{who}",
        "{category} for {whom} by {who}",
    ),
    "unmet.detail.merged": (
        "已并入 {kept}：同一户同一类别重复提交",
        "merged into {kept}: the same household and category submitted twice",
    ),
    "unmet.detail.unreachable": ("{village}不通公路", "village {village} is unreachable by road"),
    "unmet.detail.no_holder": (
        "没有服务者具备{skill} {level} 级技能",
        "no provider holds {skill} level {level}",
    ),
    "unmet.detail.only_one_unavailable": (
        "{skill} {level} 级技能只有{who}具备，且{who}不可用",
        "{skill} level {level}: only {who} holds it and {who} is unavailable",
    ),
    "unmet.detail.all_unavailable": (
        "{skill} {level} 级技能只有{who}具备，且都不可用",
        "{skill} level {level}: only {who} hold it and all are unavailable",
    ),
    "unmet.detail.out_of_reach": (
        "{count} 个服务者具备{skill} {level} 级技能，但都无法在路程上限或服务范围内到达"
        "{village}（最近的是{nearest}：{minutes} 分钟，上限 {limit} 分钟）",
        "{count} providers hold {skill} level {level}; none reaches {village} within its "
        "travel limit or area (nearest {nearest}: {minutes} min, limit {limit})",
    ),
    "unmet.detail.no_workday": (
        "可及范围内有 {count} 个服务者（{who}），但从 {day} 到计划期最后一天 {last} 都没有工作日",
        "{count} providers in reach ({who}); none works a day from {day} to the horizon's "
        "last day {last}",
    ),
    "unmet.detail.no_long_day": (
        "可及范围内有 {count} 个服务者（{who}），但没有哪一天够 {hours} 小时加往返{village}的路程",
        "{count} providers in reach ({who}); none has a day long enough for {hours} h plus "
        "the round trip to {village}",
    ),
    "unmet.detail.days_full": (
        "可及服务者的工作日都已排满（单日最多剩 {most} 小时；需要 {hours} 小时）",
        "the working days of the providers in reach are full (most room left in a day: "
        "{most} h; {hours} h needed)",
    ),
    "unmet.detail.no_pool": (
        "费用 {cost} 元：没有资金池可用于{region}{village}的{category}需求",
        "cost {cost}: no pool admits {category} in {region} village {village}",
    ),
    "unmet.detail.over_cap": (
        "费用 {cost} 元超过{village}的资金上限 {cap} 元",
        "cost {cost} exceeds village {village}'s funding cap {cap}",
    ),
    "unmet.detail.over_pool_limits": (
        "费用 {cost} 元超过适用资金池{pools}对单项需求的支付上限（{most} 元）",
        "cost {cost} exceeds what the admitting pools {pools} may pay for one need ({most})",
    ),
    "unmet.detail.hours_short": (
        "可及范围内有 {count} 个具备{skill} {level} 级以上技能的服务者（{who}），剩余工时都不够"
        "（最多剩 {most} 小时；需要 {hours} 小时加路程）",
        "{count} providers with {skill} >= {level} within reach ({who}); all have too few "
        "hours left (most: {most} h; {hours} h plus travel needed)",
    ),
    "unmet.detail.cap_short": (
        "{village}的资金上限只剩 {left} 元；费用 {cost} 元",
        "village {village} has {left} yuan of its cap left; cost {cost}",
    ),
    "unmet.detail.pools_short": (
        "费用 {cost} 元；适用资金池余额不足（{shown} 元）",
        "cost {cost}; admitting pools have too little left ({shown} yuan)",
    ),
    "unmet.detail.not_chosen": (
        "可及服务者有工时、资金池也能支付；统筹时优先安排了其他需求",
        "a provider in reach has the hours and the pools can pay; the objective preferred "
        "other needs",
    ),
    # The HTTP API's problem documents (api.problem_details) for a caller who sends
    # Accept-Language: zh. The English of each is what the API answers without it.
    "api.status.400": ("请求有误", "Bad request"),
    "api.status.401": ("未授权", "Unauthorised"),
    "api.status.403": ("禁止访问", "Forbidden"),
    "api.status.404": ("未找到", "Not found"),
    "api.status.405": ("不支持此方法", "Method not allowed"),
    "api.status.406": ("无法提供所要求的格式", "Not acceptable"),
    "api.status.409": ("冲突", "Conflict"),
    "api.status.413": ("请求体过大", "Request body too large"),
    "api.status.415": ("不支持的媒体类型", "Unsupported media type"),
    "api.status.422": ("无法处理的内容", "Unprocessable content"),
    "api.status.429": ("请求过多", "Too many requests"),
    "api.status.500": ("服务器内部错误", "Internal server error"),
    "api.status.503": ("服务不可用", "Service unavailable"),
    "api.status.other": ("错误", "Error"),
    "api.title.scenario_invalid": ("情景无效", "The scenario is not valid"),
    "api.title.request_invalid": ("请求无效", "The request is not valid"),
    "api.title.queue_full": ("求解队列已满", "The solve queue is full"),
    "api.title.key_reused": (
        "Idempotency-Key 已用于另一个请求",
        "Idempotency-Key reused with another request",
    ),
    "api.title.no_plan": ("该作业还没有方案", "The job has no plan"),
    "api.title.workbook_invalid": ("工作簿不是有效的情景", "The workbook is not a valid scenario"),
    "api.title.body_not_utf8": ("请求体不是 UTF-8 文本", "The body is not UTF-8 text"),
    "api.title.body_not_json": ("请求体不是有效的 JSON", "The body is not valid JSON"),
    "api.title.county_missing": ("请先提交县的基础数据", "Put the county first"),
    "api.title.need_exists": ("需求已在登记簿中", "The need is already in the register"),
    "api.title.register_busy": ("登记簿正被同时修改", "The register changed meanwhile"),
    "api.title.illegal_transition": (
        "需求当前状态不允许此事件",
        "The event is not allowed in the present status of the need",
    ),
    "api.title.not_publishable": ("该方案不能发布", "The plan cannot be published"),
    "api.detail.no_need": ("此密钥下没有需求 {need}", "no need {need} for this key"),
    "api.detail.batch_key_reused": (
        "该密钥首次用于需求 {ids}，请求内容不同",
        "the key was first used for the needs {ids} with a different body",
    ),
    "api.detail.scenario_problems": (
        "{count} 个问题；未保存任何内容",
        "{count} problem(s); nothing was stored",
    ),
    "api.detail.request_problems": ("请求中有 {count} 个问题", "{count} problem(s) in the request"),
    "api.detail.no_job": ("此密钥下没有作业 {job}", "no job {job} for this key"),
    "api.detail.no_plan_yet": (
        "作业 {job} 目前{status}；运行之后才有方案",
        "job {job} is {status}; a plan exists once it has run",
    ),
    "api.detail.no_report": (
        "作业 {job}（暂时）没有 HTML 报告",
        "job {job} has no HTML report (yet)",
    ),
    "api.detail.queue_full": (
        "已有 {queued} 个作业在排队，达到{whose}上限；请 {retry} 秒后重试",
        "{queued} jobs are queued, {whose} limit; retry in {retry} s",
    ),
    "api.detail.queue_mine": ("本县的", "your county's"),
    "api.detail.queue_service": ("本服务的", "the service's"),
    "api.detail.key_reused": (
        "该密钥首次用于作业 {job} 时的请求体与此不同",
        "the key was first used for job {job} with a different body",
    ),
    "api.detail.bad_cursor": (
        "此游标不是本服务发出的",
        "this cursor is not one this service issued",
    ),
    "api.detail.body_over_limit": (
        "请求体超过了 {limit} 字节的上限",
        "the request body is over the limit of {limit} bytes",
    ),
    "api.detail.key_invalid": (
        "请在 X-API-Key 请求头中提供有效的密钥",
        "send a valid X-API-Key header",
    ),
    "api.detail.key_missing": ("缺少 X-API-Key 请求头", "the X-API-Key header is missing"),
    "api.detail.json_only": (
        "此接口读取 JSON 请求体：请以 Content-Type application/json（或 application/*+json）"
        "发送，而不是 {sent}",
        "this route reads a JSON body: send it with Content-Type application/json (or "
        "application/*+json), not {sent}",
    ),
    "api.detail.no_content_type": ("未注明 Content-Type", "no Content-Type"),
    "api.detail.unclean": (
        "请求含有不干净的文本（控制字符、孤立代理项或文字方向控制符）",
        "the request holds text that is not clean (a control character, a lone surrogate or "
        "a direction control)",
    ),
    "api.detail.unsafe_values": (
        "{count} 个值不被任何字段接受；未保存任何内容",
        "{count} value(s) no field accepts; nothing was stored",
    ),
    "api.detail.workbook_problems": (
        "{count} 个问题，均已标明所在的工作表、行和列；未保存任何内容",
        "{count} problem(s), each at its sheet, row and column; nothing was stored",
    ),
    "api.detail.unreadable_file": (
        "无法把该文件读取为 {kind} 情景；未保存任何内容",
        "the file cannot be read as a {kind} scenario; nothing was stored",
    ),
    "api.detail.empty_body": (
        "请求体为空：请发送工作簿（.xlsx）或情景文件本身",
        "the body is empty: send the workbook (.xlsx) or the scenario file itself",
    ),
    "api.item.time_limit": ("本服务最多 {limit} 秒", "at most {limit} seconds on this service"),
    "api.item.no_scenario": ("没有读到情景", "no scenario was read"),
    "api.unclean.path": ("请求路径{problem}", "the path {problem}"),
    "api.unclean.query": ("查询参数{problem}", "the query parameter {problem}"),
    "api.unclean.header": ("请求头{problem}", "the header {problem}"),
    "api.job_status.queued": ("排队中", "queued"),
    "api.job_status.running": ("运行中", "running"),
    "api.job_status.succeeded": ("已完成", "succeeded"),
    "api.job_status.failed": ("已失败", "failed"),
    "api.job_status.stopped": ("已停止", "stopped"),
    # The service loop: `matcher replay` and `matcher service-kpis` (DESIGN §10).
    "service.title": (
        "服务指标：{start} 至 {end}（{days} 个工作日内响应）",
        "Service KPIs: {start} to {end} (response within {days} working days)",
    ),
    "service.by_town": ("分乡镇", "By town"),
    "service.by_category": ("分类别", "By category"),
    "service.group": ("分组", "group"),
    "service.received": ("受理需求", "needs received"),
    "service.responded": ("已响应", "responded"),
    "service.on_time_share": ("按时响应率", "on-time response share"),
    "service.response_p50": ("响应工作日（中位数）", "response working days (p50)"),
    "service.response_p90": ("响应工作日（90% 分位）", "response working days (p90)"),
    "service.resolved": ("已解决", "resolved"),
    "service.closed_unresolved": ("未解决即关闭", "closed unresolved"),
    "service.open_past_due": ("逾期未响应", "open past due"),
    "service.closed_other": ("其他原因关闭", "closed for other reasons"),
    "service.resolution_rate": ("解决率", "resolution rate"),
    "service.satisfaction": ("群众满意度（均值）", "satisfaction (mean)"),
    "service.satisfied_share": ("满意率（4-5 分）", "satisfied share (answers of 4 or 5)"),
    "service.answers": ("满意度回访数", "satisfaction answers"),
    "service.publishes": ("发布方案次数", "plans published"),
    "service.changed_per_publish": ("每次发布变更分派数", "assignments changed per publish"),
    "service.changed_share": ("每次发布变更比例", "share of assignments changed per publish"),
    "service.unreadable": (
        "{path}：不是可读的登记簿文件：{error}",
        "{path}: not a readable register file: {error}",
    ),
    "service.bad_date": (
        "{option} 必须是日期，写作“2026-12-01”，不能是 {value}",
        '{option} must be a date written like "2026-12-01", not {value}',
    ),
    "replay.title": ("运营方式对比：{county}", "Operating policies compared: {county}"),
    "replay.policy": ("运营方式", "policy"),
    "replay.value_served": ("服务价值", "value served"),
    "replay.duplicate_aid": ("重复帮扶（已办结）", "duplicate aid (served)"),
    "replay.travel_hours": ("路途工时", "travel hours"),
    "replay.seconds": ("用时（秒）", "seconds"),
    "replay.progress": (
        "{county} · {policy}：第 {day}/{days} 个工作日",
        "{county} · {policy}: working day {day} of {days}",
    ),
    "replay.unreadable": (
        "{path}：不是可读的到达需求文件：{error}",
        "{path}: not a readable arrivals file: {error}",
    ),
    "replay.bad_policy": (
        "未知的运营方式 {value}；可选：{choices}",
        "unknown policy {value}; choose from {choices}",
    ),
    "replay.written": ("结果已写入 {path}", "results written to {path}"),
    "replay.register_written": (
        "{policy} 的登记簿已写入 {path}",
        "{policy}'s register written to {path}",
    ),
    "replay.policy.first-come": ("先到先派", "first come, first dispatched"),
    "replay.policy.daily": ("每日统筹重排", "daily re-plan"),
    "replay.policy.weekly": ("每周统筹重排", "weekly re-plan"),
    "replay.policy.siloed": ("部门各自派单", "siloed dispatch"),
}


def t(key: str, lang: Lang, **params: object) -> str:
    """The message ``key`` in ``lang`` with its ``{fields}`` filled from ``params``."""
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**params) if params else text
