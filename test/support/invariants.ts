// Kernel invariants, checked on a model state between kernel entries. They follow the ones seL4's
// proofs carry (l4v's `invs`): valid_objs and cap_refs_live (every cap names a live object),
// valid_mdb (the derivation tree), sym_refs (endpoint/notification queues, bound notifications,
// SC and reply links agree in both directions), valid_queues / valid_sched (ready queues, bitmap,
// release queue, the current thread) and the MCS refill invariants behind the asserts in
// chooseThread, awaken and chargeBudget. `checkInvariants` is pure: it reads the state and
// returns one line per violation, naming the objects involved.
import { CONFIG_TIME_SLICE } from "../../src/abi/constants.js";
import { MIN_BUDGET_NS } from "../../src/kernel/kernel/mcstime.js";
import { isSchedulable } from "../../src/kernel/kernel/scheduler.js";
import { capBadge, capObject } from "../../src/kernel/object/objecttype.js";
import { NUM_PRIORITIES, type KernelState } from "../../src/kernel/model/state.js";
import {
  ThreadState,
  THREAD_STATE_NAMES,
  TCB_CALLER,
  TCB_REPLY_MASTER,
  type Cap,
  type CTE,
  type EndpointObj,
  type KObject,
  type NotificationObj,
  type ReplyObj,
  type SchedContextObj,
  type TCB,
} from "../../src/kernel/object/structures.js";

export function checkInvariants(ks: KernelState): string[] {
  return new InvariantChecker(ks).run();
}

/** The post-condition of CNode Revoke: nothing derived from the slot is left. */
export function checkRevoked(slot: CTE): string[] {
  if (slot.children.size === 0) return [];
  const left = [...slot.children].map((c) => slotName(c)).join(", ");
  return [`[revoke] ${slotName(slot)} still has children after Revoke: ${left}`];
}

const slotName = (s: CTE): string => `${s.owner.name}[${s.index}]`;
const objName = (o: KObject | null): string => (o === null ? "null" : `${o.kind} '${o.name}'`);
const tcbName = (t: TCB | null): string => (t === null ? "null" : `'${t.name}'`);
const stateName = (t: TCB): string => THREAD_STATE_NAMES[t.state] ?? `state ${t.state}`;

function capName(cap: Cap): string {
  const obj = capObject(cap);
  return obj === null ? cap.type : `${cap.type} cap to '${obj.name}'`;
}

function isBlockedOnEndpoint(t: TCB): boolean {
  return t.state === ThreadState.BlockedOnSend || t.state === ThreadState.BlockedOnReceive;
}

/** Paging structures the loader created while mapping frames carry one reference without a cap. */
function loaderHeld(obj: KObject): boolean {
  return (obj.kind === "PDPT" || obj.kind === "PageDirectory" || obj.kind === "PageTable") && obj.mappedIn !== null;
}

function priorityOrdered(members: TCB[]): boolean {
  for (let i = 1; i < members.length; i++) if (members[i - 1]!.priority < members[i]!.priority) return false;
  return true;
}

class InvariantChecker {
  private readonly out: string[] = [];
  /** Every slot of a live CNode or TCB. */
  private readonly liveSlots = new Set<CTE>();
  /** The endpoint or notification whose queue holds each thread. */
  private readonly queuedOn = new Map<TCB, EndpointObj | NotificationObj>();
  private readonly inReady = new Set<TCB>();
  private readonly limit: number;

  constructor(private readonly ks: KernelState) {
    this.limit = ks.tcbs.length;
  }

  run(): string[] {
    this.checkContainers();
    this.checkCapCounts();
    this.checkDerivationTree();
    for (const obj of this.ks.objects) {
      if (obj.kind === "Endpoint") this.checkEndpoint(obj);
      else if (obj.kind === "Notification") this.checkNotification(obj);
      else if (obj.kind === "Reply") this.checkReplyObject(obj);
      else if (obj.kind === "SchedContext") this.checkSchedContext(obj);
    }
    this.checkReadyQueues();
    this.checkReleaseQueue();
    for (const t of this.ks.tcbs) this.checkThread(t);
    this.checkCurrentThread();
    return this.out;
  }

