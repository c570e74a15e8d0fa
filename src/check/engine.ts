// The expect engine: the completion text's lines matched in order against a run's output,
// failure texts, and the reason when a line never came.
import { explainMissing, type RunSummary } from "./explain.js";
import { completionPatterns, compilePattern, findFrom, lineAt, lineNumberAt } from "../text/patterns.js";

export interface Expectation {
  /** The completion text (START or FINISH) as the tutorial gives it. */
  text: string;
  /** Any of these anywhere in the output fails the check (stricter than ./check, which stops at the last line). */
  failureTexts: readonly string[];
}

interface LineResult {
  pattern: string;
  endOfLine: boolean;
  status: "matched" | "missing" | "not-reached";
  /** Where it matched: the output line number (1-based) and that line's text. */
  line?: number;
  lineText?: string;
}

export interface CheckResult {
  ok: boolean;
  lines: LineResult[];
  /** Why the check failed, in words a learner can act on. */
  reason: string | null;
  /** The failure text that was found, with its output line. */
  failureText?: { pattern: string; line: number; lineText: string };
}

/**
 * The output as ./check reads it: from a pty, whose line ends are "\r\n". Some official texts pass
 * only because of that (untyped's "Failed to create endpoints..": the second "." is the "\r").
 */
function asTerminalSees(output: string): string {
  return output.replace(/\r?\n/g, "\r\n");
}

export function expectCompletion(output: string, exp: Expectation, run?: RunSummary): CheckResult {
  const patterns = completionPatterns(exp.text);
  const lines: LineResult[] = [];
  const tty = asTerminalSees(output);
  let cursor = 0;
  let missing = -1;
  for (const [i, p] of patterns.entries()) {
    const m = findFrom(p.regex, tty, cursor);
    if (!m) {
      missing = i;
      break;
    }
    lines.push({
      pattern: p.source,
      endOfLine: p.endOfLine,
      status: "matched",
      line: lineNumberAt(tty, m.index),
      lineText: lineAt(tty, m.index).replace(/\r$/, ""),
    });
    cursor = m.end;
  }
  if (missing >= 0) {
    patterns.slice(missing).forEach((p, k) => {
      lines.push({ pattern: p.source, endOfLine: p.endOfLine, status: k === 0 ? "missing" : "not-reached" });
    });
  }
  const failureText = findFailureText(output, exp.failureTexts);
  if (failureText) {
    return {
      ok: false,
      lines,
      failureText,
      reason: `the output contains the failure text "${failureText.pattern}" (line ${failureText.line}): ${explainMissing(run, failureText)}`,
    };
  }
  if (missing >= 0) {
    const p = patterns[missing]!;
    const what = p.endOfLine ? "the end of the last expected line" : `"${p.source}"`;
    return { ok: false, lines, reason: `${what} never appeared: ${explainMissing(run)}` };
  }
  return { ok: true, lines, reason: null };
}

function findFailureText(output: string, texts: readonly string[]): CheckResult["failureText"] {
  let best: (CheckResult["failureText"] & { index: number }) | undefined;
  for (const t of texts) {
    const m = findFrom(compilePattern(t), output, 0);
    if (m && (!best || m.index < best.index)) {
      best = { pattern: t, index: m.index, line: lineNumberAt(output, m.index), lineText: lineAt(output, m.index) };
    }
  }
  if (!best) return undefined;
  const { index: _index, ...rest } = best;
  return rest;
}
