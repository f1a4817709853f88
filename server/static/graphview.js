// claimgraph's interactive graph view (/graph): loads a view as Cytoscape.js elements JSON
// from /api/export/VIEW.cyjs, lays it out (layers for a provenance DAG, a force simulation
// otherwise), draws it as SVG; drag to pan, scroll or +/- to zoom, click a node for its facts
// and claims (/api/export/node?iri=...).  No dependencies: works offline.
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const MAX_NODES = 1500;
  const COLOURS = {
    actor: "#cfe2f3", event: "#fce5cd", claim: "#fff2cc", report: "#eeeeee",
    article: "#d9ead3", place: "#ead1dc", topic: "#d0e0e3", participation: "#f4f4f4",
    evidence: "#ffffff", other: "#ffffff",
  };
  const $ = (id) => document.getElementById(id);
  const state = { nodes: [], edges: [], byId: new Map(), scale: 1, tx: 0, ty: 0, selected: null };

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVGNS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

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

  // ------------------------------------------------------------------------- text and boxes
  function wrap(text, width) {
    const words = String(text).split(/\s+/);
    const lines = [];
    let line = "";
    for (const w of words) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; }
      else line = line ? line + " " + w : w;
    }
    if (line) lines.push(line);
    if (lines.length > 3) { lines.length = 3; lines[2] = lines[2].replace(/.{0,2}$/, "…"); }
    return lines;
  }

  // ------------------------------------------------------------------------- layouts
  function layered(nodes, edges) {
    // Longest-path layers of a DAG, drawn right to left (sources left).  Null if cyclic.
    const indeg = new Map(nodes.map((n) => [n.id, 0]));
    const out = new Map(nodes.map((n) => [n.id, []]));
    for (const e of edges) { indeg.set(e.target, indeg.get(e.target) + 1); out.get(e.source).push(e.target); }
    const rank = new Map(nodes.map((n) => [n.id, 0]));
    const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
    let seen = 0;
    while (queue.length) {
      const id = queue.shift();
      seen++;
      for (const t of out.get(id)) {
        rank.set(t, Math.max(rank.get(t), rank.get(id) + 1));
        indeg.set(t, indeg.get(t) - 1);
        if (indeg.get(t) === 0) queue.push(t);
      }
    }
    if (seen !== nodes.length) return null;
    const layers = new Map();
    for (const n of nodes) {
      const r = rank.get(n.id);
      if (!layers.has(r)) layers.set(r, []);
      layers.get(r).push(n);
    }
    for (const [r, list] of layers) {
      list.forEach((n, i) => { n.x = r * 230; n.y = (i - (list.length - 1) / 2) * 90; });
    }
    return true;
  }

  function force(nodes, edges) {
    // Fruchterman-Reingold from a deterministic start (a spiral), cooling over a fixed number
    // of steps; repulsion only acts within a few ideal lengths and a pull to the centre keeps
    // unconnected nodes near the rest.  Then overlapping boxes are pushed apart.
    const n = nodes.length;
    const k = 170, cutoff2 = (4 * k) * (4 * k);
    nodes.forEach((node, i) => {
      const a = i * 2.399963;  // golden angle
      const r = 60 * Math.sqrt(i + 1);
      node.x = r * Math.cos(a); node.y = r * Math.sin(a);
    });
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const links = edges.map((e) => [index.get(e.source), index.get(e.target)]);
    const steps = n > 600 ? 120 : 300;
    let temp = k * 2;
    const dx = new Float64Array(n), dy = new Float64Array(n);
    for (let step = 0; step < steps; step++) {
      dx.fill(0); dy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let x = nodes[i].x - nodes[j].x, y = nodes[i].y - nodes[j].y;
          let d2 = x * x + y * y;
          if (d2 > cutoff2) continue;
          if (d2 < 0.01) { x = 0.1 * (i - j); y = 0.1; d2 = x * x + y * y; }
          const f = (k * k) / d2;
          dx[i] += x * f; dy[i] += y * f; dx[j] -= x * f; dy[j] -= y * f;
        }
      }
      for (const [a, b] of links) {
        if (a === b) continue;
        const x = nodes[a].x - nodes[b].x, y = nodes[a].y - nodes[b].y;
        const d = Math.sqrt(x * x + y * y) || 0.01;
        const f = d / k;
        dx[a] -= x * f; dy[a] -= y * f; dx[b] += x * f; dy[b] += y * f;
      }
      for (let i = 0; i < n; i++) {
        dx[i] -= nodes[i].x * 0.06; dy[i] -= nodes[i].y * 0.06;
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const m = Math.min(d, temp);
        nodes[i].x += (dx[i] / d) * m; nodes[i].y += (dy[i] / d) * m;
      }
      temp = Math.max(1, temp * 0.975);
    }
    separate(nodes);
  }

  function shelve(loose, all) {
    // nodes without edges go in rows under the drawing instead of drifting away
    if (!loose.length) return;
    const placed = all.filter((n) => !loose.includes(n));
    let x0 = 0, x1 = 600, y = 0;
    if (placed.length) {
      x0 = Math.min(...placed.map((n) => n.x - n.w / 2));
      x1 = Math.max(...placed.map((n) => n.x + n.w / 2));
      y = Math.max(...placed.map((n) => n.y + n.h / 2)) + 60;
    }
    let x = x0;
    for (const n of loose) {
      if (x + n.w > Math.max(x1, x0 + 600) && x > x0) { x = x0; y += 60; }
      n.x = x + n.w / 2; n.y = y;
      x += n.w + 20;
    }
  }

  function separate(nodes) {
    // push overlapping boxes apart along the axis of least overlap
    const gap = 14;
    for (let round = 0; round < 60; round++) {
      let moved = false;
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i], b = nodes[j];
          const ox = (a.w + b.w) / 2 + gap - Math.abs(a.x - b.x);
          const oy = (a.h + b.h) / 2 + gap - Math.abs(a.y - b.y);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) { const s = (a.x < b.x ? -1 : 1) * ox / 2; a.x += s; b.x -= s; }
          else { const s = (a.y < b.y ? -1 : 1) * oy / 2; a.y += s; b.y -= s; }
        }
      }
      if (!moved) break;
    }
  }

  // ------------------------------------------------------------------------- drawing
  function applyTransform() {
    $("gv-viewport").setAttribute("transform",
      `translate(${state.tx},${state.ty}) scale(${state.scale})`);
    $("gv-svg").dataset.scale = state.scale.toFixed(3);
  }

  function fit() {
    if (!state.nodes.length) return;
    const svg = $("gv-svg").getBoundingClientRect();
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const n of state.nodes) {
      x0 = Math.min(x0, n.x - n.w / 2); x1 = Math.max(x1, n.x + n.w / 2);
      y0 = Math.min(y0, n.y - n.h / 2); y1 = Math.max(y1, n.y + n.h / 2);
    }
    const pad = 30;
    state.scale = Math.min(2, Math.min((svg.width - pad) / (x1 - x0 || 1), (svg.height - pad) / (y1 - y0 || 1)));
    state.tx = svg.width / 2 - ((x0 + x1) / 2) * state.scale;
    state.ty = svg.height / 2 - ((y0 + y1) / 2) * state.scale;
    applyTransform();
  }

  function clip(from, to) {
    // where the segment from the centre of `from` to `to` leaves the box of `to`
    const dx = from.x - to.x, dy = from.y - to.y;
    if (!dx && !dy) return { x: to.x, y: to.y };
    const sx = dx ? (to.w / 2 + 3) / Math.abs(dx) : Infinity;
    const sy = dy ? (to.h / 2 + 3) / Math.abs(dy) : Infinity;
    const s = Math.min(sx, sy, 1);
    return { x: to.x + dx * s, y: to.y + dy * s };
  }

  function edgeClass(e) {
    const p = e.predicate || "";
    const local = p.slice(Math.max(p.lastIndexOf("#"), p.lastIndexOf("/")) + 1);
    return ["mediator", "host", "party", "supports", "contradicts"].includes(local) ? local : "";
  }

  function draw() {
    const edgesG = $("gv-edges"), nodesG = $("gv-nodes");
    edgesG.textContent = ""; nodesG.textContent = "";
    const labels = state.edges.length <= 250;
    for (const e of state.edges) {
      const s = state.byId.get(e.source), t = state.byId.get(e.target);
      const added = e.standing === "cited" || e.standing === "judged" ? ` ${e.standing}` : "";
      const g = el("g", { class: `gv-edge ${edgeClass(e)}${added}`, "data-source": e.source,
                          "data-target": e.target, "data-label": e.label || "",
                          "data-standing": e.standing || "" }, edgesG);
      const end = clip(s, t), start = clip(t, s);
      el("line", { x1: start.x, y1: start.y, x2: end.x, y2: end.y, "marker-end": "url(#gv-arrow)" }, g);
      const title = el("title", {}, g);
      title.textContent = `${s.label} — ${e.label} → ${t.label}${added ? ` (${e.standing})` : ""}`;
      if (labels && e.label) {
        const tx = el("text", { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 - 3, "text-anchor": "middle" }, g);
        tx.textContent = e.label;
      }
      e.el = g;
    }
    for (const n of state.nodes) {
      const g = el("g", { class: `gv-node kind-${n.kind}${n.type === "cg:AnonymousSource" ? " anonymous" : ""}`,
                          "data-id": n.id, transform: `translate(${n.x},${n.y})` }, nodesG);
      el("rect", { x: -n.w / 2, y: -n.h / 2, width: n.w, height: n.h,
                   rx: n.kind === "actor" ? 8 : n.kind === "event" ? n.h / 2 : 2,
                   fill: COLOURS[n.kind] || COLOURS.other }, g);
      n.lines.forEach((line, i) => {
        const t = el("text", { x: 0, y: (i - (n.lines.length - 1) / 2) * 13 + 4, "text-anchor": "middle" }, g);
        t.textContent = line;
      });
      const title = el("title", {}, g);
      title.textContent = `${n.label}\n${n.type}\n${n.iri}`;
      g.addEventListener("click", (ev) => { ev.stopPropagation(); select(n); });
      n.el = g;
    }
    const kinds = [...new Set(state.nodes.map((n) => n.kind))].sort();
    const standings = ["cited", "judged"].filter((s) => state.edges.some((e) => e.standing === s));
    $("gv-legend").innerHTML = kinds.map((k) =>
      `<span><i style="background:${COLOURS[k] || COLOURS.other}"></i>${k}</span>`).join("")
      + standings.map((s) => `<span><b class="gv-line ${s}"></b>${s === "cited" ? "cited background" : "judged"}</span>`).join("");
  }

  function highlight(node) {
    const near = new Set([node.id]);
    for (const e of state.edges) {
      if (e.source === node.id) near.add(e.target);
      if (e.target === node.id) near.add(e.source);
    }
    for (const n of state.nodes) {
      n.el.classList.toggle("dim", !near.has(n.id));
      n.el.classList.toggle("selected", n.id === node.id);
    }
    for (const e of state.edges) {
      e.el.classList.toggle("dim", e.source !== node.id && e.target !== node.id);
    }
  }

  function clearHighlight() {
    for (const n of state.nodes) n.el.classList.remove("dim", "selected");
    for (const e of state.edges) e.el.classList.remove("dim");
    state.selected = null;
  }

  // ------------------------------------------------------------------------- details panel
  function li(parent, html) { const x = document.createElement("li"); x.innerHTML = html; parent.appendChild(x); return x; }
  function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c])); }
  function standing(f) {
    // what the articles say is shown plain; what was added beside them says so
    return f.standing === "cited" || f.standing === "judged"
      ? ` <span class="gv-standing ${f.standing}">${f.standing}</span>` : "";
  }

  function value(f) {
    if (f.value !== undefined) return esc(f.value.length > 300 ? f.value.slice(0, 300) + "…" : f.value)
      + (f.language ? ` <span class="muted">@${esc(f.language)}</span>` : "");
    return `<a href="#" data-node="${esc(f.id)}">${esc(f.label)}</a>`;
  }

  async function select(node) {
    state.selected = node;
    highlight(node);
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
    const n = state.byId.get(a.dataset.node);
    if (n) { select(n); centreOn(n); }
    else if ($("gv-view").value !== "provenance" && /claim/.test(a.dataset.node) && claimOption(a.dataset.node)) {
      $("gv-view").value = "provenance"; $("gv-claim").value = a.dataset.node; load();
    }
  });

  function claimOption(id) { return [...$("gv-claim").options].some((o) => o.value === id); }

  function centreOn(n) {
    const svg = $("gv-svg").getBoundingClientRect();
    state.tx = svg.width / 2 - n.x * state.scale;
    state.ty = svg.height / 2 - n.y * state.scale;
    applyTransform();
  }

  // ------------------------------------------------------------------------- pan and zoom
  function zoomAt(factor, cx, cy) {
    const s = Math.min(8, Math.max(0.05, state.scale * factor));
    const f = s / state.scale;
    state.tx = cx - (cx - state.tx) * f;
    state.ty = cy - (cy - state.ty) * f;
    state.scale = s;
    applyTransform();
  }

  function centre() { const r = $("gv-svg").getBoundingClientRect(); return [r.width / 2, r.height / 2]; }

  const svg = $("gv-svg");
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest(".gv-node")) return;
    drag = { x: ev.clientX, y: ev.clientY, tx: state.tx, ty: state.ty, moved: false };
    svg.classList.add("panning");
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    state.tx = drag.tx + ev.clientX - drag.x;
    state.ty = drag.ty + ev.clientY - drag.y;
    drag.moved = drag.moved || Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3;
    applyTransform();
  });
  window.addEventListener("pointerup", () => {
    if (drag && !drag.moved && state.selected) clearHighlight();
    drag = null;
    svg.classList.remove("panning");
  });
  $("gv-zoom-in").addEventListener("click", () => zoomAt(1.25, ...centre()));
  $("gv-zoom-out").addEventListener("click", () => zoomAt(1 / 1.25, ...centre()));
  $("gv-fit").addEventListener("click", fit);

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
        state.nodes = []; state.edges = []; draw();
        status("");
        showError(`The ${view} view has ${nodes.length} nodes, too many to draw here: download it ` +
                  "as GEXF for Gephi, or pick a smaller view.");
        return;
      }
      state.nodes = nodes.map((d) => {
        const lines = wrap(d.label || d.id, 24);
        const w = Math.max(40, Math.max(...lines.map((l) => l.length)) * 6.4 + 14);
        return { id: d.id, label: d.label || d.id, type: d.type || "", kind: d.kind || "other",
                 iri: d.iri || d.id, data: d, lines, w, h: lines.length * 13 + 10, x: 0, y: 0 };
      });
      state.byId = new Map(state.nodes.map((n) => [n.id, n]));
      state.edges = edges.filter((e) => state.byId.has(e.source) && state.byId.has(e.target));
      if (view !== "provenance" || !layered(state.nodes, state.edges)) {
        const linked = new Set(state.edges.flatMap((e) => [e.source, e.target]));
        force(state.nodes.filter((n) => linked.has(n.id)), state.edges);
        shelve(state.nodes.filter((n) => !linked.has(n.id)), state.nodes);
      }
      draw();
      fit();
      status(`${state.nodes.length} nodes · ${state.edges.length} edges`);
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
