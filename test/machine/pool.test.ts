// Workers started ahead of a run (`watch` keeps them warm) are still fresh workers: a run after
// one whose program polluted its globals and then looped until the time limit, or crashed,
// starts from the same clean state as the first run of the process.
import { afterAll, describe, expect, it } from "vitest";
import { liveWorkers } from "../../src/machine/host.js";
import { endSpareWorkers, prestartWorkers, spareWorkers } from "../../src/machine/pool.js";
import { runLearnerSystem, type SystemDef } from "./harness.js";

/** Leaves marks a later program on a reused worker would see, then ends as `ending` says. */
const polluter = (ending: string) => `import { printf } from "sel4";
const g = globalThis as Record<string, unknown>;
export function main(): number {
  g.leftover = "from the previous run";
  // The realm's intrinsics and the thread's Math are frozen: these throw, and are tried anyway.
  try { Math.random = () => 0.5; } catch { /* frozen */ }
  try { (Array.prototype as unknown as Record<string, unknown>).extra = 1; } catch { /* frozen */ }
  printf("polluted\\n");
  ${ending}
  return 0;
}`;

const observer = `import { printf } from "sel4";
export function main(): number {
  const g = globalThis as Record<string, unknown>;
  printf("leftover: %s, extra: %s, random: %s\\n", typeof g.leftover, typeof (Array.prototype as unknown as Record<string, unknown>).extra, String(Math.random()));
  return 0;
}`;

const system = (source: string): SystemDef => ({
  config: "master",
  simTimeLimitNs: 20e6,
  threads: [{ name: "thread", source }],
});

afterAll(() => endSpareWorkers());

describe("workers started before a run", () => {
  it("a run after one that looped until its limit, or crashed, starts clean", async () => {
    const reference = await runLearnerSystem(system(observer));
    expect(reference.output).toMatch(/^leftover: undefined, extra: undefined, random: 0\.\d+\n/);

    const looped = await runLearnerSystem(system(polluter("for (;;) {}")));
    expect(looped.outcome).toBe("sim-time-limit");
    prestartWorkers(1);
    const afterLoop = await runLearnerSystem(system(observer));
    expect(spareWorkers()).toBe(0); // it ran on the worker started ahead
    expect(afterLoop.output).toBe(reference.output);

    const crashed = await runLearnerSystem(system(polluter('throw new Error("crash");')));
    expect(crashed.output).toContain("polluted");
    expect(crashed.output).toMatch(/uncaught/i);
    prestartWorkers(1);
    const afterCrash = await runLearnerSystem(system(observer));
    expect(spareWorkers()).toBe(0);
    expect(afterCrash.output).toBe(reference.output);

    expect(liveWorkers()).toBe(0);
  }, 60_000);
});
