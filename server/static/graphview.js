// claimgraph's interactive graph view (/graph): loads a view as Cytoscape.js elements JSON
// from /api/export/VIEW.cyjs and draws it with the shared canvas (graphdraw.js: layers for a
// provenance DAG, a force layout otherwise; drag to pan, scroll or +/- to zoom, labels kept
// readable); click a node for its facts and claims (/api/export/node?iri=...).  The legend
// says what every colour, border and line means.  No dependencies: works offline.
(function () {
  "use strict";
  const MAX_NODES = 1500;
  const KINDS = {
    actor: ["#cfe2f3", "actor: a person, state, delegation, government body, news outlet or source"],
    event: ["#fce5cd", "event: a negotiation, round, meeting, summit or agreement"],
    claim: ["#fff2cc", "claim: what someone said, proposed or reported"],
    report: ["#eeeeee", "report: one hop of a reporting chain (utterance, wire story, article mention)"],
    article: ["#d9ead3", "article or one of its revisions"],
    place: ["#ead1dc", "place"],
    topic: ["#d0e0e3", "topic"],
    participation: ["#f4f4f4", "participation: an actor's role in an event"],
    evidence: ["#ffffff", "evidence: the span of article text that shows a claim"],
    other: ["#ffffff", "anything else"],
  };
  const SHAPES = { actor: "rounded", event: "pill" };
  const EDGES = {
    mediator: ["#cc0000", 2, "red line: mediated (mediator in) or contradicts"],
    contradicts: ["#cc0000", 2, "red line: mediated (mediator in) or contradicts"],
    host: ["#38761d", 1.8, "green line: hosted or supports"],
    supports: ["#38761d", 1.8, "green line: hosted or supports"],
    party: ["#1c4587", 1.2, "blue line: party to"],
  };
  const $ = (id) => document.getElementById(id);
  const state = { selected: null };
  const canvas = new window.claimgraphDraw.Canvas($("gv-svg"), {
    onSelect: (n) => select(n),
    onBackground: () => { if (state.selected) { canvas.clearHighlight(); state.selected = null; } },
  });

  function status(text) { $("gv-status").textContent = text; }

  function showError(text) {
    const box = $("gv-error");
    box.textContent = text;
    box.hidden = !text;
  }

  const getJSON = window.claimgraphCommon.getJSON;

  function exportUrl(view, format, extra) {
    const params = new URLSearchParams(extra || {});
    if (view === "provenance") params.set("claim", $("gv-claim").value);
    const q = params.toString();
    return `/api/export/${view}.${format}${q ? "?" + q : ""}`;
  }

  function localName(e) {
    const p = e.predicate || "";
    return p.slice(Math.max(p.lastIndexOf("#"), p.lastIndexOf("/")) + 1);
  }

  // What the articles say is drawn plain; what was added beside them says so: cited
  // background dashed, judgements dotted (the same marks as in the facts panel).
  function added(e) { return e.standing === "cited" || e.standing === "judged" ? e.standing : ""; }

  function edgeClass(e) {
    const local = localName(e);
    return [EDGES[local] ? `rel-${local}` : "", added(e)].filter(Boolean).join(" ");
  }

  function edgeTitle(e, labelOf) {
    const text = `${labelOf.get(e.source) || e.source} — ${e.label || ""} → ${labelOf.get(e.target) || e.target}`;
    return added(e) ? `${text} (${e.standing})` : text;
  }

  function drawLegend() {
    const entries = [];
    const kinds = [...new Set(canvas.nodes.map((n) => n.kind))].sort();
    for (const k of kinds) {
      const [fill, text] = KINDS[k] || KINDS.other;
      entries.push({ swatch: { fill, round: SHAPES[k] !== undefined }, text });
    }
    if (canvas.nodes.some((n) => n.type === "cg:AnonymousSource")) {
      entries.push({ swatch: { fill: KINDS.actor[0], dash: true }, text: "dashed border: an anonymous source" });
    }
    entries.push({ swatch: { fill: "#fff", border: "#0f5ea8", borderWidth: 3 }, text: "thick blue border: the node you clicked (the rest dims)" });
    const seen = new Set();
    for (const e of canvas.edges) {
      const local = localName(e);
      if (EDGES[local] && !seen.has(EDGES[local][2])) {
        seen.add(EDGES[local][2]);
        entries.push({ swatch: { line: EDGES[local][0], width: EDGES[local][1] }, text: EDGES[local][2] });
      }
    }
    if (canvas.edges.some((e) => !EDGES[localName(e)])) {
      entries.push({ swatch: { line: "#8a94a0", width: 1.2 }, text: "grey line: any other relation, named on the line; arrows point from subject to object" });
    }
    if (canvas.edges.some((e) => e.standing === "cited")) {
      entries.push({ swatch: { line: "#8a94a0", width: 2, dash: "dashed" }, text: "dashed line: cited background, added beside the articles with its citation" });
    }
    if (canvas.edges.some((e) => e.standing === "judged")) {
      entries.push({ swatch: { line: "#8a94a0", width: 2, dash: "dotted" }, text: "dotted line: judged, a named agent's judgement, not the articles'" });
    }
    window.claimgraphDraw.legend($("gv-legend"), entries);
  }

// ------------------------------------------------------------------------- details panel
  function li(parent, html) { const x = document.createElement("li"); x.innerHTML = html; parent.appendChild(x); return x; }
  function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c])); }
  function standing(f) {
    return added(f) ? ` <span class="gv-standing ${f.standing}">${f.standing}</span>` : "";
  }

  function value(f) {
    if (f.value !== undefined) return esc(f.value.length > 300 ? f.value.slice(0, 300) + "…" : f.value)
      + (f.language ? ` <span class="muted">@${esc(f.language)}</span>` : "");
    return `<a href="#" data-node="${esc(f.id)}">${esc(f.label)}</a>`;
  }

  async function select(node) {
    state.selected = node;
    canvas.highlight(node);
    $("gv-hint").hidden = true;
    $("gv-details").hidden = false;
    $("gv-title").textContent = node.label;
    $("gv-type").textContent = node.type;
    $("gv-iri").textContent = node.iri;
    const claims = $("gv-claims"), facts = $("gv-facts"), incoming = $("gv-incoming");
    claims.textContent = ""; facts.textContent = ""; incoming.textContent = "";
    showError("");
    const attrRows = Object.entries(node.data).filter(([k]) =>
      !["id", "name", "value", "label", "iri", "type", "kind"].includes(k));
    if (node.iri.startsWith("_:")) {
      for (const [k, v] of attrRows) facts.insertRow().innerHTML = `<td>${esc(k)}</td><td>${esc(v)}</td>`;
      li(claims, '<span class="muted">none</span>');
      return;
    }
    try {
      const info = await getJSON(`/api/export/node?iri=${encodeURIComponent(node.iri)}`);
      if (state.selected !== node) return;
      for (const c of info.claims) {
        li(claims, `<a href="#" data-node="${esc(c.id)}">${esc(c.label)}</a> <span class="gv-claim-how">(${esc(c.how.join(", "))})</span>`
          + (c.text ? `<br><q>${esc(c.text)}</q>` : ""));
      }
      if (!info.claims.length) li(claims, '<span class="muted">none</span>');
      for (const r of info.roles) {
        facts.insertRow().innerHTML = `<td>${esc(r.role_label)}</td><td>${value(r)}${standing(r)}</td>`;
      }
      for (const f of info.facts) facts.insertRow().innerHTML = `<td>${esc(f.predicate_label)}</td><td>${value(f)}${standing(f)}</td>`;
      for (const f of info.incoming) li(incoming, `${value(f)} <span class="muted">${esc(f.predicate_label)}</span>${standing(f)}`);
      if (!info.incoming.length) li(incoming, '<span class="muted">nothing</span>');
    } catch (err) {
      showError(`Could not load the facts of ${node.label}: ${err.message}`);
    }
  }

  $("gv-panel").addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-node]");
    if (!a) return;
    ev.preventDefault();
    const n = canvas.byId.get(a.dataset.node);
    if (n) { select(n); canvas.centreOn(n); }
    else if ($("gv-view").value !== "provenance" && /claim/.test(a.dataset.node) && claimOption(a.dataset.node)) {
      $("gv-view").value = "provenance"; $("gv-claim").value = a.dataset.node; load();
    }
  });

  function claimOption(id) { return [...$("gv-claim").options].some((o) => o.value === id); }

  $("gv-zoom-in").addEventListener("click", () => canvas.zoom(1.25));
  $("gv-zoom-out").addEventListener("click", () => canvas.zoom(1 / 1.25));
  $("gv-fit").addEventListener("click", () => canvas.fit());

  // ------------------------------------------------------------------------- loading
  async function loadClaims() {
    const data = await getJSON("/api/export/claims.cyjs");
    const claims = data.elements.nodes.map((n) => n.data).filter((d) => d.kind === "claim")
      .sort((a, b) => a.label.localeCompare(b.label));
    const sel = $("gv-claim");
    sel.textContent = "";
    for (const c of claims) {
      const o = document.createElement("option");
      o.value = c.id; o.textContent = c.label;
      sel.appendChild(o);
    }
  }

  async function load() {
    const view = $("gv-view").value;
    $("gv-claim-label").hidden = view !== "provenance";
    showError("");
    status("Loading…");
    try {
      if (view === "provenance" && !$("gv-claim").options.length) await loadClaims();
      const data = await getJSON(exportUrl(view, "cyjs"));
      const nodes = data.elements.nodes.map((n) => n.data);
      const edges = data.elements.edges.map((e) => e.data);
      if (nodes.length > MAX_NODES) {
        canvas.show([], []);
        status("");
        showError(`The ${view} view has ${nodes.length} nodes, too many to draw here: download it ` +
                  "as GEXF for Gephi, or pick a smaller view.");
        return;
      }
      const labelOf = new Map(nodes.map((d) => [d.id, d.label || d.id]));
      canvas.show(nodes.map((d) => ({
        id: d.id, label: d.label || d.id, type: d.type || "", kind: d.kind || "other",
        iri: d.iri || d.id, data: d, fill: (KINDS[d.kind] || KINDS.other)[0],
        shape: SHAPES[d.kind] || "box",
        className: `kind-${d.kind || "other"}${d.type === "cg:AnonymousSource" ? " anonymous" : ""}`,
        title: `${d.label || d.id}\n${d.type || ""}\n${d.iri || d.id}`,
      })), edges.map((e) => Object.assign({}, e, { className: edgeClass(e), title: edgeTitle(e, labelOf) })), { preferLayers: view === "provenance" });
      drawLegend();
      state.selected = null;
      status(`${canvas.nodes.length} nodes · ${canvas.edges.length} edges`);
      $("gv-svg").dataset.view = view;
      $("gv-svg").dataset.ready = "true";
    } catch (err) {
      status("");
      showError(`Could not load the ${view} view: ${err.message}`);
    }
  }

  document.querySelectorAll(".gv-download").forEach((a) => {
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      window.location.href = exportUrl($("gv-view").value, a.dataset.format, { download: "1" });
    });
  });
  $("gv-view").addEventListener("change", () => { $("gv-svg").dataset.ready = "false"; load(); });
  $("gv-claim").addEventListener("change", () => { $("gv-svg").dataset.ready = "false"; load(); });

  const initial = new URLSearchParams(window.location.search);
  if (initial.get("view")) $("gv-view").value = initial.get("view");
  load().then(async () => {
    if (initial.get("claim")) {
      if (!$("gv-claim").options.length) await loadClaims();
      $("gv-claim").value = initial.get("claim");
      if ($("gv-view").value === "provenance") load();
    }
  });
})();
