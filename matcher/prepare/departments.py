"""Which county department owns each need category: one table for the whole package.

The siloed status quo plans each category only with its owning department's people and pools,
and the generator writes ledgers where a category's own department pays first.
"""

from __future__ import annotations

# Which county department owns each need category in 包村联户 practice. Ownership follows the
# bureaus that hold the budget line and the staff for the work:
#   农业农村局 agriculture: farming technique, rural e-commerce (电商进农村), village roads, water
#     and other small works (高标准农田, 农村人居环境);
#   人力资源和社会保障局 human_resources: employment and job training (就业帮扶);
#   教育局 education: schooling and after-school care of left-behind children (留守儿童关爱 is
#     run through schools; 民政 keeps the registry, education does the daily care);
#   民政局 civil_affairs: elderly care, subsistence and temporary relief (低保, 临时救助), village
#     mediation committees and policy / benefits counselling (its 社会救助 windows);
#   卫生健康委 health: medical care and mental health (家庭医生签约, 心理健康服务);
#   文化广电旅游局 culture: cultural activities and village libraries.
CATEGORY_DEPARTMENT: dict[str, str] = {
    "agri_tech": "agriculture",
    "e_commerce": "agriculture",
    "infrastructure": "agriculture",
    "employment": "human_resources",
    "child_care": "education",
    "education": "education",
    "elderly_care": "civil_affairs",
    "hardship_relief": "civil_affairs",
    "dispute_mediation": "civil_affairs",
    "policy_service": "civil_affairs",
    "medical": "health",
    "mental_health": "health",
    "culture": "culture",
}
