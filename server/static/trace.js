// claimgraph's provenance view (/trace): pick a claim, see each reporting chain drawn hop by
// hop from the original speaker to the article, and the evidence spans highlighted in the
// article text.  Data: /api/claims and /api/trace?claim=...&texts=1.  No dependencies; every
// value from the store is inserted as text, never as HTML.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { trace: null, texts: {}, revision: null, active: null };

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function status(text) { $("tr-status").textContent = text; }

  function showError(text) {
    $("tr-error").textContent = text || "";
    $("tr-error").hidden = !text;
  }

  const getJSON = window.claimgraphCommon.getJSON;

  // ------------------------------------------------------------------------------ claims
  async function loadClaims() {
    const select = $("tr-claim");
    const claims = await getJSON("/api/claims");
    select.textContent = "";
    for (const c of claims) {
      const warn = c.flags.filter((f) => f.severity === "warning").length;
      const label = `${c.claim.label} — ${c.independent_sources} source${c.independent_sources === 1 ? "" : "s"}` +
        (warn ? ` ⚠${warn}` : "");
      const opt = el("option", { value: c.claim.iri, "data-id": c.claim.id }, label);
      select.appendChild(opt);
    }
    status(`${claims.length} claims`);
    return claims;
  }

  function setLinks(claim) {
    const q = encodeURIComponent(claim);
    $("tr-json").href = `/api/trace?claim=${q}`;
    $("tr-prov").href = `/api/trace?claim=${q}&format=turtle`;
  }

  async function loadTrace(claim) {
    showError("");
    status("Tracing…");
    setLinks(claim);
    try {
      const t = await getJSON(`/api/trace?claim=${encodeURIComponent(claim)}&texts=1`);
      state.trace = t;
      state.texts = t.revision_texts || {};
      state.active = null;
      const select = $("tr-claim");
      if (select.value !== t.claim.iri) select.value = t.claim.iri;
      history.replaceState(null, "", `?claim=${encodeURIComponent(t.claim.id)}`);
      render(t);
      status(`${t.chains.length} chain${t.chains.length === 1 ? "" : "s"}, ` +
        `${t.corroboration.independent_sources} independent source` +
        `${t.corroboration.independent_sources === 1 ? "" : "s"}`);
    } catch (e) {
      showError(String(e.message || e));
      status("");
    }
  }

  // ------------------------------------------------------------------------------ render
  function agentText(a) {
    if (!a) return "?";
    return a.label;
  }

  function anonText(a) {
    if (!a || !a.anonymous) return "";
    const bits = [];
    if (a.described_as) bits.push(`“${a.described_as}”`);
    // a side no article gives is marked with its standing (judged, cited), used or not
    const marks = new Map(
      (a.added || [])
        .filter((s) => s.property === "cg:affiliatedWith")
        .map((s) => [s.value, s]),
    );
    const sides = a.affiliations.map((r) => r.label + (marks.has(r.id) ? ` [${marks.get(r.id).standing}]` : ""));
    for (const [id, s] of marks) {
      if (!a.affiliations.some((r) => r.id === id)) sides.push(`${s.label || id} [${s.standing}]`);
    }
    if (sides.length) bits.push("for " + sides.join(", "));
    return "anonymous: " + bits.join(", ");
  }

  function render(t) {
    const c = t.claim;
    $("tr-claim-card").hidden = false;
    $("tr-title").textContent = c.label;
    $("tr-text").textContent = c.text ? `“${c.text}”` : "";
    $("tr-id").textContent = c.id;
    $("tr-types").textContent = c.types.join(", ");
    const facts = $("tr-claimants");
    facts.textContent = "";
    for (const a of c.claimants) {
      const extra = anonText(a);
      facts.appendChild(el("li", {}, `claimant: ${a.label}${extra ? " — " + extra : ""}`));
    }
    if (c.date) facts.appendChild(el("li", {}, `date: ${c.date}`));
    if (c.about_events.length) facts.appendChild(el("li", {}, "about: " + c.about_events.map((r) => r.label).join(", ")));
    if (c.stated_property) facts.appendChild(el("li", {}, `states ${c.stated_property.label} = ${c.stated_value}`));
    for (const r of c.contradicts) facts.appendChild(el("li", {}, `contradicts: ${r.label} (${r.id})`));

    const flags = $("tr-flags");
    flags.textContent = "";
    for (const f of t.flags) {
      flags.appendChild(el("span", { class: `tr-flag ${f.severity}`, title: f.message }, f.code));
    }

    const chains = $("tr-chains");
    chains.textContent = "";
    if (!t.chains.length) chains.appendChild(el("p", { class: "muted" }, "No reporting chain is recorded for this claim."));
    for (const ch of t.chains) chains.appendChild(renderChain(ch, t.chains.length));

    $("tr-count").textContent = String(t.corroboration.independent_sources);
    const reasons = $("tr-reasoning");
    reasons.textContent = "";
    for (const r of t.corroboration.reasoning) reasons.appendChild(el("li", {}, r));

    const reviews = $("tr-reviews");
    reviews.textContent = "";
    if (!t.reviews.length) reviews.appendChild(el("li", { class: "muted" }, "none"));
    for (const r of t.reviews) {
      const who = r.author ? r.author.label : "?";
      const norm = r.normalized ? ` → ${r.normalized.label}` : "";
      const li = el("li", { class: "tr-review" }, `${r.date || "?"} · ${who}: “${r.rating_label}”${norm}`);
      if (r.note) li.appendChild(el("div", { class: "muted" }, r.note));
      reviews.appendChild(li);
    }

    const first = firstRevision(t);
    showArticle(first);
  }

  function firstRevision(t) {
    for (const ch of t.chains) for (const h of ch.hops) {
      for (const e of h.evidence) if (e.revision) return e.revision;
      if (h.revision) return h.revision.iri;
    }
    return null;
  }

  function renderChain(ch, total) {
    const box = el("div", { class: "tr-chain" + (ch.circular ? " circular" : ""), "data-chain": String(ch.number) });
    // a joint statement's origin is every one of its speakers, jointly
    const origins = ch.origins && ch.origins.length ? ch.origins : ch.origin ? [ch.origin] : [];
    const origin = origins.length ? origins.map((a) => a.label).join(" and ") : "none — the chain loops";
    box.appendChild(el("div", { class: "tr-chain-head" },
      `Chain ${ch.number} of ${total} · origin: ${origin}${ch.traced ? "" : " (untraced)"}`));
    const row = el("div", { class: "tr-chain-row" });
    const hops = ch.hops.slice().reverse(); // speaker first
    hops.forEach((h, i) => {
      if (i > 0) {
        const prev = hops[i - 1];
        // the arrow carries how the later hop got the claim from the earlier one
        const how = [h.link === "quoted from" ? "quoted" : "reported"];
        if (prev.cue_verb && prev.role === "speaker") how.unshift(prev.cue_verb);
        row.appendChild(el("div", { class: "tr-arrow" }, how.join(" · ")));
      }
      row.appendChild(renderHop(h));
    });
    box.appendChild(row);
    if (ch.circular) box.appendChild(el("p", { class: "tr-evidence-bad" }, "⚠ " + ch.circular.message));
    return box;
  }

  function renderHop(h) {
    const cls = ["tr-hop", h.role || "report"];
    if (h.carrier && h.carrier.anonymous) cls.push("anonymous");
    const hop = el("div", { class: cls.join(" "), "data-report": h.report.id, title: h.report.id });
    hop.appendChild(el("span", { class: "role" }, `${h.role || "report"} · ${h.kind}`));
    hop.appendChild(el("span", { class: "who" }, agentText(h.carrier)));
    const anon = anonText(h.carrier);
    if (anon) hop.appendChild(el("span", { class: "anon" }, anon));
    if (h.channel || h.cue_verb) hop.appendChild(el("span", { class: "detail" }, h.channel || h.cue_verb));
    if (h.verbatim) hop.appendChild(el("span", { class: "detail" }, `“${h.verbatim}”`));
    if (h.occasion) hop.appendChild(el("span", { class: "detail" }, `at ${h.occasion.label}`));
    if (h.date) hop.appendChild(el("span", { class: "detail" }, h.date));
    if (h.revision) {
      const r = h.revision;
      const num = r.number !== null ? `revision ${r.number}` : "revision";
      hop.appendChild(el("span", { class: "detail" }, `${num}${r.revision_label ? " (" + r.revision_label + ")" : ""} of ${r.article ? r.article.label : r.label}`));
    }
    for (const [i, e] of h.evidence.entries()) {
      const span = el("span", { class: "detail" + (e.verified ? "" : " tr-evidence-bad") },
        e.verified ? `evidence [${e.start}, ${e.end}) ✓` : `evidence ✗ ${e.problem}`);
      hop.appendChild(span);
      hop.dataset.evidence = `${h.report.id}#${i}`;
    }
    if (h.evidence.length) {
      hop.addEventListener("click", () => {
        state.active = hop.dataset.evidence;
        document.querySelectorAll(".tr-hop.active").forEach((x) => x.classList.remove("active"));
        hop.classList.add("active");
        showArticle(h.evidence[0].revision || state.revision);
        const mark = document.querySelector("#tr-article mark.active");
        if (mark) mark.scrollIntoView({ block: "center", behavior: "smooth" });
      });
    }
    return hop;
  }

  // ---------------------------------------------------------------------- article text
  function spansFor(revision) {
    const out = [];
    for (const ch of state.trace.chains) for (const h of ch.hops) {
      h.evidence.forEach((e, i) => {
        if (e.revision === revision && e.start !== null && e.end !== null && e.verified) {
          out.push({ start: e.start, end: e.end, key: `${h.report.id}#${i}` });
        }
      });
    }
    return out;
  }

  function showArticle(revision) {
    state.revision = revision;
    const box = $("tr-article");
    box.textContent = "";
    const text = revision ? state.texts[revision] : null;
    let meta = null;
    for (const ch of state.trace.chains) for (const h of ch.hops) if (h.revision && h.revision.iri === revision) meta = h.revision;
    $("tr-article-title").textContent = meta && meta.article ? meta.article.label : "Article text";
    $("tr-article-meta").textContent = meta ? [meta.id, meta.publisher ? meta.publisher.label : null, meta.published].filter(Boolean).join(" · ") : "";
    if (!text) {
      box.appendChild(el("p", { class: "muted" }, revision ? "The store holds no text for this revision." : "No article span evidences this claim."));
      return;
    }
    // offsets are Unicode code points: index an array of code points, not UTF-16 units
    const chars = Array.from(text);
    const spans = spansFor(revision);
    const cuts = new Set([0, chars.length]);
    for (const s of spans) { cuts.add(Math.min(s.start, chars.length)); cuts.add(Math.min(s.end, chars.length)); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const covering = spans.filter((s) => s.start <= a && b <= s.end);
      if (!covering.length) { box.appendChild(document.createTextNode(piece)); continue; }
      const keys = covering.map((s) => s.key);
      const mark = el("mark", { "data-evidence": keys.join(" ") }, piece);
      if (state.active && keys.includes(state.active)) mark.classList.add("active");
      box.appendChild(mark);
    }
  }

  // ------------------------------------------------------------------------------ start
  $("tr-claim").addEventListener("change", (e) => loadTrace(e.target.value));

  (async function start() {
    try {
      const claims = await loadClaims();
      const wanted = (window.CLAIMGRAPH_TRACE || {}).claim;
      if (wanted) await loadTrace(wanted);
      else if (claims.length) await loadTrace(claims[0].claim.iri);
    } catch (e) {
      showError(String(e.message || e));
      status("");
    }
  })();
})();
