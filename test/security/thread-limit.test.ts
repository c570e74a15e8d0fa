// A program that creates threads in a loop (a tutorial that hands out an Untyped lets it) is
// stopped at the machine's thread ceiling, with a report naming the thread it would have added,
// instead of starting a worker per thread until the computer runs out of memory.
import { describe, expect, it } from "vitest";
import { runLearnerSystem } from "../machine/harness.js";

const SPAWNER = `import { seL4_Untyped_Retype, seL4_TCB_Configure, seL4_TCB_ReadRegisters, seL4_TCB_WriteRegisters, seL4_TCB_Resume,
  seL4_TCBObject, seL4_TCBBits, seL4_CapNull, seL4_UserContextWords, sel4utils_arch_init_local_context, ZF_LOGF_IF, printf } from "sel4";
function worker(n: number): number {
  printf("thread %d runs\\n", n);
  return 0;
}
export function main(): number {
  for (let i = 0; i < 2; i++) {
    const slot = 5 + i;
    let error = seL4_Untyped_Retype(1, seL4_TCBObject, seL4_TCBBits, 2, 0, 0, slot, 1);
    ZF_LOGF_IF(error !== 0, "retype %d", error);
    error = seL4_TCB_Configure(slot, seL4_CapNull, 2, 0, 3, 0, 0, 0);
    ZF_LOGF_IF(error !== 0, "configure %d", error);
    const { regs } = seL4_TCB_ReadRegisters(slot, 0, 0, seL4_UserContextWords);
    sel4utils_arch_init_local_context(worker, i, 0, 0, 0x7000, regs);
    seL4_TCB_WriteRegisters(slot, 0, 0, seL4_UserContextWords, regs);
    seL4_TCB_Resume(slot);
  }
  return 0;
}`;

describe("the thread ceiling", () => {
  it("a program creating 2 threads under a ceiling of 2 (itself and one more) is stopped at the second, naming it", async () => {
    const r = await runLearnerSystem({
      config: "master",
      objects: { untyped: "Untyped" },
      maxThreads: 2,
      threads: [
        {
          name: "spawner",
          caps: [
            { slot: 1, object: "untyped" },
            { slot: 2, object: "cnode_spawner" },
            { slot: 3, object: "vspace_spawner" },
          ],
          source: SPAWNER,
        },
      ],
    });
    expect(r.outcome).toBe("resource-limit");
    expect(r.report).toMatch(
      /^thread limit reached: thread "[^"]+" would be thread number 3, and a run may have 2\. Threads:\n/,
    );
  });
});
