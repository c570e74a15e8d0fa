// Output for programs rather than people: `run --json` and `check --json` print one JSON event
// per line (NDJSON) on standard output, and `check --reporter junit` writes JUnit XML with one
// testcase per expected line, so a course can grade submissions in CI. The events, in order:
//   start    { command, tutorial, task, config, expect? }
//   build    { status: "built" | "up-to-date" | "failed", diagnostics: [{ file, line, column, code, message }], ms }
//   output   { line }                          each line the program printed (run, and check)
//   expect   { pattern, endOfLine, status: "matched" | "missing" | "not-reached", line?, lineText? }   (check)
//   failureText { pattern, line, lineText }     (check, when one was found)
//   kernel   { kind, time, thread, ... }       with --trace: each kernel event (docs/trace.md), as it
//                                              happens (an output line comes once it is complete)
//   note     { text }                          what a person would read after the report
//   end      { ok, outcome, reason, virtualTimeNs, timings: { buildMs, runMs, totalMs } }
// Numbers of milliseconds are wall-clock time of this machine; everything else is determined by
// the sources and the configuration.
import type { BuildDiagnostic } from "../../compile/diagnostics.js";
import type { CheckResult } from "../../check/engine.js";
import type { TraceRecord } from "../../app/pipeline.js";

export type Event = { event: string } & Record<string, unknown>;

export function emit(e: Event): void {
  process.stdout.write(`${JSON.stringify(e)}\n`);
}

/** --trace with JSON: each kernel event as a `kernel` event (the output it carries is already in `output` lines). */
export function kernelEvents(e: TraceRecord): void {
  if (e.kind !== "output") emit({ event: "kernel", ...e });
}

export function diagnosticsJson(diagnostics: readonly BuildDiagnostic[]) {
  return diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, code: d.code, message: d.message }));
}

/** Splits streamed program output into whole lines (the last one is flushed at the end). */
export function lineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let pending = "";
  return {
    push(text) {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
    flush() {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}

export function expectEvents(result: CheckResult): Event[] {
  const lines: Event[] = result.lines.map((l) => ({ event: "expect", ...l }));
  return result.failureText ? [...lines, { event: "failureText", ...result.failureText }] : lines;
}

/** Characters XML 1.0 does not allow at all: program output may hold them. */
// eslint-disable-next-line no-control-regex
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** The text with the characters XML cannot hold spelt out, then the five escapes. */
function xml(text: string): string {
  return text
    .replace(NOT_IN_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export interface JunitInput {
  tutorial: string;
  task: string;
  config: string;
  /** The expected lines and what became of them; null when the build failed. */
  result: CheckResult | null;
  /** The expected lines' patterns, for a build that failed (they all fail). */
  patterns: readonly { pattern: string; endOfLine: boolean }[];
  /** Why the check failed, as a person reads it. */
  reason: string | null;
  output: string;
  seconds: number;
}

function testName(p: { pattern: string; endOfLine: boolean }, i: number): string {
  return `${i + 1}: ${p.endOfLine ? "(end of that line)" : JSON.stringify(p.pattern)}`;
}

/**
 * One testsuite for the check, one testcase per expected line. A line that never appeared fails
 * with the reason; a failure text found in the output fails the last line (the task did not come
 * to a clean end); a failed build fails every line with the compiler's messages.
 */
export function junitXml(j: JunitInput): string {
  const name = `${j.tutorial}.${j.task}.${j.config}`;
  const lines = j.result ? j.result.lines : j.patterns.map((p) => ({ ...p, status: "not-reached" as const }));
  const failureOf = (l: (typeof lines)[number], last: boolean): { type: string; message: string } | null => {
    if (j.result === null) return { type: "build-failed", message: j.reason ?? "the build failed" };
    if (l.status === "missing") return { type: "missing", message: j.reason ?? "" };
    if (l.status === "not-reached")
      return { type: "not-reached", message: "not checked: an earlier expected line never appeared" };
    if (last && j.result.failureText) return { type: "failure-text", message: j.reason ?? "" };
    return null;
  };
  const cases = lines.map((l, i) => {
    const failure = failureOf(l, i === lines.length - 1);
    const body = failure ? `\n      <failure type="${failure.type}" message="${xml(failure.message)}"/>\n    ` : "";
    const where = "line" in l && l.line !== undefined ? ` (output line ${l.line})` : "";
    return `    <testcase classname="${xml(name)}" name="${xml(testName(l, i) + where)}" time="0">${body}</testcase>`;
  });
  const failures = cases.filter((c) => c.includes("<failure")).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sel4tut check" tests="${cases.length}" failures="${failures}" errors="0" time="${j.seconds.toFixed(3)}">`,
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${j.seconds.toFixed(3)}">`,
    ...cases,
    `    <system-out>${xml(j.output)}</system-out>`,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