  private fail(area: string, message: string): void {
    this.out.push(`[${area}] ${message}`);
  }

  /** Walks an intrusive doubly linked queue, reporting broken back links, a wrong tail or a cycle. */
  private walk(
    what: string,
    head: TCB | null,
    tail: TCB | null,
    next: (t: TCB) => TCB | null,
    prev: (t: TCB) => TCB | null,
  ): TCB[] {
    const members: TCB[] = [];
    const seen = new Set<TCB>();
    let before: TCB | null = null;
    for (let t = head; t !== null; t = next(t)) {
      if (seen.has(t) || members.length > this.limit) {
        this.fail("queue", `${what}: the links loop back to ${tcbName(t)}`);
        return members;
      }
      seen.add(t);
      members.push(t);
      if (prev(t) !== before)
        this.fail("queue", `${what}: ${tcbName(t)} links back to ${tcbName(prev(t))}, not ${tcbName(before)}`);
      before = t;
    }
    if (tail !== before)
      this.fail("queue", `${what}: tail is ${tcbName(tail)}, but the last thread is ${tcbName(before)}`);
    return members;
  }

  // --- Capabilities -------------------------------------------------------------------------

  /** Slots of live CNodes/TCBs hold caps to live objects; slots of dead ones are empty and unlinked. */
  private checkContainers(): void {
    // The kernel's IRQ node holds the notification caps bound to IRQs; it is no object of the store.
    for (const obj of [...this.ks.objects, this.ks.interrupts.node]) {
      if (obj.kind !== "CNode" && obj.kind !== "TCB") continue;
      obj.slots.forEach((slot, i) => {
        if (slot.owner !== obj || slot.index !== i) {
          this.fail("cap", `${objName(obj)} slot ${i} claims to be ${slotName(slot)}`);
        }
        if (!obj.live) {
          if (slot.cap.type !== "Null" || slot.parent !== null || slot.children.size > 0) {
            this.fail(
              "cap",
              `${slotName(slot)} of the deleted ${objName(obj)} still holds ${capName(slot.cap)} or tree links`,
            );
          }
          return;
        }
        this.liveSlots.add(slot);
        const cap = slot.cap;
        if (cap.type === "Null") {
          if (slot.parent !== null || slot.children.size > 0 || slot.revocable || slot.firstBadged) {
            this.fail("cdt", `empty slot ${slotName(slot)} keeps derivation-tree links or flags`);
          }
          return;
        }
        const target = capObject(cap);
        if (target !== null && !target.live)
          this.fail("cap", `${slotName(slot)} holds ${capName(cap)}, which was deleted`);
        if (cap.type === "Reply" && this.ks.mcs)
          this.fail("cap", `${slotName(slot)} holds a master-style reply cap on MCS`);
        if (cap.type === "ReplyObject" && !this.ks.mcs)
          this.fail("cap", `${slotName(slot)} holds a reply-object cap on master`);
      });
    }
  }

  /** capCount of each object equals the number of caps naming it (master reply caps excepted). */
  private checkCapCounts(): void {
    const refs = new Map<KObject, number>();
    for (const slot of this.liveSlots) {
      const cap = slot.cap;
      if (cap.type === "Null" || cap.type === "Reply") continue;
      const obj = capObject(cap)!;
      refs.set(obj, (refs.get(obj) ?? 0) + 1);
    }
    for (const obj of this.ks.objects) {
      const n = refs.get(obj) ?? 0;
      if (obj.capCount === n) continue;
      if (obj.live && loaderHeld(obj) && obj.capCount === n + 1) continue;
      this.fail(
        "cap",
        `${objName(obj)}${obj.live ? "" : " (deleted)"} has capCount ${obj.capCount} but ${n} caps name it`,
      );
    }
  }

