// The doctor's report as plain text (no colour: it is meant to be pasted): aligned findings,
// then each problem with what to do about it.
import { environmentFindings } from "./doctor-environment.js";
import { exerciseFindings } from "./doctor-exercise.js";
import type { Finding } from "./findings.js";

function formatFindings(findings: readonly Finding[]): { text: string; problems: number } {
  const width = Math.max(...findings.map((f) => f.label.length));
  const lines = findings.map((f) => `  ${f.label.padEnd(width)}  ${f.value}${f.problem ? "  <- problem" : ""}`);
  const problems = findings.filter((f) => f.problem);
  const tail =
    problems.length === 0
      ? ["No problem found."]
      : [
          `${problems.length} problem${problems.length === 1 ? "" : "s"} found:`,
          ...problems.map((f) => `  - ${f.label}: ${f.problem}`),
        ];
  return { text: ["sel4tut doctor report", ...lines, "", ...tail].join("\n"), problems: problems.length };
}

export function doctorReport(cwd: string): { text: string; problems: number } {
  return formatFindings([...environmentFindings(), ...exerciseFindings(cwd)]);
}
