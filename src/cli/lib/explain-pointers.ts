// After a run or a failed check: which `sel4tut explain` topics say what the ending means, as
// `note:` lines after the report. The signals:
//   - the kernel's double-fault report (master "Caught <fault>\nwhile trying to handle:\n<fault>",
//     MCS "Found thread has no fault handler while trying to handle:\n<fault>", each printed in one
//     piece by src/kernel/kernel/debug.ts). The kernel keeps no record of it, so its exact lines are
//     read from the output, and the fault it was handling is named through the fault topics' own
//     aliases. It points to double-fault and that fault, and nothing else: the double-fault topic
//     already says why the others then wait forever;
//   - otherwise the run's outcome "deadlock", then a fault the kernel delivered that nobody
//     answered (the TCB's pending fault, read from the kernel after the run, see runBuilt) or, if
//     none, sel4tut's own "Uncaught exception in thread" line (a user exception that reached a handler).
// At most two lines, always in that order; topic names come from explanations.ts, never typed here.
import type { FaultType } from "../../abi/constants.js";
import type { RunOutcome } from "../../check/explain.js";
import type { RunEnd } from "../../app/pipeline.js";

import { EXPLANATIONS, REPORT_TOPICS, type Explanation } from "./explanations.js";
import { undeliveredFaultNote } from "../../app/fault-cause.js";
import { normalise } from "./topics.js";

/** One suggestion: the topic (as `explain` accepts it) and the note line that names it. */
export interface Pointer {
  topic: string;
  line: string;
  /** What the kernel knew about the ending that its printed text does not say: a note before this one. */
  cause?: string;
}

/** Outcomes whose thread states are a fact of the program (not of when a real-time stop landed). */
const OUTCOMES_WITH_THREAD_STATES: readonly RunOutcome[] = ["deadlock", "idle", "sim-time-limit"];

export const MAX_POINTERS = 2;

function topic(name: string): Explanation {
  const found = EXPLANATIONS.find((e) => e.topic === name);
  if (!found) throw new Error(`internal: no explain topic ${name}`);
  return found;
}

const DOUBLE_FAULT = topic(REPORT_TOPICS.doubleFault);
const DEADLOCK = topic(REPORT_TOPICS.deadlock);
const FAULTS = EXPLANATIONS.filter((e) => e.what.kind === "fault");

function faultTopic(fault: FaultType): Explanation | undefined {
  return FAULTS.find((e) => e.what.kind === "fault" && e.what.fault === fault);
}

/** The seL4 name of a fault topic (seL4_Fault_VMFault), shown so the learner can match it to the label constant. */
function sel4Name(e: Explanation): string {
  return e.what.name;
}

/**
 * The fault topic of a line as the kernel prints a fault ("cap fault in send phase at address 0",
 * "user exception 0xd code 0", ...): the fault topic with the longest alias the line starts with.
 */
export function faultTopicOfLine(line: string): Explanation | undefined {
  const text = normalise(line);
  let best: { e: Explanation; length: number } | undefined;
  for (const e of FAULTS) {
    for (const alias of e.aliases) {
      const key = normalise(alias);
      if (key !== "" && text.startsWith(key) && (!best || key.length > best.length)) best = { e, length: key.length };
    }
  }
  return best?.e;
}

// The two forms of the kernel's report, line by line: the first fault is on the line after.
const REPORT =
  /^(?:Caught (.+)\nwhile trying to handle:|Found thread has no fault handler while trying to handle:)\n(.+)$/m;

export interface DoubleFault {
  /** The report's first line as printed. */
  headline: string;
  /** The fault the kernel could not deliver, as printed ("user exception 0xd code 0"). */
  handling: string;
}

/** The first double-fault report in the output, if the kernel printed one. */
export function findDoubleFault(output: string): DoubleFault | null {
  const m = REPORT.exec(output);
  if (!m) return null;
  const handling = m[2]!;
  // A line that is not one of the kernel's fault descriptions is not the kernel's report.
  if (!faultTopicOfLine(handling)) return null;
  return { headline: m[0].split("\n")[0]!, handling };
}

const UNCAUGHT = /^Uncaught exception in thread "[^"\n]*": /m;

/** What to run to understand this run's ending: at most MAX_POINTERS, in a fixed order. */
export function explainPointers(output: string, run: RunEnd): Pointer[] {
  const out: Pointer[] = [];
  const add = (e: Explanation, what: string) => {
    if (out.length < MAX_POINTERS && !out.some((p) => p.topic === e.topic)) {
      out.push({ topic: e.topic, line: `what ${what} means: sel4tut explain ${e.topic}` });
    }
  };
  const double = findDoubleFault(output);
  if (double) {
    add(DOUBLE_FAULT, "the kernel's fault report");
    const undelivered = run.undeliveredFaults?.[0];
    if (undelivered) out[0]!.cause = undeliveredFaultNote(undelivered);
    const first = faultTopicOfLine(double.handling)!;
    add(first, `the fault it could not deliver (${sel4Name(first)})`);
    return out;
  }
  if (run.outcome === "deadlock") add(DEADLOCK, "the deadlock");
  const pending = OUTCOMES_WITH_THREAD_STATES.includes(run.outcome) ? run.pendingFaults?.[0] : undefined;
  const pendingTopic = pending && faultTopic(pending.fault);
  if (pending && pendingTopic) {
    add(pendingTopic, `${pending.thread}'s unanswered fault (${sel4Name(pendingTopic)})`);
  } else if (UNCAUGHT.test(output)) {
    const user = faultTopic("UserException");
    if (user) add(user, `the uncaught exception's fault (${sel4Name(user)})`);
  }
  return out;
}

/** The note lines, as run and check print them after their report. */
export function formatPointers(pointers: readonly Pointer[]): string[] {
  return pointers.flatMap((p) => [...(p.cause ? [`note: ${p.cause}`] : []), `note: ${p.line}`]);
}