  /** The derivation tree: mutual links, a forest, revocable parents, children derived from their parent. */
  private checkDerivationTree(): void {
    const rooted = new Set<CTE>();
    for (const slot of this.liveSlots) {
      const cap = slot.cap;
      if (cap.type === "Null") continue;
      const parent = slot.parent;
      if (parent !== null) {
        if (!parent.children.has(slot))
          this.fail("cdt", `${slotName(slot)}'s parent ${slotName(parent)} does not list it as a child`);
        if (!this.liveSlots.has(parent) || parent.cap.type === "Null") {
          this.fail("cdt", `${slotName(slot)}'s parent ${slotName(parent)} is empty or gone`);
        } else {
          if (!parent.revocable) this.fail("cdt", `${slotName(slot)}'s parent ${slotName(parent)} is not revocable`);
          this.checkDerivedFrom(slot, parent);
        }
      }
      for (const child of slot.children) {
        if (child.parent !== slot)
          this.fail(
            "cdt",
            `${slotName(slot)} lists ${slotName(child)} as a child, whose parent is ${child.parent === null ? "null" : slotName(child.parent)}`,
          );
        if (!this.liveSlots.has(child) || child.cap.type === "Null")
          this.fail("cdt", `${slotName(slot)} lists the empty or gone ${slotName(child)} as a child`);
      }
      this.checkAcyclic(slot, rooted);
      if (cap.type === "Reply") this.checkReplyCapPlacement(slot, cap);
    }
  }

  private checkDerivedFrom(slot: CTE, parent: CTE): void {
    const child = slot.cap,
      above = parent.cap;
    const obj = capObject(child),
      from = capObject(above);
    if (above.type === "Untyped") {
      const inside =
        obj !== null &&
        obj.paddr >= above.obj.paddr &&
        obj.paddr + 2 ** obj.sizeBits <= above.obj.paddr + 2 ** above.obj.sizeBits;
      if (obj !== above.obj && !inside)
        this.fail("cdt", `${slotName(slot)} (${capName(child)}) is not inside its parent untyped ${slotName(parent)}`);
    } else if (obj !== from && !(above.type === "IRQControl" && child.type === "IRQHandler")) {
      // IRQControl is the parent of every IRQHandler cap it issued (seL4's sameRegionAs says so).
      this.fail(
        "cdt",
        `${slotName(slot)} (${capName(child)}) descends from ${slotName(parent)} (${capName(above)}), another object`,
      );
    }
    const badge = capBadge(above);
    if (badge !== 0n && capBadge(child) !== badge) {
      this.fail("cdt", `${slotName(slot)} has badge ${capBadge(child)} under ${slotName(parent)} with badge ${badge}`);
    }
  }

  /** Following parents from any slot reaches a root: the tree is a forest. */
  private checkAcyclic(start: CTE, rooted: Set<CTE>): void {
    const path = new Set<CTE>();
    for (let s: CTE | null = start; s !== null && !rooted.has(s); s = s.parent) {
      if (path.has(s)) {
        this.fail("cdt", `the parent chain from ${slotName(start)} loops at ${slotName(s)}`);
        return;
      }
      path.add(s);
    }
    for (const s of path) rooted.add(s);
  }

  /** master: reply master caps sit in their own TCB's slot 2; a reply cap hangs under its caller's master. */
  private checkReplyCapPlacement(slot: CTE, cap: Extract<Cap, { type: "Reply" }>): void {
    const caller = cap.tcb;
    const master = caller.slots[TCB_REPLY_MASTER]!;
    if (cap.master) {
      if (slot !== master) this.fail("reply", `${slotName(slot)} holds ${tcbName(caller)}'s reply master cap`);
      return;
    }
    if (slot.parent !== master)
      this.fail("reply", `reply cap in ${slotName(slot)} is not a child of ${tcbName(caller)}'s reply master`);
    if (caller.state !== ThreadState.BlockedOnReply) {
      this.fail(
        "reply",
        `reply cap in ${slotName(slot)} names ${tcbName(caller)}, which is ${stateName(caller)}, not blocked on reply`,
      );
    }
  }

  // --- IPC objects --------------------------------------------------------------------------

  private enqueue(t: TCB, obj: EndpointObj | NotificationObj): void {
    const other = this.queuedOn.get(t);
    if (other !== undefined)
      this.fail("queue", `${tcbName(t)} is queued on both ${objName(other)} and ${objName(obj)}`);
    this.queuedOn.set(t, obj);
  }

