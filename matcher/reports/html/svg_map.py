"""The county map as inline SVG: villages by coverage, roads, places, blind-spot markers.

Positions are an equirectangular projection of lon/lat (x scaled by cos of the middle latitude)
fitted to the drawing; text is left to the browser, so Chinese names render in the viewer's
fonts. Each village is one ``<circle class="village" data-id=...>`` with a ``<title>`` tooltip.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from matcher.i18n import Lang, label, t
from matcher.problem.index import ScenarioIndex
from matcher.reports.html.figures import Figures, VillageCoverage
from matcher.reports.html.fmt import esc, number, share
from matcher.scenario import Place, Village

WIDTH = 960.0
MAX_HEIGHT = 680.0
PAD = 40.0
# Village labels only while they stay readable; tooltips always name every village.
MAX_VILLAGE_LABELS = 80

# Coverage colour scale (red = little served, green = all served), and grey for "no needs".
COVERAGE_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (215, 48, 39)),
    (0.25, (244, 109, 67)),
    (0.5, (253, 174, 97)),
    (0.75, (166, 217, 106)),
    (1.0, (26, 152, 80)),
)
NO_NEEDS_COLOUR = "#bdbdbd"


def coverage_colour(value: float | None) -> str:
    """The fill of a village whose servable needs are ``value`` served (0..1)."""
    if value is None or not math.isfinite(value):
        return NO_NEEDS_COLOUR
    t = min(1.0, max(0.0, value))
    for (t0, c0), (t1, c1) in itertools.pairwise(COVERAGE_STOPS):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            rgb = tuple(round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*COVERAGE_STOPS[-1][1])


def gradient_css() -> str:
    """The coverage scale as a CSS linear-gradient, for the legend."""
    stops = ", ".join(f"rgb({r},{g},{b}) {100 * t:.0f}%" for t, (r, g, b) in COVERAGE_STOPS)
    return f"linear-gradient(to right, {stops})"


class Projection:
    """lon/lat to drawing coordinates, fitted into WIDTH x at most MAX_HEIGHT."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        lons = [p[0] for p in points] or [0.0]
        lats = [p[1] for p in points] or [0.0]
        self.lon0, self.lat1 = min(lons), max(lats)
        self.k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - self.lon0) * self.k, 1e-9)
        span_y = max(self.lat1 - min(lats), 1e-9)
        if span_x < 1e-6 and span_y < 1e-6:  # one point: any scale will do
            span_x = span_y = 1.0
        self.scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
        self.height = max(240.0, span_y * self.scale + 2 * PAD)
        self.dx = (WIDTH - span_x * self.scale) / 2
        self.dy = (self.height - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.dx + (lon - self.lon0) * self.k * self.scale
        y = self.dy + (self.lat1 - lat) * self.scale
        return x, y


def _f(value: float) -> str:
    """A coordinate with one decimal (enough on a 960-wide drawing, and compact)."""
    return f"{value:.1f}"


def _tooltip(
    cov: VillageCoverage,
    town: str,
    short: Mapping[str, Any] | None,
    unreachable: bool,
    lang: Lang,
) -> str:
    v = cov.village
    lines = [f"{v.name or v.id} ({v.id}) · {town}"]
    held = t("map.held_back", lang, count=cov.held_back) if cov.held_back else ""
    lines.append(
        t(
            "map.needs_served",
            lang,
            served=cov.served,
            servable=cov.servable,
            share=share(cov.share),
            held=held,
        )
    )
    if cov.value_servable > 0:
        lines.append(
            t("map.value_served", lang, share=share(cov.value_served / cov.value_servable))
        )
    lines.append(
        t(
            "map.village_facts",
            lang,
            pairings=cov.pairings,
            households=number(v.households),
            region=label("region", v.region, lang),
        )
    )
    if unreachable:
        lines.append(t("map.unreachable", lang))
    if short is not None:
        lines.append(
            t(
                "map.short",
                lang,
                pairings=short.get("pairings", cov.pairings),
                required=short.get("required", "?"),
                why=label("short_reason", str(short.get("why", "?")), lang),
            )
        )
    return "\n".join(lines)


def _radii(index: ScenarioIndex) -> tuple[float, float, int]:
    """Smallest and largest circle radius (area by households) for the county's size."""
    villages = index.scenario.villages
    biggest = max((v.households for v in villages), default=1) or 1
    r_max = min(11.0, max(3.5, 0.45 * WIDTH / math.sqrt(max(1, len(villages)))))
    return r_max * 0.45, r_max, biggest


def _roads(index: ScenarioIndex, where: Mapping[str, tuple[float, float]]) -> list[str]:
    out = []
    for road in index.scenario.roads or ():
        a, b = where.get(road.from_), where.get(road.to)
        if a is None or b is None:
            continue
        out.append(
            f'<line class="road" x1="{_f(a[0])}" y1="{_f(a[1])}" x2="{_f(b[0])}" y2="{_f(b[1])}"/>'
        )
    return out


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Labels:
    """Labels placed greedily where they hide no other label and, if possible, no symbol:
    below, above, right or left of their symbol; a label with no free place is left out (the
    symbol's tooltip still names it)."""

    def __init__(self, symbols: list[Box]) -> None:
        self.symbols = symbols
        self.placed: list[Box] = []
        self.out: list[str] = []

    @staticmethod
    def width(text: str, size: float) -> float:
        """Estimated text width: CJK characters are square, others about 0.6 em."""
        return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)

    def add(self, text: str, css: str, own: Box, size: float, above_first: bool = False) -> None:
        """Label the symbol whose box is ``own``."""
        x, y = (own[0] + own[2]) / 2, (own[1] + own[3]) / 2
        half_w = self.width(text, size) / 2
        below = (x, own[3] + 1 + size)
        above = (x, own[1] - 3)
        right = (own[2] + 3 + half_w, y + size * 0.35)
        left = (own[0] - 3 - half_w, y + size * 0.35)
        spots = [above, below, right, left] if above_first else [below, above, right, left]
        boxes = [(cx - half_w, by - size, cx + half_w, by + 1) for cx, by in spots]
        free = [i for i, box in enumerate(boxes) if not any(_overlaps(box, b) for b in self.placed)]
        clear = [
            i for i in free if not any(_overlaps(boxes[i], b) for b in self.symbols if b is not own)
        ]
        chosen = clear or free
        if not chosen:
            return
        i = chosen[0]
        self.placed.append(boxes[i])
        cx, by = spots[i]
        self.out.append(f'<text class="{css}" x="{_f(cx)}" y="{_f(by)}">{esc(text)}</text>')


