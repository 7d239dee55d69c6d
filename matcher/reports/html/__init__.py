"""The plan's report as one self-contained HTML page (``matcher solve --html``,
``matcher report --html``): KPI cards, a map of the villages by coverage, bar charts, and
sortable tables of the blind-spot and duplicate-aid reports. Inline CSS, SVG and script only:
the file opens without a network, and Chinese names render in the viewer's fonts.
"""

from __future__ import annotations

from matcher.reports.html.page import render_html

__all__ = ["render_html"]
