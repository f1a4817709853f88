// Drawing a graph as SVG, shared by the graph view (/graph) and the CONSTRUCT view of the
// SPARQL page: a layout (layers for a DAG, else a force simulation whose boxes are then pushed
// apart), nodes as labelled boxes, edges as arrows with their label, pan (drag), zoom (wheel,
// buttons, fit) and a legend.  No dependencies: works offline.
//
// Labels stay readable at every zoom: when the drawing is scaled down so far that a label
// would be smaller than MIN_PX on screen, labels are drawn larger (as large as at scale
// MIN_PX / FONT) and those that would then overlap a better-connected node's label are left
// out (their box stays, and its tooltip has the label), as map and graph viewers do.
"use strict";
(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const FONT = 11;        // node label size, in drawing units
  const MIN_PX = 11;      // smallest label size on screen
  const EDGE_MIN_SCALE = 0.75;  // edge labels below this scale would be unreadable: hidden

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVGNS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  // A label cut into lines of at most `width` characters, at most three lines.
  function wrap(text, width) {
    const words = String(text).split(/\s+/);
    const lines = [];
    let line = "";
    for (const w of words) {
      const word = w.length > width ? w.slice(0, width - 1) + "…" : w;
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    }
    if (line) lines.push(line);
    if (lines.length > 3) { lines.length = 3; lines[2] = lines[2].replace(/.{0,2}$/, "…"); }
    return lines;
  }

  // ------------------------------------------------------------------------ layouts
  function layered(nodes, edges) {
    // Longest-path layers of a DAG, sources left.  False if the graph has a cycle.
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
    if (seen !== nodes.length) return false;
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
    // of steps; repulsion acts within a few ideal lengths, a pull to the centre keeps parts
    // together.  Then overlapping boxes are pushed apart.
    const n = nodes.length;
    if (!n) return;
    const k = 115, cutoff2 = (4 * k) * (4 * k);
    nodes.forEach((node, i) => {
      const a = i * 2.399963;  // golden angle
      const r = 50 * Math.sqrt(i + 1);
      node.x = r * Math.cos(a); node.y = r * Math.sin(a);
    });
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const links = edges.filter((e) => index.has(e.source) && index.has(e.target))
      .map((e) => [index.get(e.source), index.get(e.target)]);
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

  function shelve(loose, all, grow = 1) {
    // nodes without edges go in rows under the drawing instead of drifting away (spaced for
    // labels `grow` times their size)
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
      const w = n.w * grow;
      if (x + w > Math.max(x1, x0 + 600) && x > x0) { x = x0; y += 60 * grow; }
      n.x = x + w / 2; n.y = y;
      x += w + 20;
    }
  }

  function separate(nodes, grow = 1) {
    // push overlapping boxes (each `grow` times its size) apart along the axis of least overlap
    const gap = 16;
    for (let round = 0; round < 80; round++) {
      let moved = false;
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = nodes[i], b = nodes[j];
          const ox = ((a.w + b.w) / 2) * grow + gap - Math.abs(a.x - b.x);
          const oy = ((a.h + b.h) / 2) * grow + gap - Math.abs(a.y - b.y);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) { const s = (a.x < b.x ? -1 : 1) * ox / 2; a.x += s; b.x -= s; }
          else { const s = (a.y < b.y ? -1 : 1) * oy / 2; a.y += s; b.y -= s; }
        }
      }
      if (!moved) break;
    }
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

  // ------------------------------------------------------------------------ the canvas
  // new Canvas(svg, {onSelect(node), onBackground()}); canvas.show(nodes, edges, {layered})
  // Nodes: {id, label, title, className, fill, shape: "box"|"pill"|"rounded"|"plain"};
  // edges: {source, target, label, title, className}.
  class Canvas {
    constructor(svg, options = {}) {
      this.svg = svg;
      this.options = options;
      this.scale = 1; this.tx = 0; this.ty = 0;
      this.nodes = []; this.edges = []; this.byId = new Map();
      svg.textContent = "";
      const defs = el("defs", {}, svg);
      const marker = el("marker", { id: `${svg.id}-arrow`, viewBox: "0 0 10 10", refX: "10", refY: "5",
        markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
      el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8a94a0" }, marker);
      this.viewport = el("g", { class: "cg-viewport" }, svg);
      this.edgeLayer = el("g", { class: "cg-edges" }, this.viewport);
      this.nodeLayer = el("g", { class: "cg-nodes" }, this.viewport);
      this.bind();
    }

    show(nodes, edges, { preferLayers = false } = {}) {
      this.nodes = nodes.map((n) => {
        const lines = wrap(n.label || n.id, 24);
        const w = Math.max(40, Math.max(...lines.map((l) => l.length)) * 6.4 + 14);
        return Object.assign({}, n, { lines, w, h: lines.length * 13 + 10, x: 0, y: 0, degree: 0 });
      });
      this.byId = new Map(this.nodes.map((n) => [n.id, n]));
      this.edges = edges.filter((e) => this.byId.has(e.source) && this.byId.has(e.target));
      for (const e of this.edges) { this.byId.get(e.source).degree++; this.byId.get(e.target).degree++; }
      if (!preferLayers || !layered(this.nodes, this.edges)) {
        const linked = new Set(this.edges.flatMap((e) => [e.source, e.target]));
        const placed = this.nodes.filter((n) => linked.has(n.id));
        force(placed, this.edges);
        // make room for labels as large as they will be drawn at Fit (a few rounds: the
        // room taken makes the drawing larger and Fit's scale smaller)
        const loose = this.nodes.filter((n) => !linked.has(n.id));
        let grow = 1;
        shelve(loose, this.nodes);
        if (this.nodes.length <= 400) {
          for (let round = 0; round < 4; round++) {
            const wanted = Math.min(2.5, MIN_PX / (FONT * this.fitScale()));
            if (wanted <= grow * 1.02) break;
            grow = wanted;
            separate(placed, grow);
            shelve(loose, this.nodes, grow);
          }
        }
      }
      this.draw();
      this.fit();
    }

    size() {
      const r = this.svg.getBoundingClientRect();
      return { width: r.width || 800, height: r.height || 500 };
    }

    fitScale() {
      const { width, height } = this.size();
      const b = this.bounds(), pad = 40;
      return Math.min(1.25, Math.min((width - pad) / (b.x1 - b.x0 || 1), (height - pad) / (b.y1 - b.y0 || 1)));
    }

    draw() {
      this.edgeLayer.textContent = ""; this.nodeLayer.textContent = "";
      const arrow = `url(#${this.svg.id}-arrow)`;
      for (const e of this.edges) {
        const s = this.byId.get(e.source), t = this.byId.get(e.target);
        const g = el("g", { class: `cg-edge ${e.className || ""}`, "data-source": e.source,
                            "data-target": e.target, "data-label": e.label || "" }, this.edgeLayer);
        const end = clip(s, t), start = clip(t, s);
        el("line", { x1: start.x, y1: start.y, x2: end.x, y2: end.y, "marker-end": arrow }, g);
        el("title", {}, g).textContent = e.title || `${s.label} — ${e.label} → ${t.label}`;
        if (e.label) {
          const text = el("text", { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 - 3, "text-anchor": "middle" }, g);
          text.textContent = e.label;
        }
        e.el = g;
      }
      for (const n of this.nodes) {
        const g = el("g", { class: `cg-node ${n.className || ""}`, "data-id": n.id,
                            transform: `translate(${n.x},${n.y})` }, this.nodeLayer);
        const inner = el("g", { class: "cg-label" }, g);
        const rx = n.shape === "rounded" ? 8 : n.shape === "pill" ? n.h / 2 : 2;
        el("rect", { x: -n.w / 2, y: -n.h / 2, width: n.w, height: n.h, rx, fill: n.fill || "#fff" }, inner);
        n.lines.forEach((line, i) => {
          const t = el("text", { x: 0, y: (i - (n.lines.length - 1) / 2) * 13 + 4, "text-anchor": "middle" }, inner);
          t.textContent = line;
        });
        el("title", {}, g).textContent = n.title || n.label;
        g.addEventListener("click", (ev) => {
          ev.stopPropagation();
          if (this.options.onSelect) this.options.onSelect(n);
        });
        n.el = g; n.inner = inner;
      }
      this.apply();
    }

    // ---------------------------------------------------------------- pan and zoom
    apply() {
      this.viewport.setAttribute("transform", `translate(${this.tx},${this.ty}) scale(${this.scale})`);
      this.svg.dataset.scale = this.scale.toFixed(3);
      this.svg.classList.toggle("cg-far", this.scale < EDGE_MIN_SCALE);
      this.placeLabels();
    }

    placeLabels() {
      // grow labels that would be too small to read, then leave out those that would cover
      // the label of a better-connected node (a grid of cells holds what is placed)
      const grow = Math.max(1, MIN_PX / (FONT * this.scale));
      const order = [...this.nodes].sort((a, b) => b.degree - a.degree || a.id.localeCompare(b.id));
      const cell = 200, grid = new Map();
      const key = (i, j) => i + "," + j;
      let shown = 0;
      for (const n of order) {
        const w = n.w * grow, h = n.h * grow;
        const box = { x0: n.x - w / 2, x1: n.x + w / 2, y0: n.y - h / 2, y1: n.y + h / 2 };
        let free = true;
        if (grow > 1) {
          const cells = [];
          for (let i = Math.floor(box.x0 / cell); i <= Math.floor(box.x1 / cell) && free; i++) {
            for (let j = Math.floor(box.y0 / cell); j <= Math.floor(box.y1 / cell) && free; j++) {
              cells.push(key(i, j));
              for (const o of grid.get(key(i, j)) || []) {
                if (o.x0 < box.x1 && box.x0 < o.x1 && o.y0 < box.y1 && box.y0 < o.y1) { free = false; break; }
              }
            }
          }
          if (free) for (const c of cells) { if (!grid.has(c)) grid.set(c, []); grid.get(c).push(box); }
        }
        n.inner.setAttribute("transform", free && grow > 1 ? `scale(${grow})` : "");
        n.el.classList.toggle("cg-culled", !free);
        if (free) shown++;
      }
      if (grow > 1) {
        // labels drawn over the boxes left without one
        for (const n of order) if (!n.el.classList.contains("cg-culled")) this.nodeLayer.appendChild(n.el);
      }
      this.svg.dataset.labelsShown = String(shown);
    }

    bounds() {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const n of this.nodes) {
        x0 = Math.min(x0, n.x - n.w / 2); x1 = Math.max(x1, n.x + n.w / 2);
        y0 = Math.min(y0, n.y - n.h / 2); y1 = Math.max(y1, n.y + n.h / 2);
      }
      return { x0, y0, x1, y1 };
    }

    fit() {
      if (!this.nodes.length) return;
      const { width, height } = this.size();
      const b = this.bounds();
      this.scale = this.fitScale();
      this.tx = width / 2 - ((b.x0 + b.x1) / 2) * this.scale;
      this.ty = height / 2 - ((b.y0 + b.y1) / 2) * this.scale;
      this.apply();
    }

    zoomAt(factor, cx, cy) {
      const s = Math.min(8, Math.max(0.05, this.scale * factor));
      const f = s / this.scale;
      this.tx = cx - (cx - this.tx) * f;
      this.ty = cy - (cy - this.ty) * f;
      this.scale = s;
      this.apply();
    }

    zoom(factor) {
      const r = this.svg.getBoundingClientRect();
      this.zoomAt(factor, r.width / 2, r.height / 2);
    }

    centreOn(n) {
      const r = this.svg.getBoundingClientRect();
      this.tx = r.width / 2 - n.x * this.scale;
      this.ty = r.height / 2 - n.y * this.scale;
      this.apply();
    }

    bind() {
      const svg = this.svg;
      svg.addEventListener("wheel", (ev) => {
        ev.preventDefault();
        const r = svg.getBoundingClientRect();
        this.zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
      }, { passive: false });
      let drag = null;
      svg.addEventListener("pointerdown", (ev) => {
        if (ev.target.closest(".cg-node")) return;
        drag = { x: ev.clientX, y: ev.clientY, tx: this.tx, ty: this.ty, moved: false };
        svg.classList.add("panning");
      });
      window.addEventListener("pointermove", (ev) => {
        if (!drag) return;
        this.tx = drag.tx + ev.clientX - drag.x;
        this.ty = drag.ty + ev.clientY - drag.y;
        drag.moved = drag.moved || Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3;
        this.viewport.setAttribute("transform", `translate(${this.tx},${this.ty}) scale(${this.scale})`);
      });
      window.addEventListener("pointerup", () => {
        if (drag && !drag.moved && this.options.onBackground) this.options.onBackground();
        drag = null;
        svg.classList.remove("panning");
      });
    }

    // ---------------------------------------------------------------- highlighting
    highlight(node) {
      const near = new Set([node.id]);
      for (const e of this.edges) {
        if (e.source === node.id) near.add(e.target);
        if (e.target === node.id) near.add(e.source);
      }
      for (const n of this.nodes) {
        n.el.classList.toggle("dim", !near.has(n.id));
        n.el.classList.toggle("selected", n.id === node.id);
      }
      for (const e of this.edges) e.el.classList.toggle("dim", e.source !== node.id && e.target !== node.id);
    }

    clearHighlight() {
      for (const n of this.nodes) n.el.classList.remove("dim", "selected");
      for (const e of this.edges) e.el.classList.remove("dim");
    }
  }

  // A legend: [{swatch: {fill, border, dash, line}, text}] as HTML list items; a line's dash
  // is true (dashed) or "dotted".
  function legend(container, entries) {
    container.textContent = "";
    for (const entry of entries) {
      const item = document.createElement("span");
      item.className = "cg-legend-item";
      const s = entry.swatch || {};
      const sample = document.createElement("i");
      if (s.line) {
        sample.className = "cg-legend-line";
        const style = s.dash === "dotted" ? "dotted" : s.dash ? "dashed" : "solid";
        sample.style.borderTop = `${s.width || 2}px ${style} ${s.line}`;
      } else {
        sample.className = "cg-legend-box";
        sample.style.background = s.fill || "#fff";
        sample.style.border = `${s.borderWidth || 1}px ${s.dash ? "dashed" : "solid"} ${s.border || "#5f6b7a"}`;
        if (s.round) sample.style.borderRadius = "6px";
      }
      const text = document.createElement("span");
      text.textContent = entry.text;
      item.append(sample, text);
      container.appendChild(item);
    }
  }

  window.claimgraphDraw = { Canvas, legend, wrap };
})();
