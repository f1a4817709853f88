// Query results on the SPARQL page: reading them (SPARQL results JSON, N-Triples), showing
// a term as a value, sorting, filtering, and writing exactly the rows shown as a file
// (SPARQL results CSV, TSV, JSON and XML; for a graph Turtle, N-Triples and JSON-LD).
// Pure functions: no DOM.
"use strict";
(function () {
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map((t) => XSD + t));

  // ---------------------------------------------------------------- reading
  // A result: {kind: "table"|"boolean"|"graph", vars, rows: [{var: term}], boolean}
  // Terms are SPARQL results JSON terms: {type: "uri"|"literal"|"bnode", value, datatype, xml:lang}.
  function fromSparqlJson(data) {
    if ("boolean" in data) return { kind: "boolean", vars: [], rows: [], boolean: data.boolean };
    const rows = data.results.bindings;
    for (const row of rows) for (const t of Object.values(row)) if (t.type === "typed-literal") t.type = "literal";
    return { kind: "table", vars: data.head.vars, rows };
  }

  const NT = /^\s*(<[^>]*>|_:\S+)\s+(<[^>]*>)\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*\.\s*$/;
  function unescapeLiteral(s) {
    return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\(.)/g, (m, u4, u8, c) => {
      if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
      return { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" }[c] || c;
    });
  }
  function ntTerm(s) {
    if (s.startsWith("<")) return { type: "uri", value: unescapeLiteral(s.slice(1, -1)) };
    if (s.startsWith("_:")) return { type: "bnode", value: s.slice(2) };
    const m = /^"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?$/.exec(s);
    const t = { type: "literal", value: unescapeLiteral(m[1]) };
    if (m[2]) t["xml:lang"] = m[2];
    if (m[3] && m[3] !== XSD + "string") t.datatype = m[3];
    return t;
  }
  function fromNTriples(text) {
    const rows = [];
    for (const line of text.split("\n")) {
      const m = NT.exec(line);
      if (m) rows.push({ subject: ntTerm(m[1]), predicate: ntTerm(m[2]), object: ntTerm(m[3]) });
    }
    return { kind: "graph", vars: ["subject", "predicate", "object"], rows };
  }

  // ---------------------------------------------------------------- showing
  function compact(iri, prefixes) {
    let best = null;
    for (const [p, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && (!best || ns.length > prefixes[best].length)) best = p;
    }
    if (best) {
      const local = iri.slice(prefixes[best].length);
      if (/^[\w.-]*$/.test(local)) return best + ":" + local;
    }
    return iri;
  }

  // The text a cell shows: compact IRIs, literals as their value (no ^^xsd:integer).
  function text(term, prefixes) {
    if (!term) return "";
    if (term.type === "uri") return compact(term.value, prefixes);
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  function isNumeric(term) {
    return !!term && term.type === "literal" && NUMERIC.has(term.datatype) && term.value.trim() !== "" && !isNaN(Number(term.value));
  }

  // How a literal's type is told, beside its value: a language tag, or a datatype that is no
  // plain XSD type (whose values speak for themselves: 12, 2025-05-16, true, PT2H).
  function annotation(term, prefixes) {
    if (!term || term.type !== "literal") return "";
    if (term["xml:lang"]) return "@" + term["xml:lang"];
    if (term.datatype && !term.datatype.startsWith(XSD) && term.datatype !== RDF_LANG_STRING) {
      return "^^" + compact(term.datatype, prefixes);
    }
    return "";
  }

  function datatypeTitle(term, prefixes) {
    if (!term || term.type !== "literal") return "";
    if (term["xml:lang"]) return `language: ${term["xml:lang"]}`;
    return compact(term.datatype || XSD + "string", prefixes);
  }

  // ---------------------------------------------------------------- sorting and filtering
  function sortKey(term, prefixes) {
    if (!term) return [3, ""];
    if (isNumeric(term)) return [0, Number(term.value)];
    if (term.type === "literal") return [1, term.value.toLowerCase()];
    return [2, text(term, prefixes).toLowerCase()];
  }

  // The rows in the order of column `v` (ascending or not), without touching `rows`.
  function sorted(rows, v, ascending, prefixes) {
    const keyed = rows.map((row, i) => [sortKey(row[v], prefixes), i, row]);
    keyed.sort((a, b) => {
      const x = a[0], y = b[0];
      let c = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
      if (!ascending) c = -c;
      return c || a[1] - b[1];
    });
    return keyed.map((k) => k[2]);
  }

  // The rows one of whose cells shows `needle` (any case).
  function filtered(rows, vars, needle, prefixes) {
    const n = needle.trim().toLowerCase();
    if (!n) return rows;
    return rows.filter((row) => vars.some((v) => {
      const t = row[v];
      return !!t && (text(t, prefixes).toLowerCase().includes(n) || (t.type === "uri" && t.value.toLowerCase().includes(n)));
    }));
  }

  // ---------------------------------------------------------------- writing
  function csvField(s) { return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }

  function ntString(s) {
    return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  }

  function ntIri(iri) {
    return "<" + iri.replace(/[\u0000-\u0020<>"{}|^`\\]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")) + ">";
  }

  function ntTermText(t) {
    if (t.type === "uri") return ntIri(t.value);
    if (t.type === "bnode") return "_:" + t.value;
    let out = '"' + ntString(t.value) + '"';
    if (t["xml:lang"]) out += "@" + t["xml:lang"];
    else if (t.datatype && t.datatype !== XSD + "string") out += "^^" + ntIri(t.datatype);
    return out;
  }

  function xmlEscape(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function resultsCsv(result, vars, rows) {
    if (result.kind === "boolean") return "_askResult\r\n" + String(result.boolean) + "\r\n";
    const lines = [vars.map(csvField).join(",")];
    for (const row of rows) {
      lines.push(vars.map((v) => {
        const t = row[v];
        if (!t) return "";
        return csvField(t.type === "bnode" ? "_:" + t.value : t.value);
      }).join(","));
    }
    return lines.join("\r\n") + "\r\n";
  }

  function resultsTsv(result, vars, rows) {
    if (result.kind === "boolean") return "?_askResult\n" + String(result.boolean) + "\n";
    const lines = [vars.map((v) => "?" + v).join("\t")];
    for (const row of rows) lines.push(vars.map((v) => (row[v] ? ntTermText(row[v]) : "")).join("\t"));
    return lines.join("\n") + "\n";
  }

  function resultsJson(result, vars, rows) {
    if (result.kind === "boolean") return JSON.stringify({ head: {}, boolean: result.boolean }, null, 1) + "\n";
    const bindings = rows.map((row) => {
      const b = {};
      for (const v of vars) if (row[v]) b[v] = row[v];
      return b;
    });
    return JSON.stringify({ head: { vars }, results: { bindings } }, null, 1) + "\n";
  }

  function resultsXml(result, vars, rows) {
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">'];
    if (result.kind === "boolean") {
      out.push("<head/>", `<boolean>${result.boolean}</boolean>`, "</sparql>");
      return out.join("\n") + "\n";
    }
    out.push("<head>" + vars.map((v) => `<variable name="${xmlEscape(v)}"/>`).join("") + "</head>", "<results>");
    for (const row of rows) {
      const cells = [];
      for (const v of vars) {
        const t = row[v];
        if (!t) continue;
        let inner;
        if (t.type === "uri") inner = `<uri>${xmlEscape(t.value)}</uri>`;
        else if (t.type === "bnode") inner = `<bnode>${xmlEscape(t.value)}</bnode>`;
        else if (t["xml:lang"]) inner = `<literal xml:lang="${xmlEscape(t["xml:lang"])}">${xmlEscape(t.value)}</literal>`;
        else if (t.datatype) inner = `<literal datatype="${xmlEscape(t.datatype)}">${xmlEscape(t.value)}</literal>`;
        else inner = `<literal>${xmlEscape(t.value)}</literal>`;
        cells.push(`<binding name="${xmlEscape(v)}">${inner}</binding>`);
      }
      out.push("<result>" + cells.join("") + "</result>");
    }
    out.push("</results>", "</sparql>");
    return out.join("\n") + "\n";
  }

  function nTriples(rows) {
    return rows.map((r) => `${ntTermText(r.subject)} ${ntTermText(r.predicate)} ${ntTermText(r.object)} .`).join("\n") + (rows.length ? "\n" : "");
  }

  function turtle(rows, prefixes) {
    const used = new Set();
    const name = (t) => {
      if (t.type === "uri") {
        const c = compact(t.value, prefixes);
        if (c !== t.value && /^[A-Za-z][\w-]*:[\w-]*(\.[\w-]+)*$/.test(c)) { used.add(c.split(":")[0]); return c; }
        return ntIri(t.value);
      }
      return ntTermText(t);
    };
    const bySubject = new Map();
    for (const r of rows) {
      const s = name(r.subject);
      if (!bySubject.has(s)) bySubject.set(s, new Map());
      const preds = bySubject.get(s);
      const p = r.predicate.value === "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" ? "a" : name(r.predicate);
      if (!preds.has(p)) preds.set(p, []);
      preds.get(p).push(name(r.object));
    }
    const body = [];
    for (const [s, preds] of bySubject) {
      const parts = [...preds].map(([p, objects]) => `    ${p} ${objects.join(" ,\n        ")}`);
      body.push(`${s}\n${parts.join(" ;\n")} .`);
    }
    const head = [...used].sort().map((p) => `@prefix ${p}: ${ntIri(prefixes[p])} .`);
    return (head.length ? head.join("\n") + "\n\n" : "") + body.join("\n\n") + (body.length ? "\n" : "");
  }

  function jsonLd(rows) {
    // expanded JSON-LD: one node object per subject
    const nodes = new Map();
    const id = (t) => (t.type === "bnode" ? "_:" + t.value : t.value);
    for (const r of rows) {
      const key = id(r.subject);
      if (!nodes.has(key)) nodes.set(key, { "@id": key });
      const node = nodes.get(key);
      const o = r.object;
      let value;
      if (o.type !== "literal") value = { "@id": id(o) };
      else if (o["xml:lang"]) value = { "@value": o.value, "@language": o["xml:lang"] };
      else if (o.datatype) value = { "@value": o.value, "@type": o.datatype };
      else value = { "@value": o.value };
      if (r.predicate.value === "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" && o.type !== "literal") {
        (node["@type"] = node["@type"] || []).push(id(o));
      } else {
        (node[r.predicate.value] = node[r.predicate.value] || []).push(value);
      }
    }
    return JSON.stringify([...nodes.values()], null, 1) + "\n";
  }

  // The download formats of a result, each {name, label, extension, type, write(result, vars, rows, prefixes)}.
  const TABLE_FORMATS = [
    { name: "csv", label: "CSV", extension: "csv", type: "text/csv", write: resultsCsv },
    { name: "tsv", label: "TSV", extension: "tsv", type: "text/tab-separated-values", write: resultsTsv },
    { name: "json", label: "JSON", extension: "srj", type: "application/sparql-results+json", write: resultsJson },
    { name: "xml", label: "XML", extension: "srx", type: "application/sparql-results+xml", write: resultsXml },
  ];
  const GRAPH_FORMATS = [
    { name: "turtle", label: "Turtle", extension: "ttl", type: "text/turtle", write: (r, v, rows, p) => turtle(rows, p) },
    { name: "ntriples", label: "N-Triples", extension: "nt", type: "application/n-triples", write: (r, v, rows) => nTriples(rows) },
    { name: "jsonld", label: "JSON-LD", extension: "jsonld", type: "application/ld+json", write: (r, v, rows) => jsonLd(rows) },
  ];

  function formats(result) { return result.kind === "graph" ? GRAPH_FORMATS : TABLE_FORMATS; }

  window.claimgraphResults = {
    fromSparqlJson, fromNTriples, compact, text, annotation, datatypeTitle, isNumeric,
    sorted, filtered, formats, TABLE_FORMATS, GRAPH_FORMATS,
  };
})();
