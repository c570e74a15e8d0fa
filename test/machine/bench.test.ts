// The benchmark hooks that `npm run bench` uses still run and report sane shapes. No timing is
// asserted here: benchmarks are not tests of speed (npm run bench measures; the README reports).
import { describe, expect, it } from "vitest";
import { benchMachine, benchThreads } from "../../bench/machine.js";
import { benchCSpaceScaling, benchEndpointQueue } from "../../bench/scaling.js";

describe.each(["master", "mcs"] as const)("benchmark hooks on %s", (config) => {
  it("times the syscall round trips of real workers", async () => {
    const r = await benchMachine({ config, iterations: 50 });
    for (const s of [r.yield, r.call]) {
      expect(s.samples).toBe(50);
      expect(s.medianNs).toBeGreaterThan(0);
      expect(s.p99Ns).toBeGreaterThanOrEqual(s.medianNs);
    }
    expect(r.workerStartupMs).toHaveLength(3);
  });

  it("runs client/server pairs on their own endpoints", async () => {
    const r = await benchThreads(6, { config, iterations: 20 });
    expect(r).toMatchObject({ threads: 6, calls: 60 });
    expect(r.nsPerRoundTrip).toBeGreaterThan(0);
    expect(r.workerStartupMs).toHaveLength(6);
  });

  it("fills a CSpace and queues threads on one endpoint in-process", () => {
    // 90 operations in 3 batches: a point reports its quickest batch of 30.
    const caps = benchCSpaceScaling(config, [10, 40], 90);
    expect(caps.map((p) => [p.n, p.ops])).toEqual([
      [10, 30],
      [40, 30],
    ]);
    const queue = benchEndpointQueue(config, 5, 10);
    expect(queue).toMatchObject({ n: 5, ops: 18 });
    expect(queue.cpuNsPerOp).toBeGreaterThanOrEqual(0);
  });
});
