// Upload a scenario (a workbook in the template's form, or JSON/YAML), see every problem
// located before anything is submitted, then pick the solver, the time limit and the policy
// overrides, and submit.
"use strict";

(() => {
  const { t, el, clear } = App;
  const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  // DESIGN §5: without a weight the fairness floor changes nothing. 1.0 makes each unit of
  // value a village lacks below its floor cost as much again as the value itself.
  const DEFAULT_FAIRNESS_WEIGHT = 1.0;
  const POLICY_DEFAULTS = {
    fairness_floor_share: 0,
    fairness_weight: 0,
    min_cadres_per_village: 2,
    region_weights: { east: 1.0, central: 1.3, west: 1.3 },
  };
  let imported = null; // the last good import: {scenario, name, counts, warnings, source}
  let lastProblems = null; // what the last failed import or submit said, to re-render
  let solvers = [];
  let previousPlans = []; // this county's finished jobs with a plan, newest first

  function formatOf(name) {
    const lower = name.toLowerCase();
    if (lower.endsWith(".xlsx") || lower.endsWith(".xlsm")) return "xlsx";
    if (lower.endsWith(".json")) return "json";
    if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
    return "auto";
  }

  function policy() {
    return Object.assign({}, POLICY_DEFAULTS, imported?.scenario?.policy || {});
  }

  // ---------------------------------------------------------------- problems, located

  function problemsTable(items, located) {
    const headers = located
      ? ["problem.cell", "problem.sheet", "problem.row", "problem.column", "problem.item", "problem.message"]
      : ["problem.path", "problem.item", "problem.message"];
    const rows = items.map((item) =>
      located
        ? [
            el("code", {}, item.path),
            item.sheet ?? "",
            item.row ?? "",
            item.column ?? "",
            item.id ?? "",
            item.message,
          ]
        : [el("code", {}, item.path), item.id ?? "", item.message],
    );
    return App.table(headers, rows, { class: "problems-table", numeric: located ? [2] : [] });
  }

  function renderProblems(box, problem) {
    clear(box);
    const errors = problem.errors || [];
    const warnings = problem.warnings || [];
    const located = errors.concat(warnings).some((item) => item.sheet) || problem.source === "xlsx";
    box.append(
      el(
        "div",
        { class: "notice error-notice" },
        problem.file ? el("span", { class: "file-name" }, problem.file + ": ") : null,
        el("strong", {}, t("new.problems.title", { n: errors.length })),
        " ",
        t("new.problems.nothing"),
      ),
    );
    if (problem.detail && !errors.length) box.append(el("p", { class: "error" }, problem.detail));
    if (errors.length) box.append(problemsTable(errors, located));
    if (warnings.length) {
      box.append(el("h3", {}, t("new.warnings.title", { n: warnings.length })));
      box.append(problemsTable(warnings, located));
    }
  }

  function renderImported() {
    const box = document.getElementById("import-result");
    clear(box);
    if (lastProblems && lastProblems.where === "import") {
      renderProblems(box, lastProblems.problem);
      return;
    }
    if (!imported) return;
    const counts = imported.counts;
    const list = el(
      "ul",
      { class: "counts" },
      ["villages", "cadres", "organizations", "pools", "needs", "aid_records"].map((name) =>
        el("li", {}, el("strong", {}, App.num(counts[name] ?? 0)), " ", t("count." + name)),
      ),
    );
    box.append(
      el(
        "div",
        { class: "notice ok-notice", id: "import-ok" },
        el("strong", {}, t("new.file.ok", { name: imported.name || imported.file })),
        " ",
        el("span", { class: "muted" }, t("new.file.source." + imported.source)),
      ),
      list,
    );
    if (imported.warnings.length) {
      box.append(el("h3", {}, t("new.warnings.title", { n: imported.warnings.length })));
      box.append(problemsTable(imported.warnings, imported.source === "xlsx"));
    }
  }

  // ---------------------------------------------------------------- the upload

  async function upload(file) {
    const busy = document.getElementById("import-busy");
    imported = null;
    lastProblems = null;
    enableOptions();
    renderImported();
    busy.hidden = false;
    const format = formatOf(file.name);
    try {
      const answer = await App.api(`/v1/scenarios/import?format=${format}`, {
        method: "POST",
        headers: { "Content-Type": format === "xlsx" ? XLSX : "application/octet-stream" },
        body: file,
      });
      imported = Object.assign(answer, { file: file.name });
    } catch (error) {
      if (error instanceof App.ApiError && error.status === 422) {
        const problem = Object.assign(error.problem, { source: format, file: file.name });
        lastProblems = { where: "import", problem };
      } else {
        const problem = { detail: App.problemText(error), errors: [], file: file.name };
        lastProblems = { where: "import", problem };
      }
    } finally {
      busy.hidden = true;
    }
    renderImported();
    enableOptions();
  }

  // ---------------------------------------------------------------- the options

  function placeholders() {
    const current = policy();
    const keep = (value) => t("new.keep", { value });
    document.getElementById("fairness-floor").placeholder = keep(current.fairness_floor_share);
    document.getElementById("fairness-weight").placeholder =
      current.fairness_weight > 0
        ? keep(current.fairness_weight)
        : t("new.fairness_weight.default", { value: DEFAULT_FAIRNESS_WEIGHT });
    const tilt = current.region_weights?.central ?? 1.3;
    document.getElementById("tilt").placeholder = keep(tilt);
    document.getElementById("min-cadres").placeholder = keep(current.min_cadres_per_village);
  }

  function enableOptions() {
    document.getElementById("options-fields").disabled = !imported;
    placeholders();
  }

  function solverHint() {
    const chosen = document.getElementById("solver").value;
    const found = solvers.find((s) => s.name === chosen);
    // The service describes its solvers in English; Chinese words are kept here.
    const local = App.t("solverinfo." + chosen);
    const translated = App.lang() !== "en" && local && local !== "solverinfo." + chosen;
    document.getElementById("solver-hint").textContent = translated
      ? local
      : found?.description || "";
  }

  async function loadSolvers() {
    try {
      solvers = await App.api("/v1/solvers");
    } catch (error) {
      return; // the built-in list stays
    }
    const select = document.getElementById("solver");
    clear(select);
    solvers.forEach((s) =>
      select.append(el("option", { value: s.name, selected: s.default }, s.name)),
    );
    solverHint();
  }

  // ---------------------------------------------------------------- re-planning

  function previousLabel(job) {
    const name = job.label || job.scenario?.name || t("list.unnamed");
    return t("new.previous.option", { name, created: App.when(job.created_at), id: job.id.slice(0, 8) });
  }

  function renderPrevious() {
    const select = document.getElementById("previous-plan");
    const chosen = select.value;
    clear(select);
    select.append(el("option", { value: "" }, t("new.previous.none")));
    previousPlans.forEach((job) =>
      select.append(el("option", { value: job.id, selected: job.id === chosen }, previousLabel(job))),
    );
    maxChangesState();
  }

  function maxChangesState() {
    // A limit on changes needs an earlier plan to count them from.
    const input = document.getElementById("max-changes");
    input.disabled = document.getElementById("previous-plan").value === "";
  }

  async function loadPrevious() {
    try {
      const page = await App.api("/v1/plans?limit=200");
      previousPlans = page.items.filter(
        (job) => (job.status === "succeeded" || job.status === "stopped") && job.outcome?.plan_status,
      );
    } catch (error) {
      return; // plan from scratch stays the only choice
    }
    renderPrevious();
  }

  function value(id) {
    const input = document.getElementById(id);
    return input.value.trim() === "" ? null : Number(input.value);
  }

  /** The request, or the list of fields the browser finds out of range. */
  function build() {
    const invalid = [];
    for (const id of ["time-limit", "seed", "max-changes", "fairness-floor", "fairness-weight", "tilt", "min-cadres"]) {
      const input = document.getElementById(id);
      if (!input.checkValidity() || (input.value.trim() !== "" && !Number.isFinite(Number(input.value)))) {
        const label = input.closest("label").querySelector("span").textContent;
        invalid.push({ path: label, message: input.validationMessage || t("new.invalid_number") });
      }
    }
    if (invalid.length) return { invalid };
    const overrides = {};
    const floor = value("fairness-floor");
    const weight = value("fairness-weight");
    if (floor !== null) {
      overrides.fairness_floor_share = floor;
      if (weight === null && floor > 0 && !(policy().fairness_weight > 0)) {
        overrides.fairness_weight = DEFAULT_FAIRNESS_WEIGHT;
      }
    }
    if (weight !== null) overrides.fairness_weight = weight;
    const tilt = value("tilt");
    if (tilt !== null) overrides.region_weights = { east: 1.0, central: tilt, west: tilt };
    const minCadres = value("min-cadres");
    if (minCadres !== null) overrides.min_cadres_per_village = minCadres;
    const body = {
      scenario: imported.scenario,
      solver: document.getElementById("solver").value,
      time_limit_seconds: value("time-limit") ?? 30,
      seed: value("seed") ?? 0,
    };
    if (Object.keys(overrides).length) body.policy = overrides;
    const previous = document.getElementById("previous-plan").value;
    if (previous) {
      body.previous_plan_id = previous;
      const maxChanges = value("max-changes");
      if (maxChanges !== null) body.max_changes = maxChanges;
    }
    return { body };
  }

  function renderSubmitProblems() {
    const box = document.getElementById("options-errors");
    clear(box);
    if (lastProblems && lastProblems.where === "submit") renderProblems(box, lastProblems.problem);
  }

  async function submit(event) {
    event.preventDefault();
    if (!imported) return;
    const built = build();
    if (built.invalid) {
      lastProblems = { where: "submit", problem: { errors: built.invalid } };
      renderSubmitProblems();
      return;
    }
    const button = document.getElementById("submit");
    button.disabled = true;
    lastProblems = null;
    renderSubmitProblems();
    try {
      const accepted = await App.api("/v1/plans", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(built.body),
      });
      location.assign(`/app/jobs/${encodeURIComponent(accepted.id)}`);
    } catch (error) {
      const problem =
        error instanceof App.ApiError && error.problem.errors
          ? error.problem
          : { detail: App.problemText(error), errors: [] };
      lastProblems = { where: "submit", problem };
      renderSubmitProblems();
      button.disabled = false;
    }
  }

  App.register({
    start() {
      const input = document.getElementById("file");
      input.addEventListener("change", () => {
        if (input.files.length) upload(input.files[0]);
        input.value = ""; // choosing the same file again (after fixing it) reads it again
      });
      const drop = document.getElementById("drop");
      drop.addEventListener("dragover", (event) => {
        event.preventDefault();
        drop.classList.add("over");
      });
      drop.addEventListener("dragleave", () => drop.classList.remove("over"));
      drop.addEventListener("drop", (event) => {
        event.preventDefault();
        drop.classList.remove("over");
        if (event.dataTransfer.files.length) upload(event.dataTransfer.files[0]);
      });
      document.getElementById("solver").addEventListener("change", solverHint);
      document.getElementById("previous-plan").addEventListener("change", maxChangesState);
      document.getElementById("options").addEventListener("submit", submit);
      App.onLanguage(() => {
        solverHint();
        renderImported();
        renderSubmitProblems();
        placeholders();
        renderPrevious();
      });
      enableOptions();
      loadSolvers();
      loadPrevious();
    },
  });
})();
