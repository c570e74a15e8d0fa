// Ctrl-C, SIGTERM and SIGKILL during a run, and runs that end normally: afterwards no process of
// the run is left (sel4tut starts none; its threads are workers inside its own process), and in
// process every worker thread has been terminated.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { liveWorkers } from "../../src/machine/host.js";
import { prepare, runBuilt } from "../../src/app/pipeline.js";
import { Interrupted } from "../../src/app/errors.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import {
  atStartOfMain,
  freshExercise,
  hashLearnerFiles,
  importFromSel4,
  leftovers,
  sel4tut,
  startSel4tut,
  TUTORIAL,
  type Exercise,
} from "./helpers.js";

/** A run that lasts (a faulter busy-waiting with seL4_Yield until the simulated-time budget ends it). */
function longRunningExercise(): Exercise {
  const ex = freshExercise();
  importFromSel4(ex, "faulter.ts", "seL4_Yield");
  atStartOfMain(
    ex,
    "faulter.ts",
    '  for (let i = 0; ; i++) { seL4_Yield(); if (i % 1000 === 0) printf("waited %d\\n", i); }',
  );
  expect(sel4tut(["build"], ex.dir).status).toBe(0);
  return ex;
}

async function waitForOutput(printed: () => string, text: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!printed().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${printed()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const longRunning = longRunningExercise();
const solved = freshExercise();

describe("no process is left behind", () => {
  const ex = longRunning;

  it("Ctrl-C (SIGINT) during a run: a clean stop, exit 130, no file changed, nothing left", async () => {
    const before = hashLearnerFiles(ex.dir);
    const run = startSel4tut(["run"], ex.dir);
    await waitForOutput(run.printed, "Handler: About to wait for empty slot from faulter.");
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.status).toBe(130);
    expect(r.stderr).toBe(
      "sel4tut: interrupted (Ctrl-C): the run was stopped; nothing was checked and no file was changed\n",
    );
    expect(hashLearnerFiles(ex.dir)).toEqual(before);
    expect(leftovers(run.child.pid!, ex.root)).toEqual([]);
  });

  it.each(["SIGTERM", "SIGKILL"] as const)("%s of the CLI during a check: nothing left", async (signal) => {
    const before = hashLearnerFiles(ex.dir);
    const run = startSel4tut(["check"], ex.dir);
    await waitForOutput(run.printed, "Handler: About to wait for empty slot from faulter.");
    run.child.kill(signal);
    const r = await run.done;
    expect(r.signal).toBe(signal);
    expect(hashLearnerFiles(ex.dir)).toEqual(before);
    expect(leftovers(run.child.pid!, ex.root)).toEqual([]);
  });

  it("a run that ends by itself: nothing left", async () => {
    const run = startSel4tut(["run", "--mcs"], solved.dir);
    const r = await run.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("every thread finished");
    expect(leftovers(run.child.pid!, solved.root)).toEqual([]);
  });

  it("a reader that goes away (sel4tut run | head): a quiet stop, exit 0, nothing left", async () => {
    const run = startSel4tut(["run"], ex.dir);
    await waitForOutput(run.printed, "waited 0");
    run.child.stdout!.destroy();
    const r = await run.done;
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(leftovers(run.child.pid!, ex.root)).toEqual([]);
  });

  it("(the search for leftovers finds a process working in the exercise)", async () => {
    const sleeper = spawn("sleep", ["30"], { cwd: ex.root });
    try {
      // The process shows up once it has started: wait for that, however long the machine takes.
      const deadline = Date.now() + 60_000;
      while (!leftovers(-1, ex.root).join("\n").includes("sleep 30") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(leftovers(-1, ex.root).join("\n")).toContain("sleep 30");
    } finally {
      sleeper.kill("SIGKILL");
    }
  });
});

describe("every worker thread is terminated (in process, through the pipeline the CLI uses)", () => {
  const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, TUTORIAL));

  async function run(
    ex: Exercise,
    config: "master" | "mcs",
    onOutput: (text: string) => void = () => {},
    signal?: AbortSignal,
  ) {
    const target = { exerciseDir: ex.dir, buildDir: ex.buildDir, tut, config };
    const prepared = await prepare(target);
    expect(prepared.build.status).not.toBe("failed");
    return runBuilt({
      plan: prepared.plan,
      outDir: prepared.build.outDir,
      config,
      simTimeLimitMs: tut.simTimeLimitMs,
      displayRoot: ex.dir,
      onOutput,
      ...(signal ? { signal } : {}),
    });
  }

  it("after runs that finish, on both configurations", async () => {
    const ex = solved;
    for (const config of ["master", "mcs"] as const) {
      expect((await run(ex, config)).outcome).toBe("finished");
      expect(liveWorkers()).toBe(0);
    }
  });

  it("after Ctrl-C (the signal the CLI aborts on SIGINT), sent once the threads are running", async () => {
    const ctrlC = new AbortController();
    const stopped = run(longRunning, "master", () => ctrlC.abort(), ctrlC.signal);
    await expect(stopped).rejects.toBeInstanceOf(Interrupted);
    expect(liveWorkers()).toBe(0);
  });
});
