// The `note: ... sel4tut explain TOPIC` lines run and check print after their report: every topic
// they can name is one explain accepts, the kernel's fault events lead to the right topic, and at
// most two lines come, in a fixed order. (The spawned runs are in test/reliability.)
import { describe, expect, it } from "vitest";
import type { Fault } from "../../src/kernel/api/failures.js";
import { Kernel } from "../../src/kernel/index.js";
import { describeFault } from "../../src/kernel/kernel/debug.js";
import { explainPointers, formatPointers, MAX_POINTERS } from "../../src/cli/lib/explain-pointers.js";
import type { RunEnd, TraceRecord } from "../../src/app/pipeline.js";
import { EXPLANATIONS, REPORT_TOPICS } from "../../src/cli/lib/explanations.js";
import { findExplanation } from "../../src/cli/lib/topics.js";
import { sel4tut, tempDir } from "./helpers.js";

/** One fault of every type the kernel can raise, as its fault handler would get it. */
const SAMPLE_FAULTS: Record<Fault["type"], Fault[]> = {
  CapFault: [
    { type: "CapFault", address: 0n, inReceivePhase: false, lookupFailure: { type: "InvalidRoot" } },
    { type: "CapFault", address: 3n, inReceivePhase: true, lookupFailure: { type: "MissingCapability", bitsLeft: 0 } },
  ],
  VMFault: [
    { type: "VMFault", address: 0x20001000n, fsr: 6, instructionFault: false },
    { type: "VMFault", address: 0x400000n, fsr: 0x14, instructionFault: true },
  ],
  UnknownSyscall: [{ type: "UnknownSyscall", syscallNumber: 0xffffffffffffff00n }],
  UserException: [{ type: "UserException", number: 0xd, code: 0 }],
  Timeout: [{ type: "Timeout", badge: 0x123456789n }],
};

const kernel = new Kernel({ config: "mcs" });
const finished: RunEnd = {
  outcome: "finished",
  report: "finished: every thread returned from main",
  virtualTimeNs: 1000,
  pendingFaults: [],
};
const deadlock: RunEnd = { outcome: "deadlock", report: "deadlock: ...", virtualTimeNs: 4200, pendingFaults: [] };

/** The kernel's fault event, as src/kernel/kernel/faulthandler.ts emits it (delivered, or not: a double fault). */
function faultEvent(fault: Fault, delivered: boolean, config: "master" | "mcs" = "master"): TraceRecord {
  const handlerFault: Fault = {
    type: "CapFault",
    address: 0n,
    inReceivePhase: false,
    lookupFailure: { type: "InvalidRoot" },
  };
  return {
    kind: "fault",
    time: 1000,
    thread: "tcb_faulter",
    fault: `seL4_Fault_${fault.type}`,
    description: describeFault(kernel.state, fault),
    mrs: [],
    handler:
      config === "master" ? { resolved: "at-fault", cptr: "0x0", cap: null } : { resolved: "at-configure", cap: null },
    delivered,
    ...(delivered
      ? {}
      : config === "master"
        ? {
            handlerFault: describeFault(kernel.state, handlerFault),
            cause: { kind: "lookup", failure: { type: "InvalidRoot" } },
          }
        : { cause: { kind: "none" } }),
  } as TraceRecord;
}

const withEvents = (run: RunEnd, ...events: TraceRecord[]): RunEnd => ({ ...run, events });

const topicOf = (type: Fault["type"]) =>
  EXPLANATIONS.find((e) => e.what.kind === "fault" && e.what.fault === type)!.topic;

