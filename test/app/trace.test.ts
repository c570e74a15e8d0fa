// The kernel's event stream on the fault-handling tutorial, run in process as `run --trace` runs
// it: the same program gives the same events byte for byte, the two configurations differ where
// seL4 differs (where the fault endpoint is resolved, the MCS reply object), and a run's ending
// is judged from the events, whatever its printed report says.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepare, runBuilt, type RunEnd, type TraceRecord } from "../../src/app/pipeline.js";
import { explainPointers } from "../../src/cli/lib/explain-pointers.js";
import { explainMissing } from "../../src/check/explain.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { edit, freshExercise, TUTORIAL, type Exercise } from "../reliability/helpers.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, TUTORIAL));

async function traced(ex: Exercise, config: KernelConfig): Promise<{ run: RunEnd; events: TraceRecord[] }> {
  const prepared = await prepare({ exerciseDir: ex.dir, buildDir: ex.buildDir, tut, config });
  expect(prepared.build.status).not.toBe("failed");
  const events: TraceRecord[] = [];
  const run = await runBuilt({
    plan: prepared.plan,
    outDir: prepared.build.outDir,
    config,
    simTimeLimitMs: tut.simTimeLimitMs,
    displayRoot: ex.dir,
    onOutput: () => {},
    trace: (e) => events.push(e),
  });
  return { run, events };
}

const ofKind = <K extends TraceRecord["kind"]>(events: TraceRecord[], kind: K) =>
  events.filter((e): e is Extract<TraceRecord, { kind: K }> => e.kind === kind);

describe("the kernel's event stream (fault-handlers solution)", () => {
  const solved = freshExercise();

  it("master: the fault endpoint is a CPtr that SetSpace stores and the kernel looks up when the fault happens", async () => {
    const { run, events } = await traced(solved, "master");
    expect(run.outcome).toBe("finished");
    const setSpace = ofKind(events, "invocation").find((e) => e.label === "TCBSetSpace")!;
    expect(setSpace).toMatchObject({ thread: "tcb_handler", cap: { type: "Thread", object: "tcb_faulter" } });
    expect(setSpace.line).toMatch(/^handler\.ts:\d+$/);
    // The badged copy lands in the faulter's CSpace (slot 4: the CPtr SetSpace gets), and nothing
    // goes into the faulter's TCB for the fault handler: only its CSpace and VSpace roots.
    const caps = ofKind(events, "cap");
    expect(caps.find((e) => e.slot.owner === "cnode_faulter")).toMatchObject({
      slot: { index: Number(setSpace.args[0]) },
      cap: { type: "Endpoint", object: "faulter_fault_ep", badge: "0xbeef" },
    });
    expect(caps.filter((e) => e.slot.owner === "tcb_faulter").map((e) => e.slot)).toEqual([
      { owner: "tcb_faulter", index: 0, name: "tcbCTable" },
      { owner: "tcb_faulter", index: 1, name: "tcbVTable" },
    ]);
    const [fault] = ofKind(events, "fault");
    expect(fault).toMatchObject({
      thread: "tcb_faulter",
      fault: "seL4_Fault_CapFault",
      description: "cap fault in receive phase at address 0x3",
      handler: {
        resolved: "at-fault",
        cptr: setSpace.args[0],
        cap: { type: "Endpoint", object: "faulter_fault_ep", badge: "0xbeef" },
      },
      delivered: true,
    });
    expect(fault!.line).toMatch(/^faulter\.ts:\d+$/);
    // The kernel's fault message: seL4_CapFault_IP, _Addr, _InRecvPhase, _LookupFailureType, _BitsLeft.
    const message = ofKind(events, "transfer").find((e) => e.fault !== undefined)!;
    expect(message).toMatchObject({ to: "tcb_handler", badge: "0xbeef", label: "0x1", length: 5, mrs: fault!.mrs });
    expect(message.mrs.slice(1)).toEqual(["0x3", "0x1", "0x2", "0x0"]);
    expect(message.replyObject).toBeUndefined();
    // The handler's reply restarts the faulter.
    const reply = ofKind(events, "reply").find((e) => e.fault !== undefined)!;
    expect(reply).toMatchObject({ thread: "tcb_handler", to: "tcb_faulter", fault: "seL4_Fault_CapFault" });
    expect(events[events.indexOf(reply) + 1]).toMatchObject({
      kind: "state",
      thread: "tcb_faulter",
      state: "ThreadState_Restart",
    });
  });

  it("MCS: SetSpace copies the endpoint cap into the faulter's TCB, and calls go through the handler's reply object", async () => {
    const { run, events } = await traced(solved, "mcs");
    expect(run.outcome).toBe("finished");
    const setSpace = events.findIndex((e) => e.kind === "invocation" && e.label === "TCBSetSpace");
    const installed = ofKind(events.slice(0, setSpace), "cap").filter((e) => e.slot.owner === "tcb_faulter");
    expect(installed[0]).toMatchObject({
      thread: "tcb_handler",
      op: "insert",
      slot: { owner: "tcb_faulter", index: 3 },
      cap: { type: "Endpoint", object: "faulter_fault_ep", badge: "0xbeef" },
    });
    const [fault] = ofKind(events, "fault");
    expect(fault).toMatchObject({
      fault: "seL4_Fault_CapFault",
      handler: { resolved: "at-configure", cap: installed[0]!.cap },
      delivered: true,
    });
    const message = ofKind(events, "transfer").find((e) => e.fault !== undefined)!;
    expect(message).toMatchObject({ to: "tcb_handler", badge: "0xbeef", replyObject: "handler_reply" });
    expect(ofKind(events, "reply").every((e) => e.replyObject === "handler_reply")).toBe(true);
    expect(ofKind(events, "budget").length).toBeGreaterThan(0);
  });

  it("is byte-identical run to run", async () => {
    const json = (events: TraceRecord[]) => events.map((e) => JSON.stringify(e)).join("\n");
    const [a, b] = [await traced(solved, "mcs"), await traced(solved, "mcs")];
    expect(a.events.length).toBeGreaterThan(50);
    expect(json(b.events)).toBe(json(a.events));
  });
});