  /** An endpoint queue holds only senders or only receivers; Idle iff empty (MCS: by priority). */
  private checkEndpoint(ep: EndpointObj): void {
    const members = this.walk(
      objName(ep),
      ep.queue.head,
      ep.queue.tail,
      (t) => t.epNext,
      (t) => t.epPrev,
    );
    if (!ep.live && (members.length > 0 || ep.state !== "Idle"))
      this.fail("endpoint", `deleted ${objName(ep)} is ${ep.state} with ${members.length} waiters`);
    const want = members.length === 0 ? "Idle" : members[0]!.state === ThreadState.BlockedOnSend ? "Send" : "Recv";
    if (ep.state !== want) this.fail("endpoint", `${objName(ep)} is ${ep.state} but its queue makes it ${want}`);
    const wantState = want === "Send" ? ThreadState.BlockedOnSend : ThreadState.BlockedOnReceive;
    for (const t of members) {
      this.enqueue(t, ep);
      if (t.state !== wantState || t.blockingObject !== ep) {
        this.fail(
          "endpoint",
          `${tcbName(t)} in the ${want} queue of ${objName(ep)} is ${stateName(t)} on ${objName(t.blockingObject)}`,
        );
      }
    }
    if (this.ks.mcs && !priorityOrdered(members))
      this.fail("endpoint", `MCS queue of ${objName(ep)} is not ordered by priority`);
  }

  /** Waiting iff waiters; the word is only meaningful (non-zero) when Active; binding is mutual. */
  private checkNotification(n: NotificationObj): void {
    const members = this.walk(
      objName(n),
      n.queue.head,
      n.queue.tail,
      (t) => t.epNext,
      (t) => t.epPrev,
    );
    if (!n.live && (members.length > 0 || n.boundTCB !== null || n.sc !== null)) {
      this.fail("notification", `deleted ${objName(n)} still has waiters, a bound TCB or an SC`);
    }
    if ((n.state === "Waiting") !== members.length > 0)
      this.fail("notification", `${objName(n)} is ${n.state} with ${members.length} waiters`);
    if (n.state !== "Active" && n.word !== 0n)
      this.fail("notification", `${objName(n)} is ${n.state} but keeps word ${n.word}`);
    for (const t of members) {
      this.enqueue(t, n);
      if (t.state !== ThreadState.BlockedOnNotification || t.blockingObject !== n) {
        this.fail(
          "notification",
          `${tcbName(t)} waiting on ${objName(n)} is ${stateName(t)} on ${objName(t.blockingObject)}`,
        );
      }
      if (n.boundTCB !== null && t !== n.boundTCB)
        this.fail("notification", `${tcbName(t)} waits on ${objName(n)}, which is bound to ${tcbName(n.boundTCB)}`);
    }
    if (this.ks.mcs && !priorityOrdered(members))
      this.fail("notification", `MCS queue of ${objName(n)} is not ordered by priority`);
    if (n.boundTCB !== null && (n.boundTCB.boundNotification !== n || !n.boundTCB.live)) {
      this.fail(
        "notification",
        `${objName(n)} is bound to ${tcbName(n.boundTCB)}, which is not bound back or is deleted`,
      );
    }
    if (n.sc !== null && n.sc.notification !== n)
      this.fail("sched", `${objName(n)} has ${objName(n.sc)}, which is not bound back`);
  }

  /** MCS reply objects: the caller link is mutual, and call-stack links pair up. */
  private checkReplyObject(r: ReplyObj): void {
    const t = r.replyTCB;
    if (!r.live && (t !== null || r.prev !== null || r.next !== null))
      this.fail("reply", `deleted ${objName(r)} is still linked`);
    if (t !== null) {
      if (t.replyObject !== r)
        this.fail("reply", `${objName(r)} names ${tcbName(t)}, whose reply object is ${objName(t.replyObject)}`);
      if (t.state !== ThreadState.BlockedOnReply && t.state !== ThreadState.BlockedOnReceive) {
        this.fail("reply", `${objName(r)} is linked to ${tcbName(t)}, which is ${stateName(t)}`);
      }
    }
    if ((r.prev !== null || r.next !== null) && (t === null || t.state !== ThreadState.BlockedOnReply)) {
      this.fail("reply", `${objName(r)} is on a call stack without a caller blocked on it`);
    }
    const next = r.next,
      prev = r.prev;
    if (next !== null && (next.kind === "SchedContext" ? next.reply !== r : next.prev !== r)) {
      this.fail("reply", `${objName(r)}'s next ${objName(next)} does not point back`);
    }
    if (prev !== null && (prev.kind === "SchedContext" || prev.next !== r)) {
      this.fail("reply", `${objName(r)}'s prev ${objName(prev)} does not point back`);
    }
  }

