// The `note: ... sel4tut explain TOPIC` lines run and check print after their report: every topic
// they can name is one explain accepts, the kernel's own fault texts lead to the right topic, and
// at most two lines come, in a fixed order. (The spawned runs are in test/reliability.)
import { describe, expect, it } from "vitest";
import type { Fault } from "../../src/kernel/api/failures.js";
import { Kernel } from "../../src/kernel/index.js";
import { describeFault } from "../../src/kernel/kernel/debug.js";
import {
  explainPointers,
  faultTopicOfLine,
  findDoubleFault,
  formatPointers,
  MAX_POINTERS,
} from "../../src/cli/lib/explain-pointers.js";
import type { RunEnd } from "../../src/app/pipeline.js";
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

/** The kernel's master double-fault report, as src/kernel/kernel/debug.ts prints it. */
function masterReport(original: Fault): string {
  const handler: Fault = {
    type: "CapFault",
    address: 0n,
    inReceivePhase: false,
    lookupFailure: { type: "InvalidRoot" },
  };
  return (
    `Caught ${describeFault(kernel.state, handler)}\nwhile trying to handle:\n${describeFault(kernel.state, original)}` +
    '\nin thread 0xffffff8000010c00 "tcb_faulter" at address 0x18b00010\nWith stack:\n0x1000: INVALID\n'
  );
}

function mcsReport(original: Fault): string {
  return (
    `Found thread has no fault handler while trying to handle:\n${describeFault(kernel.state, original)}` +
    '\nin thread 0xffffff8000010c00 "tcb_faulter" at address 0x18b00010\nWith stack:\n0x1000: INVALID\n'
  );
}

const topicOf = (type: Fault["type"]) =>
  EXPLANATIONS.find((e) => e.what.kind === "fault" && e.what.fault === type)!.topic;

describe("explain pointers after a run", () => {
  it("every line the kernel prints for a fault leads to that fault's topic", () => {
    for (const [type, faults] of Object.entries(SAMPLE_FAULTS) as [Fault["type"], Fault[]][]) {
      for (const fault of faults) {
        expect(faultTopicOfLine(describeFault(kernel.state, fault))?.topic, describeFault(kernel.state, fault)).toBe(
          topicOf(type),
        );
      }
    }
  });

  it("a double fault (master and MCS forms): the double-fault topic, then the fault it was handling", () => {
    for (const report of [masterReport, mcsReport]) {
      for (const [type, faults] of Object.entries(SAMPLE_FAULTS) as [Fault["type"], Fault[]][]) {
        const output = `Faulter: about to fault.\n${report(faults[0]!)}`;
        const pointers = explainPointers(output, deadlock);
        expect(pointers.map((p) => p.topic)).toEqual([REPORT_TOPICS.doubleFault, topicOf(type)]);
        expect(formatPointers(pointers)).toEqual([
          "note: what the kernel's fault report means: sel4tut explain double-fault",
          `note: what the fault it could not deliver (${findExplanation(topicOf(type))!.what.name}) means: sel4tut explain ${topicOf(type)}`,
        ]);
      }
    }
    expect(findDoubleFault(masterReport(SAMPLE_FAULTS.UserException[0]!))).toEqual({
      headline: "Caught cap fault in send phase at address 0",
      handling: "user exception 0xd code 0",
    });
  });

  it("text that only looks like the kernel's report is not taken for it", () => {
    expect(findDoubleFault("Caught my breath\nwhile trying to handle:\nthe handler\n")).toBeNull();
    expect(
      findDoubleFault(
        "Handler: Caught cap fault in send phase at address 0\nwhile trying to handle:\nuser exception 0xd code 0\n",
      ),
    ).toBeNull();
    expect(explainPointers("Caught it\n", finished)).toEqual([]);
  });

  it("a deadlock: the deadlock topic, then the fault a thread still waits on (from the kernel's state)", () => {
    expect(formatPointers(explainPointers("Handler: waiting.\n", deadlock))).toEqual([
      "note: what the deadlock means: sel4tut explain deadlock",
    ]);
    const waiting: RunEnd = {
      ...deadlock,
      pendingFaults: [
        { thread: "tcb_faulter", fault: "VMFault" },
        { thread: "tcb_other", fault: "CapFault" },
      ],
    };
    expect(formatPointers(explainPointers("", waiting))).toEqual([
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
    expect(explainPointers("", looping).map((p) => p.topic)).toEqual(["timeout"]);
    // Thread states at a real-time stop depend on when it landed: they are not used.
    expect(explainPointers("", { ...looping, outcome: "wall-time-limit" })).toEqual([]);
  });

  it("an uncaught exception that reached a handler: the user-exception topic", () => {
    const output =
      'Uncaught exception in thread "tcb_faulter": Error: boom\n    at main (faulter.ts:12:9)\nHandler: got label 3\n';
    expect(explainPointers(output, finished).map((p) => p.topic)).toEqual(["user-exception"]);
  });

  it("a clean run gets no pointer, and never more than two come", () => {
    expect(explainPointers("Faulter: Finished execution.\n", finished)).toEqual([]);
    const everything = `Uncaught exception in thread "t": Error: x\n${masterReport(SAMPLE_FAULTS.VMFault[0]!)}${mcsReport(SAMPLE_FAULTS.CapFault[0]!)}`;
    const pointers = explainPointers(everything, { ...deadlock, pendingFaults: [{ thread: "t", fault: "CapFault" }] });
    expect(pointers.length).toBeLessThanOrEqual(MAX_POINTERS);
    expect(pointers.map((p) => p.topic)).toEqual(["double-fault", "vm-fault"]);
  });

  it("every topic a pointer can name is one sel4tut explain accepts", () => {
    const suggested = new Set<string>([REPORT_TOPICS.doubleFault, REPORT_TOPICS.deadlock]);
    for (const type of Object.keys(SAMPLE_FAULTS) as Fault["type"][]) {
      const run: RunEnd = { ...deadlock, pendingFaults: [{ thread: "t", fault: type }] };
      for (const p of [
        ...explainPointers("", run),
        ...explainPointers(masterReport(SAMPLE_FAULTS[type][0]!), deadlock),
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
