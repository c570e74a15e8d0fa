// The watch loop, driven event by event with a hand-wound clock and checks that end when the test
// says: which runs start, why, in what order, and that none overlaps another. No real time passes.
import { describe, expect, it } from "vitest";
import { SETTLE_MAX_MS, SETTLE_MS, startWatchLoop, type WatchClock, type WatchRun } from "../../src/app/watch.js";

/** A clock whose timers fire only when the test says that time has passed. */
function handClock(): WatchClock & { elapse(ms: number): void; pending(): number } {
  let now = 0;
  const timers = new Map<number, { at: number; fire: () => void }>();
  let ids = 0;
  return {
    setTimeout(fire, ms) {
      timers.set(++ids, { at: now + ms, fire });
      return ids;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    elapse(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now && timers.delete(id)) t.fire();
      }
    },
    pending: () => timers.size,
  };
}

/** A hand-driven world: sources the test edits, checks and hints that end when the test ends them. */
function world() {
  const clock = handClock();
  const sources = new Map([
    ["faulter.ts", "v0"],
    ["handler.ts", "v0"],
  ]);
  const log: string[] = [];
  const running: { run: WatchRun; end: () => void }[] = [];
  const hinting: (() => void)[] = [];
  let exitedNow = false;
  const loop = startWatchLoop({
    clock,
    readSources: () => new Map(sources),
    check: (run) =>
      new Promise<void>((resolve) => {
        log.push(`run ${run.number} (${run.why})`);
        running.push({
          run,
          end: () => {
            log.push(`run ${run.number} ended`);
            resolve();
          },
        });
        run.signal.addEventListener("abort", () => log.push(`run ${run.number} stopped`));
      }),
    hint: () =>
      new Promise<void>((resolve) => {
        log.push("hint");
        hinting.push(resolve);
      }),
    stopping: (runStopped) => log.push(`stopping${runStopped ? " a run" : ""}`),
    exitNow: () => (exitedNow = true),
  });
  /** Lets the loop see that a promise settled (its handlers run as microtasks). */
  const settle = () => new Promise<void>((r) => setImmediate(r));
  const endRun = async () => {
    running.shift()!.end();
    await settle();
  };
  const save = (name: string, text: string) => {
    sources.set(name, text);
    loop.post({ type: "saved", names: [name] });
  };
  return { loop, clock, log, running, hinting, endRun, save, settle, exitedNow: () => exitedNow };
}

