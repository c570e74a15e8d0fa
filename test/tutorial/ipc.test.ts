// The ipc tutorial: the official tasks and completion texts (one text for both kernels), the
// system the capDL tooling would build, the rendered states, and what the solutions print: the
// order of the lines comes out of the kernel's queues and the IPC fastpath, the same on both
// kernels, and is the order the official lesson shows.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { loadSystemSpec } from "../../src/loader/spec.js";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { renderSources } from "../../src/tutorial/render.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { sel4tut, sel4tutAsync, tempDir } from "../cli/helpers.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "ipc"));

describe("ipc tutorial", () => {
  it("follows mapping in the official track", () => {
    const names = builtinTutorialNames();
    expect(names.indexOf("ipc")).toBeGreaterThan(names.indexOf("mapping"));
    expect(names.indexOf("ipc")).toBeLessThan(names.indexOf("fault-handlers"));
  });

  it("has the official tasks and completion texts, the same on both kernels", () => {
    expect(tut.configs).toEqual(["master", "mcs"]);
    for (const config of tut.configs) {
      expect(tut.tasks.map((t) => [t.name, t.start[config], t.finish[config]])).toEqual([
        ["ipc-start", "Assertion failed", "Assertion failed"],
        ["ipc-badge", "Assertion failed", "received badged endpoint"],
        ["ipc-echo", "received badged endpoint", "\nthe\nthe\nthe"],
        ["ipc-reply", "\nthe\nthe\nthe", "lazy"],
        ["ipc-order", "lazy", "dog"],
      ]);
    }
    for (const t of tut.tasks) expect(t.hints.length).toBeGreaterThanOrEqual(2);
  });

  it("boots the official slots: endpoint, cnode, an empty slot, then (MCS) the server's reply objects and each own TCB cap", () => {
    for (const config of tut.configs) {
      const plan = loadSystemSpec(tut.systemFile, config);
      const slots = (thread: string) =>
        plan.threads.find((t) => t.name === thread)!.caps.map((c) => `${c.slot} ${c.symbol ?? c.object}`);
      const client = (n: number) => ["1 endpoint", "2 cnode", "3 badged_endpoint", `4 tcb_client_${n}`];
      expect(slots("client_1")).toEqual(client(1));
      expect(slots("client_2")).toEqual(client(2));
      expect(slots("server")).toEqual(
        config === "mcs"
          ? ["1 endpoint", "2 cnode", "3 free_slot", "4 reply", "5 spare_reply", "6 tcb_server"]
          : ["1 endpoint", "2 cnode", "3 free_slot", "4 tcb_server"],
      );
      // Every endpoint cap may grant: a client's call gets a reply cap, a server's reply carries caps.
      for (const t of plan.threads) expect(t.caps.find((c) => c.symbol === "endpoint")!.rights).toBe(2 | 1 | 4);
    }
  });

  it("shows each task's TODO in its start state, no solved task's, and no later task's code but the order block", () => {
    tut.tasks.forEach((task, i) => {
      const start = renderSources(tut, { task: i, solution: false }).get("server.ts")!;
      const solved = renderSources(tut, { task: i, solution: true }).get("server.ts")!;
      if (i > 0) expect(start).toContain(`TODO ${task.name}`);
      for (const done of tut.tasks.slice(0, i)) expect(start).not.toContain(`TODO ${done.name}`);
      for (const done of tut.tasks.slice(0, i + 1)) expect(solved).not.toContain(`TODO ${done.name}`);
      // ipc-order's code is absent until its task, as the official include_task_type_append leaves it.
      expect(start.includes("SaveCaller(cnode")).toBe(false);
      expect(start).not.toMatch(/\/\/@/);
    });
  });

  describe.each<KernelConfig>(["master", "mcs"])("what the solutions print on %s", (config) => {
    async function solutionRun(task: string): Promise<string[]> {
      const cwd = tempDir("sel4tut-ipc-");
      expect(sel4tut(["init", "--tut", "ipc", "--task", task, "--solution", "ex"], cwd).status).toBe(0);
      const r = await sel4tutAsync(["run", ...(config === "mcs" ? ["--mcs"] : [])], join(cwd, "ex"));
      return r.stdout.split("\n");
    }
    const badging = [
      "Client 2: waiting for badged endpoint",
      "Badged 2",
      "Client 1: waiting for badged endpoint",
      "Badged 1",
    ];

    it(
      "answered at once, client_2 sends every word before client_1 runs; kept waiting, the clients alternate",
      { timeout: 120_000 },
      async () => {
        const [reply, order] = await Promise.all([solutionRun("ipc-reply"), solutionRun("ipc-order")]);
        expect(reply.slice(0, 16)).toEqual([
          ...badging,
          "Client 2: received badged endpoint",
          "the",
          "brown",
          "jumps",
          "the",
          "dog",
          "Client 1: received badged endpoint",
          "quick",
          "fox",
          "over",
          "lazy",
          "",
        ]);
        expect(order.slice(0, 16)).toEqual([
          ...badging,
          "Client 2: received badged endpoint",
          "the",
          "Client 1: received badged endpoint",
          "quick",
          "fox",
          "brown",
          "jumps",
          "over",
          "lazy",
          "the",
          "dog",
          "",
        ]);
      },
    );
  });
});
