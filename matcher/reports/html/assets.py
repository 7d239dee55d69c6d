"""The page's inline style sheet and script (no external files: the report opens offline)."""

from __future__ import annotations

# Latin fonts first, then CJK fonts for Chinese names, per platform; the browser picks glyphs
# down the list, so Chinese renders wherever one of these (or any CJK sans) is installed.
FONT_STACK = (
    '-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
)

CSS = """
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --bg: #f3f5f8; --card: #fff;
  --accent: #0b6e99; --good: #1a7f37; --warn: #b26a00; --bad: #b42318; }
* { box-sizing: border-box; }
html { font-family: FONT_STACK; font-size: 15px; color: var(--ink); background: var(--bg);
  line-height: 1.45; }
body { margin: 0; }
header.page { background: #12344d; color: #fff; padding: 18px 32px 16px; }
header.page h1 { margin: 0 0 6px; font-size: 1.55rem; font-weight: 600; }
header.page .subtitle { color: #9fc3dd; font-size: .85rem; letter-spacing: .04em; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; color: #d3dfe9; font-size: .9rem; }
.meta b { color: #fff; font-weight: 600; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600;
  font-size: .8rem; background: #e5e7eb; color: #111; }
.badge.optimal { background: #d3f3dc; color: #14532d; }
.badge.feasible { background: #dbeafe; color: #1e3a8a; }
.badge.stopped { background: #fef3c7; color: #78350f; }
.badge.infeasible, .badge.error { background: #fee2e2; color: #7f1d1d; }
.badge.met { background: #d3f3dc; color: #14532d; vertical-align: 4px; }
.badge.short { background: #fee2e2; color: #7f1d1d; vertical-align: 4px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #fff; display: flex; gap: 22px;
  padding: 8px 32px; border-bottom: 1px solid var(--line); font-size: .9rem; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
main { max-width: 1320px; margin: 0 auto; padding: 8px 24px 24px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 20px 18px; margin: 16px 0; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
h2 .zh { color: var(--muted); font-weight: 400; margin-left: 6px; }
h3 { font-size: 1rem; margin: 22px 0 8px; }
h3 .count { background: #e8eef4; color: var(--muted); border-radius: 10px; padding: 0 8px;
  font-size: .78rem; font-weight: 600; margin-left: 6px; vertical-align: 1px; }
.note { color: var(--muted); margin: 4px 0 10px; }
.empty { color: var(--muted); font-style: italic; margin: 4px 0; }
.banner { border-radius: 6px; padding: 10px 14px; margin: 16px 0 0; }
.banner.bad { background: #fee2e2; border: 1px solid #fca5a5; color: #7f1d1d; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(205px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px;
  padding: 9px 12px 10px; background: #fff; }
.card.good { border-left-color: var(--good); }
.card.warn { border-left-color: var(--warn); }
.card.bad { border-left-color: var(--bad); }
.card .label { color: var(--muted); font-size: .8rem; letter-spacing: .02em; }
.card .value { font-size: 1.5rem; font-weight: 650; margin: 1px 0; font-variant-numeric:
  tabular-nums; white-space: nowrap; }
.card .note { font-size: .8rem; margin: 0; }
.meter { height: 6px; background: #e8edf2; border-radius: 3px; overflow: hidden; margin-top: 6px; }
.meter { position: relative; }
.meter span { display: block; height: 100%; background: var(--accent); }
.meter i.target { position: absolute; top: -2px; bottom: -2px; width: 2px; margin-left: -1px;
  background: var(--ink); }
.cards.policy .card .value { font-size: 1.7rem; }
ul.story { list-style: none; margin: 4px 0 12px; padding: 0; }
ul.story li { border-left: 4px solid var(--accent); background: #f7f9fb; border-radius: 4px;
  padding: 6px 12px; margin: 6px 0; }
ul.story li b { display: block; color: var(--muted); font-size: .8rem; font-weight: 600; }
ul.story .detail { display: block; color: var(--muted); font-size: .82rem; margin-top: 2px; }
dl.solver { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 6px 0; }
dl.solver dt { color: var(--muted); }
dl.solver dd { margin: 0; }
details summary { cursor: pointer; color: var(--accent); margin-top: 8px; }
.footnote { font-size: .8rem; }
.card.good .meter span { background: var(--good); }
.card.warn .meter span { background: var(--warn); }
.card.bad .meter span { background: var(--bad); }
.map-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 190px; gap: 16px;
  align-items: start; }
svg.map { display: block; width: 100%; height: auto; background: #fbfcfd;
  border: 1px solid var(--line); border-radius: 6px; }
.road { stroke: #a7b1bc; stroke-width: 1.3; stroke-linecap: round; }
circle.village { stroke: #fff; stroke-width: 1; }
circle.village:hover { stroke: #111; stroke-width: 2; }
.short-marker { fill: none; stroke: #6a1b9a; stroke-width: 2; stroke-dasharray: 3 2; }
.unreachable-marker { fill: none; stroke: #111; stroke-width: 2.4; stroke-linecap: round; }
rect.place { fill: #12344d; stroke: #fff; stroke-width: 1; }
rect.place.county_seat { fill: #b42318; }
.markers, .labels { pointer-events: none; }
text.village-label { font-size: 10.5px; fill: #37424e; text-anchor: middle; paint-order: stroke;
  stroke: #fbfcfd; stroke-width: 3px; stroke-linejoin: round; }
text.place-label { font-size: 13px; font-weight: 700; fill: #12344d; text-anchor: middle;
  paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
text.place-label.county_seat { fill: #8c1d13; }
.legend { display: flex; flex-direction: column; gap: 8px; font-size: .85rem; }
.legend.reasons { flex-direction: row; flex-wrap: wrap; gap: 4px 16px; margin-bottom: 6px; }
.legend-item { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.legend-title { font-weight: 600; width: 100%; }
.legend-note { color: var(--muted); font-size: .8rem; }
.scale { display: block; width: 100%; height: 12px; border-radius: 3px; }
.scale-ends { display: flex; justify-content: space-between; width: 100%; color: var(--muted);
  font-size: .75rem; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr));
  gap: 8px 28px; }
.charts h3 { margin-top: 8px; }
svg.chart { display: block; width: 100%; max-width: 600px; height: auto; }
.bar-label { font-size: 12px; text-anchor: end; fill: var(--ink); }
.bar-value { font-size: 11px; fill: var(--muted); }
rect.bar.amount { fill: #d6e0ea; }
rect.bar.used { fill: var(--accent); }
.bar-row:hover rect { opacity: .8; }
.table-wrap { max-height: 440px; overflow: auto; border: 1px solid var(--line);
  border-radius: 6px; width: fit-content; max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; }
th { position: sticky; top: 0; z-index: 1; background: #e9eef3; text-align: left;
  white-space: nowrap; border-bottom: 1px solid var(--line); }
th button { all: unset; cursor: pointer; display: block; padding: 6px 8px; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--accent); }
th button::after { content: " ↕"; color: #9aa5b1; font-weight: 400; }
th[aria-sort=ascending] button::after { content: " ▲"; color: var(--accent); }
th[aria-sort=descending] button::after { content: " ▼"; color: var(--accent); }
td { padding: 4px 8px; border-top: 1px solid #edf0f3; vertical-align: top; }
td.nw { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
tbody tr:hover { background: #eaf4fa; }
ul.fixes { margin: 0; padding-left: 14px; min-width: 260px; }
.fix-kind { display: inline-block; background: #e8eef4; color: #334155; border-radius: 8px;
  padding: 0 6px; font-size: .75rem; }
.fix-value { color: var(--good); white-space: nowrap; }
.fix-confirmed { display: block; color: var(--good); font-size: .78rem; }
.fix-refuted { display: block; color: var(--bad); font-size: .78rem; }
footer.page { text-align: center; color: var(--muted); font-size: .8rem; padding: 8px 0 24px; }
@media (max-width: 860px) {
  .map-wrap { grid-template-columns: 1fr; }
  .map-wrap .legend { flex-direction: row; flex-wrap: wrap; gap: 6px 18px; }
  .map-wrap .legend-item:first-child { width: 100%; max-width: 320px; }
  main { padding: 4px 8px; }
  .charts { grid-template-columns: 1fr; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  html, body { background: #fff; font-size: 12px; }
  nav.toc { display: none; }
  header.page { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 8px; }
  header.page .subtitle, .meta, .meta b { color: #000; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 12px 0; }
  .card, svg, .legend, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .table-wrap { max-height: none; overflow: visible; border: none; }
  .map-wrap { grid-template-columns: 1fr; }
  .map-wrap .legend { flex-direction: row; flex-wrap: wrap; gap: 6px 18px; }
  .map-wrap .legend-item:first-child { width: 100%; max-width: 320px; }
  th { position: static; }
  th button::after { content: ""; }
}
""".replace("FONT_STACK", FONT_STACK)

