// Shared pieces for the fault, TCB, VM and boot tests: invocation labels, the per-configuration
// way a handler receives and replies, fault-handler systems, hand-built threads, and the exact
// text of the debug kernel's reports.
import { expect } from "vitest";
import { invocationLabelNumber, type InvocationLabel } from "../../src/abi/invocation.js";
import {
  type Cap,
  type CNodeObj,
  type FrameObj,
  type KObject,
  type PagingObj,
  type SchedContextObj,
  type TCB,
} from "../../src/kernel/index.js";
import * as registers from "../../src/abi/registers.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { sys, type Program, type Request, type Result } from "../support/in-process.js";
import { DEFAULT_SC, IPC_BUFFER_VADDR, STACK_TOP } from "../support/system.js";
import { TestSystem } from "./fixtures.js";

export type { Program, Request, Result };
export const CONFIGS = ["master", "mcs"] as const;

/** The invocation label number libsel4 would put in the message info. */
export const L = (config: KernelConfig, name: InvocationLabel): number => invocationLabelNumber(config, name)!;

/** seL4_Error numbers used below. */
export const E = {
  NoError: 0n,
  InvalidArgument: 1n,
  InvalidCapability: 2n,
  IllegalOperation: 3n,
  RangeError: 4n,
  AlignmentError: 5n,
  FailedLookup: 6n,
  TruncatedMessage: 7n,
  DeleteFirst: 8n,
  RevokeFirst: 9n,
  NotEnoughMemory: 10n,
} as const;

/** The slots every handler thread uses: its fault endpoint and, on MCS, its reply object. */
export const HANDLER_EP = 1;
export const HANDLER_REPLY = 2;

/** Recv as the handler does it: master seL4_Recv(ep), MCS seL4_Recv(ep, reply). */
export function recvOn(config: KernelConfig, ep = HANDLER_EP, reply = HANDLER_REPLY): Request {
  return config === "mcs" ? sys.recv(ep, reply) : sys.recv(ep);
}

/** seL4_Wait: a real syscall on MCS; on master the libsel4 wrapper is seL4_Recv. */
export function waitOn(config: KernelConfig, cptr: number | bigint): Request {
  return config === "mcs" ? sys.wait(cptr) : sys.recv(cptr);
}

/** Reply as the handler does it: master seL4_Reply, MCS seL4_Send on the reply object. */
export function replyWith(
  config: KernelConfig,
  label: number | bigint,
  mrs: (number | bigint)[] = [],
  reply = HANDLER_REPLY,
): Request {
  return config === "mcs" ? sys.send(reply, label, mrs) : sys.reply(label, mrs);
}

/** What a receiver saw: the message info's label and length, the badge and the MRs. */
export interface Msg {
  label: number;
  length: number;
  badge: bigint;
  mrs: bigint[];
}
export function msgOf(r: Result): Msg {
  return { label: Number(r.label), length: r.length, badge: r.badge, mrs: r.mrs };
}
/** The message a fault handler should see. */
export function faultMsg(label: number, mrs: (number | bigint)[], badge: bigint | number = 0n): Msg {
  return { label, length: mrs.length, badge: BigInt(badge), mrs: mrs.map((m) => BigInt(m)) };
}

export interface FaultSystemOptions {
  /** Faulting threads (default one, "faulter"). */
  faulters?: string[];
  /** Rights of the faulters' fault-endpoint cap (default all). */
  rights?: number;
  /** Badge of each faulter's fault-endpoint cap, in `faulters` order (default unbadged). */
  badges?: number[];
  /** Where the master fault-handler CPtr points in each faulter's CSpace (default FAULTER_EP). */
  faulterEPSlot?: number;
  /** Extra threads built like the others. */
  others?: string[];
  /** Build the handler without an IPC buffer (only 4 MRs reach it, and only 4 leave it). */
  handlerWithoutIPCBuffer?: boolean;
  /** MCS: the faulters' scheduling context (default round-robin 10 ms). */
  sc?: { budgetUs: number; periodUs: number; badge?: number };
}
/** The slot of the faulter's fault-endpoint cap in its own CSpace (master). */
export const FAULTER_EP = 7;

/**
 * Faulters and a "handler" whose slot 1 holds the fault endpoint (all rights) and, on MCS, slot 2 a
 * reply object. Each faulter's fault handler is a cap to that endpoint with `rights` and its badge:
 * master keeps the CPtr FAULTER_EP (the cap sits in the faulter's own CSpace); MCS copies the cap
 * into the faulter's TCB.
 */
export function faultSystem(config: KernelConfig, opts: FaultSystemOptions = {}): TestSystem {
  const faulters = opts.faulters ?? ["faulter"];
  const s = new TestSystem(config, [
    ...faulters.map((name) => ({ name, ...(opts.sc ? { sc: opts.sc } : {}) })),
    { name: "handler" },
    ...(opts.others ?? []).map((name) => ({ name })),
  ]);
  if (opts.handlerWithoutIPCBuffer) s.kernel.boot.setIPCBuffer(s.tcb("handler"), null);
  const ep = s.create("Endpoint", "fault_ep");
  s.give("handler", HANDLER_EP, ep);
  if (config === "mcs") s.give("handler", HANDLER_REPLY, s.create("Reply", "handler_reply"));
  faulters.forEach((name, i) => {
    const capOpts = { rights: opts.rights ?? 0xf, badge: opts.badges?.[i] ?? 0 };
    if (config === "mcs") {
      s.kernel.boot.setFaultHandler(s.tcb(name), s.kernel.boot.cap(ep, capOpts));
    } else {
      s.give(name, FAULTER_EP, ep, capOpts);
      s.kernel.boot.setFaultHandler(s.tcb(name), BigInt(opts.faulterEPSlot ?? FAULTER_EP));
    }
  });
  return s;
}

