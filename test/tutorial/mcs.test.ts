// The mcs tutorial: the official tasks and completion texts, byte for byte, on the MCS kernel only;
// the official system (passive threads, slots, priorities); TODOs shown from the start and gone
// once solved, as the official include_task_type_replace renders them; and the lesson a learner
// reads, with each task's code and the `--mcs` check.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSystemSpec } from "../../src/loader/spec.js";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { renderReadme, renderSources } from "../../src/tutorial/render.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "mcs"));

const TICKS =
  "\nYield\nTick 0\nYield\nTick 1\nYield\nTick 2\nYield\nTick 3\nYield\nTick 4\nYield\nTick 5\nYield\nTick 6\nYield\nTick 7\nYield\nTick 8\nYield\nYield\nYield";
const SERVER = "\nTock 8\nStarting server\nWait for server\nServer initialising\nrunning\npassive\necho server";
/** The official task list with START and FINISH texts (a START the task does not give is the previous FINISH). */
const OFFICIAL: [string, string, string][] = [
  ["mcs-start", "\nYield\nYield\nYield", "\nYield\nYield\nYield"],
  ["mcs-periodic", TICKS, TICKS],
  ["mcs-unbind", TICKS, "\nTick 6\nYield\nTick 7\nYield\nTick 8"],
  ["mcs-bind", "\nTick 6\nYield\nTick 7\nYield\nTick 8", "\nTock 3\nTock 4\nTock 5\nTock 6"],
  ["mcs-sporadic", "\nTock 4\nTock 5\nTock 6\nTock 7", "\nTock 4\nTock 5\nTock 6\nTock 7"],
  ["mcs-server", "\nTock 4\nTock 5\nTock 6\nTock 7", `${SERVER}\nYield`],
  ["mcs-badge", `${SERVER}\nYield`, SERVER],
  ["mcs-fault", SERVER, "\nReceived timeout fault\nSuccess!"],
];

describe("the mcs tutorial", () => {
  it("has the official tasks and completion texts, on the MCS kernel only, after fault-handlers", () => {
    expect(tut.configs).toEqual(["mcs"]);
    expect(tut.tasks.map((t) => [t.name, t.start.mcs, t.finish.mcs])).toEqual(OFFICIAL);
    for (const t of tut.tasks) expect(t.hints.length).toBeGreaterThanOrEqual(2);
    const order = builtinTutorialNames();
    expect(order.indexOf("mcs")).toBe(order.indexOf("fault-handlers") + 1);
  });

  it("boots the official system: mcs on its own SC, three passive threads, capDL's slots", () => {
    const plan = loadSystemSpec(tut.systemFile, "mcs");
    expect(plan.threads.map((t) => [t.name, t.priority, t.sc])).toEqual([
      ["mcs", 254, "sc_mcs"],
      ["sender", 254, null],
      ["server", 254, null],
      ["spinner", 254, null],
    ]);
    const slots = (name: string) => plan.threads.find((t) => t.name === name)!.caps.map((c) => [c.slot, c.symbol]);
    expect(slots("mcs")).toEqual([
      [1, "sched_context"],
      [2, "sched_control"],
      [3, "server_tcb"],
      [4, "spinner_tcb"],
      [5, "sender_tcb"],
      [6, "endpoint"],
      [7, "reply"],
      [8, null],
    ]);
    expect(slots("server")).toEqual([
      [1, "endpoint"],
      [2, "reply"],
      [3, null],
    ]);
    expect(slots("sender")).toEqual([
      [1, "endpoint"],
      [2, null],
    ]);
    expect(slots("spinner")).toEqual([[1, null]]);
  });

  it("shows every exercise's TODO from the start, as the official code does, and a solved task's nowhere", () => {
    tut.tasks.forEach((task, i) => {
      const start = renderSources(tut, { task: i, solution: false }).get("mcs.ts")!;
      const solved = renderSources(tut, { task: i, solution: true }).get("mcs.ts")!;
      for (const later of tut.tasks.slice(Math.max(i, 1))) expect(start).toContain(`TODO ${later.name}`);
      for (const done of tut.tasks.slice(0, i + 1)) expect(solved).not.toContain(`TODO ${done.name}`);
    });
  });

  it("tells the reader to check with --mcs, shows each task's code, and says which checks the unsolved code passes too", () => {
    const readme = renderReadme(tut, { task: 0, solution: false });
    expect(readme).toContain(
      "`sel4tut check --mcs` passes when the output contains these lines, in this order (on MCS):",
    );
    expect(readme).not.toContain("`sel4tut check` passes");
    expect(readme).toContain("// TODO mcs-fault: set endpoint as the timeout fault handler of spinner_tcb.");
    const weak = tut.tasks.filter((t) => t.weakCheck !== null).map((t) => t.name);
    expect(weak).toEqual(["mcs-sporadic", "mcs-badge"]);
    for (const name of weak)
      expect(readme).toContain(
        `The unsolved code prints these lines too: ${tut.tasks.find((t) => t.name === name)!.weakCheck}`,
      );
  });
});
