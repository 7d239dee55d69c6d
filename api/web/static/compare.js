// Two of the county's plans side by side: the plan diff (needs gained, lost and moved,
// households, pairings, money, hours) and every KPI with its change.
"use strict";

(() => {
  const { t, el, clear, num, pct, signed } = App;
  let plans = []; // jobs with a plan, newest first
  let diff = null;
  let onlyChanged = false;
  let breakdowns = false;

  /** A plan as the planner tells it from the others: when, how, how good, then what. */
  function label(job) {
    const objective = job.outcome?.objective;
    return [
      App.when(job.created_at),
      job.solver,
      t("status." + job.status),
      App.isNumber(objective) ? `${t("col.objective")} ${num(objective, 1)}` : null,
      job.scenario?.name || job.id,
    ]
      .filter(Boolean)
      .join(" · ");
  }

  function fillSelects() {
    const params = new URLSearchParams(location.search);
    const a = document.getElementById("plan-a");
    const b = document.getElementById("plan-b");
    const chosenA = a.value || params.get("a");
    const chosenB = b.value || params.get("b");
    for (const select of [a, b]) {
      clear(select);
      plans.forEach((job) => select.append(el("option", { value: job.id }, label(job))));
    }
    const ids = plans.map((job) => job.id);
    b.value = ids.includes(chosenB) ? chosenB : ids[0] || "";
    const fallbackA = ids.find((id) => id !== b.value) || ids[0] || "";
    a.value = ids.includes(chosenA) && chosenA !== b.value ? chosenA : fallbackA;
  }

  async function loadPlans() {
    let cursor = null;
    const found = [];
    for (let page = 0; page < 10; page += 1) {
      const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const answer = await App.api(`/v1/plans?limit=200${query}`);
      found.push(...answer.items.filter((job) => job.outcome?.plan_status));
      cursor = answer.next_cursor;
      if (!cursor) break;
    }
    plans = found;
    App.show(document.getElementById("compare-empty"), plans.length < 2);
    document.getElementById("compare").disabled = plans.length < 1;
    fillSelects();
  }

  // ---------------------------------------------------------------- values

  function isShare(key) {
    return /share|_rate$/.test(key);
  }

  /** Decimals for a KPI row: none when its figures are whole, else two for all three. */
  function decimals(row) {
    return [row.a, row.b, row.delta].every((v) => !App.isNumber(v) || Number.isInteger(v)) ? 0 : 2;
  }

  function shown(key, value, digits) {
    if (value === null || value === undefined) return "–";
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value === "boolean") return t(value ? "yes" : "no");
    if (!App.isNumber(value)) return String(value);
    return isShare(key) ? pct(value) : num(value, digits);
  }

  function change(key, delta, digits) {
    if (!App.isNumber(delta)) return "–";
    if (isShare(key)) return t("unit.points", { n: signed(delta * 100, 1) });
    return signed(delta, digits);
  }

  /** A KPI's name in words (nested ones: objective terms, pools, reasons), or null. */
  function kpiLabel(key) {
    const [head, ...rest] = key.split(".");
    if (head === "objective_terms" && rest.length === 1) {
      return t("kpi.objective_terms", { term: App.term("term", rest[0]) });
    }
    if (head === "unmet_by_reason" && rest.length === 1) {
      return t("kpi.unmet_by_reason", { reason: App.term("reason", rest[0]) });
    }
    if (head === "funding_by_pool" && rest.length === 2) {
      return t("kpi.funding_by_pool", { pool: rest[0], field: App.term("pool", rest[1]) });
    }
    const label = App.term("kpi", key);
    return label === key ? null : label;
  }

  // ---------------------------------------------------------------- sections

  function card(key, value, detail) {
    return el(
      "div",
      { class: "card", dataset: { summary: key } },
      el("div", { class: "card-label" }, t("diff.card." + key)),
      el("div", { class: "card-value" }, value),
      detail ? el("div", { class: "card-detail muted small" }, detail) : null,
    );
  }

  function cards(s) {
    const value = (v) => (App.isNumber(v) ? t("diff.value", { v: num(v, 0) }) : null);
    const list = [
      card("needs_gained", num(s.needs_gained), value(s.value_gained)),
      card("needs_lost", num(s.needs_lost), value(s.value_lost)),
      card("needs_moved", num(s.needs_moved), t("diff.unchanged", { n: num(s.needs_unchanged) })),
    ];
    if (App.isNumber(s.households_gained)) {
      list.push(card("households", `+${num(s.households_gained)} / −${num(s.households_lost)}`));
    }
    list.push(
      card("pairings", `+${num(s.pairings_added)} / −${num(s.pairings_removed)}`,
        t("diff.villages_changed", { n: num(s.villages_pairings_changed) })),
      card("funding", signed(s.funding_shift), `${num(s.funding_a)} → ${num(s.funding_b)}`),
      card("objective", signed(s.objective_delta, 0), `${num(s.objective_a, 0)} → ${num(s.objective_b, 0)}`),
    );
    return el("div", { class: "cards" }, list);
  }

  function section(titleKey, count, body, open) {
    return el(
      "details",
      { class: "section", open: open || null },
      el("summary", {}, el("span", {}, t(titleKey)), " ", el("span", { class: "count" }, count)),
      body,
    );
  }

  function capped(part, rows, headers, numeric) {
    if (!part || !part.count) return el("p", { class: "muted" }, t("diff.none"));
    const note = part.count > part.items.length
      ? el("p", { class: "muted small" }, t("diff.first", { shown: part.items.length, n: part.count }))
      : null;
    return [App.table(headers, part.items.map(rows), { numeric }), note];
  }

  function needSections(d) {
    const needs = d.needs;
    const minutes = (m) => (App.isNumber(m) ? num(m, 0) : "–");
    return [
      section("diff.needs_gained", needs.gained.count,
        capped(needs.gained,
          (r) => [r.need, r.village ?? "–", App.term("category", r.category), num(r.value), r.provider, minutes(r.travel_minutes), App.term("reason", r.reason_a)],
          ["col.need", "col.village", "col.category", "col.value", "col.provider", "col.travel", "col.reason_a"],
          [3, 5]),
        false),
      section("diff.needs_lost", needs.lost.count,
        capped(needs.lost,
          (r) => [r.need, r.village ?? "–", App.term("category", r.category), num(r.value), r.provider, minutes(r.travel_minutes), App.term("reason", r.reason_b)],
          ["col.need", "col.village", "col.category", "col.value", "col.provider", "col.travel", "col.reason_b"],
          [3, 5]),
        false),
      section("diff.needs_moved", needs.moved.count,
        capped(needs.moved,
          (r) => [r.need, r.village ?? "–", App.term("category", r.category), r.from, r.to, minutes(r.travel_minutes_a), minutes(r.travel_minutes_b)],
          ["col.need", "col.village", "col.category", "col.from", "col.to", "col.travel_a", "col.travel_b"],
          [5, 6])),
    ];
  }

  function householdSection(d) {
    const h = d.households;
    if (!h.available) return section("diff.households", "–", el("p", { class: "muted" }, h.note || ""));
    const rows = (r) => [r.household, r.village, num(r.needs)];
    const headers = ["col.household", "col.village", "col.needs"];
    return section(
      "diff.households",
      `${num(h.a)} → ${num(h.b)}`,
      [
        el("h3", {}, t("diff.households_gained", { n: h.gained.count })),
        capped(h.gained, rows, headers, [2]),
        el("h3", {}, t("diff.households_lost", { n: h.lost.count })),
        capped(h.lost, rows, headers, [2]),
      ],
    );
  }

  function pairingSection(d) {
    const p = d.pairings;
    return section(
      "diff.pairings",
      `+${p.added.count} / −${p.removed.count}`,
      capped(
        p.by_village,
        (r) => [r.village, num(r.a), num(r.b), r.added.join(", ") || "–", r.removed.join(", ") || "–"],
        ["col.village", "col.a", "col.b", "col.added", "col.removed"],
        [1, 2],
      ),
    );
  }

  function moneySection(d) {
    const m = d.money;
    const shift = (key) => (r) => [r[key], num(r.a), num(r.b), signed(r.shift)];
    const pools = App.table(
      ["col.pool", "col.a", "col.b", "col.shift"],
      m.by_pool.map(shift("pool")),
      { numeric: [1, 2, 3] },
    );
    const villages = m.by_village
      ? capped(m.by_village, shift("village"), ["col.village", "col.a", "col.b", "col.shift"], [1, 2, 3])
      : el("p", { class: "muted" }, m.note || "");
    return section(
      "diff.money",
      `${num(m.total.a)} → ${num(m.total.b)} (${signed(m.total.shift)})`,
      [el("h3", {}, t("diff.money_pools")), pools, el("h3", {}, t("diff.money_villages")), villages],
    );
  }

  function hoursSection(d) {
    const h = d.hours;
    return section(
      "diff.hours",
      `${num(h.total.a, 1)} → ${num(h.total.b, 1)}`,
      capped(
        h.providers,
        (r) => [r.provider, num(r.a, 1), num(r.b, 1), signed(r.shift, 1), num(r.capacity, 1)],
        ["col.provider", "col.a", "col.b", "col.shift", "col.capacity"],
        [1, 2, 3, 4],
      ),
    );
  }

  function toggle(id, checked, labelKey, set) {
    return el(
      "label",
      { class: "toggle" },
      el("input", {
        type: "checkbox",
        id,
        checked: checked || null,
        onchange: (event) => {
          set(event.target.checked);
          render();
        },
      }),
      " ",
      t(labelKey),
    );
  }

  function kpiSection(d) {
    const differs = (r) => JSON.stringify(r.a) !== JSON.stringify(r.b);
    // Lists (the policy figures, organisation kinds) are shown elsewhere, not as one cell.
    const scalar = (v) => v === null || typeof v !== "object";
    const rows = d.kpis
      .filter((r) => scalar(r.a) && scalar(r.b))
      .filter((r) => breakdowns || !r.kpi.includes("."))
      .filter((r) => !onlyChanged || differs(r));
    const body = el(
      "tbody",
      {},
      rows.map((r) => {
        const label = kpiLabel(r.kpi);
        const digits = decimals(r);
        return el(
          "tr",
          { class: differs(r) ? "changed" : null, dataset: { kpi: r.kpi } },
          el(
            "th",
            { scope: "row" },
            label ?? r.kpi,
            label ? el("div", { class: "muted small kpi-key" }, r.kpi) : null,
          ),
          el("td", { class: "num" }, shown(r.kpi, r.a, digits)),
          el("td", { class: "num" }, shown(r.kpi, r.b, digits)),
          el("td", { class: "num delta" }, change(r.kpi, r.delta, digits)),
        );
      }),
    );
    const toggles = el(
      "div",
      { class: "actions" },
      toggle("only-changed", onlyChanged, "diff.only_changed", (v) => (onlyChanged = v)),
      toggle("breakdowns", breakdowns, "diff.breakdowns", (v) => (breakdowns = v)),
    );
    const head = el(
      "tr",
      {},
      ["col.kpi", "col.a", "col.b", "col.delta"].map((h, i) =>
        el("th", { scope: "col", class: i ? "num" : null }, t(h)),
      ),
    );
    return el(
      "section",
      { class: "panel", id: "kpis" },
      el("div", { class: "bar" }, el("h2", {}, t("diff.kpis")), toggles),
      el("div", { class: "table-wrap" }, el("table", { class: "kpi-table" }, el("thead", {}, head), body)),
    );
  }

  function solverSection(d) {
    const row = (key, digits) => [
      t("solver." + key),
      ...["a", "b"].map((side) => {
        const v = d.solver[side][key];
        if (key === "gap") return pct(v, 2);
        return App.isNumber(v) ? num(v, digits) : v ?? "–";
      }),
    ];
    return section(
      "diff.solver",
      `${d.solver.a.name} / ${d.solver.b.name}`,
      App.table(
        ["col.field", "col.a", "col.b"],
        [row("name"), row("status"), row("objective", 1), row("bound", 1), row("gap"), row("seconds", 1)],
        { numeric: [1, 2] },
      ),
    );
  }

  /** Plans of different scenarios in the planner's words; the service's notes beneath. */
  function scenarioNotice(scenario) {
    if (!scenario.warnings.length) return null;
    return el(
      "div",
      { class: "notice warn-notice", id: "scenario-warning" },
      scenario.same === false ? el("p", { class: "lead" }, t("diff.different_scenarios")) : null,
      el(
        "details",
        { open: scenario.same === false ? null : true },
        el("summary", { class: "small" }, t("diff.server_notes")),
        el("ul", { class: "small" }, scenario.warnings.map((w) => el("li", {}, w))),
      ),
    );
  }

  function render() {
    const box = clear(document.getElementById("diff"));
    if (!diff) return;
    const d = diff.data;
    const head = el(
      "section",
      { class: "panel", id: "diff-summary" },
      el("h2", {}, t("diff.title")),
      el("p", { class: "muted ab" }, t("diff.a_is", { a: diff.a ? label(diff.a) : diff.ids[0] })),
      el("p", { class: "muted ab" }, t("diff.b_is", { b: diff.b ? label(diff.b) : diff.ids[1] })),
      scenarioNotice(d.scenario),
      d.summary.identical ? el("p", { class: "notice ok-notice" }, t("diff.identical")) : null,
      cards(d.summary),
    );
    const details = el(
      "section",
      { class: "panel", id: "diff-details" },
      el("h2", {}, t("diff.details")),
      needSections(d),
      householdSection(d),
      pairingSection(d),
      moneySection(d),
      hoursSection(d),
      solverSection(d),
    );
    box.append(head, kpiSection(d), details);
  }

  async function compare(event) {
    event?.preventDefault();
    const a = document.getElementById("plan-a").value;
    const b = document.getElementById("plan-b").value;
    const error = document.getElementById("compare-error");
    error.hidden = true;
    if (!a || !b) return;
    const button = document.getElementById("compare");
    button.disabled = true;
    try {
      const data = await App.api(
        `/v1/plans/${encodeURIComponent(b)}/diff?against=${encodeURIComponent(a)}`,
      );
      diff = { data, ids: [a, b], a: plans.find((j) => j.id === a), b: plans.find((j) => j.id === b) };
      history.replaceState(null, "", `?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
      render();
    } catch (failure) {
      error.textContent = App.problemText(failure);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  function swap() {
    const a = document.getElementById("plan-a");
    const b = document.getElementById("plan-b");
    [a.value, b.value] = [b.value, a.value];
  }

  App.register({
    async start() {
      document.getElementById("pick").addEventListener("submit", compare);
      document.getElementById("swap").addEventListener("click", swap);
      App.onLanguage(() => {
        fillSelects();
        render();
      });
      try {
        await loadPlans();
      } catch (failure) {
        const error = document.getElementById("compare-error");
        error.textContent = App.problemText(failure);
        error.hidden = false;
        return;
      }
      const params = new URLSearchParams(location.search);
      if (params.get("a") && params.get("b")) compare();
    },
  });
})();
