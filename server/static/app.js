// claimgraph's SPARQL page, a query workbench: a CodeMirror editor (vendor/editor.js) that
// completes prefixes and the ontology's terms; saved queries, searchable and grouped by tag,
// with a form for their parameters; the query and its parameters in the URL (a permalink;
// back and forward work); a history kept in this browser; results paged (the table holds one
// page), filtered and sorted, values shown as values; downloads of exactly the rows shown;
// a CONSTRUCT drawn as a graph.  Works offline: everything comes from this server.
"use strict";
(function () {
  const CONFIG = window.CLAIMGRAPH || {};
  const PREFIXES = CONFIG.prefixes || {};
  const R = window.claimgraphResults;
  const $ = (id) => document.getElementById(id);
  const DEFAULT_QUERY = "SELECT ?class (COUNT(?s) AS ?n)\nWHERE { ?s a ?class }\nGROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 20\n";
  const HISTORY_KEY = "claimgraph.history", DRAFT_KEY = "claimgraph.draft", HISTORY_SIZE = 30;

  // ---------------------------------------------------------------- browser storage
  const stored = {
    get(key, fallback) {
      try { const v = window.localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); }
      catch (e) { return fallback; }
    },
    set(key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or off */ }
    },
  };

  // ---------------------------------------------------------------- state
  const terms = [];          // the ontology's terms, for completion (filled when loaded)
  let savedList = [];        // every saved query (/api/queries)
  const savedByName = new Map();
  let current = null;        // the saved query whose form shows, if any
  let result = null;         // {kind, vars, rows, boolean, truncated, limit, title, name}
  const view = { sortVar: null, ascending: true, filter: "", page: 1, size: 100, tab: "table" };
  let shown = [];            // the rows after filter and sort
  let runs = 0;              // answers to an older run are dropped
  let quiet = false;         // the editor is being set by the page, not typed in
  let graphDrawn = false;

  const editor = window.ClaimgraphEditor.create({
    parent: $("editor"),
    doc: "",
    prefixes: PREFIXES,
    terms,
    onRun: () => run(),
    onChange: (text) => {
      if (quiet) return;
      if (current) hideSaved();
      stored.set(DRAFT_KEY, text);
    },
  });

  function setQuery(text) {
    quiet = true;
    try { editor.value = text; } finally { quiet = false; }
  }

  // ---------------------------------------------------------------- messages
  function setStatus(text) { $("status").textContent = text; }
  function showError(status, text) {
    const box = $("error");
    box.textContent = "";
    const strong = document.createElement("strong");
    strong.textContent = status === 503 ? "Query stopped (503)" : status ? `Error ${status}` : "Error";
    box.append(strong, document.createTextNode(String(text).trim()));
    box.hidden = false;
  }
  function notice(text) { const n = $("notice"); n.textContent = text; n.hidden = !text; }
  async function errorText(resp) {
    const text = await resp.text();
    try { const j = JSON.parse(text); if (j.error) return j.error.detail || j.error.title; } catch (e) { /* plain text */ }
    return text;
  }

  // ---------------------------------------------------------------- the URL
  // #query=TEXT or #saved=NAME&param=value..., and page=N: a link to what is on the page.
  // ?query= and ?saved= (as other tools write them) are read too.
  function locationState() {
    const params = new URLSearchParams(window.location.search);
    const hash = window.location.hash.replace(/^#/, "");
    if (hash) for (const [k, v] of new URLSearchParams(hash)) params.set(k, v);
    return params;
  }

  function pageState() {
    const params = new URLSearchParams();
    if (current) {
      params.set("saved", current.name);
      for (const [k, v] of Object.entries(formValues())) params.set(k, v);
    } else {
      params.set("query", editor.value);
    }
    if (view.page > 1) params.set("page", String(view.page));
    if (view.size !== defaultSize()) params.set("size", String(view.size));
    if (view.filter) params.set("filter", view.filter);
    return params;
  }

  function writeLocation(push) {
    const url = window.location.pathname + "#" + pageState().toString();
    if (url === window.location.pathname + window.location.hash && !window.location.search) return;
    if (push) window.history.pushState(null, "", url); else window.history.replaceState(null, "", url);
  }

  async function applyState(params) {
    const name = params.get("saved");
    if (name) {
      await savedReady;
      const q = savedByName.get(name);
      if (!q) { showError(404, `There is no saved query ${name}.`); return false; }
      await showSaved(q, params);
    } else if (params.has("query")) {
      hideSaved();
      setQuery(params.get("query"));
    } else {
      return false;
    }
    view.size = Number(params.get("size")) || defaultSize();
    $("page-size").value = String(view.size);
    view.page = Math.max(1, Number(params.get("page")) || 1);
    view.filter = params.get("filter") || "";
    $("filter").value = view.filter;
    await execute({ keepPage: true });
    return true;
  }

  window.addEventListener("popstate", () => { applyState(locationState()); });

  // ---------------------------------------------------------------- running
  function queryKind(text) {
    const stripped = text.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ").replace(/"[^"]*"|'[^']*'/g, " ");
    const m = /\b(select|construct|describe|ask)\b/i.exec(stripped);
    return m ? m[1].toLowerCase() : "select";
  }

  function run() {
    view.page = 1;
    writeLocation(true);
    return execute({ keepPage: false });
  }

  async function execute({ keepPage }) {
    const mine = ++runs;
    clearOutput();
    setStatus("Running…");
    const started = performance.now();
    let resp;
    const graphAccept = "application/n-triples";
    try {
      if (current) {
        const params = new URLSearchParams(formValues());
        resp = await fetch(`api/queries/${encodeURIComponent(current.name)}?${params}`, {
          headers: { Accept: `application/sparql-results+json, ${graphAccept};q=0.9` },
        });
      } else {
        const text = editor.value;
        const kind = queryKind(text);
        resp = await fetch("sparql", {
          method: "POST",
          body: new URLSearchParams({ query: text }),
          headers: {
            Accept: kind === "construct" || kind === "describe" ? graphAccept : "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
          },
        });
      }
    } catch (e) {
      if (mine === runs) { setStatus(""); showError(0, "The server could not be reached: " + e.message); }
      return;
    }
    if (mine !== runs) return;
    if (!resp.ok) { setStatus(""); showError(resp.status, await errorText(resp)); return; }
    const ctype = resp.headers.get("Content-Type") || "";
    let got;
    try {
      got = ctype.startsWith(graphAccept) ? R.fromNTriples(await resp.text()) : R.fromSparqlJson(await resp.json());
    } catch (e) {
      setStatus(""); showError(0, "The answer could not be read: " + e.message); return;
    }
    if (mine !== runs) return;
    const ms = Math.round(performance.now() - started);
    got.truncated = resp.headers.get("Claimgraph-Truncated") === "true";
    got.limit = resp.headers.get("Claimgraph-Row-Limit");
    got.name = current ? current.name : "results";
    result = got;
    view.sortVar = null; view.ascending = true;
    if (!keepPage) view.page = 1;
    show(ms);
    remember();
  }

  function clearOutput() {
    $("error").hidden = true; notice("");
    $("results").textContent = ""; $("result-bar").hidden = true; $("tabs").hidden = true;
    $("downloads").hidden = true;
    showTab("table");
    result = null; shown = []; graphDrawn = false;
  }

  function show(ms) {
    const count = result.kind === "boolean" ? 1 : result.rows.length;
    const what = result.kind === "graph" ? "triple" : "row";
    setStatus(result.kind === "boolean" ? `ASK → ${result.boolean} · ${ms} ms`
      : `${count.toLocaleString("en")} ${what}${count === 1 ? "" : "s"} · ${ms} ms`);
    $("status").dataset.rows = String(count);
    if (result.truncated) {
      notice(`Only the first ${result.limit} rows came back: the server cut the result at its row limit. Narrow the query, or page through it with LIMIT and OFFSET.`);
    }
    for (const b of document.querySelectorAll("button.download")) {
      b.hidden = !R.formats(result).some((f) => f.name === b.dataset.format);
    }
    $("downloads").hidden = false;
    if (result.kind === "boolean") { renderBoolean(); return; }
    $("result-bar").hidden = false;
    $("tabs").hidden = result.kind !== "graph";
    recompute();
    renderTable();
    if (result.kind === "graph") showTab("graph");
  }

  // ---------------------------------------------------------------- the table
  function recompute() {
    let rows = R.filtered(result.rows, result.vars, view.filter, PREFIXES);
    if (view.sortVar) rows = R.sorted(rows, view.sortVar, view.ascending, PREFIXES);
    shown = rows;
  }

  function pages() { return Math.max(1, Math.ceil(shown.length / view.size)); }

  function renderBoolean() {
    const table = $("results");
    table.textContent = "";
    table.createTHead().insertRow().appendChild(document.createElement("th")).textContent = "result";
    const td = table.createTBody().insertRow().insertCell();
    td.textContent = String(result.boolean);
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.className = "iri"; a.href = "#"; a.textContent = R.compact(term.value, PREFIXES); a.title = term.value;
      a.addEventListener("click", (e) => { e.preventDefault(); describe(term.value); });
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value; td.className = "muted";
    } else {
      td.append(document.createTextNode(term.value));
      td.title = R.datatypeTitle(term, PREFIXES);
      if (R.isNumeric(term)) td.className = "num";
      const note = R.annotation(term, PREFIXES);
      if (note) {
        const span = document.createElement("span");
        span.className = "lit-meta"; span.textContent = " " + note;
        td.appendChild(span);
      }
    }
    return td;
  }

  function renderTable() {
    view.page = Math.min(Math.max(1, view.page), pages());
    const table = $("results");
    table.textContent = "";
    const head = table.createTHead().insertRow();
    for (const v of result.vars) {
      const th = document.createElement("th");
      th.textContent = v;
      th.dataset.var = v;
      th.setAttribute("aria-sort", view.sortVar === v ? (view.ascending ? "ascending" : "descending") : "none");
      if (view.sortVar === v) th.className = view.ascending ? "sorted-asc" : "sorted-desc";
      th.title = "Sort by " + v;
      th.addEventListener("click", () => {
        view.ascending = view.sortVar === v ? !view.ascending : true;
        view.sortVar = v;
        recompute();
        view.page = 1;
        renderTable();
      });
      head.appendChild(th);
    }
    const body = table.createTBody();
    const start = (view.page - 1) * view.size;
    for (const row of shown.slice(start, start + view.size)) {
      const tr = body.insertRow();
      for (const v of result.vars) tr.appendChild(cell(row[v]));
    }
    const all = result.rows.length;
    $("row-count").textContent = view.filter
      ? `${shown.length.toLocaleString("en")} of ${all.toLocaleString("en")} rows match`
      : `${all.toLocaleString("en")} row${all === 1 ? "" : "s"}`;
    $("page-info").textContent = `page ${view.page} of ${pages()}`;
    $("page-first").disabled = $("page-prev").disabled = view.page <= 1;
    $("page-last").disabled = $("page-next").disabled = view.page >= pages();
    if (result.kind === "graph") { graphDrawn = false; if (view.tab === "graph") drawGraph(); }
  }

  function goTo(page) {
    view.page = Math.min(Math.max(1, page), pages());
    renderTable();
    writeLocation(false);
  }
  $("page-first").addEventListener("click", () => goTo(1));
  $("page-prev").addEventListener("click", () => goTo(view.page - 1));
  $("page-next").addEventListener("click", () => goTo(view.page + 1));
  $("page-last").addEventListener("click", () => goTo(pages()));
  $("page-size").addEventListener("change", () => {
    const first = (view.page - 1) * view.size;
    view.size = Number($("page-size").value);
    view.page = Math.floor(first / view.size) + 1;
    if (result) renderTable();
    writeLocation(false);
  });
  let filterTimer = null;
  $("filter").addEventListener("input", () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      view.filter = $("filter").value;
      if (!result || result.kind === "boolean") return;
      recompute();
      view.page = 1;
      renderTable();
      writeLocation(false);
    }, 120);
  });

  function defaultSize() { return (current && current.pagination) || 100; }

  // ---------------------------------------------------------------- downloads
  function download(format) {
    if (!result) return;
    const f = R.formats(result).find((x) => x.name === format);
    if (!f) return;
    const text = f.write(result, result.vars, result.kind === "boolean" ? [] : shown, PREFIXES);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: f.type + ";charset=utf-8" }));
    a.download = `${result.name}.${f.extension}`;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 2000);
  }
  for (const b of document.querySelectorAll("button.download")) {
    b.addEventListener("click", () => download(b.dataset.format));
  }

  // ---------------------------------------------------------------- the graph
  const LABEL = new Set(["http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name", "http://xmlns.com/foaf/0.1/name"]);
  const TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const PALETTE = ["#cfe2f3", "#fce5cd", "#d9ead3", "#ead1dc", "#d0e0e3", "#fff2cc", "#e6d7f2", "#f4cccc"];
  const canvas = new window.claimgraphDraw.Canvas($("graph"), {
    onSelect: (n) => { if (n.term.type === "uri") describe(n.term.value); },
  });

  function drawGraph() {
    // the triples shown (filtered, sorted): a node per resource, literals as their own boxes
    const rows = shown;
    const labels = new Map(), typesOf = new Map();
    const key = (t) => (t.type === "uri" ? "u:" : "b:") + t.value;
    for (const r of rows) {
      if (LABEL.has(r.predicate.value) && r.object.type === "literal" && !labels.has(key(r.subject))) labels.set(key(r.subject), r.object.value);
      if (r.predicate.value === TYPE && r.object.type === "uri") {
        if (!typesOf.has(key(r.subject))) typesOf.set(key(r.subject), []);
        typesOf.get(key(r.subject)).push(R.compact(r.object.value, PREFIXES));
      }
    }
    // a node's colour is its most specific type (ingest states every superclass too)
    const supers = new Map(terms.map((t) => [t.name, new Set(t.superclasses || [])]));
    const types = new Map([...typesOf].map(([k, list]) => {
      const implied = new Set(list.flatMap((t) => [...(supers.get(t) || [])]));
      const specific = list.filter((t) => !implied.has(t)).sort();
      return [k, specific.find((t) => t.startsWith("cg:")) || specific[0] || ""];
    }));
    const nodes = new Map(), edges = [], colours = new Map();
    let literals = 0;
    function node(t) {
      const k = t.type === "literal" ? "l:" + literals++ : key(t);
      if (!nodes.has(k)) {
        const type = types.get(k) || "";
        if (t.type === "uri" && !colours.has(type)) colours.set(type, PALETTE[colours.size % PALETTE.length]);
        nodes.set(k, {
          id: k, term: t,
          label: t.type === "literal" ? t.value : labels.get(k) || R.text(t, PREFIXES),
          title: t.type === "uri" ? `${t.value}${type ? "\n" + type : ""}` : R.text(t, PREFIXES),
          fill: t.type === "literal" ? "#fff6dd" : t.type === "bnode" ? "#e5e7eb" : colours.get(type),
          className: t.type === "literal" ? "literal" : t.type === "bnode" ? "blank" : "resource",
          shape: t.type === "literal" ? "box" : "rounded",
        });
      }
      return nodes.get(k);
    }
    const pairs = new Map();
    for (const r of rows) {
      if (LABEL.has(r.predicate.value) || r.predicate.value === TYPE) { node(r.subject); continue; }
      const s = node(r.subject), o = node(r.object), pair = s.id + "\u0000" + o.id;
      const name = R.compact(r.predicate.value, PREFIXES);
      if (pairs.has(pair)) { pairs.get(pair).label += ", " + name; continue; }
      const e = { source: s.id, target: o.id, label: name, predicate: r.predicate.value };
      pairs.set(pair, e); edges.push(e);
    }
    canvas.show([...nodes.values()], edges);
    const entries = [...colours].map(([type, fill]) => ({ swatch: { fill, round: true }, text: type || "a resource without a type here" }));
    if ([...nodes.values()].some((n) => n.term.type === "literal")) entries.push({ swatch: { fill: "#fff6dd", border: "#e0c36b" }, text: "a literal value (text, number, date)" });
    if ([...nodes.values()].some((n) => n.term.type === "bnode")) entries.push({ swatch: { fill: "#e5e7eb", round: true }, text: "a blank node" });
    entries.push({ swatch: { line: "#8a94a0" }, text: "an arrow from subject to object, named by its predicate (labels and types are shown in the boxes)" });
    window.claimgraphDraw.legend($("graph-legend"), entries);
    graphDrawn = true;
    $("graph").dataset.nodes = String(nodes.size);
  }

  function showTab(name) {
    view.tab = name;
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.tab === name));
    $("table-view").hidden = name !== "table";
    $("graph-view").hidden = name !== "graph";
    if (name === "graph" && result && result.kind === "graph" && !graphDrawn) drawGraph();
  }
  document.querySelectorAll(".tab").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));
  $("graph-zoom-in").addEventListener("click", () => canvas.zoom(1.25));
  $("graph-zoom-out").addEventListener("click", () => canvas.zoom(1 / 1.25));
  $("graph-fit").addEventListener("click", () => canvas.fit());

  function describe(iri) {
    hideSaved();
    setQuery(`DESCRIBE <${iri}>`);
    run();
  }

  // ---------------------------------------------------------------- saved queries
  function hideSaved() {
    current = null;
    $("saved-info").hidden = true;
    document.querySelectorAll("#saved button.query").forEach((b) => b.classList.remove("active"));
  }

  function formValues() {
    const out = {};
    for (const input of $("param-form").querySelectorAll("input")) if (input.value.trim()) out[input.name] = input.value.trim();
    return out;
  }

  async function showSaved(q, values) {
    let full = q;
    if (!q.text) {
      try {
        const r = await fetch(`api/queries/${encodeURIComponent(q.name)}/definition`);
        if (r.ok) full = Object.assign({}, q, await r.json());
      } catch (e) { /* keep the summary */ }
    }
    document.querySelectorAll("#saved button.query").forEach((b) => b.classList.toggle("active", b.dataset.name === q.name));
    $("saved-title").textContent = full.summary || full.name;
    $("saved-description").textContent = full.description || "";
    const form = $("param-form");
    form.textContent = "";
    for (const p of full.parameters || []) {
      const label = document.createElement("label");
      label.textContent = `${p.name}${p.required ? " *" : ""} (${p.type || "value"})`;
      const input = document.createElement("input");
      input.name = p.name;
      const given = values && values.get(p.name);
      input.value = given !== null && given !== undefined ? given : p.default ? (p.type === "iri" ? R.compact(p.default, PREFIXES) : p.default) : "";
      input.placeholder = p.type === "iri" ? "cgi:… or an id" : p.type.includes("boolean") ? "true or false" : "";
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); run(); } });
      label.appendChild(input);
      form.appendChild(label);
    }
    $("saved-info").hidden = false;
    setQuery(full.text || `# ${full.name}`);
    current = full;
    view.size = defaultSize();
    if (![...$("page-size").options].some((o) => o.value === String(view.size))) {
      $("page-size").add(new Option(String(view.size)));
    }
    $("page-size").value = String(view.size);
  }

  // Saved queries grouped by their first tag that is not a competency question's number
  // (cqNN); the other tags are shown with each and found by the search box.
  function groupOf(q) { return (q.tags || []).find((t) => !/^cq\d+$/.test(t)) || "other"; }

  function renderSaved() {
    const needle = $("saved-search").value.trim().toLowerCase();
    const box = $("saved");
    box.textContent = "";
    const groups = new Map();
    for (const q of savedList) {
      const hay = [q.name, q.summary, q.description, ...(q.tags || [])].join(" ").toLowerCase();
      if (needle && !needle.split(/\s+/).every((w) => hay.includes(w))) continue;
      const g = groupOf(q);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(q);
    }
    for (const [g, list] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      const details = document.createElement("details");
      details.open = true; details.className = "saved-group"; details.dataset.tag = g;
      const summary = document.createElement("summary");
      summary.textContent = `${g} (${list.length})`;
      const ul = document.createElement("ul");
      for (const q of list) {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button"; b.className = "query"; b.dataset.name = q.name;
        if (current && current.name === q.name) b.classList.add("active");
        const t = document.createElement("span"); t.className = "title"; t.textContent = q.summary || q.name;
        const d = document.createElement("span"); d.className = "desc"; d.textContent = q.description || "";
        const tags = document.createElement("span"); tags.className = "tags";
        tags.textContent = (q.tags || []).filter((x) => x !== g).join(" · ");
        b.append(t, d, tags);
        b.title = q.name;
        b.addEventListener("click", async () => { await showSaved(q); run(); });
        li.appendChild(b); ul.appendChild(li);
      }
      details.append(summary, ul);
      box.appendChild(details);
    }
    $("saved-empty").hidden = groups.size > 0;
    $("saved-empty").textContent = savedList.length ? "No saved query matches." : "No saved queries on this server.";
  }
  $("saved-search").addEventListener("input", renderSaved);

  async function loadSaved() {
    try {
      const resp = await fetch("api/queries", { headers: { Accept: "application/json" } });
      if (!resp.ok) throw new Error(String(resp.status));
      savedList = await resp.json();
    } catch (e) {
      savedList = [];
    }
    for (const q of savedList) savedByName.set(q.name, q);
    renderSaved();
  }
  const savedReady = loadSaved();

  // ---------------------------------------------------------------- history
  function remember() {
    const entry = {
      at: new Date().toISOString(),
      state: pageState().toString(),
      title: current ? current.summary || current.name : editor.value.replace(/\s+/g, " ").trim().slice(0, 90),
      rows: result.kind === "boolean" ? null : result.rows.length,
      kind: result.kind,
    };
    const list = stored.get(HISTORY_KEY, []).filter((e) => e.state !== entry.state);
    list.unshift(entry);
    stored.set(HISTORY_KEY, list.slice(0, HISTORY_SIZE));
    renderHistory();
  }

  function renderHistory() {
    const list = stored.get(HISTORY_KEY, []);
    const ol = $("history");
    ol.textContent = "";
    for (const entry of list) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button"; b.className = "linklike history-entry";
      b.textContent = entry.title || "(empty query)";
      const when = new Date(entry.at);
      b.title = `${when.toLocaleString()}${entry.rows === null ? "" : ` · ${entry.rows} ${entry.kind === "graph" ? "triples" : "rows"}`}`;
      b.addEventListener("click", () => {
        window.history.pushState(null, "", window.location.pathname + "#" + entry.state);
        applyState(new URLSearchParams(entry.state));
      });
      const meta = document.createElement("span");
      meta.className = "muted small";
      meta.textContent = ` ${when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` +
        (entry.rows === null ? "" : ` · ${entry.rows}`);
      li.append(b, meta);
      ol.appendChild(li);
    }
    $("history-empty").hidden = list.length > 0;
  }
  $("history-clear").addEventListener("click", () => { stored.set(HISTORY_KEY, []); renderHistory(); });

  // ---------------------------------------------------------------- the rest
  $("run").addEventListener("click", () => run());
  $("share").addEventListener("click", async () => {
    writeLocation(false);
    const link = window.location.href;
    try { await navigator.clipboard.writeText(link); setStatus("Link copied: it opens this query with its parameters."); }
    catch (e) { setStatus("The address bar holds the link to this query."); }
  });
  document.querySelectorAll("button.prefix").forEach((b) => b.addEventListener("click", () => {
    const line = `PREFIX ${b.dataset.prefix}: <${b.dataset.iri}>\n`;
    if (!editor.value.includes(line)) editor.value = line + editor.value;
    editor.focus();
  }));

  async function loadTerms() {
    try {
      const r = await fetch("api/vocabulary");
      if (r.ok) terms.push(...(await r.json()));
    } catch (e) { /* completion without the ontology's terms */ }
  }

  async function loadStats() {
    try {
      const r = await fetch("api/stats");
      if (!r.ok) return;
      const s = await r.json();
      $("stats").textContent = `${s.triples ?? s.quads} triples · ${s.batches} batches`;
    } catch (e) { /* optional */ }
  }

  window.claimgraphWorkbench = {
    editor,
    get query() { return editor.value; },
    set query(text) { setQuery(text); },
    run,
    get shown() { return shown; },
    get result() { return result; },
  };

  renderHistory();
  const termsReady = loadTerms();
  loadStats();
  (async () => {
    const started = await applyState(locationState());
    if (!started) setQuery(stored.get(DRAFT_KEY, null) || DEFAULT_QUERY);
    await termsReady;
    document.body.dataset.ready = "true";
  })();
})();