  /** MCS: refills never negative, ordered, within budget; bindings to TCB/notification/reply mutual. */
  private checkSchedContext(sc: SchedContextObj): void {
    const name = objName(sc);
    if (!sc.live) {
      if (sc.tcb !== null || sc.notification !== null || sc.reply !== null)
        this.fail("sched", `deleted ${name} is still bound`);
      return;
    }
    if (!(sc.budget >= 0) || !(sc.period >= 0) || !(sc.consumed >= 0)) {
      this.fail("sched", `${name} has budget ${sc.budget}, period ${sc.period}, consumed ${sc.consumed}`);
    }
    if (sc.period !== 0 && sc.budget > sc.period)
      this.fail("sched", `${name}'s budget ${sc.budget} exceeds its period ${sc.period}`);
    if (sc.refills.length > sc.maxRefills)
      this.fail("sched", `${name} has ${sc.refills.length} refills, more than its ${sc.maxRefills}`);
    let sum = 0;
    sc.refills.forEach((r, i) => {
      if (!(r.amount >= 0) || !Number.isFinite(r.time))
        this.fail("sched", `${name} refill ${i} is ${r.amount} ns at ${r.time}`);
      if (i > 0 && r.time < sc.refills[i - 1]!.time)
        this.fail("sched", `${name}'s refills are not in time order at ${i}`);
      sum += r.amount;
    });
    if (sum > sc.budget) this.fail("sched", `${name}'s refills add up to ${sum} ns, more than its budget ${sc.budget}`);
    if (sc.period !== 0 && sc.refills.length > 0 && sum !== sc.budget) {
      this.fail("sched", `${name}'s refills add up to ${sum} ns, not its budget ${sc.budget}`);
    }
    const head = sc.refills[0];
    if (sc.period !== 0 && head !== undefined && head.amount < MIN_BUDGET_NS) {
      this.fail("sched", `${name}'s head refill ${head.amount} ns is below the minimum budget`);
    }
    if (sc.tcb !== null && (sc.tcb.sc !== sc || !sc.tcb.live))
      this.fail("sched", `${name} is bound to ${tcbName(sc.tcb)}, which is not bound back or is deleted`);
    if (sc.notification !== null && (sc.notification.sc !== sc || !sc.notification.live)) {
      this.fail("sched", `${name} is bound to ${objName(sc.notification)}, which is not bound back or is deleted`);
    }
    if (sc.reply !== null && sc.reply.next !== sc)
      this.fail("reply", `${name}'s call stack head ${objName(sc.reply)} does not point back`);
    const stack = new Set<ReplyObj>();
    for (let r: ReplyObj | SchedContextObj | null = sc.reply; r !== null && r.kind === "Reply"; r = r.prev) {
      if (stack.has(r)) {
        this.fail("reply", `${name}'s call stack loops at ${objName(r)}`);
        break;
      }
      stack.add(r);
    }
  }

  // --- Scheduling ---------------------------------------------------------------------------

  /** Ready queues: well-linked, right priority, schedulable threads only; the bitmap matches. */
  private checkReadyQueues(): void {
    const ks = this.ks;
    for (let p = 0; p < NUM_PRIORITIES; p++) {
      const q = ks.readyQueues[p]!;
      const members = this.walk(
        `ready queue ${p}`,
        q.head,
        q.tail,
        (t) => t.schedNext,
        (t) => t.schedPrev,
      );
      const bit = (ks.readyBitmap[p >> 5]! & (1 << (p & 31))) !== 0;
      if (bit !== members.length > 0)
        this.fail(
          "sched",
          `bitmap bit ${p} is ${bit ? "set" : "clear"} but ready queue ${p} has ${members.length} threads`,
        );
      for (const t of members) {
        if (this.inReady.has(t)) this.fail("sched", `${tcbName(t)} is in more than one ready queue`);
        this.inReady.add(t);
        if (t.priority !== p) this.fail("sched", `${tcbName(t)} of priority ${t.priority} is in ready queue ${p}`);
      }
    }
  }

