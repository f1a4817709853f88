// claimgraph's SPARQL page: editor with highlighting, saved queries, sortable results,
// downloads and an SVG graph of CONSTRUCT results.  No dependencies, works offline.
"use strict";
(function () {
  const PREFIXES = (window.CLAIMGRAPH && window.CLAIMGRAPH.prefixes) || {};
  const $ = (id) => document.getElementById(id);
  const editor = $("query"), code = $("highlight");
  let last = null;            // {kind, vars, rows, triples, query}
  let savedRun = null;        // a saved query whose parameter form is showing

  // ---------------------------------------------------------------- highlighting
  const KEYWORDS = new Set(("select construct describe ask where from named prefix base distinct reduced " +
    "optional union minus graph service filter bind values as order by asc desc limit offset group having " +
    "not exists in a insert delete data with using load clear drop create add move copy to into default all " +
    "silent count sum min max avg sample group_concat separator str lang langmatches datatype bound iri uri " +
    "bnode rand abs ceil floor round concat strlen ucase lcase encode_for_uri contains strstarts strends " +
    "strbefore strafter year month day hours minutes seconds timezone tz now uuid struuid md5 sha1 sha256 " +
    "sha384 sha512 coalesce if strlang strdt sameterm isiri isuri isblank isliteral isnumeric regex substr " +
    "replace true false").split(" "));
  const TOKEN = /(#[^\n]*)|("""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z0-9_\u00C0-\uFFFF]+)|([A-Za-z][\w.-]*)?:([\w.%-]*[\w%-])?|(\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|([A-Za-z_]+)/g;
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  function highlight(text) {
    let out = "", pos = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      out += esc(text.slice(pos, m.index));
      let cls = null;
      if (m[1]) cls = "cmt"; else if (m[2]) cls = "str"; else if (m[3]) cls = "iri";
      else if (m[4]) cls = "var"; else if (m[0].includes(":")) cls = "pn";
      else if (m[7]) cls = "num"; else if (m[8] && KEYWORDS.has(m[8].toLowerCase())) cls = "kw";
      out += cls ? `<span class="tok-${cls}">${esc(m[0])}</span>` : esc(m[0]);
      pos = m.index + m[0].length;
    }
    return out + esc(text.slice(pos)) + "\n";
  }
  function refresh() {
    code.innerHTML = highlight(editor.value);
    syncScroll();
  }
  function syncScroll() { code.parentElement.scrollTop = editor.scrollTop; code.parentElement.scrollLeft = editor.scrollLeft; }
  editor.addEventListener("input", refresh);
  editor.addEventListener("scroll", syncScroll);
  editor.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); }
    else if (e.key === "Tab") {
      e.preventDefault();
      const s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
      refresh();
    }
  });
  document.querySelectorAll("button.prefix").forEach((b) => b.addEventListener("click", () => {
    const line = `PREFIX ${b.dataset.prefix}: <${b.dataset.iri}>\n`;
    if (!editor.value.includes(line)) editor.value = line + editor.value;
    refresh(); editor.focus();
  }));

  // ---------------------------------------------------------------- terms
  function compact(iri) {
    let best = null;
    for (const [p, ns] of Object.entries(PREFIXES)) {
      if (iri.startsWith(ns) && (!best || ns.length > PREFIXES[best].length)) best = p;
    }
    if (best) {
      const local = iri.slice(PREFIXES[best].length);
      if (/^[\w.-]*$/.test(local)) return best + ":" + local;
    }
    return iri;
  }
  function termText(t) {
    if (!t) return "";
    if (t.type === "uri") return compact(t.value);
    if (t.type === "bnode") return "_:" + t.value;
    return t.value;
  }
  function termCell(t) {
    const td = document.createElement("td");
    if (!t) return td;
    if (t.type === "uri") {
      const a = document.createElement("a");
      a.className = "iri"; a.href = "#"; a.textContent = compact(t.value); a.title = t.value;
      a.addEventListener("click", (e) => { e.preventDefault(); describe(t.value); });
      td.appendChild(a);
    } else if (t.type === "bnode") {
      td.textContent = "_:" + t.value; td.className = "muted";
    } else {
      td.append(document.createTextNode(t.value));
      const lang = t["xml:lang"], dt = t.datatype;
      if (lang || (dt && !dt.endsWith("#string"))) {
        const span = document.createElement("span");
        span.className = "lit-meta";
        span.textContent = lang ? " @" + lang : " ^^" + compact(dt);
        td.appendChild(span);
      }
    }
    return td;
  }
  function sortKey(t) {
    if (!t) return [3, ""];
    if (t.type === "literal" || t.type === "typed-literal") {
      const n = Number(t.value);
      if (t.datatype && /(integer|decimal|double|float|int|long)$/.test(t.datatype) && !isNaN(n)) return [0, n];
      return [1, t.value.toLowerCase()];
    }
    return [2, termText(t).toLowerCase()];
  }

  // ---------------------------------------------------------------- N-Triples (for graphs)
  const NT = /^\s*(<[^>]*>|_:\S+)\s+(<[^>]*>)\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*\.\s*$/;
  function unescapeLit(s) {
    return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\(.)/g, (m, u4, u8, c) => {
      if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
      return { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" }[c] || c;
    });
  }
  function ntTerm(s) {
    if (s.startsWith("<")) return { type: "uri", value: s.slice(1, -1) };
    if (s.startsWith("_:")) return { type: "bnode", value: s.slice(2) };
    const m = /^"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?$/.exec(s);
    const t = { type: "literal", value: unescapeLit(m[1]) };
    if (m[2]) t["xml:lang"] = m[2];
    if (m[3]) t.datatype = m[3];
    return t;
  }
  function parseNTriples(text) {
    const out = [];
    for (const line of text.split("\n")) {
      const m = NT.exec(line);
      if (m) out.push({ s: ntTerm(m[1]), p: ntTerm(m[2]), o: ntTerm(m[3]) });
    }
    return out;
  }

  // ---------------------------------------------------------------- running
  function queryKind(text) {
    const stripped = text.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ").replace(/"[^"]*"|'[^']*'/g, " ");
    const m = /\b(select|construct|describe|ask)\b/i.exec(stripped);
    return m ? m[1].toLowerCase() : "select";
  }
  function setStatus(text) { $("status").textContent = text; }
  function showError(status, text) {
    const box = $("error");
    box.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = status === 503 ? "Query stopped (503)" : `Error ${status}`;
    box.append(strong, document.createTextNode(text.trim()));
    box.hidden = false;
  }
  function clearOutput() {
    $("error").hidden = true; $("notice").hidden = true;
    $("results").innerHTML = ""; $("tabs").hidden = true;
    $("graph").innerHTML = ""; showTab("table");
    ["dl-csv", "dl-json", "dl-ttl"].forEach((id) => { $(id).disabled = true; });
  }
  async function errorText(resp) {
    const text = await resp.text();
    try { const j = JSON.parse(text); if (j.error) return j.error.detail || j.error.title; } catch (e) { /* plain text */ }
    return text;
  }

  async function run() {
    if (savedRun) return runSaved(savedRun);
    const query = editor.value;
    const kind = queryKind(query);
    const accept = (kind === "construct" || kind === "describe") ? "application/n-triples" : "application/sparql-results+json";
    clearOutput();
    setStatus("Running…");
    const started = performance.now();
    let resp;
    try {
      resp = await fetch("sparql", {
        method: "POST", body: new URLSearchParams({ query }),
        headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" },
      });
    } catch (e) {
      setStatus(""); showError(0, "The server could not be reached: " + e.message); return;
    }
    const ms = Math.round(performance.now() - started);
    if (!resp.ok) { setStatus(""); showError(resp.status, await errorText(resp)); return; }
    await showResponse(resp, kind, query, ms);
  }

  // hidden: columns not shown (a saved query's parameters, which it must project)
  async function showResponse(resp, kind, query, ms, hidden = []) {
    const truncated = resp.headers.get("Claimgraph-Truncated") === "true";
    const limit = resp.headers.get("Claimgraph-Row-Limit");
    const ctype = resp.headers.get("Content-Type") || "";
    if (ctype.startsWith("application/n-triples")) {
      const triples = parseNTriples(await resp.text());
      last = { kind: "graph", query, triples, vars: ["subject", "predicate", "object"],
        rows: triples.map((t) => ({ subject: t.s, predicate: t.p, object: t.o })) };
      renderTable(last.vars, last.rows);
      $("tabs").hidden = false;
      renderGraph(triples);
      showTab("graph");
      setStatus(`${triples.length} triple${triples.length === 1 ? "" : "s"} · ${ms} ms`);
      $("dl-ttl").disabled = false;
    } else {
      const data = await resp.json();
      if ("boolean" in data) {
        last = { kind: "boolean", query, vars: ["result"], rows: [{ result: { type: "literal", value: String(data.boolean) } }] };
        renderTable(last.vars, last.rows);
        setStatus(`ASK → ${data.boolean} · ${ms} ms`);
      } else {
        last = { kind: "table", query, vars: data.head.vars.filter((v) => !hidden.includes(v)),
          rows: data.results.bindings };
        renderTable(last.vars, last.rows);
        setStatus(`${last.rows.length} row${last.rows.length === 1 ? "" : "s"} · ${ms} ms`);
      }
      $("dl-csv").disabled = false; $("dl-json").disabled = false;
    }
    if (truncated) {
      const n = $("notice");
      n.textContent = `Only the first ${limit} rows are shown: the server cut the result at its row limit. Add LIMIT/OFFSET or narrow the query.`;
      n.hidden = false;
    }
  }

  function renderTable(vars, rows) {
    const table = $("results");
    table.innerHTML = "";
    const thead = table.createTHead().insertRow();
    let sortVar = null, asc = true;
    vars.forEach((v) => {
      const th = document.createElement("th");
      th.textContent = v;
      th.addEventListener("click", () => {
        asc = sortVar === v ? !asc : true; sortVar = v;
        rows.sort((a, b) => {
          const x = sortKey(a[v]), y = sortKey(b[v]);
          const c = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
          return asc ? c : -c;
        });
        thead.querySelectorAll("th").forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
        th.classList.add(asc ? "sorted-asc" : "sorted-desc");
        fill();
      });
      thead.appendChild(th);
    });
    const tbody = table.createTBody();
    function fill() {
      tbody.innerHTML = "";
      for (const row of rows) {
        const tr = tbody.insertRow();
        vars.forEach((v) => tr.appendChild(termCell(row[v])));
      }
    }
    fill();
  }

  // ---------------------------------------------------------------- downloads
  async function download(accept, ext) {
    if (!last) return;
    const resp = await fetch("sparql", {
      method: "POST", body: new URLSearchParams({ query: last.query }),
      headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" },
    });
    if (!resp.ok) { showError(resp.status, await errorText(resp)); return; }
    const blob = await resp.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = "results." + ext;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  $("dl-csv").addEventListener("click", () => download("text/csv", "csv"));
  $("dl-json").addEventListener("click", () => download("application/sparql-results+json", "json"));
  $("dl-ttl").addEventListener("click", () => download("text/turtle", "ttl"));
  $("run").addEventListener("click", () => run());

  function describe(iri) {
    hideSaved();
    editor.value = `DESCRIBE <${iri}>`;
    refresh(); run();
  }

  // ---------------------------------------------------------------- graph view
  function showTab(name) {
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.tab === name));
    $("table-view").hidden = name !== "table";
    $("graph-view").hidden = name !== "graph";
  }
  document.querySelectorAll(".tab").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));

  const SVGNS = "http://www.w3.org/2000/svg";
  const LABEL = new Set(["http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name", "http://xmlns.com/foaf/0.1/name"]);
  const TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  const PALETTE = ["#0f5ea8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d"];

  function renderGraph(triples) {
    const svg = $("graph");
    svg.innerHTML = "";
    const nodes = new Map(), edges = [], labels = new Map(), types = new Map();
    const key = (t) => (t.type === "uri" ? "u:" : t.type === "bnode" ? "b:" : "l:") + t.value;
    for (const t of triples) {
      if (LABEL.has(t.p.value) && t.o.type === "literal" && !labels.has(key(t.s))) labels.set(key(t.s), t.o.value);
      if (t.p.value === TYPE && !types.has(key(t.s))) types.set(key(t.s), compact(t.o.value));
    }
    let literalCount = 0;
    function node(t) {
      const k = t.type === "literal" ? "l:" + (literalCount++) : key(t);
      if (!nodes.has(k)) {
        nodes.set(k, { id: k, term: t, x: Math.random() * 800, y: Math.random() * 500, vx: 0, vy: 0,
          label: t.type === "literal" ? (t.value.length > 40 ? t.value.slice(0, 38) + "…" : t.value)
            : labels.get(k) || termText(t) });
      }
      return nodes.get(k);
    }
    const byPair = new Map();
    for (const t of triples) {
      if (LABEL.has(t.p.value) || t.p.value === TYPE) { node(t.s); continue; }
      const source = node(t.s), target = node(t.o), pair = source.id + "\u0000" + target.id;
      if (byPair.has(pair)) { byPair.get(pair).label += ", " + compact(t.p.value); continue; }
      const edge = { source, target, label: compact(t.p.value) };
      byPair.set(pair, edge);
      edges.push(edge);
    }
    const list = [...nodes.values()];
    if (list.length > 400) {
      const n = $("notice");
      n.textContent = `The graph has ${list.length} nodes; the picture shows them all but may be crowded. Narrow the CONSTRUCT for a clearer view.`;
      n.hidden = false;
    }
    layout(list, edges);
    const xs = list.map((n) => n.x), ys = list.map((n) => n.y);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    const pad = 90, w = maxX - minX + 2 * pad, h = maxY - minY + 2 * pad;
    svg.setAttribute("viewBox", `${minX - pad} ${minY - pad} ${w} ${h}`);
    // drawn at full size (text stays readable); the view scrolls when the picture is larger
    svg.style.width = `${Math.max(w, $("graph-view").clientWidth - 2)}px`;
    svg.style.height = `${Math.max(h, 320)}px`;
    const defs = document.createElementNS(SVGNS, "defs");
    defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="18" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#9aa5b1"/></marker>';
    svg.appendChild(defs);
    const typeColor = new Map();
    for (const e of edges) {
      const line = document.createElementNS(SVGNS, "line");
      line.setAttribute("class", "edge");
      line.setAttribute("x1", e.source.x); line.setAttribute("y1", e.source.y);
      line.setAttribute("x2", e.target.x); line.setAttribute("y2", e.target.y);
      line.setAttribute("marker-end", "url(#arrow)");
      svg.appendChild(line);
      const text = document.createElementNS(SVGNS, "text");
      text.setAttribute("class", "edge-label");
      text.setAttribute("x", (e.source.x + e.target.x) / 2); text.setAttribute("y", (e.source.y + e.target.y) / 2);
      text.setAttribute("text-anchor", "middle");
      text.textContent = e.label;
      svg.appendChild(text);
    }
    for (const n of list) {
      const g = document.createElementNS(SVGNS, "g");
      g.setAttribute("transform", `translate(${n.x},${n.y})`);
      const title = document.createElementNS(SVGNS, "title");
      title.textContent = n.term.type === "uri" ? n.term.value + (types.get(n.id) ? `  (${types.get(n.id)})` : "") : n.term.value;
      g.appendChild(title);
      if (n.term.type === "literal") {
        g.setAttribute("class", "node literal");
        const rect = document.createElementNS(SVGNS, "rect");
        const w = Math.min(240, 6 * n.label.length + 10);
        rect.setAttribute("x", -w / 2); rect.setAttribute("y", -9); rect.setAttribute("width", w); rect.setAttribute("height", 18); rect.setAttribute("rx", 3);
        g.appendChild(rect);
        const text = document.createElementNS(SVGNS, "text");
        text.setAttribute("text-anchor", "middle"); text.setAttribute("y", 4);
        text.textContent = n.label;
        g.appendChild(text);
      } else {
        g.setAttribute("class", "node");
        const type = types.get(n.id) || "";
        if (!typeColor.has(type)) typeColor.set(type, PALETTE[typeColor.size % PALETTE.length]);
        const c = document.createElementNS(SVGNS, "circle");
        c.setAttribute("r", 8); c.setAttribute("fill", n.term.type === "bnode" ? "#9aa5b1" : typeColor.get(type));
        g.appendChild(c);
        const text = document.createElementNS(SVGNS, "text");
        text.setAttribute("x", 11); text.setAttribute("y", 4);
        text.textContent = n.label;
        g.appendChild(text);
        if (n.term.type === "uri") {
          g.style.cursor = "pointer";
          g.addEventListener("click", () => describe(n.term.value));
        }
      }
      svg.appendChild(g);
    }
  }

  // A small force-directed layout: repulsion between all nodes, springs along edges,
  // a pull to the centre; a fixed number of cooling steps.
  // Each connected part is laid out on its own (springs and repulsion), then the parts are
  // packed in rows, largest first, so that small parts do not drift far from the big one.
  function layout(nodes, edges) {
    if (!nodes.length) return;
    const part = new Map(nodes.map((p) => [p, p]));
    const find = (p) => { while (part.get(p) !== p) { part.set(p, part.get(part.get(p))); p = part.get(p); } return p; };
    for (const e of edges) part.set(find(e.source), find(e.target));
    const parts = new Map();
    for (const p of nodes) { const r = find(p); if (!parts.has(r)) parts.set(r, []); parts.get(r).push(p); }
    const boxes = [...parts.values()].map((members) => {
      const inside = new Set(members);
      layoutPart(members, edges.filter((e) => inside.has(e.source)));
      const xs = members.map((p) => p.x), ys = members.map((p) => p.y);
      return { members, x0: Math.min(...xs) - 110, y0: Math.min(...ys) - 30,
        w: Math.max(...xs) - Math.min(...xs) + 220, h: Math.max(...ys) - Math.min(...ys) + 60 };
    }).sort((a, b) => b.h * b.w - a.h * a.w);
    const rowWidth = Math.max(900, boxes[0].w, Math.sqrt(boxes.reduce((t, b) => t + b.w * b.h, 0)) * 1.4);
    let x = 0, y = 0, rowHeight = 0;
    for (const b of boxes) {
      if (x > 0 && x + b.w > rowWidth) { x = 0; y += rowHeight; rowHeight = 0; }
      for (const p of b.members) { p.x += x - b.x0; p.y += y - b.y0; }
      x += b.w; rowHeight = Math.max(rowHeight, b.h);
    }
  }

  function layoutPart(nodes, edges) {
    const n = nodes.length;
    // ideal edge length: room for a compact IRI as label at either end
    const k = 130;
    nodes.forEach((p, i) => { const a = (2 * Math.PI * i) / n; p.x = 60 * Math.sqrt(n) * Math.cos(a); p.y = 60 * Math.sqrt(n) * Math.sin(a); });
    const steps = n > 300 ? 120 : 300;
    for (let step = 0; step < steps; step++) {
      const temp = 40 * (1 - step / steps) + 1;
      for (const p of nodes) { p.vx = 0; p.vy = 0; }
      for (let i = 0; i < n; i++) {
        const a = nodes[i];
        for (let j = i + 1; j < n; j++) {
          const b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
          const f = (k * k) / d2;
          a.vx += dx * f / 10; a.vy += dy * f / 10; b.vx -= dx * f / 10; b.vy -= dy * f / 10;
        }
      }
      for (const e of edges) {
        const dx = e.target.x - e.source.x, dy = e.target.y - e.source.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 1;
        const f = (d - k) / d * 0.5;
        e.source.vx += dx * f; e.source.vy += dy * f; e.target.vx -= dx * f; e.target.vy -= dy * f;
      }
      for (const p of nodes) {
        p.vx -= p.x * 0.02; p.vy -= p.y * 0.02;
        const v = Math.sqrt(p.vx * p.vx + p.vy * p.vy) || 1;
        const m = Math.min(v, temp);
        p.x += (p.vx / v) * m; p.y += (p.vy / v) * m;
      }
    }
  }

  // ---------------------------------------------------------------- saved queries
  function hideSaved() {
    savedRun = null;
    $("saved-info").hidden = true;
    document.querySelectorAll("#saved button").forEach((b) => b.classList.remove("active"));
  }
  editor.addEventListener("input", () => { if (savedRun) hideSaved(); });

  function showSaved(q, button) {
    document.querySelectorAll("#saved button").forEach((b) => b.classList.remove("active"));
    button.classList.add("active");
    $("saved-title").textContent = q.title || q.summary || q.name;
    $("saved-description").textContent = q.description || "";
    const form = $("param-form");
    form.innerHTML = "";
    for (const p of q.parameters || []) {
      const label = document.createElement("label");
      label.textContent = `${p.name}${p.required ? " *" : ""} (${p.type || "value"})`;
      const input = document.createElement("input");
      input.name = p.name; input.value = p.default || ""; input.placeholder = p.type === "iri" ? "cgi:…" : "";
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); run(); } });
      label.appendChild(input);
      form.appendChild(label);
    }
    $("saved-info").hidden = false;
    editor.value = q.query || q.text || q.sparql || `# ${q.name}`;
    refresh();
    savedRun = q;
  }

  async function runSaved(q) {
    const params = new URLSearchParams();
    for (const input of $("param-form").querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
    clearOutput();
    setStatus("Running…");
    const started = performance.now();
    let resp;
    try {
      resp = await fetch(`api/queries/${encodeURIComponent(q.name)}?${params}`, {
        headers: { "Accept": "application/sparql-results+json, application/n-triples;q=0.9" },
      });
    } catch (e) { setStatus(""); showError(0, e.message); return; }
    const ms = Math.round(performance.now() - started);
    if (!resp.ok) { setStatus(""); showError(resp.status, await errorText(resp)); return; }
    await showResponse(resp, "select", editor.value, ms, (q.parameters || []).map((p) => p.variable));
  }

  async function loadSaved() {
    const empty = $("saved-empty");
    let list;
    try {
      const resp = await fetch("api/queries", { headers: { "Accept": "application/json" } });
      if (!resp.ok) throw new Error(String(resp.status));
      const data = await resp.json();
      list = Array.isArray(data) ? data : (data.queries || []);
    } catch (e) {
      empty.textContent = "No saved queries on this server.";
      return;
    }
    empty.hidden = list.length > 0;
    if (!list.length) empty.textContent = "No saved queries yet.";
    const ul = $("saved");
    for (const q of list) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      const t = document.createElement("span"); t.className = "title"; t.textContent = q.title || q.summary || q.name;
      const d = document.createElement("span"); d.className = "desc"; d.textContent = q.description || "";
      b.append(t, d);
      b.addEventListener("click", async () => {
        let full = q;
        if (!(q.query || q.text || q.sparql)) {
          try {
            const r = await fetch(`api/queries/${encodeURIComponent(q.name)}/definition`);
            if (r.ok) full = Object.assign({}, q, await r.json());
          } catch (e) { /* keep the summary */ }
        }
        showSaved(full, b);
      });
      li.appendChild(b);
      ul.appendChild(li);
    }
  }

  async function loadStats() {
    try {
      const r = await fetch("api/stats");
      if (!r.ok) return;
      const s = await r.json();
      $("stats").textContent = `${s.triples ?? s.quads} triples · ${s.batches} batches`;
    } catch (e) { /* optional */ }
  }

  refresh();
  loadSaved();
  loadStats();
})();
