// The service loop's dashboard (DESIGN §10): needs received, responded on time, response
// working days (median, 90th percentile), resolution rate, satisfaction and changes per
// publish, for a period, with the same figures by town and by category.
"use strict";

(() => {
  const { t, el, clear, num, pct } = App;
  // The policy's published targets: resolution at least 85%, satisfaction at least 90%.
  const TARGETS = { resolution_rate: 0.85, satisfied_share: 0.9 };
  let kpis = null;

  function card(label, value, detail, target) {
    const met = target === undefined ? null : target;
    return el(
      "div",
      { class: "card" + (met === null ? "" : met ? " met" : " missed") },
      el("div", { class: "card-label" }, label),
      el("div", { class: "card-value" }, value),
      detail ? el("div", { class: "muted small" }, detail) : null,
    );
  }

  function meets(share, target) {
    return App.isNumber(share) ? share >= target : undefined;
  }

  function days(value) {
    return App.isNumber(value) ? t("service.days", { n: num(value, 1) }) : "–";
  }

  function cards(all) {
    const changes = App.isNumber(kpis.changed_per_publish)
      ? t("service.changes_detail", {
          n: num(kpis.changed_per_publish, 1),
          share: pct(kpis.changed_share_per_publish),
          publishes: num(kpis.publishes),
        })
      : t("service.no_publish");
    return [
      card(t("service.received"), num(all.received), t("service.responded", { n: num(all.responded) })),
      card(
        t("service.on_time", { days: num(kpis.response_working_days) }),
        pct(all.on_time_share),
        t("service.of_known", { n: num(all.on_time), known: num(all.known) }),
      ),
      card(t("service.response_days"), days(all.response_days_p50), t("service.p90", { value: days(all.response_days_p90) })),
      card(
        t("service.resolution_rate"),
        pct(all.resolution_rate),
        t("service.resolution_detail", {
          resolved: num(all.resolved),
          unresolved: num(all.closed_unresolved),
          past_due: num(all.open_past_due),
        }),
        meets(all.resolution_rate, TARGETS.resolution_rate),
      ),
      card(
        t("service.satisfied"),
        pct(all.satisfied_share),
        t("service.satisfaction_detail", {
          mean: num(all.satisfaction_mean, 2),
          answers: num(all.satisfaction_answers),
        }),
        meets(all.satisfied_share, TARGETS.satisfied_share),
      ),
      card(t("service.changes"), App.isNumber(kpis.changed_per_publish) ? num(kpis.changed_per_publish, 1) : "–", changes),
    ];
  }

  function groupTable(groups, name) {
    const rows = Object.entries(groups || {}).map(([key, f]) => [
      name(key),
      num(f.received),
      pct(f.on_time_share),
      days(f.response_days_p50),
      days(f.response_days_p90),
      pct(f.resolution_rate),
      pct(f.satisfied_share),
    ]);
    const headers = [
      "service.col.group",
      "service.col.received",
      "service.col.on_time",
      "service.col.p50",
      "service.col.p90",
      "service.col.resolution",
      "service.col.satisfied",
    ];
    return App.table(headers, rows, { numeric: [1, 2, 3, 4, 5, 6] });
  }

  function townName(id) {
    const name = kpis.town_names?.[id];
    return name ? `${name}（${id}）` : id;
  }

  function render() {
    const error = document.getElementById("service-error");
    App.show(error, false);
    if (!kpis) return;
    const all = kpis.all;
    App.show(document.getElementById("service-empty"), !all.received);
    App.show(document.getElementById("figures"), true);
    App.show(document.getElementById("groups"), Boolean(all.received));
    document.getElementById("period-title").textContent = t("service.period", {
      from: kpis.start,
      to: kpis.end,
    });
    const box = document.getElementById("cards");
    clear(box);
    App.append(box, cards(all));
    const town = document.getElementById("by-town");
    clear(town);
    town.append(groupTable(kpis.by_town, townName));
    const category = document.getElementById("by-category");
    clear(category);
    category.append(groupTable(kpis.by_category, (c) => App.term("category", c)));
  }

  async function load() {
    const params = new URLSearchParams();
    const from = document.getElementById("from").value;
    const to = document.getElementById("to").value;
    if (from) params.set("from", from);
    if (to) params.set("to", to);
    const query = params.toString();
    try {
      kpis = await App.api("/v1/service-kpis" + (query ? `?${query}` : ""));
      document.getElementById("from").value = kpis.start;
      document.getElementById("to").value = kpis.end;
      render();
    } catch (error) {
      const box = document.getElementById("service-error");
      box.textContent = App.problemText(error);
      App.show(box, true);
    }
  }

  App.register({
    start() {
      const params = new URLSearchParams(location.search);
      if (params.get("from")) document.getElementById("from").value = params.get("from");
      if (params.get("to")) document.getElementById("to").value = params.get("to");
      document.getElementById("period").addEventListener("submit", (event) => {
        event.preventDefault();
        load();
      });
      App.onLanguage(render);
      load();
    },
  });
})();
