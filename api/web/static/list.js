// The county's jobs, newest first: status, objective, gap, households reached, created.
"use strict";

(() => {
  const { t, el, clear, num, pct, when } = App;
  const ACTIVE = new Set(["queued", "running"]);
  const REFRESH_MS = 3000;
  let jobs = [];
  let nextCursor = null;
  const kpis = new Map(); // job id -> its plan's KPIs (or null while they load)
  let timer = null;

  function figure(job, name) {
    const outcome = job.outcome || {};
    if (App.isNumber(outcome[name])) return outcome[name];
    return job.progress ? job.progress[name] : null;
  }

  function households(job) {
    const found = kpis.get(job.id);
    if (!found) return "–";
    const reached = found.households_reached;
    const total = found.households_total;
    if (!App.isNumber(reached)) return "–";
    const share = App.isNumber(found.households_reached_share)
      ? el("div", { class: "muted small" }, pct(found.households_reached_share))
      : null;
    return [`${num(reached)} / ${num(total)}`, share];
  }

  /** The date, and the time beneath it (narrow enough for a tablet). */
  function created(iso) {
    const date = new Date(iso);
    if (!iso || Number.isNaN(date.getTime())) return when(iso);
    const locale = App.lang() === "zh" ? "zh-CN" : "en-GB";
    return [
      date.toLocaleDateString(locale, { year: "numeric", month: "2-digit", day: "2-digit" }),
      el("div", { class: "muted small" }, date.toLocaleTimeString(locale)),
    ];
  }

  function row(job) {
    const name = job.scenario?.name || t("list.unnamed");
    return el(
      "tr",
      { dataset: { id: job.id, status: job.status } },
      el(
        "td",
        {},
        el("a", { href: `/app/jobs/${encodeURIComponent(job.id)}`, class: "job-link" }, name),
        el("div", { class: "muted small wide-only" }, job.id),
      ),
      el("td", {}, App.statusBadge(job.status)),
      el("td", {}, job.solver),
      el("td", { class: "num" }, num(figure(job, "objective"), 1)),
      el("td", { class: "num" }, pct(figure(job, "gap"), 2)),
      el("td", { class: "num households" }, households(job)),
      el("td", { class: "created" }, created(job.created_at)),
    );
  }

  function render() {
    const body = document.querySelector("#jobs tbody");
    clear(body);
    jobs.forEach((job) => body.append(row(job)));
    App.show(document.getElementById("list-empty"), jobs.length === 0);
    App.show(document.getElementById("more"), Boolean(nextCursor));
  }

  function fail(error) {
    const box = document.getElementById("list-error");
    box.textContent = App.problemText(error);
    box.hidden = false;
  }

  async function loadKpis() {
    for (const job of jobs) {
      if (kpis.has(job.id) || !job.outcome?.plan_status) continue;
      kpis.set(job.id, null);
      try {
        kpis.set(job.id, await App.api(`/v1/plans/${encodeURIComponent(job.id)}/kpis`));
      } catch (error) {
        kpis.delete(job.id);
        continue;
      }
      render();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (jobs.some((job) => ACTIVE.has(job.status))) timer = setTimeout(refresh, REFRESH_MS);
  }

  async function refresh() {
    try {
      const page = await App.api("/v1/plans?limit=50");
      const fresh = new Map(page.items.map((job) => [job.id, job]));
      const older = jobs.filter((job) => !fresh.has(job.id));
      jobs = [...page.items, ...older.filter((job) => job.created_at < page.items.at(-1)?.created_at)];
      if (jobs.length <= page.items.length) nextCursor = page.next_cursor;
      document.getElementById("list-error").hidden = true;
      render();
      loadKpis();
    } catch (error) {
      fail(error);
    }
    schedule();
  }

  async function more() {
    if (!nextCursor) return;
    try {
      const page = await App.api(`/v1/plans?limit=50&cursor=${encodeURIComponent(nextCursor)}`);
      jobs = jobs.concat(page.items);
      nextCursor = page.next_cursor;
      render();
      loadKpis();
    } catch (error) {
      fail(error);
    }
  }

  App.register({
    start() {
      document.getElementById("more").addEventListener("click", more);
      App.onLanguage(render);
      refresh();
    },
  });
})();
