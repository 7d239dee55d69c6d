"""The evaluator: every plan checked against H1–H8 (and H9–H10 when ``policy.schedule`` is on)
and scored by the one objective of DESIGN §5 (with §9's lateness), with usage, unmet reasons and
KPIs; the figures every caller reports."""
