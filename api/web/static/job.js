// One job: its progress followed live (server-sent events read with fetch, so that the key
// goes as a header), a stop button, then the HTML report inline and the downloads.
"use strict";

(() => {
  const { t, el, clear, num, pct } = App;
  const TERMINAL = new Set(["succeeded", "failed", "stopped"]);
  const ACTIVE = new Set(["queued", "running"]);
  const jobId = document.getElementById("job").dataset.jobId;
  const base = `/v1/plans/${encodeURIComponent(jobId)}`;
  let job = null;
  let progress = null; // the last progress event's data
  let clock = null; // {seconds, at}: elapsed seconds at a moment (performance.now())
  let stopping = false;
  const log = []; // [{at, kind, data}]
  let ticker = null;
  let finished = false;

  // ---------------------------------------------------------------- rendering

  function elapsed() {
    if (!clock) return progress ? progress.seconds : null;
    if (job && !ACTIVE.has(job.status)) return clock.seconds;
    return clock.seconds + (performance.now() - clock.at) / 1000;
  }

  function renderProgress() {
    document.getElementById("p-objective").textContent = num(progress?.objective, 1);
    document.getElementById("p-bound").textContent = num(progress?.bound, 1);
    document.getElementById("p-gap").textContent = pct(progress?.gap, 2);
    const seconds = elapsed();
    const limit = job?.time_limit_seconds;
    document.getElementById("p-elapsed").textContent = App.isNumber(seconds)
      ? `${App.seconds(seconds)} / ${App.seconds(limit)}`
      : "–";
    let share = 0;
    if (job && TERMINAL.has(job.status)) share = 1;
    else if (App.isNumber(seconds) && limit) share = Math.min(1, seconds / limit);
    document.getElementById("meter-fill").style.width = `${(share * 100).toFixed(1)}%`;
    document.getElementById("meter").setAttribute("aria-valuenow", (share * 100).toFixed(0));
    // The solver's own words while it runs; once the job is final the outcome says it all.
    let message = progress?.message;
    if (job && TERMINAL.has(job.status)) message = "";
    else if (stopping) message = t("job.stopping");
    document.getElementById("p-message").textContent = message || "";
  }

  function renderHeader() {
    if (!job) return;
    document.getElementById("job-name").textContent = job.scenario?.name || jobId;
    document.getElementById("job-meta").textContent = t("job.meta", {
      solver: job.solver,
      limit: App.seconds(job.time_limit_seconds),
      created: App.when(job.created_at),
      id: job.id,
    });
    const status = document.getElementById("job-status");
    clear(status).append(App.statusBadge(job.status));
    const stop = document.getElementById("stop");
    stop.hidden = !ACTIVE.has(job.status);
    stop.disabled = stopping;
    stop.textContent = stopping ? t("job.stopping") : t("job.stop");
  }

  function describe(entry) {
    const data = entry.data;
    if (entry.kind === "status") {
      return [t("event.status"), " ", App.statusBadge(data.status), data.reason ? ` — ${data.reason}` : ""];
    }
    if (entry.kind === "progress") {
      return t("event.progress", {
        objective: num(data.objective, 1),
        bound: num(data.bound, 1),
        gap: pct(data.gap, 2),
        seconds: App.seconds(data.seconds),
      });
    }
    if (entry.kind === "stopping") return t("event.stopping");
    return entry.kind;
  }

  function renderLog() {
    const list = clear(document.getElementById("event-log"));
    log.forEach((entry) =>
      list.append(el("li", {}, el("span", { class: "muted small" }, App.when(entry.at)), " ", describe(entry))),
    );
  }

  function renderOutcome() {
    if (!job || !TERMINAL.has(job.status)) return;
    const outcome = job.outcome || {};
    const box = clear(document.getElementById("outcome"));
    box.append(App.statusBadge(job.status), " ");
    if (outcome.plan_status) {
      const phrase = App.isNumber(outcome.gap) ? "job.outcome" : "job.outcome_no_bound";
      box.append(
        t(phrase, {
          plan: t("plan." + outcome.plan_status),
          objective: num(outcome.objective, 1),
          gap: pct(outcome.gap, 2),
          seconds: App.seconds(outcome.seconds),
        }),
      );
    } else {
      box.append(t("job.no_plan"));
    }
    if (outcome.reason) box.append(el("span", { class: "muted" }, ` — ${outcome.reason}`));
  }

  function render() {
    renderHeader();
    renderProgress();
    renderLog();
    renderOutcome();
  }

  function fail(error) {
    const box = document.getElementById("job-error");
    box.textContent = error instanceof App.ApiError && error.status === 404
      ? t("job.not_found", { id: jobId })
      : App.problemText(error);
    box.hidden = false;
  }

  // ---------------------------------------------------------------- following

  function onEvent(kind, data, at) {
    log.push({ at: data.at || at, kind, data });
    if (kind === "progress") {
      progress = data;
      if (App.isNumber(data.seconds)) clock = { seconds: data.seconds, at: performance.now() };
    } else if (kind === "status" && job) {
      job.status = data.status;
      if (data.status === "running" && !clock) {
        // Replayed or live: the run began at the event's time (the server's clock).
        const since = (Date.now() - Date.parse(data.at || at)) / 1000;
        clock = { seconds: Number.isFinite(since) ? Math.max(0, since) : 0, at: performance.now() };
      }
    } else if (kind === "stopping") {
      stopping = true;
    }
    render();
  }

  function parseBlock(block) {
    const event = { id: null, kind: "message", data: [] };
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") event.id = value;
      else if (field === "event") event.kind = value;
      else if (field === "data") event.data.push(value);
    }
    return event;
  }

  /** The job's event stream until it ends, resumed with Last-Event-ID after a drop. */
  async function follow() {
    let lastId = null;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const headers = { "X-API-Key": App.key() || "", Accept: "text/event-stream" };
      if (lastId) headers["Last-Event-ID"] = lastId;
      try {
        const response = await fetch(`${base}/events`, { headers, cache: "no-store" });
        if (!response.ok) {
          fail(new App.ApiError(response.status, await response.json().catch(() => null)));
          return;
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = (buffer + value).replace(/\r\n?/g, "\n");
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const event = parseBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (event.id) lastId = event.id;
            if (!event.data.length) continue;
            let data = {};
            try {
              data = JSON.parse(event.data.join("\n"));
            } catch (ignored) {
              continue;
            }
            onEvent(event.kind, data, new Date().toISOString());
          }
        }
        return; // the server ends the stream after the job's final status
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 2000)); // dropped: resume
      }
    }
  }

  // ---------------------------------------------------------------- the result

  async function showResult() {
    if (finished) return;
    finished = true;
    clearInterval(ticker);
    try {
      job = await App.api(`${base}?plan=false`);
    } catch (error) {
      fail(error);
      return;
    }
    if (job.progress) progress = job.progress;
    if (App.isNumber(job.progress?.seconds)) clock = { seconds: job.progress.seconds, at: performance.now() };
    render();
    const result = document.getElementById("result");
    result.hidden = false;
    const hasPlan = Boolean(job.outcome?.plan_status);
    document.getElementById("download-json").hidden = !hasPlan;
    document.getElementById("download-xlsx").hidden = !hasPlan;
    document.getElementById("compare-link").hidden = !hasPlan;
    document.getElementById("compare-link").href = `/app/compare?b=${encodeURIComponent(jobId)}`;
    if (!hasPlan) return;
    await showReport();
  }

  // The report in the page's language: rendered by the server in the language asked (the
  // stored one is in the server's), fetched again when the page's language changes.
  let reportLang = null;

  async function showReport() {
    const lang = App.lang();
    if (reportLang === lang) return;
    reportLang = lang;
    const note = document.getElementById("report-note");
    const frame = document.getElementById("report");
    try {
      const path = `/app/jobs/${encodeURIComponent(jobId)}/report.html?lang=${lang}`;
      const response = await App.request(path);
      const html = await response.text();
      if (reportLang !== lang) return; // the language changed again meanwhile
      frame.srcdoc = html;
      // A plan with days (DESIGN §9): its report has a calendar section to jump to.
      document.getElementById("show-schedule").hidden = !html.includes('<section id="schedule"');
      frame.hidden = false;
      note.hidden = true;
    } catch (error) {
      if (reportLang !== lang) return;
      note.textContent = t("job.no_report");
      note.hidden = false;
    }
  }

  async function stop() {
    stopping = true;
    renderHeader();
    try {
      job = Object.assign(job, await App.api(base, { method: "DELETE" }));
    } catch (error) {
      fail(error);
    }
    render();
  }

  async function downloadPlan() {
    await App.download(`${base}`, `plan-${jobId}.json`, async (blob) => {
      const detail = JSON.parse(await blob.text());
      return new Blob([JSON.stringify(detail.plan, null, 1)], { type: "application/json" });
    }).catch(fail);
  }

  App.register({
    async start() {
      document.getElementById("stop").addEventListener("click", stop);
      document.getElementById("download-json").addEventListener("click", downloadPlan);
      document.getElementById("show-schedule").addEventListener("click", () => {
        const frame = document.getElementById("report");
        frame.scrollIntoView({ block: "start" });
        // The frame is sandboxed (another origin): it scrolls itself when asked.
        frame.contentWindow?.postMessage({ matcher: "show", section: "schedule" }, "*");
      });
      document.getElementById("download-xlsx").addEventListener("click", () =>
        App.download(`${base}/plan.xlsx`, `plan-${jobId}.xlsx`).catch(fail),
      );
      App.onLanguage(render);
      App.onLanguage(() => {
        if (reportLang !== null) showReport();
      });
      try {
        job = await App.api(`${base}?plan=false`);
      } catch (error) {
        fail(error);
        return;
      }
      stopping = job.stop_requested && ACTIVE.has(job.status);
      progress = job.progress;
      render();
      ticker = setInterval(renderProgress, 500);
      await follow();
      await showResult();
    },
  });
})();