/** A handler that receives `count` faults, recording each, and answers with `answer` (or not at all). */
export function recordingHandler(
  config: KernelConfig,
  seen: Msg[],
  count: number,
  answer: (m: Msg, i: number) => Request | null = () => replyWith(config, 0),
): () => Program {
  return function* () {
    for (let i = 0; i < count; i++) {
      const m = msgOf(yield recvOn(config));
      seen.push(m);
      const a = answer(m, i);
      if (a !== null) yield a;
    }
  };
}

/** The restart PC the kernel reports for a thread (its FaultIP register). */
export const restartPC = (t: TCB): bigint => t.regs[registers.FaultIP]!;

/**
 * A thread put together by hand at boot, for CSpace shapes TestSystem does not build: `cspace` is its
 * CSpace root (none at all when undefined). It gets its own VSpace, an IPC buffer and a stack page,
 * priority 254 and, on MCS, a round-robin SC.
 */
export function handBuiltThread(s: TestSystem, name: string, cspace: Cap | undefined, program: () => Program): TCB {
  const b = s.kernel.boot;
  const make = <T extends KObject>(type: Parameters<typeof b.createObject>[0], suffix: string) =>
    b.createObject(type, { name: `${suffix}_${name}` }) as T;
  const tcb = make<TCB>("TCB", "tcb");
  const vspace = make<PagingObj>("PML4", "vspace");
  const [ipc, stack] = [make<FrameObj>("Frame4K", "ipc"), make<FrameObj>("Frame4K", "stack")];
  b.mapFrame(vspace, ipc, IPC_BUFFER_VADDR, 3);
  b.mapFrame(vspace, stack, STACK_TOP - 0x1000n, 3);
  let sc: SchedContextObj | undefined;
  if (s.config === "mcs") {
    sc = make<SchedContextObj>("SchedContext", "sc");
    b.configureSchedContext(sc, DEFAULT_SC);
  }
  b.configureThread(tcb, {
    cspace,
    vspace: b.cap(vspace),
    ipcBuffer: { frame: ipc, vaddr: IPC_BUFFER_VADDR },
    priority: 254,
    mcp: 254,
    sc,
    stackPointer: STACK_TOP - 0x100n,
  });
  s.sim.attach(tcb, program);
  return tcb;
}

/** Map a fresh 4K frame (named `name`) into `thread`'s VSpace at `vaddr` with `rights`, as the loader would. */
export function mapNewFrame(s: TestSystem, thread: string, name: string, vaddr: bigint, rights: number): FrameObj {
  const frame = s.create("Frame4K", name) as FrameObj;
  s.kernel.boot.mapFrame(s.vspaces.get(thread)!, frame, vaddr, rights);
  return frame;
}

/** A CNode cap with `guardSize` guard bits (guard 0) to a fresh CNode of `radix`. */
export function cnodeCap(s: TestSystem, name: string, radix: number, guardSize: number): { cap: Cap; obj: CNodeObj } {
  const obj = s.create("CNode", name, radix) as CNodeObj;
  return { obj, cap: s.kernel.boot.cap(obj, { guardSize }) };
}

/** The kernel's name for a TCB in reports: its tcb_t address in the kernel window, as %p prints it. */
export function tcbAddress(t: TCB): string {
  return "0x" + (0xffffff8000000000n + BigInt(t.paddr) + 0x400n).toString(16);
}

/** The 16 stack lines of a double-fault report, for a stack of `words` (undefined = unmapped) at `sp`. */
export function stackLines(sp: bigint, word: (address: bigint) => bigint | undefined): string {
  let out = "";
  for (let i = 0n; i < 16n; i++) {
    const a = sp + 8n * i;
    const w = word(a);
    out += `0x${a.toString(16)}: ${w === undefined ? "INVALID" : "0x" + w.toString(16)}\n`;
  }
  return out;
}

/** The tail every report shares: the thread, its restart PC and the stack dump. */
export function reportTrailer(t: TCB, pc: bigint, stack: string): string {
  return `\nin thread ${tcbAddress(t)} "${t.name}" at address 0x${pc.toString(16)}\nWith stack:\n${stack}`;
}

/** Run a single thread's list of requests and return every result, in order. */
export function runRequests(s: TestSystem, thread: string, requests: Request[], resume: string[] = [thread]): Result[] {
  const out: Result[] = [];
  s.program(thread, function* () {
    for (const r of requests) out.push(yield r);
  });
  s.run(resume);
  return out;
}

/** Replies in order: each an seL4_Error, optionally with its detail words. */
export function expectReplies(results: Result[], expected: (bigint | [bigint, (number | bigint)[]])[]): void {
  expect(results).toHaveLength(expected.length);
  expected.forEach((e, i) =>
    typeof e === "bigint" ? expectError(results[i], e) : expectError(results[i], e[0], e[1]),
  );
}

/** An error reply: label = seL4_Error, the MRs its detail words. */
export function expectError(r: Result | undefined, error: bigint, mrs: (number | bigint)[] = []): void {
  expect(r, "no reply recorded").toBeDefined();
  expect({ label: r!.label, mrs: r!.mrs }).toEqual({ label: error, mrs: mrs.map((m) => BigInt(m)) });
}
