// In-process IPC benchmark: a client Calls a server that answers with ReplyRecv, on one kernel
// configuration, without workers. One round trip is two kernel entries (Call, then ReplyRecv).
//
// Two drivers play the user side:
//  - "registers" does what a worker does at a trap, and nothing else: it loads the syscall
//    registers (number, cap, message info, MR0, the MCS reply cap), sets NextIP, enters the kernel
//    and re-executes a restarted trap. It measures the kernel's IPC path.
//  - "harness" runs the two threads as generator programs through InProcessSystem, as the kernel
//    tests do; it adds the cost of the generators and of marshalling requests and results.
//
// Measure each configuration in a fresh process: the JIT's type feedback from one configuration
// slows the kernel down for the other (MCS measured after master in one process loses about a third).
// On a shared machine run it at a real-time priority (chrt -f 10 node ...) or read the CPU-time rate.
import { Kernel, registers, syscallNumber, toWord, type Config, type KernelEvent, type SyscallName, type TCB } from "../kernel/index.js";
import { InProcessSystem, sys, type Program } from "./harness.js";
import { buildThread } from "./system.js";

export type BenchDriver = "registers" | "harness";

export interface IPCBenchResult {
  config: Config;
  driver: BenchDriver;
  roundTrips: number;
  /** Wall-clock seconds, and the CPU seconds this process used meanwhile (steadier on a busy machine). */
  seconds: number;
  cpuSeconds: number;
  roundTripsPerSecond: number;
  roundTripsPerCpuSecond: number;
}

const EP_SLOT = 1;
const REPLY_SLOT = 2; // the server's reply object (MCS)
const LABEL = 1;

interface PingPong {
  kernel: Kernel;
  client: TCB;
  server: TCB;
}

/** A client and a server of equal priority sharing one endpoint (and, on MCS, the server's reply object). */
function pingPongSystem(config: Config): PingPong {
  const kernel = new Kernel({ config, memoryBytes: 4 * 1024 * 1024 });
  const b = kernel.boot;
  const client = buildThread(kernel, { name: "client", priority: 100 });
  const server = buildThread(kernel, { name: "server", priority: 100 });
  const ep = b.createObject("Endpoint", { name: "ep" });
  b.insertCap(client.cnode, EP_SLOT, b.cap(ep));
  b.insertCap(server.cnode, EP_SLOT, b.cap(ep));
  if (config === "mcs") b.insertCap(server.cnode, REPLY_SLOT, b.cap(b.createObject("Reply", { name: "reply" })));
  return { kernel, client: client.tcb, server: server.tcb };
}

/** The registers driver: a worker's side of the syscall ABI, for two threads taking turns. */
function runRegisters(config: Config, roundTrips: number): () => number {
  const { kernel, client, server } = pingPongSystem(config);
  const { RDX, RDI, RSI, R10, R12, NextIP, FaultIP } = registers;
  const word = (name: SyscallName) => toWord(syscallNumber(config, name)!);
  const CALL = word("Call"), RECV = word("Recv"), REPLY_RECV = word("ReplyRecv");
  const syscall: KernelEvent = Object.freeze({ type: "Syscall" });
  const callInfo = BigInt((LABEL << 12) | 1), replyInfo = 1n; // one MR each way
  const ep = BigInt(EP_SLOT), reply = BigInt(REPLY_SLOT);
  let ip = 0x401000;
  const trap = (t: TCB, number: bigint, info: bigint): void => {
    const regs = t.regs;
    do {
      regs[RDX] = number;
      regs[RDI] = ep;
      regs[RSI] = info;
      regs[R12] = reply;
      ip += 8;
      regs[NextIP] = BigInt(ip + 2);
      kernel.advanceTime(100);
      kernel.callKernel(syscall);
      // A trap the kernel restarted (MCS: the budget ran out on entry) is executed again.
    } while (kernel.currentThread() === t && regs[NextIP] === regs[FaultIP]);
  };
  kernel.boot.resume(client);
  kernel.boot.resume(server); // resumed last, so it runs first and waits
  kernel.boot.start();
  return () => {
    if (kernel.currentThread() !== server) throw new Error("benchIPC: the server should run first");
    trap(server, RECV, 0n);
    // The client sends i in MR0, the server answers i + 1: both checked as the round trips go.
    let i = 0n;
    let served = 0;
    while (served < roundTrips && kernel.currentThread() === client) {
      client.regs[R10] = i;
      trap(client, CALL, callInfo);
      if (kernel.currentThread() !== server || server.regs[R10] !== i) break;
      i += 1n;
      server.regs[R10] = i;
      trap(server, REPLY_RECV, replyInfo);
      if (client.regs[R10] !== i) break;
      served++;
    }
    return served;
  };
}

/** The harness driver: the same two threads as generator programs. */
function runHarness(config: Config, roundTrips: number): () => number {
  const { kernel, client, server } = pingPongSystem(config);
  const sim = new InProcessSystem(kernel);
  const reply = config === "mcs" ? REPLY_SLOT : undefined;
  let served = 0;
  sim.attach(client, function* (): Program {
    for (let i = 0; i < roundTrips; i++) yield sys.call(EP_SLOT, LABEL, [i]);
  });
  sim.attach(server, function* (): Program {
    let msg = yield sys.recv(EP_SLOT, reply);
    for (;;) {
      served++;
      msg = yield sys.replyRecv(EP_SLOT, 0, [msg.mrs[0]! + 1n], reply);
    }
  });
  kernel.boot.resume(client);
  kernel.boot.resume(server);
  kernel.boot.start();
  return () => {
    sim.run(Number.MAX_SAFE_INTEGER);
    return served;
  };
}

/** Runs `roundTrips` Call/ReplyRecv round trips between two threads and times them. */
export function benchIPC(config: Config, roundTrips = 1_000_000, driver: BenchDriver = "registers"): IPCBenchResult {
  const run = driver === "registers" ? runRegisters(config, roundTrips) : runHarness(config, roundTrips);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const served = run();
  const cpu = process.cpuUsage(cpuStart);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (served !== roundTrips) throw new Error(`benchIPC(${config}, ${driver}): ${served} of ${roundTrips} round trips completed`);
  return {
    config, driver, roundTrips, seconds, cpuSeconds,
    roundTripsPerSecond: roundTrips / seconds, roundTripsPerCpuSecond: roundTrips / cpuSeconds,
  };
}

/** Best of `trials` runs (the least disturbed by other processes), as a one-line report. */
export function benchIPCReport(config: Config, roundTrips = 1_000_000, driver: BenchDriver = "registers", trials = 3): string {
  benchIPC(config, Math.min(roundTrips, 50_000), driver); // warm up the JIT
  let best: IPCBenchResult | null = null;
  for (let i = 0; i < trials; i++) {
    const r = benchIPC(config, roundTrips, driver);
    if (best === null || r.roundTripsPerSecond > best.roundTripsPerSecond) best = r;
  }
  const k = (x: number) => `${Math.round(x / 1000)}k`;
  return `${config} ${driver}: ${k(best!.roundTripsPerSecond)} round trips/s (${k(best!.roundTripsPerCpuSecond)}/s of CPU time), ` +
    `${roundTrips} in ${best!.seconds.toFixed(2)} s`;
}
