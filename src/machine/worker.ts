// Entry point of a user thread's worker: loads the thread's compiled code, waits for the
// machine to run it, calls its main(), and turns the ways a thread can end into kernel events.
// The worker's realm is locked down (realm.ts) before any learner code is evaluated; the thread's
// code runs in a compartment whose globals are the thread's own (sandbox.ts, thread-console.ts).
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { NextIP, RDI, RDX, RSI } from "../abi/registers.js";
import { createLibsel4 } from "../libsel4/index.js";
import { wordToNumber } from "../libsel4/words.js";
import { WorkerChannel } from "./channel.js";
import { extractIpMaps } from "./ipmap.js";
import type { WorkerInit } from "./layout.js";
import { LearnerModules } from "./module-loader.js";
import type { PoolWorkerData } from "./pool.js";
import { Runtime } from "./runtime.js";
import { constantGlobals, lockDownWorker, threadCompartment } from "./realm.js";
import { prepareIntrinsics, settleGlobals, threadGlobals } from "./sandbox.js";
import { SourceMaps } from "./source-maps.js";
import { StackMapper, uncaughtReport } from "./stack.js";
import { threadConsole } from "./thread-console.js";

/** x86 general-protection vector: what an escaping exception looks like to the kernel. */
const GP_FAULT_VECTOR = 13;

export type WorkerMessage = { type: "ready" } | { type: "load-error"; message: string };

// A spare worker freezes its realm while it waits for its thread (pool.ts), so that cost is
// off the run's path. The machinery's modules have taken what they need of the intrinsics as
// they loaded (channel.ts, spin.ts), and the locale is fixed in them first.
prepareIntrinsics();
lockDownWorker();
const init = receiveInit();
const exitWorker = process.exit.bind(process);
const runtime = new Runtime();
const maps = new SourceMaps(init.displayRoot, new Map(init.sourceMapFile ? [[init.entry, init.sourceMapFile]] : []));
let stacks: StackMapper | null = null;
const channel = new WorkerChannel(init, runtime, () => stacks?.location() ?? runtime.ipmaps.describe(runtime.ip));
const sel4 = createLibsel4(channel);
const ownCode = !instrumented(init.entry);
const compartment = threadCompartment(
  threadGlobals({
    virtualNowNs: () => channel.virtualNow(),
    randomSeed: init.threadId,
    console: threadConsole(channel),
    ownCode,
  }),
);
settleGlobals(compartment.globalThis, { ownCode });
constantGlobals(compartment);
const modules = new LearnerModules(compartment, sel4, runtime, dirname(init.entry));
stacks = new StackMapper(maps, modules.emittedPosition);
stacks.install();

try {
  // Compiled before the first turn; its code runs from the first turn on.
  modules.compile(init.entry);
  parentPort!.postMessage({ type: "ready" } satisfies WorkerMessage);
} catch (err) {
  parentPort!.postMessage({
    type: "load-error",
    message: String(err instanceof Error ? err.message : err),
  } satisfies WorkerMessage);
  exitWorker(1);
}

channel.waitForFirstTurn();
runThread(init.startAt === "registers" ? entryRegisters() : null);

/**
 * Workers start before their thread exists (pool.ts) and sleep until its state has been posted;
 * the pool wakes a spare it ends instead, with a negative value.
 */
function receiveInit(): WorkerInit {
  const { mailbox } = workerData as PoolWorkerData;
  Atomics.wait(mailbox, 0, 0);
  if (Atomics.load(mailbox, 0) < 0) process.exit(0);
  return receiveMessageOnPort(parentPort!)!.message as WorkerInit;
}

/**
 * Where a thread created at run time starts, read before its program's files are loaded: loading
 * them runs their top-level code in this worker, whose traps use the registers. (On a CPU the
 * image is already in memory and the thread's first instruction is at rip.)
 */
function entryRegisters(): EntryRegisters {
  const regs = channel.regs;
  return { rip: regs[NextIP]!, args: [regs[RDI]!, regs[RSI]!, regs[RDX]!] };
}

interface EntryRegisters {
  rip: bigint;
  /** RDI, RSI and RDX: the first three arguments of an x86_64 function. */
  args: [bigint, bigint, bigint];
}

function runThread(start: EntryRegisters | null): never {
  try {
    const exports = modules.require(init.entry) as { main?: unknown };
    channel.enterProgram();
    const result: unknown = start === null ? callMain(exports.main) : callEntryPoint(start);
    if (result instanceof Promise)
      throw new Error("a seL4 thread runs synchronously: its entry function must not be async");
    // sel4runtime passes main's result to sel4runtime_exit, which calls the exit callback. Nothing
    // set one in a root task, so that is a call through a NULL function pointer.
    if (init.bootInfo !== undefined && start === null) channel.jump(0n);
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

/**
 * A thread created at run time starts where its registers say, as the CPU would: at a top-level
 * function of the program, with RDI, RSI and RDX as its first three arguments. Anywhere else
 * there is no code of the program: the fetch faults, and the kernel reports it.
 */
function callEntryPoint(start: EntryRegisters): unknown {
  const entry = runtime.functions.get(Number(start.rip));
  if (!entry) return channel.jump(start.rip);
  return entry(...start.args.map(wordToNumber));
}

/**
 * The build instruments every file of a learner's program; thread code that is not instrumented
 * is sel4tut's own (bench.ts's timed threads).
 */
function instrumented(file: string): boolean {
  return extractIpMaps(readFileSync(file, "utf8")).length > 0;
}
