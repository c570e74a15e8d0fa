// What learner code finds in its thread's globals (src/machine/sandbox.ts): clocks that read
// virtual time, no `process` to end the worker with, timers and entropy that refuse with a reason.
import { describe, expect, it } from "vitest";
import { runLearnerSystem, type SystemDef } from "./harness.js";

/** Learner code is type-checked against ES2022 only; these are what a learner would declare. */
const DECLARE = `declare const performance: { now(): number; timeOrigin: number };
declare const console: Record<string, (...args: unknown[]) => void>;
const g = globalThis as any;`;

/** Runs `body` as the main() of one thread and returns the system's output and result. */
function oneThread(body: string, prelude = "") {
  const def: SystemDef = {
    config: "master",
    threads: [
      {
        name: "t",
        source: `import { printf } from "sel4";\n${DECLARE}\n${prelude}\nexport function main(): number {\n${body}\n  return 0;\n}`,
      },
    ],
  };
  return runLearnerSystem(def);
}

/** Each attempt runs in a try block; the output says what it returned or the error it threw. */
const ATTEMPT = `function attempt(label: string, f: () => unknown): void {
  try { printf("%s -> %s\\n", label, String(f())); } catch (e) { printf("%s threw %s\\n", label, (e as Error).message); }
}`;

describe("clocks read virtual time", () => {
  const CLOCKS = `  let x = 0;
  for (let i = 0; i < 50000; i++) x += i % 3; // 50 000 preemption points: 5 ms of virtual time
  const date = new Date().getTime();
  const now = Date.now();
  const perf = performance.now();
  const called = (g.Date as () => string)();
  printf("date %d now %d perf %s origin %d\\n", date, now, String(perf), performance.timeOrigin);
  printf("Date() is new Date().toString(): %s\\n", String(called === new Date(date).toString()));
  printf("intl year %s\\n", new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric" }).format());
  printf("epoch+1d %s\\n", new Date(86400000).toISOString());
  printf("parse %s UTC %s\\n", String(Date.parse("2020-01-01T00:00:00Z")), String(Date.UTC(2020, 0, 1)));
  class Stamp extends Date {}
  const s = new Stamp();
  printf("instanceof %s %s %s\\n", String(new Date() instanceof Date), String(s instanceof Stamp && s instanceof Date), String(s.getTime() >= date));
  let viaConstructor = "no exception";
  try { new (new Date(1).constructor as DateConstructor)(); } catch (e) { viaConstructor = (e as Error).message; }
  printf("constructor: %s; no way back to the real Date: %s\\n", viaConstructor, String(Object.getPrototypeOf(Date) === Function.prototype));`;

  it("new Date(), Date(), Date.now(), performance.now() and Intl agree with the simulated clock, run after run", async () => {
    const first = await oneThread(CLOCKS);
    expect(first.outcome).toBe("finished");
    const m = /^date (\d+) now (\d+) perf ([\d.]+) origin 0\n/.exec(first.output);
    expect(m, first.output).not.toBeNull();
    const [date, now, perf] = [Number(m![1]), Number(m![2]), Number(m![3])];
    // The loop took 5 ms of virtual time; a real clock would say ~1.7e12 ms.
    expect(date).toBeGreaterThanOrEqual(5);
    expect(date).toBeLessThan(6);
    expect(now).toBe(date);
    expect(Math.floor(perf)).toBe(date);
    expect(date * 1e6).toBeLessThanOrEqual(first.virtualTimeNs);
    expect(first.output.split("\n").slice(1).join("\n")).toBe(
      [
        "Date() is new Date().toString(): true",
        "intl year 1970",
        "epoch+1d 1970-01-02T00:00:00.000Z",
        "parse 1577836800000 UTC 1577836800000",
        "instanceof true true true",
        // A date's constructor is ses's shared Date, which has no clock at all.
        "constructor: secure mode Calling new %SharedDate%() with no arguments throws; no way back to the real Date: true",
        "",
      ].join("\n"),
    );
    const again = await oneThread(CLOCKS);
    expect(again.output).toBe(first.output);
  }, 60_000);
});