describe("explain pointers after a run (from the kernel's events, never the printed text)", () => {
  it("a double fault (master and MCS): the double-fault topic, then the fault it was handling", () => {
    for (const config of ["master", "mcs"] as const) {
      for (const [type, faults] of Object.entries(SAMPLE_FAULTS) as [Fault["type"], Fault[]][]) {
        const pointers = explainPointers(withEvents(deadlock, faultEvent(faults[0]!, false, config)));
        expect(pointers.map((p) => p.topic)).toEqual([REPORT_TOPICS.doubleFault, topicOf(type)]);
        expect(formatPointers(pointers).slice(1)).toEqual([
          "note: what the kernel's fault report means: sel4tut explain double-fault",
          `note: what the fault it could not deliver (${findExplanation(topicOf(type))!.what.name}) means: sel4tut explain ${topicOf(type)}`,
        ]);
        expect(formatPointers(pointers)[0]).toMatch(/^note: why the kernel could not deliver tcb_faulter's fault: /);
      }
    }
  });

  it("a delivered fault is no double fault, and a run without fault events gets no fault pointer", () => {
    expect(explainPointers(withEvents(finished, faultEvent(SAMPLE_FAULTS.CapFault[0]!, true)))).toEqual([]);
    expect(explainPointers(finished)).toEqual([]);
  });

  it("a deadlock: the deadlock topic, then the fault a thread still waits on (from the kernel's state)", () => {
    expect(formatPointers(explainPointers(deadlock))).toEqual([
      "note: what the deadlock means: sel4tut explain deadlock",
    ]);
    const waiting: RunEnd = {
      ...deadlock,
      pendingFaults: [
        { thread: "tcb_faulter", fault: "VMFault" },
        { thread: "tcb_other", fault: "CapFault" },
      ],
    };
    expect(formatPointers(explainPointers(waiting))).toEqual([
      "note: what the deadlock means: sel4tut explain deadlock",
      "note: what tcb_faulter's unanswered fault (seL4_Fault_VMFault) means: sel4tut explain vm-fault",
    ]);
    // The time budget ran out while a fault was unanswered: the fault, no deadlock.
    const looping: RunEnd = {
      outcome: "sim-time-limit",
      report: "",
      virtualTimeNs: 1e8,
      pendingFaults: [{ thread: "tcb_faulter", fault: "Timeout" }],
    };
    expect(explainPointers(looping).map((p) => p.topic)).toEqual(["timeout"]);
    // Thread states at a real-time stop depend on when it landed: they are not used.
    expect(explainPointers({ ...looping, outcome: "wall-time-limit" })).toEqual([]);
  });

  it("an uncaught exception that reached a handler: the user-exception topic", () => {
    const run = withEvents(finished, faultEvent(SAMPLE_FAULTS.UserException[0]!, true));
    expect(explainPointers(run).map((p) => p.topic)).toEqual(["user-exception"]);
  });

  it("never more than two come, the double fault first", () => {
    const run = withEvents(
      { ...deadlock, pendingFaults: [{ thread: "t", fault: "CapFault" }] },
      faultEvent(SAMPLE_FAULTS.UserException[0]!, true),
      faultEvent(SAMPLE_FAULTS.VMFault[0]!, false),
      faultEvent(SAMPLE_FAULTS.CapFault[0]!, false, "mcs"),
    );
    const pointers = explainPointers(run);
    expect(pointers.length).toBeLessThanOrEqual(MAX_POINTERS);
    expect(pointers.map((p) => p.topic)).toEqual(["double-fault", "vm-fault"]);
  });

  it("every topic a pointer can name is one sel4tut explain accepts", () => {
    const suggested = new Set<string>([REPORT_TOPICS.doubleFault, REPORT_TOPICS.deadlock]);
    for (const type of Object.keys(SAMPLE_FAULTS) as Fault["type"][]) {
      const run: RunEnd = { ...deadlock, pendingFaults: [{ thread: "t", fault: type }] };
      for (const p of [
        ...explainPointers(run),
        ...explainPointers(withEvents(deadlock, faultEvent(SAMPLE_FAULTS[type][0]!, false))),
      ])
        suggested.add(p.topic);
    }
    expect([...suggested].sort()).toEqual([
      "cap-fault",
      "deadlock",
      "double-fault",
      "timeout",
      "unknown-syscall",
      "user-exception",
      "vm-fault",
    ]);
    const cwd = tempDir();
    for (const topic of suggested) {
      expect(findExplanation(topic)?.topic).toBe(topic);
      const r = sel4tut(["explain", topic], cwd);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toBe("");
    }
  });
});
