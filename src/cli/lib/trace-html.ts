// `sel4tut trace`: one self-contained HTML file (no network, no external assets) showing a run as
// a sequence diagram: a lifeline per thread plus the kernel, arrows for messages, fault messages
// and replies, blocked intervals shaded, and a click on an event shows its details with the
// learner's code around its line. Rows are drawn only where the window shows them, so a trace of
// 10^5 events scrolls as one of ten.
//
// Everything that comes from the program or the tutorial (thread and object names, printed text,
// source code) is data: it travels as JSON inside a <script type="application/json"> element with
// every "<" escaped, and the page puts it on screen only through textContent, never as markup.
import type { TraceRecord } from "../../app/pipeline.js";
import { describeEvent } from "./trace-text.js";

export interface TracePage {
  title: string;
  config: string;
  /** How the run ended, and the machine's report (shown as text). */
  outcome: string;
  report: string;
  events: readonly TraceRecord[];
  /** The learner's source files the events' lines point into: path -> text. */
  sources: Readonly<Record<string, string>>;
}

/** JSON that is safe inside a <script> element: no "<" (so no "</script>" or "<!--"), and no U+2028/9. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderTraceHtml(page: TracePage): string {
  const data = {
    title: page.title,
    config: page.config,
    outcome: page.outcome,
    report: page.report,
    sources: page.sources,
    events: page.events.map((e) => ({ ...e, text: describeEvent(e) })),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title"></h1><p id="summary"></p></header>
<main>
<div id="diagram"><div id="lifelines"></div><div id="scroller"><div id="spacer"></div><svg id="rows" xmlns="http://www.w3.org/2000/svg"></svg></div></div>
<aside id="details"><p class="hint">Click an event to see its details.</p></aside>
</main>
<script type="application/json" id="trace-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --row: 22px; --col: 190px; --gutter: 110px; font-family: system-ui, sans-serif; font-size: 13px; }
body { margin: 0; display: flex; flex-direction: column; height: 100vh; color: #1d2330; background: #fafbfc; }
header { padding: 8px 14px; border-bottom: 1px solid #d7dce3; background: #fff; }
header h1 { font-size: 16px; margin: 0 0 2px; }
header p { margin: 0; color: #4a5466; white-space: pre-wrap; }
header p.bad { color: #b3261e; }
main { flex: 1; display: flex; min-height: 0; }
#diagram { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#lifelines { display: flex; padding-left: var(--gutter); background: #fff; border-bottom: 1px solid #d7dce3; }
.lifeline { width: var(--col); flex: none; text-align: center; padding: 6px 0; font-weight: 600; }
.lifeline.kernel { color: #5b3fa3; }
.lifeline.faulted, .lifeline.stuck { color: #b3261e; }
.lifeline small { display: block; font-weight: 400; font-size: 11px; }
#scroller { flex: 1; overflow: auto; position: relative; }
#spacer { width: 1px; }
#rows { position: absolute; left: 0; top: 0; }
#rows text { font-size: 11.5px; dominant-baseline: middle; }
#rows .time { fill: #6b7485; font-variant-numeric: tabular-nums; }
#rows .life { stroke: #c4cad4; stroke-dasharray: 3 3; }
#rows .blocked { fill: #e6e9ef; }
#rows .row:hover rect.hit { fill: #eef3fb; }
#rows .row.selected rect.hit { fill: #dbe7fb; }
#rows rect.hit { fill: transparent; cursor: pointer; }
#rows .arrow { stroke: #1f7a3d; stroke-width: 1.5; fill: none; marker-end: url(#head); }
#rows .arrow.reply { stroke-dasharray: 5 3; }
#rows .arrow.fault { stroke: #b3261e; marker-end: url(#head-fault); }
#rows .arrow.trap { stroke: #8a93a3; stroke-width: 1; marker-end: url(#head-trap); }
#rows .dot { fill: #3d4a5c; }
#rows .dot.fault, #rows .dot.error { fill: #b3261e; }
#rows .dot.budget { fill: #c58a00; }
#rows .dot.switch { fill: #5b3fa3; }
#rows .label { fill: #1d2330; }
#rows .label.fault, #rows .label.error { fill: #b3261e; }
#rows .label.output { fill: #4a5466; font-family: ui-monospace, monospace; }
#rows .mark { fill: #fde7e5; }
#details { width: 420px; flex: none; border-left: 1px solid #d7dce3; background: #fff; overflow: auto; padding: 10px 14px; }
#details h2 { font-size: 14px; margin: 0 0 6px; }
#details table { border-collapse: collapse; width: 100%; }
#details td { border-top: 1px solid #eef0f4; padding: 3px 4px; vertical-align: top; word-break: break-all; }
#details td:first-child { color: #6b7485; white-space: nowrap; width: 1%; }
#details pre { background: #f4f6f9; padding: 6px; overflow: auto; font-size: 12px; }
#details pre .here { background: #fff3c4; display: block; }
.hint { color: #6b7485; }
`;

// The page's own code: no data inside, so nothing here comes from the trace.
const SCRIPT = String.raw`
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("trace-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const css = getComputedStyle(document.documentElement);
  const ROW = parseFloat(css.getPropertyValue("--row"));
  const COL = parseFloat(css.getPropertyValue("--col"));
  const GUTTER = parseFloat(css.getPropertyValue("--gutter"));
  const events = data.events;

  // Lifelines: the kernel, then each thread in the order it first appears.
  const threads = [];
  const seen = new Set();
  const see = (name) => { if (name !== null && name !== undefined && !seen.has(name)) { seen.add(name); threads.push(name); } };
  for (const e of events) { see(e.thread); if (e.kind === "transfer" || e.kind === "reply") see(e.to); if (e.kind === "switch") see(e.to); }
  const column = new Map(threads.map((t, i) => [t, i + 1]));
  const x = (col) => GUTTER + col * COL + COL / 2;

  // Blocked intervals per thread (row ranges), and how each thread ended.
  const blocked = new Map(threads.map((t) => [t, []]));
  const open = new Map();
  const ending = new Map();
  events.forEach((e, i) => {
    if (e.kind === "state" && e.thread !== null) {
      const waiting = e.state.indexOf("Blocked") >= 0 || e.state === "ThreadState_Inactive";
      if (open.has(e.thread)) { blocked.get(e.thread).push([open.get(e.thread), i]); open.delete(e.thread); }
      if (waiting) open.set(e.thread, i);
      // A fault that reached no handler is how the thread ended, whatever state it was left in.
      if ((ending.get(e.thread) || {}).state !== "faulted") ending.set(e.thread, { state: e.state, row: i, on: e.on });
    }
    if (e.kind === "fault" && !e.delivered) ending.set(e.thread, { state: "faulted", row: i });
    if (e.kind === "exit") ending.set(e.thread, { state: "exited", row: i });
  });
  for (const [t, start] of open) blocked.get(t).push([start, events.length]);
  const finished = data.outcome === "finished";
  const trouble = new Map();
  for (const [t, end] of ending) {
    if (end.state === "faulted") trouble.set(t, { kind: "faulted", row: end.row });
    else if (!finished && end.state !== "exited" && end.state.indexOf("Blocked") >= 0) trouble.set(t, { kind: "stuck", row: end.row });
  }

  // Header.
  document.getElementById("title").textContent = data.title;
  const summary = document.getElementById("summary");
  summary.textContent = data.config + " · " + events.length + " events · " + data.report;
  if (!finished) summary.className = "bad";
  const lifelines = document.getElementById("lifelines");
  const head = (name, cls, note) => {
    const div = document.createElement("div");
    div.className = "lifeline " + cls;
    div.textContent = name;
    if (note) { const s = document.createElement("small"); s.textContent = note; div.appendChild(s); }
    lifelines.appendChild(div);
    return div;
  };
  head("kernel", "kernel", "seL4 " + data.config);
  for (const t of threads) {
    const bad = trouble.get(t);
    const div = head(t, bad ? bad.kind : "", bad ? (bad.kind === "faulted" ? "faulted: no handler" : "stuck: " + ending.get(t).state.replace("ThreadState_", "")) : "");
    div.dataset.thread = t;
  }

  const scroller = document.getElementById("scroller");
  const spacer = document.getElementById("spacer");
  const svg = document.getElementById("rows");
  const width = GUTTER + (threads.length + 1) * COL + 1100;
  spacer.style.height = events.length * ROW + "px";
  spacer.style.width = width + "px";
  svg.setAttribute("width", String(width));

  const el = (name, attrs, text) => {
    const n = document.createElementNS(SVG, name);
    for (const k in attrs) n.setAttribute(k, String(attrs[k]));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const defs = el("defs", {});
  for (const [id, colour] of [["head", "#1f7a3d"], ["head-fault", "#b3261e"], ["head-trap", "#8a93a3"]]) {
    const m = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    m.appendChild(el("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
    defs.appendChild(m);
  }

  const short = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
  let selected = -1;

  function drawRow(g, e, i, y) {
    const mid = y + ROW / 2;
    const bad = trouble.get(e.thread);
    const hit = el("rect", { class: "hit", x: 0, y, width, height: ROW });
    g.appendChild(hit);
    if (bad && bad.row === i) g.insertBefore(el("rect", { class: "mark", x: 0, y, width, height: ROW }), hit);
    g.appendChild(el("text", { class: "time", x: 6, y: mid }, (e.time / 1e6).toFixed(3) + " ms"));
    const from = e.thread === null ? 0 : column.get(e.thread);
    let labelX = x(from) + 8;
    let cls = e.kind;
    if (e.kind === "transfer" || e.kind === "reply") {
      const to = column.get(e.to);
      const kind = e.kind === "reply" ? "arrow reply" : e.fault ? "arrow fault" : "arrow";
      const dir = to >= from ? 1 : -1;
      g.appendChild(el("line", { class: kind, x1: x(from), y1: mid, x2: x(to) - dir * 4, y2: mid }));
      labelX = Math.max(x(from), x(to)) + 10;
      g.appendChild(el("circle", { class: "dot", cx: x(from), cy: mid, r: 3 }));
      cls = e.fault ? "fault" : "";
    } else if (e.kind === "syscall" || e.kind === "fault") {
      g.appendChild(el("line", { class: e.kind === "fault" ? "arrow fault" : "arrow trap", x1: x(from), y1: mid, x2: x(0) + 4, y2: mid }));
      g.appendChild(el("circle", { class: "dot " + e.kind, cx: x(from), cy: mid, r: 3.5 }));
      labelX = x(from) + 8;
    } else if (e.kind === "invocation" || e.kind === "error" || e.kind === "cap" || e.kind === "switch") {
      g.appendChild(el("circle", { class: "dot " + e.kind, cx: x(0), cy: mid, r: 3.5 }));
      labelX = x(0) + 8;
    } else {
      g.appendChild(el("circle", { class: "dot " + e.kind, cx: x(from), cy: mid, r: 3 }));
    }
    g.appendChild(el("text", { class: "label " + cls, x: labelX, y: mid - 0.5 }, short(e.text, 150)));
  }

  function render() {
    const top = scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW) - 5);
    const last = Math.min(events.length, Math.ceil((top + scroller.clientHeight) / ROW) + 5);
    svg.replaceChildren(defs);
    svg.setAttribute("height", String(events.length * ROW));
    // Lifelines and the shaded intervals where a thread waits, for the rows in view only.
    const y0 = first * ROW, y1 = last * ROW;
    for (let c = 0; c <= threads.length; c++) {
      if (c > 0) {
        for (const [a, b] of blocked.get(threads[c - 1])) {
          if (b < first || a > last) continue;
          const ya = Math.max(a, first) * ROW + ROW / 2, yb = Math.min(b, last) * ROW + ROW / 2;
          svg.appendChild(el("rect", { class: "blocked", x: x(c) - 7, y: ya, width: 14, height: Math.max(0, yb - ya) }));
        }
      }
      svg.appendChild(el("line", { class: "life", x1: x(c), y1: y0, x2: x(c), y2: y1 }));
    }
    for (let i = first; i < last; i++) {
      const g = el("g", { class: "row" + (i === selected ? " selected" : ""), "data-index": i });
      drawRow(g, events[i], i, i * ROW);
      svg.appendChild(g);
    }
  }

  // Details of one event: every field, the MRs one per line, and the learner's code at its line.
  const details = document.getElementById("details");
  function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
  function show(i) {
    selected = i;
    const e = events[i];
    details.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = e.kind + " · " + (e.time / 1e6).toFixed(6) + " ms";
    details.appendChild(h);
    const p = document.createElement("p");
    p.textContent = e.text;
    details.appendChild(p);
    const table = document.createElement("table");
    table.className = "fields";
    const add = (k, v) => { const tr = document.createElement("tr"); cell(tr, k); cell(tr, v); table.appendChild(tr); };
    for (const k of Object.keys(e)) {
      if (k === "text" || k === "kind" || k === "time") continue;
      const v = e[k];
      if (k === "mrs") v.forEach((w, n) => add("MR" + n, w));
      else if (k === "caps") v.forEach((c, n) => add("cap " + n, JSON.stringify(c)));
      else if (k === "ip" || k === "peerIp") add(k, "0x" + v.toString(16));
      else if (v !== null && typeof v === "object") add(k, JSON.stringify(v));
      else add(k, String(v));
    }
    details.appendChild(table);
    for (const where of [e.line, e.peerLine]) {
      if (!where) continue;
      const at = where.lastIndexOf(":");
      const file = where.slice(0, at), line = Number(where.slice(at + 1));
      const source = data.sources[file];
      const title = document.createElement("h2");
      title.textContent = where;
      details.appendChild(title);
      if (source === undefined) continue;
      const pre = document.createElement("pre");
      const lines = source.split("\n");
      for (let n = Math.max(1, line - 3); n <= Math.min(lines.length, line + 3); n++) {
        const span = document.createElement("span");
        if (n === line) span.className = "here";
        span.textContent = String(n).padStart(4) + "  " + lines[n - 1] + "\n";
        pre.appendChild(span);
      }
      details.appendChild(pre);
    }
    render();
  }

  svg.addEventListener("click", (ev) => {
    const g = ev.target.closest("g.row");
    if (g) show(Number(g.getAttribute("data-index")));
  });
  let pending = false;
  scroller.addEventListener("scroll", () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  });
  window.addEventListener("resize", render);
  render();
  // Where something went wrong is where to look first: a fault that reached no handler, else where a thread got stuck.
  const rows = (kind) => [...trouble.values()].filter((t) => t.kind === kind).map((t) => t.row);
  const firstTrouble = Math.min(...(rows("faulted").length > 0 ? rows("faulted") : rows("stuck")));
  if (Number.isFinite(firstTrouble)) { scroller.scrollTop = Math.max(0, (firstTrouble - 5) * ROW); show(firstTrouble); }
})();
`;
