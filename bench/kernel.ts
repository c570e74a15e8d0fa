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
// On MCS the server is passive by default, as MCS servers are meant to be: it has no SC of its own
// and runs on the one each Call lends it, which is the case seL4's IPC fastpath handles. With
// `server: "active"` it keeps its own SC, and every round trip takes the slowpath.
//
// Measure each configuration in a fresh process: the JIT's type feedback from one configuration
// slows the kernel down for the other (MCS measured after master in one process loses about a third).
// On a shared machine run it at a real-time priority (chrt -f 10 node ...) or read the CPU-time rate.
import { invocationLabelNumber } from "../src/abi/invocation.js";
import { Kernel, toWord, type KernelEvent, type TCB } from "../src/kernel/index.js";
import * as registers from "../src/abi/registers.js";
import { syscallNumber, type SyscallName } from "../src/abi/syscall.js";
import type { KernelConfig } from "../src/abi/constants.js";
import { InProcessSystem, sys, type Program } from "../test/support/in-process.js";
import { buildThread } from "../test/support/system.js";

type BenchDriver = "registers" | "harness";
/** MCS: whether the server runs on the caller's lent SC (passive) or on its own (active). */
type BenchServer = "passive" | "active";

export interface IPCBenchResult {
  config: KernelConfig;
  driver: BenchDriver;
  server: BenchServer;
  roundTrips: number;
  /** How many of the kernel entries the IPC fastpath completed. */
  fastpathEntries: number;
  /** Events the trace sink received (setup included). */
  traceEvents: number;
  /** Wall-clock seconds, and the CPU seconds this process used meanwhile (steadier on a busy machine). */
  seconds: number;
  cpuSeconds: number;
  roundTripsPerSecond: number;
  roundTripsPerCpuSecond: number;
}

const EP_SLOT = 1;
const REPLY_SLOT = 2; // the server's reply object (MCS)
const SERVER_SC_SLOT = 3; // the client's cap to the server's SC (MCS), to make the server passive
const LABEL = 1;

interface PingPong {
  client: TCB;
  server: TCB;
  passive: boolean;
}

/**
 * A client and a server of equal priority sharing one endpoint (and, on MCS, the server's reply
 * object), started with the server running first (resumed last, it heads the ready queue).
 */
function pingPongSystem(kernel: Kernel, server: BenchServer): PingPong {
  const config = kernel.config;
  const b = kernel.boot;
  const client = buildThread(kernel, { name: "client", priority: 100 });
  const serverThread = buildThread(kernel, { name: "server", priority: 100 });
  const ep = b.createObject("Endpoint", { name: "ep" });
  b.insertCap(client.cnode, EP_SLOT, b.cap(ep));
  b.insertCap(serverThread.cnode, EP_SLOT, b.cap(ep));
  const passive = config === "mcs" && server === "passive";
  if (config === "mcs") b.insertCap(serverThread.cnode, REPLY_SLOT, b.cap(b.createObject("Reply", { name: "reply" })));
  if (passive) b.insertCap(client.cnode, SERVER_SC_SLOT, b.cap(serverThread.sc!));
  b.resume(client.tcb);
  b.resume(serverThread.tcb);
  b.start();
  return { client: client.tcb, server: serverThread.tcb, passive };
}

const unbindLabel = (config: KernelConfig): number => invocationLabelNumber(config, "SchedContextUnbind")!;

/** A prepared benchmark: its kernel, and the function that runs the round trips and returns how many completed. */
interface BenchRun {
  kernel: Kernel;
  run: () => number;
}

