// Why an expected line never came, judged from how the run ended and what it printed.
import { safeLine, safeText } from "../text/terminal-safe.js";

import type { MachineOutcome } from "../machine/run.js";
import type { TraceRecord } from "../machine/trace-lines.js";

/** How a run ended: the machine's endings and the two the runner adds. */
export type RunOutcome =
  | MachineOutcome
  /** The runner stopped a program that printed more than it keeps (see the CLI's output limit). */
  | "output-limit"
  /** A thread used up the memory (JavaScript heap) a thread may have. */
  | "out-of-memory"
  /** sel4tut stopped a run that went over its memory or thread ceiling (to protect the computer). */
  | "resource-limit";

export interface RunSummary {
  outcome: RunOutcome;
  report: string;
  virtualTimeNs: number;
  /** The kernel's events a run's ending is judged by (faults, threads that stopped themselves), in order. */
  events?: readonly TraceRecord[];
}

type FaultEvent = Extract<TraceRecord, { kind: "fault" }>;

/** The first line of the kernel's report for a fault it could not deliver (master and MCS word it differently). */
function faultReportHeadline(e: FaultEvent): string {
  return e.handlerFault !== undefined
    ? `Caught ${e.handlerFault}`
    : "Found thread has no fault handler while trying to handle:";
}

function at(e: TraceRecord): string {
  return e.line ? ` at ${e.line}` : "";
}

/** Why the program did not print what was expected, from the kernel's events (not from the printed text). */
export function explainMissing(run?: RunSummary, failure?: { lineText: string }): string {
  const why: string[] = [];
  const events = run?.events ?? [];
  const undelivered = events.find((e): e is FaultEvent => e.kind === "fault" && !e.delivered);
  if (undelivered) {
    why.push(
      `${undelivered.thread} faulted (${undelivered.description}) with no usable fault handler, so the kernel printed its fault report ("${safeLine(faultReportHeadline(undelivered))}") and stopped that thread`,
    );
  }
  const aborted = events.find((e) => e.kind === "exit" && e.how === "aborted");
  if (aborted) why.push(`a ZF_LOGF_IF check failed in ${aborted.thread}${at(aborted)} and that thread stopped`);
  const exception = events.find((e): e is FaultEvent => e.kind === "fault" && e.fault === "seL4_Fault_UserException");
  if (exception && exception !== undelivered) {
    why.push(
      `${exception.thread} did not catch an exception${at(exception)}; the kernel turned it into a user exception fault`,
    );
  }
  if (failure && why.length === 0) why.push(`see "${safeLine(failure.lineText.trim())}"`);
  if (run) why.push(describeOutcome(run));
  return why.join("; ") || "the program did not print it";
}

/** Simulated time in the unit that reads best (it is deterministic, so it may be shown). */
function formatSimTime(ns: number): string {
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

export function describeOutcome(run: RunSummary): string {
  const ms = formatSimTime(run.virtualTimeNs);
  // The machine's report quotes learner output (an uncaught exception's message): shown safely.
  const report = run.report.trim() ? `\n${safeText(run.report.trim())}` : "";
  switch (run.outcome) {
    case "finished":
      return `every thread finished (after ${ms} of simulated time)`;
    case "idle":
      return `the system went idle after ${ms} of simulated time: no thread could run${report}`;
    case "deadlock":
      return `the system deadlocked after ${ms} of simulated time: every remaining thread is blocked and nothing can wake it${report}`;
    case "sim-time-limit":
      return `the run used its whole simulated-time budget (${ms}); a thread may be looping forever${report}`;
    case "wall-time-limit":
      // Real time depends on the machine, so this ending is the one run that is not reproducible.
      return `the run took too long in real time and was stopped after ${ms} of simulated time; a thread may be stuck in one long computation, or the computer is very busy${report}`;
    case "halted":
      return `seL4_DebugHalt stopped the system after ${ms} of simulated time`;
    case "interrupted":
      return "the run was interrupted";
    case "output-limit":
      return `the program printed more than sel4tut keeps, so the run was stopped; a thread is probably printing in a loop${report}`;
    case "out-of-memory":
      return `a thread used up the memory a thread may have, so the run was stopped after ${ms} of simulated time; it is probably adding to an array or string in a loop${report}`;
    case "resource-limit":
      return `the run went over what sel4tut lets one run use, so it was stopped after ${ms} of simulated time; a thread is probably allocating, or creating threads, in a loop${report}`;
    case "internal-error":
      return `sel4tut itself failed while running the system (please report this)${report}`;
  }
}
