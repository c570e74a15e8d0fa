// A new learner's session, end to end through the spawned command line: init, run, check,
// edit the code, check on both kernels, and the build doing no work when nothing changed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sel4tutAsync, tempDir } from "./helpers.js";

const BROKEN_MINT = "handler_cspace_root, -1, seL4_WordBits,";
const FIXED_MINT = "handler_cspace_root, faulter_fault_ep_cap, seL4_WordBits,";

describe("a learner's first task", () => {
  it("init, run, check fails, fix the code, check passes on both kernels", { timeout: 240_000 }, async () => {
    const cwd = tempDir();
    expect((await sel4tutAsync(["init", "--tut", "fault-handlers"], cwd)).status).toBe(0);
    const dir = join(cwd, "fault-handlers");

    const run = await sel4tutAsync(["run"], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Handler: Handler thread running!");
    expect(run.stdout).toContain("Failed to mint ep cap with badge");
    expect(run.stderr).toContain("[sel4tut master]");

    const failing = await sel4tutAsync(["check"], dir);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('✗ missing  "Successfully copied"');
    expect(failing.stdout).toMatch(
      /Failure! .*a ZF_LOGF_IF check failed in tcb_handler at handler\.ts:\d+ and that thread stopped/,
    );

    const file = join(dir, "handler.ts");
    const source = readFileSync(file, "utf8");
    expect(source).toContain(BROKEN_MINT);
    writeFileSync(file, source.replace(BROKEN_MINT, FIXED_MINT));

    const passing = await sel4tutAsync(["check"], join(cwd, "fault-handlers_build"));
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toContain("Success! fault-badge passes on master.");
    // The task stays current until it passes on the other kernel too, so a bare --mcs checks it.
    expect(passing.stdout).not.toContain("Next task");
    expect(passing.stdout).toContain(
      "Also try the other kernel: sel4tut check --mcs (fault-badge stays your current task until it passes on mcs too)\n",
    );
    const mcs = await sel4tutAsync(["check", "--mcs"], dir);
    expect(mcs.status, mcs.stdout + mcs.stderr).toBe(0);
    expect(mcs.stdout).toContain("Success! fault-badge passes on mcs.");
    expect(mcs.stdout).toContain("Next task: fault-ep-setup");
    const progress = JSON.parse(readFileSync(join(dir, ".sel4tut/progress.json"), "utf8"));
    expect(progress.passed).toEqual({ "fault-badge": { master: true, mcs: true } });
    expect(progress.currentTask).toBe("fault-ep-setup");
    expect(readFileSync(file, "utf8")).toContain(FIXED_MINT);

    const list = await sel4tutAsync(["list"], dir);
    expect(list.stdout).toMatch(/fault-badge\s+✓ passed +✓ passed +Badge/);
    expect(list.stdout).toMatch(/▶ fault-ep-setup/);

    // The pass brought fault-ep-setup's start code into handler.ts (keeping the fix): one build, then none.
    expect(readFileSync(file, "utf8")).toContain("TODO fault-ep-setup");
    expect((await sel4tutAsync(["build", "--all"], dir)).stdout).toBe("master: built.\nmcs: built.\n");
    const build = await sel4tutAsync(["build", "--all"], dir);
    expect(build.stdout).toBe("master: no work to do.\nmcs: no work to do.\n");
  });

  it(
    "shows type errors with file:line:column and a code frame, and names the right call per configuration",
    { timeout: 120_000 },
    async () => {
      const cwd = tempDir();
      expect((await sel4tutAsync(["init", "--tut", "fault-handlers", "--task", "fault-resume"], cwd)).status).toBe(0);
      const dir = join(cwd, "fault-handlers");
      const file = join(dir, "handler.ts");
      const todo = "  // TODO fault-resume: reply to the fault message so that the kernel restarts the faulter.";
      const text = readFileSync(file, "utf8");
      expect(text).toContain(todo);
      writeFileSync(file, text.replace(todo, "  seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));"));
      const line =
        readFileSync(file, "utf8")
          .split("\n")
          .findIndex((l) => l.startsWith("  seL4_Reply(")) + 1;

      const master = await sel4tutAsync(["check", "--quiet"], dir);
      expect(master.status).toBe(0);
      const mcs = await sel4tutAsync(["check", "--mcs", "--quiet"], dir);
      expect(mcs.status).toBe(1);
      expect(mcs.stdout).toContain("Build failed for the mcs configuration");
      expect(mcs.stdout).toContain(
        `handler.ts:${line}:3 - error TS2305: Module '"sel4"' has no exported member 'seL4_Reply'. (imported on line 5)`,
      );
      expect(mcs.stdout).toContain(`> ${line} |   seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));`);
      expect(mcs.stdout).toMatch(/note: seL4_Reply does not exist on the mcs configuration.*seL4_Send\(reply, info\)/);
    },
  );
});
