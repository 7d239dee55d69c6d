"""The schedule's section of the HTML report (DESIGN §9; issue 17, item 4): present only when
the plan has a schedule.

It shows, from :func:`matcher.reports.schedule.schedule_view`:

* the response figures as cards (on-time share against the promise, response working days,
  late needs, open needs past due, routes and their travel) and the histogram of response
  working days (0, 1, 2, 3, 4-5, 6-10, >10) as inline SVG;
* the open needs already past due, a sortable table;
* the **calendar**: providers × working days, one table per town of the providers' bases and
  per week (a county of 300 providers stays readable and prints one town per page), each
  cell listing the day's stops in order (village name, a visit mark, the number of needs);
* the **route map**: the county's villages and roads, with one provider's day drawn on them:
  base → stops in order → base, numbered, with the list of stops beside it. The first
  provider's first day is drawn in the page itself (and prints); choosing a provider and a
  day, or clicking a calendar cell, draws another (the routes travel as a compact JSON block,
  the drawing is the page's own small script; nothing loads from a network).

Positions use the county map's projection (:class:`matcher.reports.html.svg_map.Projection`).
Every text from the scenario or the plan is escaped; the JSON block cannot close its script.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any

from matcher.i18n import Lang, t
from matcher.problem.index import ScenarioIndex
from matcher.reports.html.fmt import DASH, esc, number, share
from matcher.reports.html.svg_map import WIDTH, Projection
from matcher.reports.html.tables import Cell, date, num, table, text
from matcher.reports.schedule import (
    ProviderSchedule,
    ScheduleDay,
    ScheduleStop,
    ScheduleView,
    household_of,
    need_line,
)
from matcher.scenario import Place, Village

SCHEDULE_CSS = """
.schedule, .schedule h3 { scroll-margin-top: 48px; }
.schedule .cards { margin-bottom: 6px; }
.schedule svg.histogram { display: block; width: 100%; max-width: 520px; height: auto; }
.schedule rect.bin { fill: var(--accent); }
.schedule rect.bin.late { fill: var(--warn); }
.schedule text.bin-label { font-size: 12px; text-anchor: middle; fill: var(--ink); }
.schedule text.bin-value { font-size: 11px; text-anchor: middle; fill: var(--muted); }
.schedule .cal-town { margin: 10px 0 18px; }
.schedule table.calendar { border-collapse: collapse; font-size: .8rem; margin: 4px 0 12px;
  width: 100%; table-layout: fixed; }
.schedule table.calendar th, .schedule table.calendar td { border: 1px solid #c9d1da;
  padding: 3px 5px; vertical-align: top; text-align: left; }