describe("a run's ending is judged from the kernel's events, not from its printed text", () => {
  it("no fault endpoint: double-fault pointers and the cause, whatever the report says", async () => {
    const ex = freshExercise();
    edit(ex, "handler.ts", /faulter_tcb_cap, foreign_badged_faulter_empty_slot_cap,/, "faulter_tcb_cap, 0,");
    const { run } = await traced(ex, "master");
    const reworded: RunEnd = { ...run, report: "something else entirely" };
    const pointers = explainPointers(reworded);
    expect(pointers.map((p) => p.topic)).toEqual(["double-fault", "cap-fault"]);
    expect(pointers[0]!.cause).toMatch(/its fault-handler CPtr is 0 \(seL4_CapNull\)/);
    expect(explainMissing(reworded)).toMatch(
      /^tcb_faulter faulted \(cap fault in receive phase at address 0x3\) with no usable fault handler, so the kernel printed its fault report \("Caught cap fault in send phase at address 0"\)/,
    );
    // The facts are kept without --trace too.
    const prepared = await prepare({ exerciseDir: ex.dir, buildDir: ex.buildDir, tut, config: "master" });
    const quiet = await runBuilt({
      plan: prepared.plan,
      outDir: prepared.build.outDir,
      config: "master",
      simTimeLimitMs: tut.simTimeLimitMs,
      displayRoot: ex.dir,
      onOutput: () => {},
    });
    expect(explainPointers({ ...quiet, report: "" })).toEqual(pointers);
    expect(quiet.events?.map((e) => e.kind)).toEqual(["fault"]);
  });
});