# Click a header to sort its table (again to reverse): numbers numerically (largest first on
# the first click: planners look for the worst), text with a collator; empty cells stay last.
JS = """
(function () {
  "use strict";
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  function key(cell) {
    if (!cell) { return ""; }
    var given = cell.getAttribute("data-sort");
    var value = given !== null ? given : (cell.textContent || "");
    value = value.trim();
    return value === "\\u2014" ? "" : value;
  }
  function asNumber(value) {
    if (value === "") { return null; }
    var bare = value.replace(/[,\\s%\\u00a5]/g, "");
    return /^[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?$/i.test(bare) ? parseFloat(bare) : NaN;
  }
  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (row) { return key(row.cells[column]); });
    var nums = keys.map(asNumber);
    var numeric = nums.some(function (n) { return n !== null; }) &&
      nums.every(function (n) { return n === null || !isNaN(n); });
    var now = header.getAttribute("aria-sort");
    var dir = now === "ascending" ? "descending" : now === "descending" ? "ascending" :
      (numeric ? "descending" : "ascending");
    var order = rows.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = numeric ? nums[a] : keys[a];
      var y = numeric ? nums[b] : keys[b];
      var emptyX = x === null || x === "";
      var emptyY = y === null || y === "";
      if (emptyX || emptyY) { return emptyX === emptyY ? a - b : (emptyX ? 1 : -1); }
      var c = numeric ? x - y : collator.compare(x, y);
      if (dir === "descending") { c = -c; }
      return c || a - b;
    });
    var fragment = document.createDocumentFragment();
    order.forEach(function (i) { fragment.appendChild(rows[i]); });
    body.appendChild(fragment);
    Array.prototype.forEach.call(header.parentNode.cells, function (th) {
      th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", dir);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var head = table.tHead;
    if (!head || !head.rows.length) { return; }
    Array.prototype.forEach.call(head.rows[0].cells, function (th, column) {
      th.addEventListener("click", function () { sortBy(table, column, th); });
    });
  });
})();
"""
