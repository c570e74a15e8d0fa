// Simulated time: the timer preempts spinning threads like on hardware, and the watchdogs end
// runs that would not end by themselves.
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { liveWorkers } from "../../src/machine/host.js";
import { runLearnerSystem } from "./harness.js";

const SPINNER = `import { printf } from "sel4";
export function main(): number {
  printf("spinner: start\\n");
  while (true) {}
}`;

describe.each<KernelConfig>(["master", "mcs"])("preemption (%s)", (config) => {
  it("a while (true) {} thread is preempted by the timer and an equal-priority peer runs", async () => {
    const r = await runLearnerSystem({
      config,
      simTimeLimitNs: 50e6,
      threads: [
        {
          name: "peer",
          source: `import { printf } from "sel4";\nexport function main(): number { printf("peer: ran\\n"); return 0; }`,
        },
        { name: "spinner", source: SPINNER },
      ],
    });
    expect(r.output).toBe("spinner: start\npeer: ran\n");
    expect(r.outcome).toBe("sim-time-limit");
    expect(r.virtualTimeNs).toBe(50e6);
    expect(r.report).toMatch(/simulated time limit of 50\.000 ms reached while thread "tcb_spinner" was running/);
    expect(r.report).toMatch(/tcb_peer \(priority 254\): finished/);
  });
});

describe("ends that come from outside the simulation", () => {
  it("the wall-clock limit ends a run that would spin for a very long virtual time", async () => {
    // The machine's clock stands still until the spinner has printed, then jumps past the limit:
    // the limit is what ends the run, however fast or slow this machine is.
    let printed = false;
    const r = await runLearnerSystem({
      config: "master",
      simTimeLimitNs: 1e15,
      wallTimeLimitMs: 1500,
      threads: [{ name: "spinner", source: SPINNER }],
      onOutput: () => (printed = true),
      wallClock: () => (printed ? 1e12 : 0),
    });
    expect(r.outcome).toBe("wall-time-limit");
    expect(r.report).toMatch(/wall-clock limit of 1500 ms reached after .* of virtual time/);
    expect(r.output).toBe("spinner: start\n");
    expect(liveWorkers()).toBe(0);
  });

  it("an AbortSignal (Ctrl-C) interrupts the run", async () => {
    const controller = new AbortController();
    const r = await runLearnerSystem({
      config: "master",
      simTimeLimitNs: 1e15,
      wallTimeLimitMs: 600_000,
      signal: controller.signal,
      threads: [{ name: "spinner", source: SPINNER }],
      onOutput: () => controller.abort(),
    });
    expect(r.outcome).toBe("interrupted");
    expect(r.output).toBe("spinner: start\n");
    expect(liveWorkers()).toBe(0);
  });

  it("seL4_DebugHalt stops the system", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [
        {
          name: "halter",
          source: `import { seL4_DebugHalt, printf } from "sel4";\nexport function main(): number { printf("bye\\n"); seL4_DebugHalt(); printf("never\\n"); return 0; }`,
        },
      ],
    });
    expect(r.output).toMatch(/^bye\n/);
    expect(r.output).not.toContain("never");
    expect(r.outcome).toBe("halted");
  });
});
