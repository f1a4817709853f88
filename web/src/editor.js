// claimgraph's SPARQL editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes,
// line numbers, bracket matching and closing, undo history, search, and completion of the
// predeclared prefixes, of the packaged ontology's terms (by prefixed name or by label), of
// SPARQL keywords and of the variables already in the query.
//
// Bundled by esbuild into server/static/vendor/editor.js (see web/package.json); the page
// calls ClaimgraphEditor.create({...}).

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  defaultHighlightStyle,
  HighlightStyle,
  indentOnInput,
  StreamLanguage,
  syntaxHighlighting,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

const KEYWORDS = (
  "SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED OPTIONAL UNION " +
  "MINUS GRAPH FILTER BIND VALUES AS ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING NOT EXISTS IN " +
  "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI " +
  "COALESCE IF CONTAINS STRSTARTS STRENDS LCASE UCASE REGEX YEAR MONTH DAY NOW SAMETERM ISIRI " +
  "ISLITERAL STRAFTER STRBEFORE CONCAT UNDEF"
).split(" ");

const style = HighlightStyle.define([
  { tag: tags.keyword, color: "#8a2be2", fontWeight: "600" },
  { tag: tags.variableName, color: "#b35900" },
  { tag: tags.atom, color: "#0f7b4f" },
  { tag: tags.string, color: "#a31515" },
  { tag: tags.comment, color: "#7c8a99", fontStyle: "italic" },
  { tag: tags.number, color: "#1b6ac9" },
  { tag: tags.url, color: "#0f7b4f" },
]);

// The word being typed: a variable, a prefixed name (or its prefix) or a keyword.
const WORD = /[?$][\w]*$|[A-Za-z][\w.-]*:[\w.-]*$|[A-Za-z_][\w-]*$/;

// `terms` may be filled after the editor is made (the page loads them): options are made
// from it when it has grown.
function completer(prefixes, terms) {
  const prefixOptions = Object.entries(prefixes).map(([p, iri]) => ({
    label: p + ":",
    type: "namespace",
    detail: iri,
    boost: p === "cg" || p === "cgi" ? 2 : 0,
  }));
  let termOptions = [], made = -1;
  const keywordOptions = KEYWORDS.map((k) => ({ label: k, type: "keyword" }));

  return (context) => {
    if (made !== terms.length) {
      made = terms.length;
      termOptions = terms.map((t) => ({
        label: t.name,
        type: t.kind === "class" ? "class" : t.kind === "property" ? "property" : "constant",
        detail: t.label,
        info: t.comment || undefined,
        // typing words of the label finds the term too: "news agency" -> cg:NewsAgency
        search: (t.name + " " + (t.label || "")).toLowerCase(),
      }));
    }
    const before = context.matchBefore(WORD);
    if (!before || (before.from === before.to && !context.explicit)) return null;
    const text = before.text;
    if (text.startsWith("?") || text.startsWith("$")) {
      const seen = new Set(context.state.doc.toString().match(/[?$][A-Za-z_]\w*/g) || []);
      seen.delete(text);
      return { from: before.from, options: [...seen].map((v) => ({ label: v, type: "variable" })) };
    }
    if (text.includes(":")) {
      const prefix = text.slice(0, text.indexOf(":") + 1);
      // at "PREFIX cg:" offer the declaration's IRI
      const line = context.state.doc.lineAt(before.from).text;
      if (/^\s*PREFIX\s+$/i.test(line.slice(0, before.from - context.state.doc.lineAt(before.from).from))) {
        const p = prefix.slice(0, -1);
        if (prefixes[p]) return { from: before.from, options: [{ label: `${p}: <${prefixes[p]}>`, type: "namespace" }] };
      }
      return {
        from: before.from,
        options: termOptions.filter((o) => o.label.startsWith(prefix)),
        validFor: /^[A-Za-z][\w.-]*:[\w.-]*$/,
      };
    }
    const lower = text.toLowerCase();
    const byLabel = lower.length >= 3 ? termOptions.filter((o) => o.search.includes(lower)) : [];
    return {
      from: before.from,
      options: [...keywordOptions, ...prefixOptions, ...byLabel],
    };
  };
}

export function create({ parent, doc = "", prefixes = {}, terms = [], onRun = null, onChange = null }) {
  const runKeys = onRun
    ? [{ key: "Mod-Enter", run: () => { onRun(); return true; }, preventDefault: true }]
    : [];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(style),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [completer(prefixes, terms)], activateOnTyping: true }),
        keymap.of([
          ...runKeys,
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...completionKeymap,
          indentWithTab,
        ]),
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
      ],
    }),
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus() { view.focus(); },
  };
}
