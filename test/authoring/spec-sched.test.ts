// Scheduling contexts from system.json at run time (MCS), on worker threads: the budget, period
// and badge the spec declares are the ones the kernel enforces, and an SC object declared without
// parameters stays unconfigured until a thread configures it.
import { describe, expect, it } from "vitest";
import { MIN_BUDGET_US } from "../../src/kernel/kernel/mcstime.js";
import { runSpec } from "./spec-runner.js";

/** Spins through its budget for ever; every time it runs out, its timeout handler hears of it. */
const SPINNER = `
export function main(): number {
  let n = 0;
  for (;;) n++;
}
`;

/** Receives three timeout faults, printing when each came, its data word and the time consumed. */
const HANDLER = `
import { printf, seL4_Recv, seL4_Send, seL4_MessageInfo_new, seL4_getArchFault, seL4_Fault_get_seL4_FaultType,
  seL4_Fault_Timeout, seL4_Fault_Timeout_get_data, seL4_Fault_Timeout_get_consumed } from "sel4";
import { tep, reply } from "./cspace_handler";

export function main(): number {
  for (let i = 0; i < 3; i++) {
    const fault = seL4_getArchFault(seL4_Recv(tep, reply).info);
    if (seL4_Fault_get_seL4_FaultType(fault) !== seL4_Fault_Timeout) printf("not a timeout fault\\n");
    printf("timeout at %d ms: data 0x%lx, consumed %d us\\n", Date.now(), seL4_Fault_Timeout_get_data(fault),
      seL4_Fault_Timeout_get_consumed(fault));
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
  }
  return 0;
}
`;

/** Looks at the SC its high-priority partner is bound to, configures it, and looks again. */
const BOSS = `
import { printf, seL4_SchedContext_Consumed, seL4_SchedControl_Configure } from "sel4";
import { late_sc, sched_control } from "./cspace_boss";

export function main(): number {
  printf("boss: late has not run; Consumed answers %d\\n", seL4_SchedContext_Consumed(late_sc).error);
  const error = seL4_SchedControl_Configure(sched_control, late_sc, 1000, 1000, 0, 0);
  printf("boss: configured late_sc (error %d)\\n", error);
  return 0;
}
`;

const LATE = `
import { printf } from "sel4";
export function main(): number {
  printf("late: running at last\\n");
  return 0;
}
`;

describe("scheduling contexts declared in system.json, at run time (MCS)", () => {
  it("an SC booted with the declared budget, period and badge: each timeout comes a period later, with that badge", async () => {
    const budgetUs = 2000;
    const periodUs = 30_000;
    const run = await runSpec("mcs", {
      system: {
        schemaVersion: 1,
        objects: { tep: { type: "Endpoint" }, handler_reply: { type: "Reply" } },
        threads: {
          handler: {
            priority: 200,
            caps: [
              { symbol: "tep", object: "tep", rights: "RWG" },
              { symbol: "reply", object: "handler_reply", rights: "RWG" },
            ],
          },
          spinner: {
            priority: 100,
            sc: { budgetUs, periodUs, badge: "0x5c" },
            caps: [{ symbol: "tep", object: "tep", rights: "RWG" }],
            timeoutEndpoint: "tep",
          },
        },
      },
      sources: { "handler.ts": HANDLER, "spinner.ts": SPINNER },
    });
    const lines = [...run.output.matchAll(/timeout at (\d+) ms: data 0x5c, consumed (\d+) us/g)];
    expect(
      lines.map((m) => m[0]),
      run.output + run.report,
    ).toHaveLength(3);
    lines.forEach((m, i) => {
      const atMs = Number(m[1]); // Date.now(): whole milliseconds of simulated time
      const consumed = Number(m[2]);
      // The spinner gets its whole budget each period: the budget ends within a kernel entry of
      // running out (less than MIN_BUDGET may be left unused), one period after the last start.
      expect(consumed).toBeGreaterThan(budgetUs - MIN_BUDGET_US - 1);
      expect(consumed).toBeLessThanOrEqual(budgetUs);
      expect(atMs).toBe((i * periodUs + budgetUs) / 1000);
    });
  });

  it("an SC object declared without parameters is unconfigured: its thread runs once another configures it", async () => {
    const run = await runSpec("mcs", {
      system: {
        schemaVersion: 1,
        objects: { late_sc: { type: "SchedContext" }, sched_control: { type: "SchedControl" } },
        threads: {
          boss: {
            priority: 100,
            caps: [
              { symbol: "late_sc", object: "late_sc" },
              { symbol: "sched_control", object: "sched_control" },
            ],
          },
          late: { priority: 200, sc: "late_sc" },
        },
      },
      sources: { "boss.ts": BOSS, "late.ts": LATE },
    });
    // The higher-priority thread waits until its SC has a budget, then preempts the one that gave it.
    expect(run.output).toContain(
      "boss: late has not run; Consumed answers 0\nlate: running at last\nboss: configured late_sc (error 0)\n",
    );
  });
});
