// The mapping tutorial's own rules (its official tasks and root-task system are checked with the
// other root-task tutorials): every exercise's TODO shows from the start, and what its runs print
// on both kernels: level 30, then 21, then the write to the read-only page faulting, then Success!.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { renderSources } from "../../src/tutorial/render.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { sel4tutAsync, sel4tut, tempDir } from "../cli/helpers.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "mapping"));

describe("mapping tutorial", () => {
  it("shows every exercise's TODO from the start, as the official code does, and a solved task's nowhere", () => {
    tut.tasks.forEach((task, i) => {
      const start = renderSources(tut, { task: i, solution: false }).get("main.ts")!;
      const solved = renderSources(tut, { task: i, solution: true }).get("main.ts")!;
      for (const later of tut.tasks.slice(Math.max(i, 1))) expect(start).toContain(`TODO ${later.name}`);
      for (const done of tut.tasks.slice(0, i + 1)) expect(solved).not.toContain(`TODO ${done.name}`);
      expect(start).not.toMatch(/\/\/@/);
    });
  });

  describe.each<KernelConfig>(["master", "mcs"])("what the solutions print on %s", (config) => {
    /** The lines of `sel4tut run` for the solution of `task`. */
    async function solutionRun(task: string): Promise<string[]> {
      const cwd = tempDir("sel4tut-mapping-");
      expect(sel4tut(["init", "--tut", "mapping", "--task", task, "--solution", "ex"], cwd).status).toBe(0);
      const r = await sel4tutAsync(["run", ...(config === "mcs" ? ["--mcs"] : [])], join(cwd, "ex"));
      return r.stdout.split("\n");
    }

    it(
      "each structure mapped moves the missing level down: 30 without a PD, 21 without a PT",
      { timeout: 120_000 },
      async () => {
        const [start, pd] = await Promise.all([solutionRun("mapping-start"), solutionRun("mapping-pd")]);
        expect(start).toContain("Missing intermediate paging structure at level 30");
        expect(pd).toContain("Missing intermediate paging structure at level 21");
      },
    );

    it(
      "the write to the read-only page is a VM fault with status 0x7 that the root task cannot handle; remapped, it succeeds",
      { timeout: 120_000 },
      async () => {
        const [pt, remap] = await Promise.all([solutionRun("mapping-pt"), solutionRun("mapping-remap")]);
        const expected = [
          "Read x: 0",
          "Set x to 5",
          ...(config === "master"
            ? ["Caught cap fault in send phase at address 0", "while trying to handle:"]
            : ["Found thread has no fault handler while trying to handle:"]),
          "vm fault on data at address 0xa000000000 with status 0x7",
        ];
        const at = pt.indexOf("Read x: 0");
        expect(pt.slice(at, at + expected.length)).toEqual(expected);
        expect(pt).not.toContain("Success!");
        expect(remap.slice(remap.indexOf("Read x: 0"), remap.indexOf("Read x: 0") + 3)).toEqual([
          "Read x: 0",
          "Set x to 5",
          "Success!",
        ]);
      },
    );
  });
});
