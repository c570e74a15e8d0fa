// Two terminals in one exercise (or an editor task beside `watch`): `check` and `check --mcs` of
// the same task started at the same moment. Both passes land in the progress file, the file always
// parses, and the task moves on exactly once, after it has passed on both kernels.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sel4tut, sel4tutAsync, tempDir } from "./helpers.js";

const REPETITIONS = 20;

describe("check and check --mcs at the same moment", () => {
  it(`both passes are recorded, ${REPETITIONS} times in a row`, { timeout: 900_000 }, async () => {
    const cwd = tempDir();
    // --keep-files: each round starts from the same files (a pass would otherwise merge the next task's code in).
    expect(
      sel4tut(["init", "--tut", "fault-handlers", "--task", "fault-badge", "--solution", "--keep-files"], cwd).status,
    ).toBe(0);
    const dir = join(cwd, "fault-handlers");
    const progressFile = join(dir, ".sel4tut", "progress.json");
    for (let i = 0; i < REPETITIONS; i++) {
      // A learner who has not passed anything yet (the build stays warm, so the runs dominate).
      rmSync(progressFile);
      const [master, mcs] = await Promise.all([
        sel4tutAsync(["check", "--quiet"], dir),
        sel4tutAsync(["check", "--mcs", "--quiet"], dir),
      ]);
      const round = `round ${i + 1}:\n${master.stdout}${master.stderr}\n---\n${mcs.stdout}${mcs.stderr}`;
      expect(master.status, round).toBe(0);
      expect(mcs.status, round).toBe(0);
      expect(master.stdout, round).toContain("Success! fault-badge passes on master.");
      expect(mcs.stdout, round).toContain("Success! fault-badge passes on mcs.");
      const progress = JSON.parse(readFileSync(progressFile, "utf8"));
      expect(progress.passed, round).toEqual({ "fault-badge": { master: true, mcs: true } });
      expect(progress.currentTask, round).toBe("fault-ep-setup");
      // Whichever finished second moved the progress on, and only it said so.
      const told = [master, mcs].filter((r) => r.stdout.includes("Next task: fault-ep-setup"));
      expect(told, round).toHaveLength(1);
    }
  });
});