describe("the watch loop", () => {
  it("checks at once, then once per save as soon as two readings of the sources agree", async () => {
    const w = world();
    expect(w.log).toEqual(["run 1 (start)"]);
    await w.endRun();
    w.save("faulter.ts", "v1");
    w.save("faulter.ts", "v1"); // the editor's second event of the same save
    w.clock.elapse(SETTLE_MS - 1);
    expect(w.log).toEqual(["run 1 (start)", "run 1 ended"]);
    w.clock.elapse(1);
    expect(w.log.at(-1)).toBe("run 2 (faulter.ts changed)");
    expect(w.clock.pending()).toBe(0);
  });

  it("never runs a file that is still being written: each look that finds it changed waits twice as long", async () => {
    const w = world();
    await w.endRun();
    const looks = [SETTLE_MS, 2 * SETTLE_MS, 4 * SETTLE_MS, 8 * SETTLE_MS, 16 * SETTLE_MS, SETTLE_MAX_MS];
    w.save("faulter.ts", "half");
    for (const [i, wait] of looks.entries()) {
      w.save("faulter.ts", `half, and more ${i}`);
      w.clock.elapse(wait);
      expect(w.log).toEqual(["run 1 (start)", "run 1 ended"]);
    }
    w.clock.elapse(SETTLE_MAX_MS - 1);
    expect(w.log).toEqual(["run 1 (start)", "run 1 ended"]);
    w.clock.elapse(1);
    expect(w.log.at(-1)).toBe("run 2 (faulter.ts changed)");
  });

  it("an emptied file (truncated, not yet written) is not run while it may still be written", async () => {
    const w = world();
    await w.endRun();
    const quiet = ["run 1 (start)", "run 1 ended"];
    w.save("faulter.ts", "");
    for (const wait of [SETTLE_MS, 2 * SETTLE_MS, 4 * SETTLE_MS]) {
      w.clock.elapse(wait);
      expect(w.log).toEqual(quiet);
    }
    w.save("faulter.ts", "written at last"); // the editor's write lands
    w.clock.elapse(8 * SETTLE_MS);
    expect(w.log).toEqual(quiet);
    w.clock.elapse(SETTLE_MAX_MS);
    expect(w.log.at(-1)).toBe("run 2 (faulter.ts changed)");
    // A file the learner really emptied runs, once it has stayed empty through the longest wait.
    await w.endRun();
    w.save("faulter.ts", "");
    for (let wait = SETTLE_MS; wait < SETTLE_MAX_MS; wait *= 2) w.clock.elapse(wait);
    expect(w.log.at(-1)).toBe("run 2 ended");
    w.clock.elapse(SETTLE_MAX_MS);
    expect(w.log.at(-1)).toBe("run 3 (faulter.ts changed)");
  });

  it("a save that changes nothing (or is undone) runs nothing", async () => {
    const w = world();
    await w.endRun();
    w.save("handler.ts", "v0");
    w.clock.elapse(SETTLE_MS);
    w.save("handler.ts", "edited");
    w.save("handler.ts", "v0");
    w.clock.elapse(SETTLE_MS);
    expect(w.log).toEqual(["run 1 (start)", "run 1 ended"]);
  });

  it("saves during a run queue exactly one run after it; runs never overlap", async () => {
    const w = world();
    w.save("handler.ts", "v1");
    w.clock.elapse(SETTLE_MS);
    w.save("faulter.ts", "v1");
    w.clock.elapse(SETTLE_MS);
    expect(w.running).toHaveLength(1);
    await w.endRun();
    expect(w.log).toEqual(["run 1 (start)", "run 1 ended", "run 2 (faulter.ts, handler.ts changed)"]);
    await w.endRun();
    expect(w.running).toHaveLength(0);
  });

  it("r re-runs with no change; h during a run shows the hint after it, before the next run", async () => {
    const w = world();
    w.loop.post({ type: "key", key: "hint" });
    w.save("handler.ts", "v1");
    w.clock.elapse(SETTLE_MS);
    await w.endRun();
    expect(w.log).toEqual(["run 1 (start)", "run 1 ended", "hint"]);
    w.hinting.shift()!();
    await w.settle();
    expect(w.log.at(-1)).toBe("run 2 (handler.ts changed)");
    await w.endRun();
    w.loop.post({ type: "key", key: "rerun" });
    expect(w.log.at(-1)).toBe("run 3 (re-run)");
  });

  it("q while idle stops at once; later events do nothing", async () => {
    const w = world();
    await w.endRun();
    w.loop.post({ type: "key", key: "quit" });
    await w.loop.done;
    w.save("handler.ts", "v1");
    w.clock.elapse(SETTLE_MS);
    expect(w.log).toEqual(["run 1 (start)", "run 1 ended", "stopping"]);
  });

  it("Ctrl-C during a run stops the run, and watching ends when the run has; a second Ctrl-C exits at once", async () => {
    const w = world();
    let stopped = false;
    void w.loop.done.then(() => (stopped = true));
    w.loop.post({ type: "interrupt" });
    expect(w.log).toEqual(["run 1 (start)", "stopping a run", "run 1 stopped"]);
    await w.settle();
    expect(stopped).toBe(false);
    w.loop.post({ type: "interrupt" });
    expect(w.exitedNow()).toBe(true);
    await w.endRun();
    await w.loop.done;
  });

  it("a check that fails sel4tut itself ends watching with its error", async () => {
    const w = world();
    w.loop.post({ type: "failed", error: new Error("2 worker thread(s) of run 1 are still alive") });
    await expect(w.loop.done).rejects.toThrow("still alive");
  });
});
