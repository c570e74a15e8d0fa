// The fault-handlers tutorial's data: official task names and completion texts, and the
// rendered start/solution states of every task.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { renderSources, stageFor } from "../../src/tutorial/render.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "fault-handlers"));

describe("fault-handlers tutorial", () => {
  it("has the official tasks and master completion texts (sel4-tutorials §2.9)", () => {
    expect(tut.tasks.map((t) => [t.name, t.start.master, t.finish.master])).toEqual([
      ["fault-badge", "Failed to mint ep cap with badge", "Successfully copied"],
      ["fault-ep-setup", "Caught cap fault in send phase at address", "About to touch fault vaddr."],
      [
        "fault-ipc-recv",
        "Received fault IPC message from the kernel",
        "Fault occured at cap addr 3 within faulter's cspace.",
      ],
      [
        "fault-handle",
        "Failed to copy a cap into faulter's cspace",
        "Successfully copied a cap into foreign faulting slot.",
      ],
      ["fault-resume", "About to resume the faulter thread.", "Faulter: Finished execution."],
    ]);
  });

  it("reports the MCS kernel's own text for a thread without a fault handler", () => {
    expect(tut.tasks[1]!.start.mcs).toBe("Found thread has no fault handler");
  });

  it("tightens finish checks with failure texts, but not start checks", () => {
    for (const t of tut.tasks) {
      expect(t.failureTexts.finish).toContain("while trying to handle:");
      expect(t.failureTexts.start).not.toContain("while trying to handle:");
      expect(t.hints.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("renders each task's start state with its TODO and no later task's code", () => {
    tut.tasks.forEach((task, i) => {
      const handler = renderSources(tut, { task: i, solution: false }).get("handler.ts")!;
      expect(handler).toContain(`TODO ${task.name}`);
      for (const later of tut.tasks.slice(i + 1)) expect(handler).not.toContain(`TODO ${later.name}`);
      for (const earlier of tut.tasks.slice(0, i)) expect(handler).not.toContain(`TODO ${earlier.name}`);
      expect(handler).not.toMatch(/\/\/@/);
    });
  });

  it("renders solutions without TODOs, later tasks absent", () => {
    const first = renderSources(tut, { task: 0, solution: true }).get("handler.ts")!;
    expect(first).not.toContain("TODO");
    expect(first).not.toContain("seL4_TCB_SetSpace(");
    const last = renderSources(tut, stageFor(tut, undefined, true)).get("handler.ts")!;
    expect(last).not.toContain("TODO");
    expect(last).toContain("seL4_GetMR(seL4_CapFault_Addr)");
  });

  it("leaves the faulter the same in every state", () => {
    const states = tut.tasks.flatMap((_, i) =>
      [false, true].map((solution) => renderSources(tut, { task: i, solution }).get("faulter.ts")),
    );
    expect(new Set(states).size).toBe(1);
  });
});
