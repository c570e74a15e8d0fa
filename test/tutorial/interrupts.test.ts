// The interrupts tutorial: the official tasks, slots and completion texts (IRQ 42, as on the
// official ARM board: vector 26 is IRQ 42 on x86), the HPET's page as a device untyped, the
// rendered states (every exercise's TODO from the start, as the official code shows them) and the
// provided driver. test/tutorial/matrix.test.ts runs every state on both kernels.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSystemSpec } from "../../src/loader/spec.js";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { renderSources } from "../../src/tutorial/render.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "interrupts"));

describe("interrupts tutorial", () => {
  it("comes after the root-task tutorials and right before fault-handlers, as in the official track", () => {
    const names = builtinTutorialNames();
    expect(names.indexOf("interrupts")).toBeGreaterThan(names.indexOf("mapping"));
    expect(names.indexOf("fault-handlers")).toBe(names.indexOf("interrupts") + 1);
  });

  it("has the official tasks and completion texts, on both kernels", () => {
    expect(tut.configs).toEqual(["master", "mcs"]);
    for (const config of tut.configs) {
      expect(tut.tasks.map((t) => [t.name, t.start[config], t.finish[config]])).toEqual([
        ["timer-start", "\n\tFailed to ack irq", "\n\tFailed to ack irq"],
        ["timer-get", "\n\tFailed to ack irq", "\nUndelivered IRQ: 42"],
        ["timer-set", "\nUndelivered IRQ: 42", "\nTick"],
        ["timer-ack", "\nTick", "\ntimer client wakes up"],
      ]);
    }
  });

  it("has the official slots: the timer's irq_handler is slot 9, the HPET's page a 4 KiB device untyped", () => {
    for (const config of ["master", "mcs"] as const) {
      const plan = loadSystemSpec(tut.systemFile, config);
      const slots = (thread: string) =>
        plan.threads.find((t) => t.name === thread)!.caps.map((c) => [c.slot, c.symbol]);
      expect(slots("client")).toEqual([
        [1, "endpoint"],
        [2, null],
      ]);
      expect(slots("timer").slice(0, 9)).toEqual([
        [1, "endpoint"],
        [2, "ntfn"],
        [3, "device_untyped"],
        [4, "timer_frame"],
        [5, "cnode"],
        [6, "vspace"],
        [7, "frame"],
        [8, "irq_control"],
        [9, "irq_handler"],
      ]);
      expect(plan.objects.find((o) => o.name === "device_untyped")).toMatchObject({
        type: "Untyped",
        sizeBits: 12,
        paddr: 0xfed00000n,
      });
      expect(plan.threads.find((t) => t.name === "client")!.caps[0]!.badge).toBe(61n);
    }
  });

  it("shows every exercise's TODO from the start, as the official code does, and a solved task's nowhere", () => {
    tut.tasks.forEach((task, i) => {
      const start = renderSources(tut, { task: i, solution: false }).get("timer.ts")!;
      const solved = renderSources(tut, { task: i, solution: true }).get("timer.ts")!;
      for (const later of tut.tasks.slice(Math.max(i, 1))) expect(start).toContain(`TODO ${later.name}`);
      for (const done of tut.tasks.slice(0, i + 1)) expect(solved).not.toContain(`TODO ${done.name}`);
      expect(start).not.toMatch(/\/\/@/);
    });
  });

  it("provides the HPET driver with the official driver's five functions", () => {
    const driver = renderSources(tut, { task: 0, solution: false }).get("timer_driver.ts")!;
    for (const fn of ["timer_init", "timer_start", "timer_set_timeout", "timer_handle_irq", "timer_stop"]) {
      expect(driver).toContain(`export function ${fn}(`);
    }
  });
});