/** The registers driver: a worker's side of the syscall ABI, for two threads taking turns. */
function runRegisters(kernel: Kernel, roundTrips: number, serverKind: BenchServer): BenchRun {
  const { client, server, passive } = pingPongSystem(kernel, serverKind);
  const config = kernel.config;
  const { RDX, RDI, RSI, R10, R12, NextIP, FaultIP } = registers;
  const word = (name: SyscallName) => toWord(syscallNumber(config, name)!);
  const CALL = word("Call"),
    RECV = word("Recv"),
    REPLY_RECV = word("ReplyRecv");
  const syscall: KernelEvent = Object.freeze({ type: "Syscall" });
  const callInfo = BigInt((LABEL << 12) | 1),
    replyInfo = 1n; // one MR each way
  const ep = BigInt(EP_SLOT),
    reply = BigInt(REPLY_SLOT);
  const unbindInfo = passive ? BigInt(unbindLabel(config)) << 12n : 0n;
  // Each syscall site is one instruction in a loop, so each traps from the same address every time.
  const trap = (t: TCB, number: bigint, info: bigint, nextIP: bigint, cap = ep): void => {
    const regs = t.regs;
    do {
      regs[RDX] = number;
      regs[RDI] = cap;
      regs[RSI] = info;
      regs[R12] = reply;
      regs[NextIP] = nextIP;
      kernel.advanceTime(100);
      kernel.callKernel(syscall);
      // A trap the kernel restarted (MCS: the budget ran out on entry) is executed again.
    } while (kernel.currentThread() === t && regs[NextIP] === nextIP - 2n && regs[FaultIP] === nextIP - 2n);
  };
  return {
    kernel,
    run: () => {
      if (kernel.currentThread() !== server) throw new Error("benchIPC: the server should run first");
      trap(server, RECV, 0n, 0x401002n);
      // The client makes the waiting server passive (seL4_SchedContext_Unbind on the server's SC).
      if (passive) trap(client, CALL, unbindInfo, 0x402002n, BigInt(SERVER_SC_SLOT));
      if (passive && server.sc !== null) throw new Error("benchIPC: the server kept its scheduling context");
      // The client sends i in MR0, the server answers i + 1: both checked as the round trips go.
      let i = 0n;
      let served = 0;
      while (served < roundTrips && kernel.currentThread() === client) {
        client.regs[R10] = i;
        trap(client, CALL, callInfo, 0x402102n);
        if (kernel.currentThread() !== server || server.regs[R10] !== i) break;
        i += 1n;
        server.regs[R10] = i;
        trap(server, REPLY_RECV, replyInfo, 0x401102n);
        if (client.regs[R10] !== i) break;
        served++;
      }
      return served;
    },
  };
}

/** The harness driver: the same two threads as generator programs. */
function runHarness(kernel: Kernel, roundTrips: number, serverKind: BenchServer): BenchRun {
  const { client, server, passive } = pingPongSystem(kernel, serverKind);
  const config = kernel.config;
  const sim = new InProcessSystem(kernel);
  const reply = config === "mcs" ? REPLY_SLOT : undefined;
  let served = 0;
  sim.attach(client, function* (): Program {
    if (passive) yield sys.call(SERVER_SC_SLOT, unbindLabel(config));
    for (let i = 0; i < roundTrips; i++) yield sys.call(EP_SLOT, LABEL, [i]);
  });
  sim.attach(server, function* (): Program {
    let msg = yield sys.recv(EP_SLOT, reply);
    for (;;) {
      served++;
      msg = yield sys.replyRecv(EP_SLOT, 0, [msg.mrs[0]! + 1n], reply);
    }
  });
  return {
    kernel,
    run: () => {
      sim.run(Number.MAX_SAFE_INTEGER);
      return served;
    },
  };
}

export interface IPCBenchOptions {
  roundTrips?: number;
  driver?: BenchDriver;
  server?: BenchServer;
  /** CONFIG_FASTPATH (default on): off, every round trip takes the slowpath. */
  fastpath?: boolean;
  /**
   * A trace sink on the kernel: "facts" is what every `run` and `check` installs (faults only, so
   * the hot paths stay silent); "every" is `--trace` (every event, counted). Default: none.
   */
  trace?: "facts" | "every";
}

/** Runs Call/ReplyRecv round trips between two threads (1,000,000 by default) and times them. */
export function benchIPC(config: KernelConfig, opts: IPCBenchOptions = {}): IPCBenchResult {
  const { roundTrips = 1_000_000, driver = "registers", server = "passive", fastpath = true } = opts;
  const setup = driver === "registers" ? runRegisters : runHarness;
  let traceEvents = 0;
  const trace =
    opts.trace === undefined ? {} : { trace: { detail: opts.trace === "every", event: () => traceEvents++ } };
  const { kernel, run } = setup(
    new Kernel({ config, memoryBytes: 4 * 1024 * 1024, fastpath, ...trace }),
    roundTrips,
    server,
  );
  const fastpathBefore = kernel.state.fastpathEntries;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const served = run();
  const cpu = process.cpuUsage(cpuStart);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (served !== roundTrips)
    throw new Error(`benchIPC(${config}, ${driver}): ${served} of ${roundTrips} round trips completed`);
  return {
    config,
    driver,
    server,
    roundTrips,
    fastpathEntries: kernel.state.fastpathEntries - fastpathBefore,
    traceEvents,
    seconds,
    cpuSeconds,
    roundTripsPerSecond: roundTrips / seconds,
    roundTripsPerCpuSecond: roundTrips / cpuSeconds,
  };
}