  /** MCS release queue: sorted by release time, holding exactly the threads marked inReleaseQueue. */
  private checkReleaseQueue(): void {
    const q = this.ks.releaseQueue;
    if (!this.ks.mcs && q.length > 0) this.fail("sched", `master has ${q.length} threads in a release queue`);
    const seen = new Set<TCB>();
    q.forEach((t, i) => {
      if (seen.has(t)) this.fail("sched", `${tcbName(t)} is in the release queue twice`);
      seen.add(t);
      if (!t.inReleaseQueue) this.fail("sched", `${tcbName(t)} is in the release queue but not marked inReleaseQueue`);
      const head = t.sc?.refills[0];
      if (t.sc === null || head === undefined) {
        this.fail("sched", `${tcbName(t)} is in the release queue without an active SC`);
      } else {
        if (t.sc.period === 0)
          this.fail("sched", `${tcbName(t)} with round-robin ${objName(t.sc)} is in the release queue`);
        const prevHead = i > 0 ? q[i - 1]!.sc?.refills[0] : undefined;
        if (prevHead !== undefined && prevHead.time > head.time)
          this.fail("sched", `release queue is not sorted at ${tcbName(t)}`);
      }
      if (this.inReady.has(t)) this.fail("sched", `${tcbName(t)} is in both the release queue and a ready queue`);
    });
    for (const t of this.ks.tcbs) {
      if (t.inReleaseQueue && !seen.has(t)) this.fail("sched", `${tcbName(t)} is marked inReleaseQueue but not in it`);
    }
  }

  private checkThread(t: TCB): void {
    const ks = this.ks;
    const queued = this.queuedOn.get(t);
    if (!t.live) {
      if (
        t.state !== ThreadState.Inactive ||
        queued !== undefined ||
        t.inReadyQueue ||
        t.inReleaseQueue ||
        t.sc !== null ||
        t.boundNotification !== null ||
        t.replyObject !== null ||
        t === ks.curThread
      ) {
        this.fail("thread", `deleted TCB ${tcbName(t)} is ${stateName(t)} and still queued, bound or current`);
      }
      return;
    }
    if (t.state === ThreadState.IdleThreadState) this.fail("thread", `${tcbName(t)} is in the idle thread state`);
    if (t.priority < 0 || t.priority >= NUM_PRIORITIES || t.mcp < 0 || t.mcp >= NUM_PRIORITIES) {
      this.fail("thread", `${tcbName(t)} has priority ${t.priority}, MCP ${t.mcp}`);
    }
    if (!ks.mcs && (t.timeSlice < 1 || t.timeSlice > CONFIG_TIME_SLICE))
      this.fail("thread", `${tcbName(t)} has time slice ${t.timeSlice}`);
    this.checkBlocking(t, queued);
    if (t.boundNotification !== null && t.boundNotification.boundTCB !== t) {
      this.fail("notification", `${tcbName(t)} is bound to ${objName(t.boundNotification)}, which is not bound back`);
    }
    if (ks.mcs) this.checkThreadMCS(t);
    else this.checkThreadReplyCaps(t);
    const ready = this.inReady.has(t);
    if (ready !== t.inReadyQueue)
      this.fail(
        "sched",
        `${tcbName(t)} is ${ready ? "" : "not "}in a ready queue but inReadyQueue is ${t.inReadyQueue}`,
      );
    const wantReady = isSchedulable(ks, t) && t !== ks.curThread;
    if (ready !== wantReady) {
      this.fail(
        "sched",
        `${tcbName(t)} (${stateName(t)}${t === ks.curThread ? ", current" : ""}) ${ready ? "is" : "is not"} in a ready queue`,
      );
    }
  }

