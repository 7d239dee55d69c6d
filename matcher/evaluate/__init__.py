"""The evaluator: every plan checked against H1–H8 and scored by the one objective of DESIGN §5,
with usage, unmet reasons and KPIs; the figures every caller reports."""