.schedule table.calendar th { position: static; background: #e9eef3; white-space: normal; }
.schedule table.calendar th.who, .schedule table.calendar td.who { width: 150px; }
.schedule table.calendar th .wd { display: block; font-weight: 400; color: var(--muted); }
.schedule table.calendar td.cal-day { cursor: pointer; }
.schedule table.calendar td.cal-day:hover { background: #eaf4fa; }
.schedule table.calendar td.cal-day.selected { outline: 2px solid var(--accent); }
.schedule table.calendar td.off { background: #f3f4f6; color: var(--muted); }
.schedule table.calendar td.off-work { background: repeating-linear-gradient(45deg, #fff,
  #fff 4px, #f3f4f6 4px, #f3f4f6 8px); }
.schedule ol.cal-stops { margin: 0; padding-left: 1.3em; }
.schedule ol.cal-stops li { margin: 0 0 2px; }
.schedule .vis { color: #6a1b9a; font-weight: 600; margin-left: 3px; }
.schedule .cnt { color: var(--accent); margin-left: 3px; white-space: nowrap; }
.schedule .id { color: var(--muted); font-size: .85em; margin-left: 4px; white-space: nowrap; }
.schedule .route-controls { display: flex; flex-wrap: wrap; gap: 8px 18px; margin: 6px 0; }
.schedule .route-controls select { font: inherit; max-width: 320px; }
.schedule .route-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 16px;
  align-items: start; }
.schedule ol.route-stops { margin: 0; padding-left: 1.4em; font-size: .88rem; }
.schedule ol.route-stops li { margin: 0 0 6px; }
.schedule ol.route-stops .when { color: var(--muted); font-variant-numeric: tabular-nums; }
.schedule ol.route-stops .needs { display: block; color: var(--muted); font-size: .82rem; }
svg.route-map circle.rm-village { fill: #c9d1da; }
svg.route-map .road { stroke: #dde3e9; }
svg.route-map path.route-leg { fill: none; stroke: #b42318; stroke-width: 2.4; }
svg.route-map path.route-leg.back { stroke-dasharray: 6 4; }
svg.route-map #rm-arrow path { fill: #b42318; }
svg.route-map g.route-stop circle { fill: #0b6e99; stroke: #fff; stroke-width: 1.5; }
svg.route-map g.route-stop.visit circle { fill: #6a1b9a; }
svg.route-map g.route-stop text { fill: #fff; font-size: 11px; font-weight: 700;
  text-anchor: middle; }
svg.route-map text.route-label { font-size: 11px; fill: #1f2933; paint-order: stroke;
  stroke: #fbfcfd; stroke-width: 3px; stroke-linejoin: round; }
svg.route-map text.route-label.end { text-anchor: end; }
svg.route-map rect.route-base { fill: #12344d; stroke: #fff; stroke-width: 1.5; }
@media (max-width: 860px) { .schedule .route-wrap { grid-template-columns: 1fr; } }
@media print {
  .schedule { break-before: page; page-break-before: always; }
  .schedule .cal-town + .cal-town { break-before: page; page-break-before: always; }
  .schedule table.calendar thead { display: table-header-group; }
  .schedule table.calendar tr { break-inside: avoid; }
  .schedule .route-controls { display: none; }
  .schedule .route-wrap { grid-template-columns: 1fr; }
}
"""

# Draws another route when a provider or a day is chosen, or a calendar cell clicked: the
# same drawing as the page's own (`_route_layer` below), from the JSON block.
SCHEDULE_JS = r"""
(function () {
  "use strict";
  // The job page asks its report frame to show this section (it cannot reach into it).
  window.addEventListener("message", function (event) {
    var asked = event.data;
    if (asked && asked.matcher === "show" && typeof asked.section === "string") {
      var target = document.getElementById(asked.section);
      if (target) { target.scrollIntoView(); }
    }
  });
  var block = document.getElementById("route-data");
  var svg = document.getElementById("route-map");
  if (!block || !svg) { return; }
  var data = JSON.parse(block.textContent);
  var NS = "http://www.w3.org/2000/svg";
  var who = document.getElementById("route-provider");
  var when = document.getElementById("route-day");
  var list = document.getElementById("route-stops");
  var caption = document.getElementById("route-caption");
  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function f(v) { return v.toFixed(1); }
  function fill(text, params) {
    return text.replace(/\{(\w+)\}/g, function (all, k) {
      return k in params ? params[k] : all;
    });
  }
  function leg(a, b, last) {
    var dx = b[0] - a[0], dy = b[1] - a[1], d = Math.sqrt(dx * dx + dy * dy) || 1;
    var cut = Math.min(data.cut, d / 3), bend = Math.min(data.bend, d * 0.12);
    var x1 = a[0] + dx * cut / d, y1 = a[1] + dy * cut / d;
    var x2 = b[0] - dx * cut / d, y2 = b[1] - dy * cut / d;
    var cx = (x1 + x2) / 2 - dy / d * bend, cy = (y1 + y2) / 2 + dx / d * bend;
    return el("path", {"class": last ? "route-leg back" : "route-leg",
      d: "M" + f(x1) + " " + f(y1) + "Q" + f(cx) + " " + f(cy) + " " + f(x2) + " " + f(y2),
      "marker-end": "url(#rm-arrow)"});
  }
  function draw(p, i) {
    var person = data.providers[p], day = person && person.days[i];
    var layer = document.getElementById("route-layer");
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!day) { return; }
    var base = person.base ? data.points[person.base] : null;
    var date = day[0], stops = day[4];
    var points = stops.map(function (s) { return data.points[s[0]]; });
    var path = (base ? [base] : []).concat(points).concat(base ? [base] : []);
    for (var k = 1; k < path.length; k += 1) {
      if (path[k - 1] && path[k]) {
        layer.appendChild(leg(path[k - 1], path[k], base && k === path.length - 1));
      }
    }
    if (base) {
      layer.appendChild(el("rect", {"class": "route-base", x: f(base[0] - 6),
        y: f(base[1] - 6), width: "12", height: "12"}));
      layer.appendChild(el("text", {"class": "route-label", x: f(base[0] + 9),
        y: f(base[1] - 8)}, person.baseLabel));
    }
    stops.forEach(function (s, k) {
      var at = data.points[s[0]];
      if (at) {
        var g = el("g", {"class": s[3] ? "route-stop visit" : "route-stop",
          "data-order": String(k + 1), "data-village": s[0]});
        g.appendChild(el("title", {}, (k + 1) + ". " + s[1] + "–" + s[2] + " " + s[4]));
        g.appendChild(el("circle", {cx: f(at[0]), cy: f(at[1]), r: "9"}));
        g.appendChild(el("text", {x: f(at[0]), y: f(at[1] + 4)}, String(k + 1)));
        layer.appendChild(g);
        var right = at[0] > data.width - 90;
        layer.appendChild(el("text", {"class": right ? "route-label end" : "route-label",
          x: f(at[0] + (right ? -11 : 11)), y: f(at[1] + 4)}, at[2]));
      }
      var item = document.createElement("li");
      item.setAttribute("data-village", s[0]);
      var head = document.createElement("b");
      head.textContent = at ? at[2] : s[0];
      var span = document.createElement("span");
      span.className = "when";
      span.textContent = " " + s[1] + "–" + s[2] + (s[3] ? " · " + data.visit : "");
      item.appendChild(head);
      item.appendChild(span);
      s[5].forEach(function (n) {
        var line = document.createElement("span");
        line.className = "needs";
        line.textContent = n;
        item.appendChild(line);
      });
      list.appendChild(item);
    });
    caption.textContent = fill(data.caption, {provider: person.name, date: date,
      weekday: day[1], stops: stops.length, travel: day[2].toLocaleString("en-US"),
      hours: day[3].toFixed(1)});
    svg.setAttribute("data-provider", p);
    svg.setAttribute("data-date", date);
    Array.prototype.forEach.call(document.querySelectorAll("td.cal-day.selected"), function (c) {
      c.classList.remove("selected");
    });
    Array.prototype.forEach.call(document.querySelectorAll("td.cal-day"), function (c) {
      if (c.getAttribute("data-provider") === p && c.getAttribute("data-date") === date) {
        c.classList.add("selected");
      }
    });
  }
  function days(p) {
    while (when.firstChild) { when.removeChild(when.firstChild); }
    data.providers[p].days.forEach(function (d, i) {
      var o = document.createElement("option");
      o.value = String(i);
      o.textContent = d[0] + " " + d[1];
      when.appendChild(o);
    });
  }
  who.addEventListener("change", function () { days(who.value); draw(who.value, 0); });
  when.addEventListener("change", function () { draw(who.value, parseInt(when.value, 10)); });
  Array.prototype.forEach.call(document.querySelectorAll("td.cal-day"), function (cell) {
    cell.addEventListener("click", function () {
      var p = cell.getAttribute("data-provider"), d = cell.getAttribute("data-date");
      var person = data.providers[p];
      if (!person) { return; }
      var i = person.days.findIndex(function (x) { return x[0] === d; });
      if (i < 0) { return; }
      who.value = p;
      days(p);
      when.value = String(i);
      draw(p, i);
      svg.scrollIntoView({block: "nearest"});
    });
  });
})();
"""

CUT = 11.0  # legs stop this far from a stop's centre, so the arrow shows beside its circle
BEND = 18.0  # at most this far a leg bends off the straight line (there and back stay apart)
STOP_R = 9.0


def _title(key: str, lang: Lang) -> str:
    """A heading as the language writes it: English capitalised, Chinese as it is."""
    text_ = t(key, lang)
    return text_[:1].upper() + text_[1:] if lang == "en" else text_


def _hours(value: float | None, lang: Lang) -> str:
    return t("sched.hours_value", lang, hours=number(value, 1))


def _card(
    key: str,
    title: str,
    value: str,
    note: str,
    tone: str = "",
    meter: float | None = None,
) -> str:
    """A figure's card, in the page's own card style (label, value, note, an optional meter)."""
    bar = ""
    if meter is not None:
        width = 100 * min(1.0, max(0.0, meter))
        bar = f'<div class="meter"><span style="width:{width:.1f}%"></span></div>'
    return (
        f'<div class="card {esc(tone)}" data-key="{esc(key)}"><div class="label">{esc(title)}'
        f'</div><div class="value">{esc(value)}</div><p class="note">{esc(note)}</p>{bar}</div>'
    )


def _cards(view: ScheduleView, lang: Lang) -> str:
    days = view["response_working_days"]
    on_time = view["on_time_share"]
    tone = "" if on_time is None else "good" if on_time >= 0.95 else "warn"
    detail = ""
    if view["on_time"] is not None and days is not None:
        detail = t(
            "sched.on_time_detail",
            lang,
            on_time=f"{view['on_time']:,}",
            served=f"{view['served_dated']:,}",
            days=days,
            late=number(view["late_needs"]),
        )
    cards = [
        _card("on_time_share", t("sched.on_time", lang), share(on_time), detail, tone, on_time),
        _card(
            "response_working_days",
            t("sched.response_days", lang),
            number(view["response_median"], 1),
            t("sched.response_note", lang, p90=number(view["response_p90"], 1)),
        ),
        _card(
            "late_needs",
            t("sched.late_needs", lang),
            number(view["late_needs"]),
            t("sched.late_note", lang),
            "warn" if view["late_needs"] else "good",
        ),
        _card(
            "needs_open_past_due",
            t("sched.past_due", lang),
            number(view["past_due_count"]),
            t("sched.past_due_card_note", lang),
            "bad" if view["past_due_count"] else "good",
        ),
        _card(
            "route_travel_hours",
            t("sched.route_travel", lang),
            _hours(view["route_travel_hours"], lang),
            t(
                "sched.routes_line",
                lang,
                routes=number(view["routes"]),
                stops=number(view["stops"]),
                visits=number(view["visits"]),
            ),
        ),
    ]
    if view["route_hours_saved"] is not None:
        cards.append(
            _card(
                "route_hours_saved",
                t("sched.saved_title", lang),
                _hours(view["route_hours_saved"], lang),
                t("sched.saved_note", lang),
            )
        )
    return f'<div class="cards">{"".join(cards)}</div>'


# The histogram

H_WIDTH, H_HEIGHT, H_PAD, H_BOTTOM = 520.0, 200.0, 24.0, 36.0


def histogram_svg(view: ScheduleView, lang: Lang) -> str:
    """Response working days as vertical bars; bins past the promise drawn in the warning
    colour."""
    bins = view["histogram"]
    if not bins:
        return f'<p class="empty">{esc(t("sched.no_histogram", lang))}</p>'
    promise = view["response_working_days"]
    biggest = max(b["needs"] for b in bins) or 1
    step = (H_WIDTH - 2 * H_PAD) / len(bins)
    span = H_HEIGHT - H_BOTTOM - H_PAD
    out = [
        f'<svg id="response-histogram" class="histogram" viewBox="0 0 {H_WIDTH:.0f} '
        f'{H_HEIGHT:.0f}" role="img" aria-label="{esc(_title("sched.histogram_title", lang))}">'
    ]
    for i, b in enumerate(bins):
        x = H_PAD + i * step + step * 0.15
        w = step * 0.7
        h = span * b["needs"] / biggest
        y = H_HEIGHT - H_BOTTOM - h
        late = promise is not None and b["low"] > promise
        tip = t("sched.bin_tip", lang, days=b["label"], needs=b["needs"])
        out.append(
            f'<g class="bin-row"><title>{esc(tip)}</title>'
            f'<rect class="bin{" late" if late else ""}" data-bin="{esc(b["label"])}" '
            f'data-needs="{b["needs"]}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{max(h, 0.0):.1f}"/>'
            f'<text class="bin-value" x="{x + w / 2:.1f}" y="{y - 4:.1f}">{b["needs"]}</text>'
            f'<text class="bin-label" x="{x + w / 2:.1f}" y="{H_HEIGHT - H_BOTTOM + 16:.1f}">'
            f"{esc(b['label'])}</text></g>"
        )
    out.append(
        f'<text class="bin-label" x="{H_WIDTH / 2:.0f}" y="{H_HEIGHT - 4:.0f}">'
        f"{esc(t('sched.histogram_axis', lang))}</text></svg>"
    )
    return "".join(out)


# The open needs past due


def _past_due(view: ScheduleView, lang: Lang) -> str:
    rows = [
        [
            text(n["need"]),
            Cell(_named_text(n["village_name"], n["village"]), sort=n["village_name"] or ""),
            text(n["town_name"]),
            text(household_of(n, lang)),
            text(n["category_label"] or n["category"]),
            date(n["submitted"]),
            date(n["due"]),
            num(n["overdue_days"]),
            text(n["reason_label"]),
        ]
        for n in view["past_due"]
    ]
    headers = [
        t("roster.need", lang),
        t("roster.village", lang),
        t("roster.town", lang),
        t("roster.household", lang),
        t("roster.category", lang),
        t("roster.submitted", lang),
        t("sched.col.due", lang),
        t("sched.col.overdue", lang),
        t("col.reason", lang),
    ]
    return table("tbl-past-due", headers, rows, lang)


def _named_text(name: str | None, item_id: str | None) -> str:
    if name and item_id:
        return f"{name} ({item_id})"
    return name or item_id or DASH


def _named(name: str | None, item_id: str | None) -> str:
    """A name with its id beside it, escaped."""
    if not item_id:
        return esc(name) if name else DASH
    if not name:
        return esc(item_id)
    return f'{esc(name)}<span class="id">{esc(item_id)}</span>'


# The calendar


def _weeks(days: Sequence[str]) -> list[list[str]]:
    """The calendar's days by ISO week, in order."""

    def week(day: str) -> tuple[int, int]:
        year, number_, _ = dt.date.fromisoformat(day).isocalendar()
        return year, number_

    return [list(group) for _, group in groupby(days, key=week)]


def _cell(person: ProviderSchedule, day: str, routes: Mapping[str, ScheduleDay], lang: Lang) -> str:
    route = routes.get(day)
    if route is None:
        if day in person["days_off"]:
            return f'<td class="off">{esc(t("sched.day_off", lang))}</td>'
        return "<td></td>"
    items = []
    for stop in route["stops"]:
        marks = ""
        if stop["visit"]:
            marks += f'<span class="vis">{esc(t("sched.cell_visit", lang))}</span>'
        if stop["needs"]:
            count = t("sched.cell_needs", lang, count=len(stop["needs"]))
            marks += f'<span class="cnt">{esc(count)}</span>'
        tip = f"{stop['arrive']}–{stop['depart']} {stop['summary']}"
        items.append(
            f'<li title="{esc(tip)}">{esc(stop["village_name"] or stop["village"])}{marks}</li>'
        )
    off = " off-work" if day in person["days_off"] else ""
    return (
        f'<td class="cal-day{off}" data-provider="{esc(person["provider"])}" '
        f'data-date="{esc(day)}">'
        f'<ol class="cal-stops">{"".join(items)}</ol></td>'
    )


def _week_table(people: list[ProviderSchedule], week: list[str], lang: Lang) -> str:
    routes = {p["provider"]: {d["date"]: d for d in p["days"]} for p in people}
    shown = [p for p in people if any(day in routes[p["provider"]] for day in week)]
    if not shown:
        return ""
    head = "".join(
        f'<th scope="col" data-date="{esc(day)}">{esc(day[5:])}<span class="wd">'
        f"{esc(t(f'sched.weekday.{dt.date.fromisoformat(day).weekday()}', lang))}</span></th>"
        for day in week
    )
    rows = []
    for p in shown:
        cells = "".join(_cell(p, day, routes[p["provider"]], lang) for day in week)
        rows.append(
            f'<tr data-provider="{esc(p["provider"])}"><th scope="row" class="who">'
            f"{_named(p['name'], p['provider'])}</th>{cells}</tr>"
        )
    title = t("sched.week", lang, first=week[0], last=week[-1])
    return (
        f'<table class="calendar" data-week="{esc(week[0])}"><caption class="note">'
        f'{esc(title)}</caption><thead><tr><th scope="col" class="who">'
        f"{esc(t('roster.provider_name', lang))}</th>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def calendar_html(view: ScheduleView, lang: Lang) -> str:
    """Providers × working days: one table per town of the providers' bases and per week."""
    if not view["providers"]:
        return f'<p class="empty">{esc(t("sched.none", lang))}</p>'
    weeks = _weeks(view["working_days"])
    parts = []
    for town in view["towns"]:
        people = [p for p in view["providers"] if p["town"] == town["town"]]
        shown = town["town_name"] or town["town"] or t("roster.no_town", lang)
        tables = "".join(_week_table(people, week, lang) for week in weeks)
        parts.append(
            f'<div class="cal-town" data-town="{esc(town["town"] or "")}">'
            f"<h4>{esc(t('sched.town_calendar', lang, town=shown, people=len(people)))}</h4>"
            f"{tables}</div>"
        )
    return "".join(parts)


# The route map


def _points(index: ScenarioIndex) -> tuple[Projection, dict[str, tuple[float, float, str]]]:
    s = index.scenario
    nodes: list[Place | Village] = [*s.places, *s.villages]
    project = Projection([(p.lon, p.lat) for p in nodes])
    points = {}
    for p in nodes:
        x, y = project(p.lon, p.lat)
        points[p.id] = (round(x, 1), round(y, 1), p.name or p.id)
    return project, points


def _stop_lines(stop: ScheduleStop, lang: Lang) -> list[str]:
    return [need_line(n, lang) for n in stop["needs"]]


def _day_label(day: ScheduleDay, lang: Lang) -> str:
    return t(
        "sched.route_facts",
        lang,
        date=day["date"],
        weekday=day["weekday"],
        stops=len(day["stops"]),
        travel=number(day["travel_minutes"]),
        hours=number(day["hours"], 1),
    )


def _route_data(
    view: ScheduleView, points: Mapping[str, tuple[float, float, str]], lang: Lang
) -> dict[str, Any]:
    """The routes for the script, compact (a county's month is thousands of routes): per
    provider its base and label, name, and days as ``[date, weekday, travel minutes, hours,
    stops]``, each stop ``[village, arrive, depart, visit 0/1, summary, [need lines]]``; the
    captions' words as templates the script fills."""
    providers: dict[str, Any] = {}
    for p in view["providers"]:
        base_name = p["base_name"] or p["base"] or ""
        providers[p["provider"]] = {
            "base": p["base"] if p["base"] in points else None,
            "baseLabel": t("sched.base_label", lang, base=base_name),
            "name": p["name"] or p["provider"],
            "days": [
                [
                    d["date"],
                    d["weekday"],
                    round(d["travel_minutes"]),
                    round(d["hours"], 1),
                    [
                        [
                            s["village"],
                            s["arrive"],
                            s["depart"],
                            1 if s["visit"] else 0,
                            s["summary"],
                            _stop_lines(s, lang),
                        ]
                        for s in d["stops"]
                    ],
                ]
                for d in p["days"]
            ],
        }
    return {
        "cut": CUT,
        "bend": BEND,
        "width": WIDTH,
        "visit": t("sched.cell_visit", lang),
        "caption": t(
            "sched.map_caption",
            lang,
            provider="{provider}",
            facts=t(
                "sched.route_facts",
                lang,
                date="{date}",
                weekday="{weekday}",
                stops="{stops}",
                travel="{travel}",
                hours="{hours}",
            ),
        ),
        "points": {k: [x, y, name] for k, (x, y, name) in points.items()},
        "providers": providers,
    }


def _json_block(data: Mapping[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no HTML comment)."""
    text_ = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text_.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _leg(a: tuple[float, float], b: tuple[float, float], back: bool) -> str:
    """A leg from ``a`` to ``b``, bent a little to its left so that the way there and the way
    back between the same two places stay apart; it stops short of both ends."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = math.hypot(dx, dy) or 1.0
    cut, bend = min(CUT, d / 3), min(BEND, d * 0.12)
    x1, y1 = a[0] + dx * cut / d, a[1] + dy * cut / d
    x2, y2 = b[0] - dx * cut / d, b[1] - dy * cut / d
    cx, cy = (x1 + x2) / 2 - dy / d * bend, (y1 + y2) / 2 + dx / d * bend
    css = "route-leg back" if back else "route-leg"
    return (
        f'<path class="{css}" d="M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}" '
        'marker-end="url(#rm-arrow)"/>'
    )


def _route_layer(
    person: ProviderSchedule,
    day: ScheduleDay,
    points: Mapping[str, tuple[float, float, str]],
    lang: Lang,
) -> str:
    """One day's route as SVG: legs base → stops → base, the base, numbered stops."""
    base = points.get(person["base"] or "")
    stops = [(s, points.get(s["village"])) for s in day["stops"]]
    path: list[tuple[float, float] | None] = [
        *([base[:2]] if base else []),
        *(at[:2] if at else None for _, at in stops),
        *([base[:2]] if base else []),
    ]
    out = []
    for k in range(1, len(path)):
        a, b = path[k - 1], path[k]
        if a is not None and b is not None:
            out.append(_leg(a, b, base is not None and k == len(path) - 1))
    if base:
        label = t("sched.base_label", lang, base=person["base_name"] or person["base"] or "")
        out.append(
            f'<rect class="route-base" x="{base[0] - 6:.1f}" y="{base[1] - 6:.1f}" '
            'width="12" height="12"/>'
            f'<text class="route-label" x="{base[0] + 9:.1f}" y="{base[1] - 8:.1f}">'
            f"{esc(label)}</text>"
        )
    for stop, at in stops:
        if at is None:
            continue
        css = "route-stop visit" if stop["visit"] else "route-stop"
        right = at[0] > WIDTH - 90
        label_css = "route-label end" if right else "route-label"
        tip = f"{stop['order']}. {stop['arrive']}–{stop['depart']} {stop['summary']}"
        out.append(
            f'<g class="{css}" data-order="{stop["order"]}" data-village="{esc(stop["village"])}">'
            f"<title>{esc(tip)}</title>"
            f'<circle cx="{at[0]:.1f}" cy="{at[1]:.1f}" r="{STOP_R:.0f}"/>'
            f'<text x="{at[0]:.1f}" y="{at[1] + 4:.1f}">{stop["order"]}</text></g>'
            f'<text class="{label_css}" x="{at[0] + (-11 if right else 11):.1f}" '
            f'y="{at[1] + 4:.1f}">{esc(at[2])}</text>'
        )
    return "".join(out)


def _stop_list(day: ScheduleDay, lang: Lang) -> str:
    items = []
    for stop in day["stops"]:
        visit = f" · {t('sched.cell_visit', lang)}" if stop["visit"] else ""
        needs = "".join(
            f'<span class="needs">{esc(line)}</span>' for line in _stop_lines(stop, lang)
        )
        items.append(
            f'<li data-village="{esc(stop["village"])}"><b>'
            f"{esc(stop['village_name'] or stop['village'])}</b>"
            f'<span class="when"> {esc(stop["arrive"])}–{esc(stop["depart"])}{esc(visit)}</span>'
            f"{needs}</li>"
        )
    return "".join(items)


def route_map_html(index: ScenarioIndex, view: ScheduleView, lang: Lang) -> str:
    """The route map: controls, the SVG (the first provider's first day drawn), the stops in
    order beside it, and the routes as JSON for the script."""
    people = [p for p in view["providers"] if p["days"]]
    if not people:
        return f'<p class="empty">{esc(t("sched.none", lang))}</p>'
    project, points = _points(index)
    s = index.scenario
    roads = []
    for road in s.roads or ():
        a, b = points.get(road.from_), points.get(road.to)
        if a is not None and b is not None:
            roads.append(
                f'<line class="road" x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" '
                f'y2="{b[1]:.1f}"/>'
            )
    villages = "".join(
        f'<circle class="rm-village" cx="{points[v.id][0]:.1f}" cy="{points[v.id][1]:.1f}" '
        f'r="3"><title>{esc(v.name or v.id)} ({esc(v.id)})</title></circle>'
        for v in s.villages
    )
    first, day = people[0], people[0]["days"][0]
    who = first["name"] or first["provider"]
    options = "".join(
        f'<option value="{esc(p["provider"])}"{" selected" if i == 0 else ""}>'
        f"{esc(_named_text(p['name'], p['provider']))}</option>"
        for i, p in enumerate(people)
    )
    day_options = "".join(
        f'<option value="{i}"{" selected" if i == 0 else ""}>{esc(d["date"])} '
        f"{esc(d['weekday'])}</option>"
        for i, d in enumerate(first["days"])
    )
    title = t("sched.map_svg_title", lang)
    svg = (
        f'<svg id="route-map" class="map route-map" viewBox="0 0 {WIDTH:.0f} '
        f'{project.height:.0f}" role="img" aria-label="{esc(title)}" '
        f'data-provider="{esc(first["provider"])}" data-date="{esc(day["date"])}">'
        '<defs><marker id="rm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>'
        f'</defs><g class="roads">{"".join(roads)}</g><g class="villages">{villages}</g>'
        f'<g id="route-layer">{_route_layer(first, day, points, lang)}</g></svg>'
    )
    caption = t("sched.map_caption", lang, provider=who, facts=_day_label(day, lang))
    return (
        '<div class="route-controls">'
        f'<label>{esc(t("sched.map_provider", lang))} <select id="route-provider">{options}'
        "</select></label>"
        f'<label>{esc(t("sched.map_day", lang))} <select id="route-day">{day_options}'
        "</select></label></div>"
        f'<p class="note" id="route-caption">{esc(caption)}</p>'
        f'<div class="route-wrap">{svg}<ol class="route-stops" id="route-stops">'
        f"{_stop_list(day, lang)}</ol></div>"
        f'<script type="application/json" id="route-data">'
        f"{_json_block(_route_data(view, points, lang))}</script>"
    )


def schedule_section(index: ScenarioIndex, view: ScheduleView, lang: Lang) -> str:
    """The whole ``<section id="schedule">``: figures, histogram, past-due needs, calendar,
    route map, with its own style and script."""
    past_due = view["past_due"]
    return "\n".join(
        [
            f'<section id="schedule" class="schedule"><style>{SCHEDULE_CSS}</style>',
            f"<h2>{esc(_title('sched.title', lang))}</h2>",
            _cards(view, lang),
            f"<h3>{esc(_title('sched.histogram_title', lang))}</h3>",
            histogram_svg(view, lang),
            f'<h3>{esc(_title("sched.past_due", lang))} <span class="count">'
            f"{len(past_due):,}</span></h3>",
            f'<p class="note">{esc(t("sched.past_due_note", lang))}</p>',
            _past_due(view, lang),
            f'<h3 id="schedule-calendar">{esc(_title("sched.calendar_title", lang))}</h3>',
            f'<p class="note">{esc(t("sched.calendar_note", lang))}</p>',
            calendar_html(view, lang),
            f'<h3 id="schedule-routes">{esc(_title("sched.map_title", lang))}</h3>',
            f'<p class="note">{esc(t("sched.map_note", lang))}</p>',
            route_map_html(index, view, lang),
            f"<script>{SCHEDULE_JS}</script>",
            "</section>",
        ]
    )
