// The same code always behaves the same way: the fault-handling tutorial's solution, run 20 times
// per configuration through the pipeline the CLI uses (in process and a few at a time, to keep the
// wall time down), prints byte-identical output, ends the same way at the same simulated time, and the spawned
// CLI prints exactly that output too.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepare, runBuilt } from "../../src/app/pipeline.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { freshExercise, sel4tutAsync, TUTORIAL } from "./helpers.js";

const RUNS = 20;
/** Runs at a time: worker start-up overlaps, and concurrent runs must not disturb each other either. */
const AT_ONCE = 5;

describe("determinism of the fault-handling solution", () => {
  const ex = freshExercise();
  const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, TUTORIAL));

  it.each(["master", "mcs"] as const)(
    `${RUNS} runs on %s print byte-identical output`,
    async (config: KernelConfig) => {
      const prepared = await prepare({ exerciseDir: ex.dir, buildDir: ex.buildDir, tut, config });
      expect(prepared.build.status).not.toBe("failed");
      const once = async () => {
        let output = "";
        const run = await runBuilt({
          plan: prepared.plan,
          outDir: prepared.build.outDir,
          config,
          simTimeLimitMs: tut.simTimeLimitMs,
          displayRoot: ex.dir,
          onOutput: (text) => (output += text),
        });
        return { output, outcome: run.outcome, virtualTimeNs: run.virtualTimeNs, report: run.report };
      };
      const first = await once();
      expect(first.outcome).toBe("finished");
      expect(first.output).toContain("Faulter: Finished execution.\n");
      for (let done = 1; done < RUNS; done += AT_ONCE) {
        const batch = await Promise.all(Array.from({ length: Math.min(AT_ONCE, RUNS - done) }, once));
        for (const again of batch) expect(again).toEqual(first);
      }

      const args = ["run", ...(config === "mcs" ? ["--mcs"] : [])];
      const cli = await sel4tutAsync(args, ex.dir, { env: { LANG: "C", LC_ALL: "C", TZ: "UTC" } });
      expect(cli.status, cli.stderr).toBe(0);
      expect(cli.stdout).toBe(first.output);
      // Another host's locale and time zone change no byte.
      const elsewhere = await sel4tutAsync(args, ex.dir, {
        env: { LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8", TZ: "Asia/Tokyo" },
      });
      expect(elsewhere.stdout).toBe(cli.stdout);
      expect(elsewhere.stderr).toBe(cli.stderr);
    },
    300_000,
  );
});
