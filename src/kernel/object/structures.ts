// The kernel's plain data: objects, capabilities, capability table entries (CTEs) with their
// derivation-tree links, and thread states. Behaviour lives in the modules named after each
// object, as in seL4 (object/cnode, object/endpoint, object/tcb, ...).
import type { KernelConfig, ObjectTypeName } from "../../abi/constants.js";
import type { Word } from "../api/types.js";
import type { Fault } from "../api/failures.js";

export enum ThreadState {
  Inactive = 0,
  Running = 1,
  Restart = 2,
  BlockedOnReceive = 3,
  BlockedOnSend = 4,
  BlockedOnReply = 5,
  BlockedOnNotification = 6,
  IdleThreadState = 7,
}
export const THREAD_STATE_NAMES: Record<ThreadState, string> = {
  [ThreadState.Inactive]: "inactive",
  [ThreadState.Running]: "running",
  [ThreadState.Restart]: "restart",
  [ThreadState.BlockedOnReceive]: "blocked on recv",
  [ThreadState.BlockedOnSend]: "blocked on send",
  [ThreadState.BlockedOnReply]: "blocked on reply",
  [ThreadState.BlockedOnNotification]: "blocked on ntfn",
  [ThreadState.IdleThreadState]: "idle",
};

/** Common part of every kernel object. `capCount` counts the caps that name it, so deleting
 *  the last one finalises it (seL4 finds "final" caps through the MDB; a count is equivalent). */
interface KObjectBase {
  readonly kind: ObjectTypeName | SingletonKind | "IRQ";
  readonly id: number;
  name: string;
  paddr: number;
  sizeBits: number;
  capCount: number;
  live: boolean;
}

export interface CNodeObj extends KObjectBase {
  readonly kind: "CNode";
  radix: number;
  slots: CTE[];
}

export interface EndpointObj extends KObjectBase {
  readonly kind: "Endpoint";
  state: "Idle" | "Send" | "Recv";
  queue: ThreadQueue;
}

export interface NotificationObj extends KObjectBase {
  readonly kind: "Notification";
  state: "Idle" | "Waiting" | "Active";
  word: Word;
  queue: ThreadQueue;
  boundTCB: TCB | null;
  sc: SchedContextObj | null; // MCS: SC bound to the notification
}

export interface UntypedObj extends KObjectBase {
  readonly kind: "Untyped";
  freeIndex: number; // bytes used from the start of the region
  isDevice: boolean;
}

export interface ReplyObj extends KObjectBase {
  readonly kind: "Reply";
  /** The caller waiting on this reply object (BlockedOnReply), or null. */
  replyTCB: TCB | null;
  /** Call-stack links for SC donation (reply_push / reply_pop). */
  prev: ReplyObj | SchedContextObj | null;
  next: ReplyObj | SchedContextObj | null;
}

export interface Refill {
  time: number; // ns when this amount becomes available
  amount: number; // ns of budget
}

export interface SchedContextObj extends KObjectBase {
  readonly kind: "SchedContext";
  period: number; // ns; 0 for a round-robin SC
  budget: number; // ns
  refills: Refill[];
  maxRefills: number;
  consumed: number; // ns since last read
  badge: Word; // timeout fault data
  sporadic: boolean;
  tcb: TCB | null;
  notification: NotificationObj | null;
  /** Head of the reply stack (the reply object through which this SC was donated). */
  reply: ReplyObj | null;
  yieldFrom: TCB | null;
}

export interface FrameObj extends KObjectBase {
  readonly kind: "Frame4K" | "LargePage" | "HugePage";
  isDevice: boolean;
}

export interface PagingObj extends KObjectBase {
  readonly kind: "PML4" | "PDPT" | "PageDirectory" | "PageTable";
  /** 512 entries, each a mapped next-level object or frame mapping. */
  entries: (PagingEntry | null)[];
  /** Where this table is mapped (for PDPT/PD/PT), or the ASID for a PML4. */
  mappedIn: { vspace: PagingObj; vaddr: Word } | null;
  asid: number | null;
}
type PagingEntry =
  { kind: "table"; table: PagingObj } | { kind: "frame"; frame: FrameObj; rights: number; cte: CTE | null };

/** The kernel's one-of-a-kind objects, which caps name but no retype creates (x86 adds I/O-port control). */
export type SingletonKind = "SchedControl" | "ASIDPool" | "ASIDControl" | "IRQControl" | "IOPortControl" | "Domain";

export interface SingletonObj extends KObjectBase {
  readonly kind: SingletonKind;
}

/**
 * An active IRQ, which IRQHandler caps name. seL4's IRQHandler cap holds only the IRQ number and
 * finds "the last handler cap for IRQ n" in the MDB; one record per activation (IRQControl Get to
 * the deletion of the last handler cap) lets the model count those caps as it counts caps to any
 * object. It takes no memory.
 */
export interface IRQObj extends KObjectBase {
  readonly kind: "IRQ";
  readonly irq: number;
}

