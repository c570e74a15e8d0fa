// Compiler diagnostics as a learner reads them: file:line:column, the message, a code frame
// of the offending code, and a note when the cause is the other configuration's API.
import type * as TS from "typescript";
import { relative } from "node:path";
import type { KernelConfig } from "../abi/constants.js";
import { configApiNote } from "./config-api.js";
import { hostApiMessage } from "./host-api.js";

export interface BuildDiagnostic {
  /** Relative to the exercise directory. */
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
  /** The offending source lines with a caret underline. */
  frame: string;
  note: string | null;
}

/** Diagnostics about a name the configuration's sel4 module lacks. */
const MISSING_NAME_CODES = new Set([2304, 2305, 2552, 2724]);
/** Diagnostics about the arguments of a call (a call the configurations spell differently). */
const ARGUMENT_CODES = new Set([2345, 2554, 2555, 2556]);

function codeFrame(text: string, line: number, column: number, length: number): string {
  const lines = text.split("\n");
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = (lines[n - 1] ?? "").replace(/\r$/, "");
    out.push(`${n === line ? ">" : " "} ${String(n).padStart(width)} | ${src}`);
    if (n === line) {
      const span = Math.max(1, Math.min(length, src.length - column + 1));
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(column - 1)}${"^".repeat(span)}`);
    }
  }
  return out.join("\n");
}

/** The innermost identifier, or the innermost call's callee, that a diagnostic points into. */
function nameAt(ts: typeof TS, sf: TS.SourceFile, pos: number, want: "identifier" | "callee"): string | null {
  let found: string | null = null;
  const visit = (node: TS.Node): void => {
    if (pos < node.getStart(sf) || pos >= node.end) return;
    if (want === "callee" && ts.isCallExpression(node) && ts.isIdentifier(node.expression))
      found = node.expression.text;
    if (want === "identifier" && ts.isIdentifier(node)) found = node.text;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const IMPORT_MISSING = 2305;

/** The first reference to `name` outside the import declarations. */
function firstUse(ts: typeof TS, sf: TS.SourceFile, name: string): TS.Identifier | undefined {
  let found: TS.Identifier | undefined;
  const visit = (node: TS.Node): void => {
    if (found || ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && node.text === name) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export function toBuildDiagnostic(
  ts: typeof TS,
  d: TS.Diagnostic,
  exerciseDir: string,
  originalText: (file: string) => string | undefined,
  config: KernelConfig,
  extraNotes: ReadonlyMap<string, string> = new Map(),
): BuildDiagnostic {
  const compilerMessage = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const message = hostApiMessage(ts, d, compilerMessage) ?? compilerMessage;
  if (!d.file || d.start === undefined) {
    return { file: "", line: 0, column: 0, code: d.code, message, frame: "", note: null };
  }
  // Show the learner's own text, not the blanked copy the compiler saw.
  const text = originalText(d.file.fileName) ?? d.file.text;
  const name = MISSING_NAME_CODES.has(d.code)
    ? nameAt(ts, d.file, d.start, "identifier")
    : ARGUMENT_CODES.has(d.code)
      ? nameAt(ts, d.file, d.start, "callee")
      : null;
  let start = d.start;
  let length = d.length ?? 1;
  let shown = message;
  // A name the module lacks is reported at its import; the learner wants the line that uses it.
  const use = d.code === IMPORT_MISSING && name ? firstUse(ts, d.file, name) : undefined;
  if (use) {
    const importLine = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
    shown = `${message} (imported on line ${importLine})`;
    start = use.getStart(d.file);
    length = use.end - start;
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(start);
  return {
    file: relative(exerciseDir, d.file.fileName),
    line: line + 1,
    column: character + 1,
    code: d.code,
    message: shown,
    frame: codeFrame(text, line + 1, character + 1, length),
    note: name ? (extraNotes.get(name) ?? configApiNote(name, config)) : null,
  };
}

export function formatDiagnostic(d: BuildDiagnostic): string {
  const where = d.file ? `${d.file}:${d.line}:${d.column} - ` : "";
  // Code 0 is sel4tut's own (src/compile/synchronous.ts), not a TypeScript error number.
  const parts = [`${where}error${d.code === 0 ? "" : ` TS${d.code}`}: ${d.message}`];
  if (d.frame) parts.push(d.frame);
  if (d.note) parts.push(`note: ${d.note}`);
  return parts.join("\n");
}
