/* netral HTML report: builds the findings table from the JSON in #netral-data, a page at a time.
   Data only ever becomes text nodes or vetted http(s) hrefs (see html.py), never markup. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("netral-data").textContent);
  const W = data.words;
  const rows = data.rows;
  const NATURAL = { score: "desc", posted: "asc", days: "asc", account: "asc", skb: "asc", source: "asc" };
  const FILTERS = ["level", "skb", "platform", "stage", "account"];
  const state = { filter: {}, query: "", sort: "score", dir: "desc", page: 0, size: 50, printing: false };
  const byText = new Intl.Collator(document.documentElement.lang, { numeric: true, sensitivity: "base" });

  function say(key, values) {
    return (W[key] || key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  function el(tag, className, children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children || []) {
      if (child !== null && child !== undefined && child !== "") {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function link(href, label) {
    const a = el("a", "", [label]);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  /* segments: plain, marked, plain, ...: the odd ones are the matched words (cut in Python) */
  function highlighted(tag, className, segments) {
    return el(tag, className, segments.map((piece, i) => (i % 2 ? el("mark", "", [piece]) : piece)));
  }

  function labelled(key, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return null;
    const shown = typeof value === "object" && !Array.isArray(value) ? value : String(Array.isArray(value) ? value.join("; ") : value);
    return el("div", "", [el("span", "label", [W[key] + ": "]), shown]);
  }

  /* "2024-01-20T19:02:11+07:00" as date and time that wrap only between them */
  function moment(text) {
    if (!text) return null;
    return el("span", "", text.split("T").map((part, i) => el("span", "nowrap", [(i ? " " : "") + part])));
  }

  function daysLeft(n) {
    if (n === undefined) return null;
    if (n < 0) return el("span", "overdue", [n === -1 ? W["html.day_overdue"] : say("html.overdue", { n: -n })]);
    const text = n === 0 ? W["html.due_today"] : n === 1 ? W["html.day_left"] : say("html.days_left", { n: n });
    return el("span", n <= 2 ? "soon" : "", [text]);
  }

  function scoreCell(r) {
    return el("td", "", [
      el("div", "", [el("strong", "", ["#" + r.r]), " ", el("span", "badge level-" + r.l, [W["level." + r.l] || r.l])]),
      el("div", "", [W.score + " " + r.s.toFixed(2)]),
      r.ms !== undefined ? el("div", "small", [W.model_score + " " + r.ms.toFixed(2)]) : null,
    ]);
  }

  function accountCell(r) {
    return el("td", "", [
      r.au ? el("div", "", [el("strong", "", [r.au])]) : null,
      r.ac && r.ac !== r.au ? el("div", "handle", [r.ac]) : null,
      el("div", "small", [[r.pf, r.k].filter(Boolean).join(" · ")]),
      r.pu ? el("div", "", [link(r.pu, W.profile_url)]) : null,
    ]);
  }

  function evidence(r) {
    if (!r.ev && !r.mr) return null;
    const items = (r.ev || []).map(([rule, reason, more]) =>
      el("li", "", [el("code", "", [rule]), " ", reason, more.length ? " · " + more.map((words) => "“" + words + "”").join(" · ") : ""]));
    if (r.mr) items.push(el("li", "", [el("strong", "", [W["html.model_reason"] + ": "]), r.mr]));
    const details = el("details", "", [
      el("summary", "", [say("html.evidence_count", { n: (r.ev || []).length + (r.mr ? 1 : 0) })]), el("ul", "", items)]);
    details.open = state.printing;
    return details;
  }

  function textCell(r) {
    return el("td", "", [
      r.tx ? highlighted("div", "text", r.tx) : null,
      r.tg ? el("div", "", [el("span", "label", [W.target + ": "]), highlighted("span", "", r.tg)]) : null,
      r.gr ? el("div", "", [el("span", "label", [W.group + ": "]), highlighted("span", "", r.gr)]) : null,
      r.po ? el("div", "", [el("span", "label", [W.post_url + ": "]), link(r.po, r.po)]) : null,
      evidence(r),
    ]);
  }

  function skbCell(r) {
    return el("td", "", [
      el("div", "skb", [(r.sk || []).join(", ")]),
      labelled("legal_basis", r.lb),
      labelled("sanction", r.sa),
      labelled("stage", W["stage." + r.st] || r.st),
      labelled("candidates", r.ca),
    ]);
  }

  function datesCell(r) {
    return el("td", "", [
      labelled("timestamp", moment(r.t)),
      labelled("found_on", moment(r.fo)),
      labelled("report_by", moment(r.rb)),
      r.dl !== undefined ? el("div", "", [el("span", "label", [W.days_left + ": "]), daysLeft(r.dl)]) : null,
    ]);
  }

  function sourceCell(r) {
    return el("td", "", [el("div", "", [r.sf || ""]), el("div", "", [el("code", "", [r.lo || ""])])]);
  }

  function rowNode(r) {
    const tr = el("tr", "level-row-" + r.l, [scoreCell(r), accountCell(r), textCell(r), skbCell(r), datesCell(r), sourceCell(r)]);
    tr.dataset.rank = r.r;
    return tr;
  }

  /* filtering and sorting */
  for (const r of rows) {
    const parts = [r.au, r.ac, r.pf, r.k, r.sf, r.lo, r.st, W["stage." + r.st]]
      .concat(r.tx || [], r.tg || [], r.gr || [], r.sk || [], r.ca || []);
    r.hay = parts.filter(Boolean).join("\n").toLowerCase();
  }

  function matches(r) {
    const f = state.filter;
    if (f.level && r.l !== f.level) return false;
    if (f.skb && !(r.sk || []).includes(f.skb)) return false;
    if (f.platform && (r.pf || "?") !== f.platform) return false;
    if (f.stage && r.st !== f.stage) return false;
    if (f.account && String(r.a) !== f.account) return false;
    return !state.query || r.hay.includes(state.query);
  }

  function missingLast(a, b) {
    if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
    if (b === undefined || b === null) return -1;
    return null;
  }

  const KEYS = {
    score: (r) => r.s,
    posted: (r) => r.te,
    days: (r) => r.dl,
    account: (r) => r.au || r.ac,
    skb: (r) => (r.sk || [])[0],
    source: (r) => (r.sf ? r.sf + " " + (r.lo || "") : undefined),
  };

  function compare(a, b) {
    const key = KEYS[state.sort];
    const x = key(a), y = key(b);
    const missing = missingLast(x, y);
    if (missing !== null) return missing || a.r - b.r;
    const order = typeof x === "number" ? x - y : byText.compare(x, y);
    return (state.dir === "asc" ? order : -order) || a.r - b.r;
  }

  function activeFilters() {
    const shown = [];
    for (const name of FILTERS) {
      const select = document.getElementById("filter-" + name);
      if (select.value) shown.push(select.closest("label").firstChild.textContent.trim() + " = " + select.selectedOptions[0].textContent);
    }
    if (state.query) shown.push("“" + state.query + "”");
    return shown;
  }

  function render() {
    const chosen = rows.filter(matches).sort(compare);
    const pages = Math.max(1, Math.ceil(chosen.length / state.size));
    state.page = Math.min(state.page, pages - 1);
    const shown = state.printing ? chosen : chosen.slice(state.page * state.size, (state.page + 1) * state.size);
    const body = document.getElementById("rows");
    const fresh = el("tbody", "", shown.map(rowNode));
    fresh.id = "rows";
    if (!shown.length) {
      const cell = el("td", "muted", [rows.length ? W["html.no_rows"] : W["html.no_findings"]]);
      cell.colSpan = 6;
      fresh.appendChild(el("tr", "", [cell]));
    }
    body.replaceWith(fresh);
    document.getElementById("matching").textContent = say("html.matching", { n: chosen.length, total: rows.length });
    document.getElementById("page").textContent = say("html.page", { page: state.page + 1, pages: pages });
    document.getElementById("previous").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    const filters = activeFilters();
    document.getElementById("print-filters").textContent = filters.length ? "· " + W["html.active_filters"] + ": " + filters.join(", ") : "";
    for (const th of document.querySelectorAll("th:has(button.sort)")) {
      let sorted = "none";
      for (const button of th.querySelectorAll("button.sort")) {
        button.title = W["html.sort"];
        if (button.dataset.sort === state.sort) {
          button.dataset.dir = state.dir;
          sorted = state.dir === "asc" ? "ascending" : "descending";
        } else delete button.dataset.dir;
      }
      th.setAttribute("aria-sort", sorted);
    }
  }

  function readFilters() {
    for (const name of FILTERS) state.filter[name] = document.getElementById("filter-" + name).value;
    state.query = document.getElementById("filter-q").value.trim().toLowerCase();
    state.page = 0;
    render();
  }

  const controls = document.getElementById("controls");
  controls.addEventListener("submit", (event) => event.preventDefault());
  controls.addEventListener("change", readFilters);
  document.getElementById("filter-q").addEventListener("input", readFilters);
  function clearFilters() {
    for (const name of FILTERS) document.getElementById("filter-" + name).value = "";
    document.getElementById("filter-q").value = "";
  }
  controls.addEventListener("reset", (event) => {
    event.preventDefault();
    clearFilters();
    readFilters();
  });
  for (const button of document.querySelectorAll("button.sort")) {
    button.addEventListener("click", () => {
      const key = button.dataset.sort;
      state.dir = state.sort === key ? (state.dir === "asc" ? "desc" : "asc") : NATURAL[key];
      state.sort = key;
      state.page = 0;
      render();
    });
  }
  function turn(by) {
    state.page += by;
    render();
    document.getElementById("findings-table").scrollIntoView();
  }
  document.getElementById("previous").addEventListener("click", () => turn(-1));
  document.getElementById("next").addEventListener("click", () => turn(1));
  document.getElementById("page-size").addEventListener("change", (event) => {
    state.size = Number(event.target.value);
    state.page = 0;
    render();
  });
  for (const anchor of document.querySelectorAll("a.show-account")) {
    anchor.addEventListener("click", () => {
      clearFilters();
      document.getElementById("filter-account").value = anchor.dataset.account;
      readFilters();
    });
  }

  /* printing shows every matching row with its evidence open */
  function printing(on) {
    if (state.printing !== on) {
      state.printing = on;
      render();
    }
  }
  window.addEventListener("beforeprint", () => printing(true));
  window.addEventListener("afterprint", () => printing(false));
  window.matchMedia("print").addEventListener("change", (event) => printing(event.matches));

  render();
})();