export type KObject =
  | CNodeObj
  | EndpointObj
  | NotificationObj
  | UntypedObj
  | ReplyObj
  | SchedContextObj
  | FrameObj
  | PagingObj
  | SingletonObj
  | IRQObj
  | TCB;

/** Capabilities are immutable values: an operation that changes one builds a new value. */
export type Cap =
  | { readonly type: "Null" }
  | { readonly type: "Untyped"; readonly obj: UntypedObj }
  | { readonly type: "Endpoint"; readonly obj: EndpointObj; readonly badge: Word; readonly rights: number }
  | { readonly type: "Notification"; readonly obj: NotificationObj; readonly badge: Word; readonly rights: number }
  /** master: a reply cap names the caller TCB (`master` = the TCB's own reply master cap). */
  | { readonly type: "Reply"; readonly tcb: TCB; readonly master: boolean; readonly canGrant: boolean }
  /** MCS: a cap to a reply object. */
  | { readonly type: "ReplyObject"; readonly obj: ReplyObj; readonly canGrant: boolean }
  | { readonly type: "CNode"; readonly obj: CNodeObj; readonly guard: Word; readonly guardSize: number }
  | { readonly type: "Thread"; readonly obj: TCB }
  | { readonly type: "SchedContext"; readonly obj: SchedContextObj }
  | { readonly type: "SchedControl"; readonly obj: SingletonObj }
  | { readonly type: "IRQControl"; readonly obj: SingletonObj }
  | { readonly type: "IRQHandler"; readonly obj: IRQObj }
  | { readonly type: "IOPortControl"; readonly obj: SingletonObj }
  | { readonly type: "ASIDControl"; readonly obj: SingletonObj }
  | { readonly type: "Domain"; readonly obj: SingletonObj }
  | { readonly type: "ASIDPool"; readonly obj: SingletonObj }
  | {
      readonly type: "Frame";
      readonly obj: FrameObj;
      readonly rights: number;
      readonly mapping: { vspace: PagingObj; vaddr: Word } | null;
    }
  | {
      readonly type: "PageTable" | "PageDirectory" | "PDPT" | "PML4";
      readonly obj: PagingObj;
    };

export const NULL_CAP: Cap = Object.freeze({ type: "Null" }) as Cap;

/** Capability table entry: a slot plus its place in the capability derivation tree. */
export interface CTE {
  cap: Cap;
  /** Nearest revocable ancestor (seL4's isMDBParentOf relation made explicit). */
  parent: CTE | null;
  children: Set<CTE>;
  revocable: boolean;
  firstBadged: boolean;
  /** The object and index this slot belongs to, for reports and invariants. */
  readonly owner: CNodeObj | TCB;
  readonly index: number;
}

export interface ThreadQueue {
  head: TCB | null;
  tail: TCB | null;
}

export type SchedulerAction =
  { kind: "ResumeCurrentThread" } | { kind: "ChooseNewThread" } | { kind: "SwitchToThread"; target: TCB };

/** TCB CNode slot numbers (structures.h). */
export const TCB_CTABLE = 0;
export const TCB_VTABLE = 1;
export const TCB_REPLY_MASTER = 2; // master only
export const TCB_CALLER = 3; // master only
export const TCB_BUFFER_MASTER = 4;
export const TCB_BUFFER_MCS = 2;
export const TCB_FAULT_HANDLER = 3; // MCS only
export const TCB_TIMEOUT_HANDLER = 4; // MCS only

export interface TCB extends KObjectBase {
  readonly kind: "TCB";
  readonly config: KernelConfig;
  state: ThreadState;
  /** The TCB's own CNode: CTable, VTable, reply/caller (master) or fault/timeout handler (MCS), buffer. */
  readonly slots: CTE[];
  /** Blocking details: the object it waits on and the IPC parameters of a blocked sender. */
  blockingObject: EndpointObj | NotificationObj | null;
  blockingBadge: Word;
  blockingCanGrant: boolean;
  blockingCanGrantReply: boolean;
  blockingIsCall: boolean;
  /** MCS: the reply object of a thread blocked on receive or on reply. */
  replyObject: ReplyObj | null;
  priority: number;
  mcp: number;
  domain: number;
  /** master: the fault handler CPtr, resolved in the thread's own CSpace at fault time. */
  faultHandlerCPtr: Word;
  ipcBufferVAddr: Word;
  /** seL4_TCB_SetFlags' flags. The only one, seL4_TCBFlag_fpuDisabled, has nothing to act on in the model (no FPU state). */
  tcbFlags: Word;
  fault: Fault | null;
  boundNotification: NotificationObj | null;
  timeSlice: number; // master
  sc: SchedContextObj | null; // MCS
  yieldTo: SchedContextObj | null; // MCS
  inReleaseQueue: boolean; // MCS
  /** Intrusive queue links: scheduler ready queue and endpoint/notification queue. */
  schedPrev: TCB | null;
  schedNext: TCB | null;
  inReadyQueue: boolean;
  epPrev: TCB | null;
  epNext: TCB | null;
  releaseNext: TCB | null;
  /** Byte offset of the register file in physical memory, and a view on it. */
  readonly contextAddr: number;
  readonly regs: BigUint64Array;
}
