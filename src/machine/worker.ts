// Entry point of a user thread's worker: loads the thread's compiled code, waits for the
// machine to run it, calls its main(), and turns the ways a thread can end into kernel events.
import { format } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { NextIP, RDI, RDX, RSI } from "../kernel/arch/registers.js";
import { createLibsel4 } from "../libsel4/index.js";
import { wordToNumber } from "../libsel4/words.js";
import { WorkerChannel } from "./channel.js";
import type { WorkerInit } from "./layout.js";
import { LearnerModules } from "./module-loader.js";
import { Runtime } from "./runtime.js";
import { SourceMaps } from "./source-maps.js";
import { StackMapper, uncaughtReport } from "./stack.js";

/** x86 general-protection vector: what an escaping exception looks like to the kernel. */
const GP_FAULT_VECTOR = 13;

export type WorkerMessage = { type: "ready" } | { type: "load-error"; message: string };

const init = workerData as WorkerInit;
const runtime = new Runtime();
const maps = new SourceMaps(init.displayRoot, new Map(init.sourceMapFile ? [[init.entry, init.sourceMapFile]] : []));
let stacks: StackMapper | null = null;
const channel = new WorkerChannel(init, runtime, () => stacks?.location() ?? runtime.ipmaps.describe(runtime.ip));
const sel4 = createLibsel4(channel);
const modules = new LearnerModules(sel4, runtime);
stacks = new StackMapper(maps, modules.isLearnerFile);
stacks.install();
routeConsole(channel);
virtualiseClocks(channel);
Math.random = seededRandom(init.threadId);

try {
  modules.compile(init.entry);
  parentPort!.postMessage({ type: "ready" } satisfies WorkerMessage);
} catch (err) {
  parentPort!.postMessage({ type: "load-error", message: String(err instanceof Error ? err.message : err) } satisfies WorkerMessage);
  process.exit(1);
}

channel.waitForFirstTurn();
runThread();

function runThread(): never {
  try {
    const exports = modules.require(init.entry) as { main?: unknown };
    const result: unknown = init.startAt === "main" ? callMain(exports.main) : callEntryPoint();
    if (result instanceof Promise) throw new Error("a seL4 thread runs synchronously: its entry function must not be async");
  } catch (err) {
    channel.print(uncaughtReport(init.threadName, err));
    // The kernel sees a general-protection fault; if a handler restarts the thread the fault
    // simply happens again, as re-executing a faulting instruction would.
    channel.exception(GP_FAULT_VECTOR, 0);
  }
  return channel.exit();
}

function callMain(main: unknown): unknown {
  if (typeof main !== "function") throw new Error(`${init.entry} does not export a main() function`);
  return main();
}

/** A thread created at run time starts where its registers say, as the CPU would. */
function callEntryPoint(): unknown {
  const regs = channel.regs;
  const rip = Number(regs[NextIP]!);
  const entry = runtime.functions.get(rip);
  if (!entry) {
    throw new Error(
      `thread "${init.threadName}" starts at address 0x${rip.toString(16)}, which is not a function of this program: ` +
        "set its instruction pointer with sel4utils_set_instruction_pointer(regs, f) or sel4utils_arch_init_local_context",
    );
  }
  return entry(wordToNumber(regs[RDI]!), wordToNumber(regs[RSI]!), wordToNumber(regs[RDX]!));
}

/** console.* in learner code prints through the kernel like printf, in program order. */
function routeConsole(ch: WorkerChannel): void {
  const write = (...args: unknown[]) => ch.print(`${format(...args)}\n`);
  for (const name of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    (console as unknown as Record<string, unknown>)[name] = write;
  }
}

/**
 * Date.now() and performance.now() in learner code read virtual time (ms since boot), so a
 * program that looks at the clock behaves the same on every run, as on the simulated machine.
 */
function virtualiseClocks(ch: WorkerChannel): void {
  Date.now = () => Math.floor(ch.virtualNow() / 1e6);
  performance.now = () => ch.virtualNow() / 1e6;
}

/** Math.random with a fixed seed per thread (xorshift32), so runs are reproducible. */
function seededRandom(seed: number): () => number {
  let s = (seed * 2654435761 + 1) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}