def render_map(index: ScenarioIndex, figures: Figures, lang: Lang) -> str:
    """The map SVG (ids ``county-map``; villages ``circle.village[data-id]``; markers
    ``.short-marker`` and ``.unreachable-marker`` for the blind-spot report's villages)."""
    s = index.scenario
    nodes: list[Place | Village] = [*s.places, *s.villages]
    project = Projection([(p.lon, p.lat) for p in nodes])
    where = {p.id: project(p.lon, p.lat) for p in nodes}
    town_names = {p.id: p.name or p.id for p in s.places}
    short = {
        str(v.get("village")): v
        for v in figures.blind_spots.get("short_villages", [])
        if isinstance(v, dict)
    }
    unreachable = {
        str(v.get("village"))
        for v in figures.blind_spots.get("unreachable_villages", [])
        if isinstance(v, dict)
    }
    r_min, r_max, biggest = _radii(index)

    circles: list[str] = []
    markers: list[str] = []
    boxes: dict[str, Box] = {}
    for v in s.villages:
        cov = figures.coverage[v.id]
        x, y = where[v.id]
        r = r_min + (r_max - r_min) * math.sqrt(max(0, v.households) / biggest)
        town = town_names.get(v.town, v.town)
        tip = _tooltip(cov, town, short.get(v.id), v.id in unreachable, lang)
        value = cov.share
        circles.append(
            f'<circle class="village" data-id="{esc(v.id)}" data-town="{esc(v.town)}" '
            f'data-share="{"" if value is None else f"{value:.3f}"}" cx="{_f(x)}" cy="{_f(y)}" '
            f'r="{_f(r)}" fill="{coverage_colour(value)}"><title>{esc(tip)}</title></circle>'
        )
        if v.id in short:
            markers.append(
                f'<circle class="short-marker" data-id="{esc(v.id)}" cx="{_f(x)}" '
                f'cy="{_f(y)}" r="{_f(r + 3.5)}"/>'
            )
        if v.id in unreachable:
            d = r + 2
            markers.append(
                f'<path class="unreachable-marker" data-id="{esc(v.id)}" '
                f'd="M{_f(x - d)} {_f(y - d)}L{_f(x + d)} {_f(y + d)}'
                f'M{_f(x - d)} {_f(y + d)}L{_f(x + d)} {_f(y - d)}"/>'
            )
        boxes[v.id] = (x - r, y - r, x + r, y + r)

    places = []
    for p in s.places:
        x, y = where[p.id]
        size = 9.0 if p.kind == "county_seat" else 7.0
        places.append(
            f'<rect class="place {esc(p.kind)}" data-id="{esc(p.id)}" x="{_f(x - size / 2)}" '
            f'y="{_f(y - size / 2)}" width="{_f(size)}" height="{_f(size)}">'
            f"<title>{esc(p.name or p.id)} ({esc(p.id)}) · "
            f"{esc(label('place_kind', p.kind, lang))}</title></rect>"
        )
        boxes[p.id] = (x - size / 2, y - size / 2, x + size / 2, y + size / 2)

    labels = Labels(list(boxes.values()))
    for p in s.places:  # towns first: they matter most
        labels.add(p.name or p.id, f"place-label {esc(p.kind)}", boxes[p.id], 13.0, True)
    if len(s.villages) <= MAX_VILLAGE_LABELS:
        for v in sorted(s.villages, key=lambda v: -v.households):
            labels.add(v.name or v.id, "village-label", boxes[v.id], 10.5)

    height = project.height
    parts: Iterable[str] = (
        f'<svg id="county-map" class="map" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="county-map-title">',
        f'<title id="county-map-title">'
        f"{esc(t('map.title', lang, county=s.name or t('map.the_county', lang)))}</title>",
        '<g class="roads">',
        *_roads(index, where),
        '</g><g class="villages">',
        *circles,
        '</g><g class="markers">',
        *markers,
        '</g><g class="places">',
        *places,
        '</g><g class="labels">',
        *labels.out,
        "</g></svg>",
    )
    return "\n".join(parts)