describe("process is not there for learner code", () => {
  it("every way of reaching it throws, naming the member (or refusing the code that would), and the worker carries on", async () => {
    const r = await oneThread(
      `  attempt("process.exit", () => g.process.exit(0));
  attempt("globalThis.process.kill", () => globalThis && g.process.kill(0, "SIGKILL"));
  attempt("Function", () => Function("return process")().abort());
  attempt("indirect eval", () => (0, eval)("process.reallyExit(1)"));
  attempt("sloppy this", () => Function("return this")().process.pid);
  attempt("Reflect.get", () => (Reflect.get(globalThis, "process") as any).exitCode = 3);
  attempt("stdout", () => g.process.stdout.write("bypassing the kernel"));
  attempt("env", () => g.process.env.HOME);
  attempt("typeof", () => typeof g.process);
  attempt("assign", () => (g.process = { exit() {} }));
  attempt("delete", () => delete g.process);
  attempt("with no stack", () => { (Error as any).stackTraceLimit = 0; return g.process.pid; });
  printf("still running\\n");`,
      ATTEMPT,
    );
    const exitHint =
      "a thread cannot end sel4tut or its worker. A thread ends by returning from its function (main); to stop with an error, throw one";
    const neverSeen =
      "cannot be used in a seL4 thread: it would run code the build never saw (and so never instrumented); write the code itself";
    const noProcess =
      "a seL4 thread has no process (no exit, signals, environment or streams); it talks to the world through the kernel";
    expect(r.output).toBe(
      [
        `process.exit threw process.exit is not available in a seL4 thread: ${exitHint}`,
        `globalThis.process.kill threw process.kill is not available in a seL4 thread: ${exitHint}`,
        `Function threw Function ${neverSeen}`,
        `indirect eval threw eval ${neverSeen}`,
        `sloppy this threw Function ${neverSeen}`,
        `Reflect.get threw process.exitCode is not available in a seL4 thread: ${exitHint}`,
        "stdout threw process.stdout is not available in a seL4 thread: print with printf or console.log, which go through the kernel in program order",
        "env threw process.env is not available in a seL4 thread: a seL4 thread has no environment; put settings in your code",
        "typeof -> object",
        `assign threw process is not available in a seL4 thread: ${noProcess}`,
        "delete threw Cannot delete property 'process' of [object Object]",
        `with no stack threw process.pid is not available in a seL4 thread: ${noProcess}`,
        "still running",
        "",
      ].join("\n"),
    );
    expect(r.outcome).toBe("finished");
  });

  it("an uncaught process.exit(3) is the learner's exception at their line: a user exception fault, not sel4tut's error", async () => {
    const r = await runLearnerSystem({
      config: "master",
      objects: { fault_ep: "Endpoint" },
      threads: [
        {
          name: "quitter",
          faultEP: 1,
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { printf } from "sel4";
declare const process: { exit(code: number): never };
export function main(): number {
  printf("quitter: leaving\\n");
  process.exit(3);
}`,
        },
        {
          name: "handler",
          caps: [{ slot: 1, object: "fault_ep" }],
          source: `import { seL4_Recv, seL4_getFault, seL4_Fault_UserException_get_Number, printf } from "sel4";
export function main(): number {
  const fault = seL4_getFault(seL4_Recv(1).info);
  printf("handler: user exception %d\\n", seL4_Fault_UserException_get_Number(fault));
  return 0;
}`,
        },
      ],
    });
    expect(r.output).toBe(
      [
        "quitter: leaving",
        'Uncaught exception in thread "tcb_quitter": Error: process.exit is not available in a seL4 thread: a thread cannot end sel4tut or its worker. ' +
          "A thread ends by returning from its function (main); to stop with an error, throw one",
        "    at main (src/quitter.ts:5:11)",
        "handler: user exception 13",
        "",
      ].join("\n"),
    );
    expect(r.outcome).toBe("deadlock"); // the quitter waits for its handler's reply, as on seL4
  });
});

describe("work that would never run, and entropy, refuse with a reason", () => {
  const SYNC =
    "a seL4 thread runs synchronously and never returns to an event loop, so the callback would never run. " +
    "To wait, block in the kernel (seL4_Recv or seL4_Wait); to let other threads run, call seL4_Yield()";

  it("setTimeout, setInterval, setImmediate, queueMicrotask and process.nextTick throw; crypto does too", async () => {
    const r = await oneThread(
      `  attempt("setTimeout", () => g.setTimeout(() => printf("late\\n"), 0));
  attempt("setInterval", () => g.setInterval(() => printf("late\\n"), 1));
  attempt("setImmediate", () => g.setImmediate(() => printf("late\\n")));
  attempt("queueMicrotask", () => g.queueMicrotask(() => printf("late\\n")));
  attempt("nextTick", () => g.process.nextTick(() => printf("late\\n")));
  attempt("randomUUID", () => g.crypto.randomUUID());
  attempt("getRandomValues", () => g.crypto.getRandomValues(new Uint8Array(4)));`,
      ATTEMPT,
    );
    const entropy =
      "a seL4 thread has no entropy source, so runs could not repeat; use Math.random(), which is seeded per thread";
    expect(r.output).toBe(
      [
        `setTimeout threw setTimeout() is not available in a seL4 thread: ${SYNC}`,
        `setInterval threw setInterval() is not available in a seL4 thread: ${SYNC}`,
        `setImmediate threw setImmediate() is not available in a seL4 thread: ${SYNC}`,
        `queueMicrotask threw queueMicrotask() is not available in a seL4 thread: ${SYNC}`,
        `nextTick threw process.nextTick is not available in a seL4 thread: ${SYNC}`,
        `randomUUID threw crypto.randomUUID is not available in a seL4 thread: ${entropy}`,
        `getRandomValues threw crypto.getRandomValues is not available in a seL4 thread: ${entropy}`,
        "",
      ].join("\n"),
    );
    expect(r.outcome).toBe("finished");
  });

  it("an uncaught setTimeout points at the learner's line", async () => {
    const r = await oneThread(`  g.setTimeout(() => printf("late\\n"), 10);`);
    expect(r.output).toMatch(
      /^Uncaught exception in thread "tcb_t": Error: setTimeout\(\) is not available in a seL4 thread: .*\n {4}at main \(src\/t\.ts:7:5\)\n/,
    );
    expect(r.output).not.toContain("late");
  });
});

describe("console goes through the kernel", () => {
  it("dir, group and time print in program order, timed with the simulated clock", async () => {
    const r = await oneThread(`  printf("before\\n");
  console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
  console.group("group");
  console.log("inside\\nand on");
  console.groupEnd();
  console.time("loop");
  for (let i = 0; i < 20000; i++);
  console.timeLog("loop", "halfway?");
  console.timeEnd("loop");
  console.timeEnd("loop");
  printf("after\\n");`);
    expect(r.output).toBe(
      [
        "before",
        "{ a: [Object] }",
        "group",
        "  inside",
        "  and on",
        "loop: 2ms halfway?",
        "loop: 3.649ms", // timeLog's line took 19 characters at 86.8 µs
        "Warning: No such label 'loop' for console.timeEnd()",
        "after",
        "",
      ].join("\n"),
    );
  });
});
