// After a run or a failed check: which `sel4tut explain` topics say what the ending means, as
// `note:` lines after the report. Everything comes from the kernel's events (src/kernel/api/trace.ts)
// and its state at the end, never from the printed text, so a report's wording is free to change:
//   - a fault the kernel could not deliver (the double-fault report it prints): the double-fault
//     topic and that fault's, and nothing else, since the double-fault topic already says why the
//     others then wait forever; the fault event also says why it was undeliverable (a note first);
//   - otherwise the run's outcome "deadlock", then a fault the kernel delivered that nobody
//     answered (the TCB's pending fault, read from the kernel after the run, see runBuilt) or, if
//     none, a user exception fault (an exception the program did not catch).
// At most two lines, always in that order; topic names come from explanations.ts, never typed here.
import type { FaultType } from "../../abi/constants.js";
import type { RunOutcome } from "../../check/explain.js";
import type { RunEnd, TraceRecord } from "../../app/pipeline.js";

import { EXPLANATIONS, REPORT_TOPICS, type Explanation } from "./explanations.js";
import { undeliveredFaultNote, type UndeliveredFault } from "../../app/fault-cause.js";

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

type FaultEvent = Extract<TraceRecord, { kind: "fault" }>;

/** The fault type of a fault event (seL4_Fault_VMFault -> VMFault). */
function faultType(e: FaultEvent): FaultType {
  return e.fault.replace(/^seL4_Fault_/, "") as FaultType;
}

/** What to run to understand this run's ending: at most MAX_POINTERS, in a fixed order, from the kernel's events. */
export function explainPointers(run: RunEnd): Pointer[] {
  const out: Pointer[] = [];
  const add = (e: Explanation, what: string) => {
    if (out.length < MAX_POINTERS && !out.some((p) => p.topic === e.topic)) {
      out.push({ topic: e.topic, line: `what ${what} means: sel4tut explain ${e.topic}` });
    }
  };
  const faults = (run.events ?? []).filter((e): e is FaultEvent => e.kind === "fault");
  const undelivered = faults.find((e) => !e.delivered);
  if (undelivered) {
    add(DOUBLE_FAULT, "the kernel's fault report");
    if (undelivered.cause) out[0]!.cause = undeliveredFaultNote(undelivered as UndeliveredFault);
    const first = faultTopic(faultType(undelivered));
    if (first) add(first, `the fault it could not deliver (${sel4Name(first)})`);
    return out;
  }
  if (run.outcome === "deadlock") add(DEADLOCK, "the deadlock");
  const pending = OUTCOMES_WITH_THREAD_STATES.includes(run.outcome) ? run.pendingFaults?.[0] : undefined;
  const pendingTopic = pending && faultTopic(pending.fault);
  if (pending && pendingTopic) {
    add(pendingTopic, `${pending.thread}'s unanswered fault (${sel4Name(pendingTopic)})`);
  } else if (faults.some((e) => e.fault === "seL4_Fault_UserException")) {
    const user = faultTopic("UserException");
    if (user) add(user, `the uncaught exception's fault (${sel4Name(user)})`);
  }
  return out;
}

/** The note lines, as run and check print them after their report. */
export function formatPointers(pointers: readonly Pointer[]): string[] {
  return pointers.flatMap((p) => [...(p.cause ? [`note: ${p.cause}`] : []), `note: ${p.line}`]);
}
