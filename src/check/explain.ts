// Why an expected line never came, judged from how the run ended and what it printed.
import { safeLine, safeText } from "../text/terminal-safe.js";

import type { MachineOutcome } from "../machine/run.js";

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
}

const DOUBLE_FAULT = /^(Caught .*|Found thread has no fault handler.*)$/m;
const ASSERTION = /^.*\[Cond failed:.*$/m;
const EXCEPTION = /^Uncaught exception in thread .*$/m;

export function explainMissing(output: string, run?: RunSummary, failure?: { lineText: string }): string {
  const why: string[] = [];
  const fault = DOUBLE_FAULT.exec(output);
  if (fault) {
    why.push(
      `a thread faulted with no usable fault handler, so the kernel printed its fault report ("${safeLine(fault[0].trim())}") and stopped that thread`,
    );
  }
  const assertion = ASSERTION.exec(output);
  if (assertion) why.push(`a ZF_LOGF_IF check failed ("${safeLine(assertion[0].trim())}") and that thread stopped`);
  const exception = EXCEPTION.exec(output);
  if (exception) why.push(`${safeLine(exception[0].trim())}; the kernel turned it into a user exception fault`);
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