def render_legend(lang: Lang) -> str:
    """The map's legend (HTML, with tiny inline SVG swatches)."""
    return (
        '<div class="legend">'
        f'<div class="legend-item"><span class="legend-title">{esc(t("map.legend_served", lang))}'
        f'</span><span class="scale" style="background:{gradient_css()}"></span>'
        '<span class="scale-ends"><span>0%</span><span>50%</span><span>100%</span></span></div>'
        '<div class="legend-item"><svg width="18" height="18" viewBox="0 0 18 18">'
        f'<circle cx="9" cy="9" r="6" fill="{NO_NEEDS_COLOUR}"/></svg> '
        f"{esc(t('map.legend_no_needs', lang))}</div>"
        '<div class="legend-item"><svg width="22" height="22" viewBox="0 0 22 22">'
        '<circle cx="11" cy="11" r="5" fill="#999"/>'
        '<circle class="short-marker" cx="11" cy="11" r="9"/></svg> '
        f"{esc(t('map.legend_short', lang))}</div>"
        '<div class="legend-item"><svg width="18" height="18" viewBox="0 0 18 18">'
        '<circle cx="9" cy="9" r="5" fill="#999"/>'
        '<path class="unreachable-marker" d="M2 2L16 16M2 16L16 2"/></svg> '
        f"{esc(t('map.legend_unreachable', lang))}</div>"
        '<div class="legend-item"><svg width="18" height="18" viewBox="0 0 18 18">'
        '<rect class="place town" x="5" y="5" width="8" height="8"/></svg> '
        f"{esc(t('map.legend_town', lang))}</div>"
        '<div class="legend-item"><svg width="26" height="10" viewBox="0 0 26 10">'
        '<line class="road" x1="1" y1="5" x2="25" y2="5"/></svg> '
        f"{esc(t('map.legend_road', lang))}</div>"
        f'<div class="legend-note">{esc(t("map.legend_note", lang))}</div>'
        "</div>"
    )
