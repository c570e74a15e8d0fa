// Presentation of build diagnostics and check results (colour through chalk, which honours
// NO_COLOR and FORCE_COLOR; never colour alone: every status also has a mark and a word).
import chalk from "chalk";
import { formatDiagnostic, type BuildDiagnostic } from "../../compile/diagnostics.js";
import type { CheckResult } from "../../check/engine.js";
import { describeOutcome, type RunSummary } from "../../check/explain.js";
import { safeLine } from "../../text/terminal-safe.js";

export function formatDiagnostics(config: string, diagnostics: readonly BuildDiagnostic[]): string {
  const head = chalk.red(
    `Build failed for the ${config} configuration (${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"}):`,
  );
  return [head, ...diagnostics.map((d) => formatDiagnostic(d))].join("\n\n");
}

function patternLabel(p: { pattern: string; endOfLine: boolean }): string {
  if (p.endOfLine) return "(end of that line)";
  return p.pattern === "" ? "(empty line: matches at once)" : JSON.stringify(p.pattern);
}

export function formatCheck(title: string, result: CheckResult): string {
  const out = [chalk.bold(title)];
  for (const l of result.lines) {
    const label = patternLabel(l);
    if (l.status === "matched") {
      out.push(
        `  ${chalk.green("✓ matched")}  ${label}${l.endOfLine ? "" : chalk.dim(`  (output line ${l.line}: ${safeLine(l.lineText?.trim() ?? "")})`)}`,
      );
    } else if (l.status === "missing") {
      out.push(`  ${chalk.red("✗ missing")}  ${label}`);
    } else {
      out.push(`  ${chalk.dim("· not reached")} ${label}`);
    }
  }
  if (result.failureText) {
    out.push(
      `  ${chalk.red("✗ failure text")} ${JSON.stringify(result.failureText.pattern)} ${chalk.dim(`(output line ${result.failureText.line}: ${safeLine(result.failureText.lineText.trim())})`)}`,
    );
  }
  return out.join("\n");
}

export function formatOutput(output: string): string {
  const lines = output.replace(/\n$/, "").split("\n");
  const width = String(lines.length).length;
  return [
    chalk.bold("Output of the run:"),
    ...lines.map((l, i) => `${chalk.dim(String(i + 1).padStart(width))} ${safeLine(l)}`),
  ].join("\n");
}

export function formatOutcome(config: string, run: RunSummary): string {
  return chalk.dim(`[sel4tut ${config}] ${describeOutcome(run)}`);
}

export function success(text: string): string {
  return chalk.green.bold(text);
}

export function failure(text: string): string {
  return chalk.red.bold(text);
}
