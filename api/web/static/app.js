// What every page shares: the labels of both languages, the county's key (kept in this tab's
// sessionStorage only, sent as the X-API-Key header, never in a URL), calls to the /v1 API,
// and small helpers that build the DOM with text nodes, never parsing data as HTML.
"use strict";

const App = (() => {
  const KEY_ITEM = "matcher.apiKey";
  const LANG_ITEM = "matcher.lang";
  const STRINGS = JSON.parse(document.getElementById("strings").textContent);
  const languageListeners = [];
  let page = null;

  // ------------------------------------------------------------------ languages

  function lang() {
    const chosen = localStorage.getItem(LANG_ITEM);
    if (chosen && STRINGS[chosen]) return chosen;
    return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  /** The label of ``key`` in the chosen language, ``{name}`` replaced from ``values``. */
  function t(key, values) {
    const text = STRINGS[lang()][key] ?? STRINGS.en[key] ?? key;
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) =>
      name in values ? String(values[name]) : whole,
    );
  }

  function applyLabels(root) {
    const scope = root || document;
    scope.querySelectorAll("[data-i18n]").forEach((node) => {
      node.textContent = t(node.dataset.i18n);
    });
    scope.querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
      node.placeholder = t(node.dataset.i18nPlaceholder);
    });
    scope.querySelectorAll("[data-i18n-aria]").forEach((node) => {
      node.setAttribute("aria-label", t(node.dataset.i18nAria));
    });
    scope.querySelectorAll("[data-i18n-title]").forEach((node) => {
      node.title = t(node.dataset.i18nTitle);
    });
  }

  /** A term of the field (a category, a reason code) in words, or as it is when unknown. */
  function term(prefix, value) {
    if (value === null || value === undefined || value === "") return "–";
    const key = `${prefix}.${value}`;
    const label = t(key);
    return label === key ? String(value) : label;
  }

  function setLanguage(chosen) {
    localStorage.setItem(LANG_ITEM, chosen);
    showLanguage();
    languageListeners.forEach((listener) => listener());
  }

  function showLanguage() {
    const current = lang();
    document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
    applyLabels(document);
    document.title = `${t("title." + document.body.dataset.page)} · ${t("app.name")}`;
    document.querySelectorAll("[data-lang]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.lang === current));
    });
    showKeyState();
  }

  /** Call ``listener`` again whenever the language changes (to re-render data). */
  function onLanguage(listener) {
    languageListeners.push(listener);
  }

  // ------------------------------------------------------------------ formatting

  function locale() {
    return lang() === "zh" ? "zh-CN" : "en-GB";
  }

  function isNumber(value) {
    return typeof value === "number" && Number.isFinite(value);
  }

  function num(value, digits) {
    if (!isNumber(value)) return "–";
    const places = digits ?? (Number.isInteger(value) ? 0 : 2);
    return value.toLocaleString(locale(), {
      minimumFractionDigits: places,
      maximumFractionDigits: places,
    });
  }

  function pct(share, digits) {
    if (!isNumber(share)) return "–";
    return (share * 100).toLocaleString(locale(), {
      minimumFractionDigits: digits ?? 1,
      maximumFractionDigits: digits ?? 1,
    }) + "%";
  }

  function signed(value, digits) {
    if (!isNumber(value)) return "–";
    const text = num(value, digits);
    return value > 0 ? "+" + text : text;
  }

  function when(iso) {
    if (!iso) return "–";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return date.toLocaleString(locale(), {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

  function seconds(value) {
    return isNumber(value) ? t("unit.seconds", { n: num(value, value < 10 ? 1 : 0) }) : "–";
  }

  // ------------------------------------------------------------------ the DOM

  /** An element with attributes and children; strings become text nodes (never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function statusBadge(status) {
    return el("span", { class: `badge status-${status}`, dataset: { status } }, t("status." + status));
  }

  /** A table from column headers (label keys) and rows of cells (strings or nodes). */
  function table(headers, rows, options) {
    const head = el("tr", {}, headers.map((h) => el("th", { scope: "col" }, t(h))));
    const body = rows.map((cells) =>
      el(
        "tr",
        {},
        cells.map((cell, i) =>
          el("td", { class: (options?.numeric || []).includes(i) ? "num" : null }, cell),
        ),
      ),
    );
    return el(
      "div",
      { class: "table-wrap" },
      el("table", { class: options?.class || null }, el("thead", {}, head), el("tbody", {}, body)),
    );
  }

  // ------------------------------------------------------------------ the key and the API

  function key() {
    return sessionStorage.getItem(KEY_ITEM);
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem?.detail || problem?.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem || {};
    }
  }

  async function request(path, options) {
    // Problems come back in the page's language, not the browser's (api.problem_details).
    const language = { "Accept-Language": lang() === "zh" ? "zh-CN" : "en" };
    const headers = Object.assign(language, options?.headers || {});
    const current = key();
    if (current) headers["X-API-Key"] = current;
    const response = await fetch(path, Object.assign({}, options || {}, { headers, cache: "no-store" }));
    if (response.status === 401 && current) {
      // The key is no longer accepted: ask again.
      sessionStorage.removeItem(KEY_ITEM);
      showKeyGate(t("key.rejected"));
    }
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (ignored) {
        problem = { title: response.statusText };
      }
      throw new ApiError(response.status, problem);
    }
    return response;
  }

  async function api(path, options) {
    const response = await request(path, options);
    return response.json();
  }

  /** Save what ``path`` answers as a file named ``name`` (the key goes as a header). */
  async function download(path, name, transform) {
    const response = await request(path);
    let blob = await response.blob();
    if (transform) blob = await transform(blob);
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** A problem document as a short sentence for the page. */
  function problemText(error) {
    if (!(error instanceof ApiError)) return t("error.network");
    const problem = error.problem;
    const parts = [problem.title || `HTTP ${error.status}`];
    if (problem.detail) parts.push(problem.detail);
    return parts.join(": ");
  }

  // ------------------------------------------------------------------ the key gate

  function showKeyState() {
    const state = document.getElementById("key-state");
    const forget = document.getElementById("forget-key");
    if (!state) return;
    state.textContent = key() ? t("key.set") : t("key.none");
    forget.hidden = !key();
  }

  function showKeyGate(message) {
    document.getElementById("page").hidden = true;
    document.getElementById("key-gate").hidden = false;
    const error = document.getElementById("key-error");
    error.textContent = message || "";
    error.hidden = !message;
    showKeyState();
    document.getElementById("key-input").focus();
  }

  async function acceptKey(event) {
    event.preventDefault();
    const input = document.getElementById("key-input");
    const value = input.value.trim();
    if (!value) return;
    const button = event.submitter || document.querySelector("#key-form button");
    button.disabled = true;
    try {
      const response = await fetch("/v1/plans?limit=1", {
        headers: { "X-API-Key": value },
        cache: "no-store",
      });
      if (response.status === 401) {
        showKeyGate(t("key.rejected"));
        return;
      }
      if (!response.ok) {
        showKeyGate(t("error.server", { status: response.status }));
        return;
      }
      sessionStorage.setItem(KEY_ITEM, value);
      input.value = "";
      start();
    } catch (ignored) {
      showKeyGate(t("error.network"));
    } finally {
      button.disabled = false;
    }
  }

  function forgetKey() {
    sessionStorage.removeItem(KEY_ITEM);
    location.reload(); // nothing of the county stays on the page
  }

  let started = false;

  function start() {
    if (started) {
      location.reload(); // a new key, perhaps of another county: load everything afresh
      return;
    }
    started = true;
    document.getElementById("key-gate").hidden = true;
    document.getElementById("page").hidden = false;
    showKeyState();
    if (page) page.start();
  }

  /** Register the page's script: ``start()`` runs once there is a key. */
  function register(definition) {
    page = definition;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-lang]").forEach((button) => {
      button.addEventListener("click", () => setLanguage(button.dataset.lang));
    });
    document.getElementById("key-form").addEventListener("submit", acceptKey);
    document.getElementById("forget-key").addEventListener("click", forgetKey);
    showLanguage();
    if (key()) start();
    else showKeyGate();
  });

  return {
    t,
    term,
    lang,
    onLanguage,
    applyLabels,
    num,
    pct,
    signed,
    when,
    seconds,
    isNumber,
    el,
    append,
    clear,
    show,
    table,
    statusBadge,
    key,
    api,
    request,
    download,
    problemText,
    ApiError,
    register,
  };
})();
