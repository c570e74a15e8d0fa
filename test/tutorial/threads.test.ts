// The threads tutorial's own rules: every exercise's TODO shows from the start, as the official
// program has them, and the code that writes the new thread's registers is replaced task by task
// (the official include_task_type_replace): set by hand, then three arguments, then call_once and &data.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { renderSources } from "../../src/tutorial/render.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "threads"));
const taskIndex = (name: string) => tut.tasks.findIndex((t) => t.name === name);
const program = (task: string, solution: boolean) =>
  renderSources(tut, { task: taskIndex(task), solution }).get("threads.ts")!;
const count = (text: string, what: string) => text.split(what).length - 1;

describe("threads tutorial", () => {
  const exercises = ["threads-retype", "threads-configure", "threads-priority", "threads-context", "threads-resume"];

  it("shows the TODOs of the invocations to fix from the start, and a solved task's nowhere", () => {
    for (const task of tut.tasks) {
      const i = taskIndex(task.name);
      const start = program(task.name, false);
      const solved = program(task.name, true);
      for (const later of exercises.filter((t) => taskIndex(t) >= i)) expect(start).toContain(`TODO ${later}`);
      for (const done of tut.tasks.slice(0, i + 1)) expect(solved).not.toContain(`TODO ${done.name}`);
      expect(start).not.toMatch(/\/\/@/);
    }
  });

  it("writes the new thread's registers once per stage, the latest way", () => {
    for (const task of tut.tasks) {
      for (const solution of [false, true])
        expect(count(program(task.name, solution), "seL4_TCB_WriteRegisters(")).toBe(1);
    }
    expect(program("threads-context", true)).toContain("sel4utils_set_instruction_pointer(regs, new_thread);");
    expect(program("threads-resume", false)).toContain("sel4utils_set_instruction_pointer(regs, new_thread);");
    // threads-context-2 gives the code (one form for start and solution), threads-fault starts from it.
    for (const [task, solution] of [
      ["threads-context-2", false],
      ["threads-context-2", true],
      ["threads-fault", false],
    ] as const) {
      const text = program(task, solution);
      expect(text).toContain("sel4utils_arch_init_local_context(new_thread, 1, 2, 3, tcb_stack_top, regs);");
      expect(text).not.toContain("sel4utils_set_instruction_pointer(regs, new_thread);");
    }
    const solved = program("threads-fault", true);
    expect(solved).toContain("sel4utils_arch_init_local_context(new_thread, call_once, data, 3, tcb_stack_top, regs);");
    expect(solved).toContain("const data = staticWord(42);");
    expect(solved).not.toContain("(new_thread, 1, 2, 3,");
  });
});
