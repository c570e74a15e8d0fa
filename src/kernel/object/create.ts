// createObject (src/object/objecttype.c): a fresh object of each type and its first cap.
// Fresh endpoint/notification caps have all rights and badge 0; CNode caps guard 0; MCS reply
// caps may grant; a TCB starts Inactive at priority 0 with no fault handler.
import { seL4_SlotBits, seL4_TCBBits, type ObjectTypeName } from "../../abi/constants.js";
import { CONTEXT_BYTES, CONTEXT_WORDS, RSP } from "../../abi/registers.js";
import { initContext } from "../arch/registerset.js";
import type { KernelState } from "../model/state.js";
import { newCTE } from "./cdt.js";
import {
  NULL_CAP,
  ThreadState,
  type Cap,
  type KObject,
  type SingletonKind,
  type SingletonObj,
  type TCB,
} from "./structures.js";

/**
 * TCB_NAME_LENGTH (include/object/tcb.h): the debug name fills what is left of the TCB's first
 * half after its CNode and the debug links, 2^10 - 5 * 32 - 16 = 848 bytes on x86_64. The kernel
 * copies names with strlcpy/strlcat, so at most 847 characters survive.
 */
const TCB_NAME_LENGTH = 2 ** (seL4_TCBBits - 1) - 5 * 2 ** seL4_SlotBits - 16;

/** A name as the kernel stores it in a TCB: strlcpy into TCB_NAME_LENGTH bytes (of UTF-8). */
export function tcbDebugName(name: string): string {
  const bytes = new TextEncoder().encode(name);
  return bytes.length < TCB_NAME_LENGTH ? name : new TextDecoder().decode(bytes.subarray(0, TCB_NAME_LENGTH - 1));
}

function base(ks: KernelState, name: string, paddr: number, sizeBits: number) {
  return { id: ks.nextObjectId(), name, paddr, sizeBits, capCount: 0, live: true };
}

function createTCB(ks: KernelState, name: string, paddr: number, sizeBits: number): TCB {
  const slots: ReturnType<typeof newCTE>[] = [];
  const tcb = {
    ...base(ks, name, paddr, sizeBits),
    kind: "TCB" as const,
    config: ks.config,
    state: ThreadState.Inactive,
    slots,
    blockingObject: null,
    blockingBadge: 0n,
    blockingCanGrant: false,
    blockingCanGrantReply: false,
    blockingIsCall: false,
    replyObject: null,
    priority: 0,
    mcp: 0,
    domain: 0,
    faultHandlerCPtr: 0n,
    ipcBufferVAddr: 0n,
    tcbFlags: 0n,
    fault: null,
    boundNotification: null,
    timeSlice: 5,
    sc: null,
    yieldTo: null,
    inReleaseQueue: false,
    schedPrev: null,
    schedNext: null,
    inReadyQueue: false,
    epPrev: null,
    epNext: null,
    releaseNext: null,
    contextAddr: paddr,
    regs: new BigUint64Array(ks.memory, paddr, CONTEXT_WORDS),
  } as TCB;
  for (let i = 0; i < 5; i++) slots.push(newCTE(tcb, i));
  initContext(tcb.regs); // Arch_initContext: all zero but RFLAGS = 0x202
  void CONTEXT_BYTES;
  void RSP;
  ks.tcbs.push(tcb);
  return tcb;
}

/** Create an object of `type` at `paddr` (its memory must already be reserved) and its first cap. */
export function createObject(
  ks: KernelState,
  type: ObjectTypeName | SingletonKind,
  paddr: number,
  sizeBits: number,
  name: string,
): { obj: KObject; cap: Cap } {
  const b = base(ks, name, paddr, sizeBits);
  let obj: KObject;
  let cap: Cap;
  switch (type) {
    case "Untyped":
      obj = { ...b, kind: "Untyped", freeIndex: 0, isDevice: false };
      cap = { type: "Untyped", obj };
      break;
    case "TCB":
      obj = createTCB(ks, name, paddr, sizeBits);
      cap = { type: "Thread", obj };
      ks.objects.push(obj);
      return { obj, cap };
    case "Endpoint":
      obj = { ...b, kind: "Endpoint", state: "Idle", queue: { head: null, tail: null } };
      cap = { type: "Endpoint", obj, badge: 0n, rights: 0xf };
      break;
    case "Notification":
      obj = {
        ...b,
        kind: "Notification",
        state: "Idle",
        word: 0n,
        queue: { head: null, tail: null },
        boundTCB: null,
        sc: null,
      };
      cap = { type: "Notification", obj, badge: 0n, rights: 0x3 };
      break;
    case "CNode": {
      const cnode = { ...b, kind: "CNode" as const, radix: sizeBits, slots: [] as ReturnType<typeof newCTE>[] };
      for (let i = 0; i < 2 ** sizeBits; i++) cnode.slots.push(newCTE(cnode, i));
      obj = cnode;
      cap = { type: "CNode", obj: cnode, guard: 0n, guardSize: 0 };
      break;
    }
    case "Reply":
      obj = { ...b, kind: "Reply", replyTCB: null, prev: null, next: null };
      cap = { type: "ReplyObject", obj, canGrant: true };
      break;
    case "SchedContext":
      obj = {
        ...b,
        kind: "SchedContext",
        period: 0,
        budget: 0,
        refills: [],
        maxRefills: 0,
        consumed: 0,
        badge: 0n,
        sporadic: false,
        tcb: null,
        notification: null,
        reply: null,
        yieldFrom: null,
      };
      cap = { type: "SchedContext", obj };
      break;
    case "Frame4K":
    case "LargePage":
    case "HugePage":
      obj = { ...b, kind: type, isDevice: false };
      // Device memory beyond the simulated RAM has no contents to clear.
      if (ks.isBacked(paddr, 2 ** sizeBits)) new BigUint64Array(ks.memory, paddr, 2 ** sizeBits / 8).fill(0n);
      cap = { type: "Frame", obj, rights: 0x3, mapping: null };
      break;
    case "PML4":
    case "PDPT":
    case "PageDirectory":
    case "PageTable":
      obj = { ...b, kind: type, entries: new Array(512).fill(null), mappedIn: null, asid: null };
      cap = { type: type === "PML4" ? "PML4" : type, obj } as Cap;
      break;
    case "SchedControl":
    case "ASIDPool":
    case "IRQControl":
    case "ASIDControl":
    case "IOPortControl":
    case "Domain": {
      const s: SingletonObj = { ...b, kind: type };
      obj = s;
      cap = { type, obj: s } as Cap;
      break;
    }
  }
  ks.objects.push(obj);
  void NULL_CAP;
  return { obj, cap };
}

/** Object size in bits for a type (userSize is the radix of a CNode, the size of untyped/SC). */
export function objectSizeBits(type: ObjectTypeName, userSize: number, notificationBits: number): number {
  switch (type) {
    case "Untyped":
      return userSize;
    case "TCB":
      return 11;
    case "Endpoint":
      return 4;
    case "Notification":
      return notificationBits;
    case "CNode":
      return userSize + 5;
    case "SchedContext":
      return userSize;
    case "Reply":
      return 5;
    case "Frame4K":
      return 12;
    case "LargePage":
      return 21;
    case "HugePage":
      return 30;
    case "PML4":
    case "PDPT":
    case "PageDirectory":
    case "PageTable":
      return 12;
  }
}
