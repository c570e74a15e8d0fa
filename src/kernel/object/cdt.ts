// The capability derivation tree (seL4's MDB): insert, move, swap, delete, revoke, and
// finalisation of an object when its last cap goes (src/object/cnode.c, src/kernel/cspace.c,
// src/object/objecttype.c finaliseCap).
import type { KernelState } from "../model/state.js";
import { isCapRevocable, capObject, capBadge, withFreeIndex } from "./objecttype.js";
import { NULL_CAP, type Cap, type CTE, type KObject } from "./structures.js";
import { finaliseCap } from "./finalise.js";

/** Master reply caps do not keep their TCB alive; every other cap counts towards its object. */
function countedObject(cap: Cap): KObject | null {
  return cap.type === "Reply" ? null : capObject(cap);
}

/**
 * A slot. Its children set is made on first use: a root CNode has 2^16 slots, and a Set for each
 * would cost more than the rest of the boot.
 */
class Slot implements CTE {
  cap: Cap = NULL_CAP;
  parent: CTE | null = null;
  revocable = false;
  firstBadged = false;
  private kids: Set<CTE> | null = null;
  constructor(
    readonly owner: CTE["owner"],
    readonly index: number,
  ) {}
  get children(): Set<CTE> {
    return (this.kids ??= new Set());
  }
  set children(value: Set<CTE>) {
    this.kids = value;
  }
}

export function newCTE(owner: CTE["owner"], index: number): CTE {
  return new Slot(owner, index);
}

function attach(cte: CTE, parent: CTE | null): void {
  cte.parent = parent;
  if (parent) parent.children.add(cte);
}

function detach(cte: CTE): void {
  if (cte.parent) cte.parent.children.delete(cte);
  cte.parent = null;
}

function storeCap(slot: CTE, cap: Cap): void {
  const obj = countedObject(cap);
  if (obj) obj.capCount++;
  slot.cap = cap;
}

/**
 * cteInsert: put `newCap`, derived from the cap in `src`, into the empty `dest`.
 * The new cap hangs below its nearest revocable ancestor, which is how seL4's isMDBParentOf
 * decides what a Revoke removes.
 */
export function cteInsert(newCap: Cap, src: CTE, dest: CTE): void {
  const revocable = isCapRevocable(newCap, src.cap);
  setUntypedCapAsFull(src, newCap);
  storeCap(dest, newCap);
  dest.revocable = revocable;
  dest.firstBadged =
    revocable && (newCap.type === "Endpoint" || newCap.type === "Notification") && capBadge(newCap) !== 0n;
  attach(dest, src.revocable ? src : src.parent);
}

/**
 * setUntypedCapAsFull: copying an untyped cap leaves the source cap's region all used, so the two
 * caps can never hand out the same memory. The source retypes again only after a reset (once
 * nothing is derived from it any more).
 */
function setUntypedCapAsFull(src: CTE, newCap: Cap): void {
  const srcCap = src.cap;
  if (srcCap.type === "Untyped" && newCap.type === "Untyped" && srcCap.obj === newCap.obj) {
    src.cap = withFreeIndex(srcCap, 2 ** srcCap.obj.sizeBits);
  }
}

/** Inserts an original cap (a fresh object, or a boot-time cap): the root of its own subtree. */
export function insertOriginal(cap: Cap, dest: CTE, parent: CTE | null = null): void {
  storeCap(dest, cap);
  dest.revocable = true;
  dest.firstBadged = capBadge(cap) !== 0n;
  attach(dest, parent);
}

/** cteMove: `dest` takes the cap and its place in the tree; `src` becomes empty. */
export function cteMove(newCap: Cap, src: CTE, dest: CTE): void {
  const obj = countedObject(src.cap);
  if (obj) obj.capCount--;
  storeCap(dest, newCap);
  src.cap = NULL_CAP;
  dest.revocable = src.revocable;
  dest.firstBadged = src.firstBadged;
  const parent = src.parent;
  detach(src);
  attach(dest, parent);
  for (const child of src.children) child.parent = dest;
  dest.children = src.children;
  src.children = new Set();
  src.revocable = src.firstBadged = false;
}

/**
 * cteSwap: exchange two slots' caps (possibly updated) and their places in the tree. When one
 * slot is the other's parent, the relation is exchanged too: what hung below slot1 now hangs
 * below slot2 and vice versa, as swapping the two MDB nodes does in seL4.
 */
export function cteSwap(cap1: Cap, slot1: CTE, cap2: Cap, slot2: CTE): void {
  const other = (s: CTE | null) => (s === slot1 ? slot2 : s === slot2 ? slot1 : s);
  const p1 = slot1.parent,
    p2 = slot2.parent;
  const c1 = [...slot1.children],
    c2 = [...slot2.children];
  const r1 = slot1.revocable,
    r2 = slot2.revocable,
    f1 = slot1.firstBadged,
    f2 = slot2.firstBadged;
  for (const s of [slot1, slot2, ...c1, ...c2]) detach(s);
  // cap1 moves into slot2 and cap2 into slot1; object counts are unchanged by a swap.
  slot2.cap = cap1;
  slot1.cap = cap2;
  slot2.revocable = r1;
  slot2.firstBadged = f1;
  slot1.revocable = r2;
  slot1.firstBadged = f2;
  attach(slot2, other(p1));
  attach(slot1, other(p2));
  for (const c of c1) if (c !== slot2) attach(c, slot2);
  for (const c of c2) if (c !== slot1) attach(c, slot1);
}

/**
 * cteDelete: empty the slot. Its children move up to its parent so they stay descendants of
 * every ancestor (as in seL4's list-shaped MDB). Deleting the last cap finalises the object.
 */
export function cteDelete(ks: KernelState, slot: CTE): void {
  const cap = slot.cap;
  if (cap.type === "Null") return;
  const parent = slot.parent;
  detach(slot);
  if (slot.children.size > 0) {
    for (const child of slot.children) attach(child, parent);
    slot.children = new Set();
  }
  slot.cap = NULL_CAP;
  slot.revocable = slot.firstBadged = false;
  const obj = countedObject(cap);
  if (obj) {
    obj.capCount--;
    finaliseCap(ks, cap, obj, obj.capCount === 0 && obj.live);
  } else if (cap.type === "Reply") {
    finaliseReplyCap(ks, cap);
  }
}

/** A master reply cap going away: its caller waits for a reply that can no longer come. */
function finaliseReplyCap(_ks: KernelState, _cap: Extract<Cap, { type: "Reply" }>): void {
  // Nothing to do: seL4 leaves the caller BlockedOnReply (it can only be Resumed or deleted).
}

/** cteRevoke: delete every descendant, newest first. */
export function cteRevoke(ks: KernelState, slot: CTE): void {
  for (;;) {
    let last: CTE | null = null;
    for (const c of slot.children) last = c;
    if (last === null) return;
    cteRevoke(ks, last);
    cteDelete(ks, last);
  }
}