  /** A thread is in an endpoint/notification queue iff it is blocked on that object. */
  private checkBlocking(t: TCB, queued: EndpointObj | NotificationObj | undefined): void {
    const obj = t.blockingObject;
    const onEP = isBlockedOnEndpoint(t),
      onNtfn = t.state === ThreadState.BlockedOnNotification;
    if (onEP || onNtfn) {
      const kind = onEP ? "Endpoint" : "Notification";
      if (obj === null || obj.kind !== kind || !obj.live) {
        this.fail(
          "thread",
          `${tcbName(t)} is ${stateName(t)} on ${objName(obj)}${obj !== null && !obj.live ? " (deleted)" : ""}`,
        );
      } else if (queued !== obj) {
        this.fail(
          "thread",
          `${tcbName(t)} is ${stateName(t)} on ${objName(obj)} but is ${queued === undefined ? "in no queue" : `queued on ${objName(queued)}`}`,
        );
      }
      return;
    }
    if (obj !== null) this.fail("thread", `${tcbName(t)} is ${stateName(t)} but keeps blocking object ${objName(obj)}`);
    if (queued !== undefined)
      this.fail("thread", `${tcbName(t)} is ${stateName(t)} but sits in the queue of ${objName(queued)}`);
    if (t.epNext !== null || t.epPrev !== null)
      this.fail("thread", `${tcbName(t)} is in no queue but keeps queue links`);
  }

  /** master: slot 2 holds the thread's own reply master; at most one reply cap per caller. */
  private checkThreadReplyCaps(t: TCB): void {
    const master = t.slots[TCB_REPLY_MASTER]!;
    const mcap = master.cap;
    if (mcap.type !== "Null" && !(mcap.type === "Reply" && mcap.master && mcap.tcb === t)) {
      this.fail("reply", `${slotName(master)} holds ${capName(mcap)}, not ${tcbName(t)}'s reply master`);
    }
    if (master.children.size > 1)
      this.fail("reply", `${tcbName(t)} has ${master.children.size} outstanding reply caps`);
    const caller = t.slots[TCB_CALLER]!.cap;
    if (caller.type !== "Null" && !(caller.type === "Reply" && !caller.master)) {
      this.fail("reply", `${tcbName(t)}'s caller slot holds ${capName(caller)}`);
    }
  }

  /** MCS: SC binding mutual; a thread blocked on reply has exactly one reply object, linked back. */
  private checkThreadMCS(t: TCB): void {
    if (t.sc !== null && t.sc.tcb !== t)
      this.fail("sched", `${tcbName(t)} has ${objName(t.sc)}, which is bound to ${tcbName(t.sc.tcb)}`);
    const r = t.replyObject;
    if (t.state === ThreadState.BlockedOnReply && r === null)
      this.fail("reply", `${tcbName(t)} is blocked on reply without a reply object`);
    if (r !== null) {
      if (t.state !== ThreadState.BlockedOnReply && t.state !== ThreadState.BlockedOnReceive) {
        this.fail("reply", `${tcbName(t)} is ${stateName(t)} but keeps ${objName(r)}`);
      }
      if (r.replyTCB !== t) this.fail("reply", `${tcbName(t)} keeps ${objName(r)}, which names ${tcbName(r.replyTCB)}`);
    }
  }

  /** The current thread is runnable (MCS: schedulable with a ready, sufficient refill) or idle. */
  private checkCurrentThread(): void {
    const ks = this.ks;
    if (ks.schedulerAction.kind !== "ResumeCurrentThread")
      this.fail("sched", `scheduler action is ${ks.schedulerAction.kind} between kernel entries`);
    const cur = ks.curThread;
    if (ks.mcs && ks.curSC !== (cur?.sc ?? null))
      this.fail("sched", `the current SC is ${objName(ks.curSC)}, not the current thread's`);
    if (cur === null) return;
    if (!cur.live || !isSchedulable(ks, cur)) {
      this.fail(
        "sched",
        `current thread ${tcbName(cur)} is ${cur.live ? "" : "deleted and "}${stateName(cur)}${ks.mcs ? (cur.sc === null ? " without an SC" : cur.inReleaseQueue ? " in the release queue" : "") : ""}`,
      );
      return;
    }
    const head = cur.sc?.refills[0];
    if (ks.mcs && head !== undefined && (head.time > ks.now || head.amount < MIN_BUDGET_NS)) {
      this.fail(
        "sched",
        `current thread ${tcbName(cur)} runs on ${objName(cur.sc)} whose head refill (${head.amount} ns at ${head.time}) is not ready at ${ks.now}`,
      );
    }
  }
}
