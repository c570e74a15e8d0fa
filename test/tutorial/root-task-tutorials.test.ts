// The official track's first tutorials, whose program is the root task: official task names and
// completion texts in order (per kernel where the kernels print different reports), a root-task
// system on both kernels, and rendered states in which each task's TODO appears at its start and
// is gone once it is solved (later tasks' TODOs show ahead of time, as the official
// include_task_type_replace renders them; test/tutorial/mapping.test.ts has mapping's own rule).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { loadSystemSpec } from "../../src/loader/spec.js";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { renderSources } from "../../src/tutorial/render.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

/** A completion text, the same on both kernels or each kernel's own. */
type Text = string | Record<KernelConfig, string>;

/** What the root task's kernel prints when it cannot deliver a fault (src/kernel/faulthandler.c). */
const NO_HANDLER: Record<KernelConfig, string> = {
  master: "Caught cap fault",
  mcs: "Found thread has no fault handler",
};

const OFFICIAL: Record<string, [string, Text, Text][]> = {
  "hello-world": [
    ["hello-world", "\nHello, World!\n", "\nHello, World!\n"],
    ["hello-world-mod", "\nHello, World!\n", "\nSecond hello\n"],
  ],
  capabilities: [
    ["cnode-start", "Failed to set priority", "Failed to set priority"],
    ["cnode-size", "Failed to set priority", "The CNode is [0-9]+ bytes in size"],
    ["cnode-copy", "The CNode is [0-9]+ bytes in size", "first_free_slot is not empty"],
    ["cnode-delete", "first_free_slot is not empty", "Failed to suspend current thread"],
    ["cnode-invoke", "Failed to suspend current thread", "Suspending current thread"],
  ],
  untyped: [
    ["untyped-start", "Failed to retype", "Failed to retype"],
    ["untyped-next", "Failed to retype", "Failed to set priority"],
    ["untyped-tcb", "Failed to set priority", "Endpoint cap is null cap"],
    ["untyped-ep", "Endpoint cap is null cap", "Failed to bind notification."],
    ["untyped-ntfn", "Failed to bind notification.", "Failed to create endpoints.."],
    ["untyped-revoke", "Failed to create endpoints..", "Success"],
  ],
  mapping: [
    ["mapping-start", "Failed to map page", "Failed to map page"],
    ["mapping-pd", "Failed to map page", "Failed to map page"],
    ["mapping-pt", "Failed to map page", NO_HANDLER],
    ["mapping-remap", NO_HANDLER, "Success!"],
  ],
};

const on = (text: Text, config: KernelConfig): string => (typeof text === "string" ? text : text[config]);

it("lists the official track first, in the official order", () => {
  expect(builtinTutorialNames().slice(0, 4)).toEqual(["hello-world", "capabilities", "untyped", "mapping"]);
  expect(builtinTutorialNames().indexOf("fault-handlers")).toBeGreaterThan(3);
});

for (const [name, tasks] of Object.entries(OFFICIAL)) {
  const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, name));
  describe(`${name} tutorial`, () => {
    it("has the official tasks and completion texts on both kernels", () => {
      expect(tut.configs).toEqual(["master", "mcs"]);
      for (const config of tut.configs) {
        const official = tasks.map(([task, start, finish]) => [task, on(start, config), on(finish, config)]);
        expect(tut.tasks.map((t) => [t.name, t.start[config], t.finish[config]])).toEqual(official);
      }
      for (const t of tut.tasks) expect(t.hints.length).toBeGreaterThanOrEqual(2);
    });

    it("runs main.ts as the root task", () => {
      for (const config of tut.configs) {
        const plan = loadSystemSpec(tut.systemFile, config);
        expect(plan.rootTask).toBe(true);
        expect(plan.threads.map((t) => [t.name, t.source])).toEqual([["rootserver", "main.ts"]]);
      }
    });

    it("shows each task's TODO in its start state and none of a solved task's", () => {
      tut.tasks.forEach((task, i) => {
        const start = renderSources(tut, { task: i, solution: false }).get("main.ts")!;
        const solved = renderSources(tut, { task: i, solution: true }).get("main.ts")!;
        const hasWork = start !== solved;
        if (hasWork) expect(start).toContain(`TODO ${task.name}`);
        for (const done of tut.tasks.slice(0, i + 1)) expect(solved).not.toContain(`TODO ${done.name}`);
        expect(start).not.toMatch(/\/\/@/);
      });
    });
  });
}
