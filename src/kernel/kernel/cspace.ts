// CSpace addressing (src/kernel/cspace.c): resolveAddressBits and the two kinds of lookup.
// Implicit lookups (invoked caps, extra caps, Recv sources, the master fault handler) may stop
// early at a non-CNode cap; CNode-op lookups must consume the depth exactly.
import { seL4_WordBits } from "../../abi/constants.js";
import { LookupFailureError, lookupFault, syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import { TCB_CTABLE, type Cap, type CTE, type TCB } from "../object/structures.js";

interface ResolveResult {
  slot: CTE;
  bitsRemaining: number;
}

const MASKS: bigint[] = Array.from({ length: 65 }, (_, i) => (1n << BigInt(i)) - 1n);

/** Walks CNodes from `nodeCap`, consuming the low `nBits` bits of `cptr`. Throws LookupFailureError. */
function resolveAddressBits(nodeCap: Cap, cptr: Word, nBits: number): ResolveResult {
  if (nodeCap.type !== "CNode") lookupFault({ type: "InvalidRoot" });
  let cap = nodeCap;
  let n = nBits;
  for (;;) {
    const radix = cap.obj.radix;
    const guardBits = cap.guardSize;
    const levelBits = radix + guardBits;
    // seL4 asserts this ("All CNodes must resolve bits"): Retype never makes a radix-0 CNode.
    if (levelBits === 0) throw new Error(`CNode '${cap.obj.name}' has radix 0 and no guard: it resolves no bits`);
    // A CNode always resolves at least one bit; the guard is checked before the depth.
    if (guardBits > n) {
      lookupFault({ type: "GuardMismatch", bitsLeft: n, guardFound: cap.guard, bitsFound: guardBits });
    }
    if (guardBits > 0) {
      const guard = (cptr >> BigInt(n - guardBits)) & MASKS[guardBits]!;
      if (guard !== cap.guard) {
        lookupFault({ type: "GuardMismatch", bitsLeft: n, guardFound: cap.guard, bitsFound: guardBits });
      }
    }
    if (levelBits > n) lookupFault({ type: "DepthMismatch", bitsLeft: n, bitsFound: levelBits });
    const offset = Number((cptr >> BigInt(n - levelBits)) & MASKS[radix]!);
    const slot = cap.obj.slots[offset]!;
    if (n === levelBits) return { slot, bitsRemaining: 0 };
    n -= levelBits;
    const next = slot.cap;
    if (next.type !== "CNode") return { slot, bitsRemaining: n };
    cap = next;
  }
}

function threadCSpaceRoot(thread: TCB): Cap {
  return thread.slots[TCB_CTABLE]!.cap;
}

/** Implicit lookup in a thread's CSpace with all 64 bits (lookupSlot). */
export function lookupSlot(thread: TCB, cptr: Word): CTE {
  return resolveAddressBits(threadCSpaceRoot(thread), cptr, seL4_WordBits).slot;
}

/** The last few CPtrs resolved through one root cap, and their slots. */
interface RootMemo {
  cptrs: Word[];
  slots: CTE[];
  next: number;
}
const MEMO_ENTRIES = 4;
const rootMemos = new WeakMap<Cap, RootMemo>();

/**
 * lookupSlot for the syscall paths (invoked cap, Recv source, MCS reply cap), remembering results
 * for single-level CSpaces. There one CNode consumes all 64 bits (guard size + radix = 64), so the
 * slot a CPtr names depends only on the root cap, an immutable value, and the CPtr. Failed lookups
 * are not remembered, and multi-level CSpaces are resolved afresh every time.
 */
export function lookupSlotMemo(thread: TCB, cptr: Word): CTE {
  const root = thread.slots[TCB_CTABLE]!.cap;
  if (root.type !== "CNode" || root.guardSize + root.obj.radix !== seL4_WordBits) return lookupSlot(thread, cptr);
  let memo = rootMemos.get(root);
  if (memo === undefined) {
    memo = { cptrs: [], slots: [], next: 0 };
    rootMemos.set(root, memo);
  }
  const cptrs = memo.cptrs;
  for (let i = 0; i < cptrs.length; i++) if (cptrs[i] === cptr) return memo.slots[i]!;
  const slot = lookupSlot(thread, cptr);
  cptrs[memo.next] = cptr;
  memo.slots[memo.next] = slot;
  memo.next = (memo.next + 1) % MEMO_ENTRIES;
  return slot;
}

/** lookupCap: the cap found by an implicit lookup; an empty slot is a success (a null cap). */
export function lookupCap(thread: TCB, cptr: Word): Cap {
  return lookupSlot(thread, cptr).cap;
}

/**
 * lookupSlotForCNodeOp: an explicit (root, index, depth) address. Failures become
 * seL4_FailedLookup / seL4_RangeError syscall errors with the source flag. The depth is the whole
 * argument word, as the kernel reads it (libsel4 narrows it to seL4_Uint8 before it gets here).
 * Like seL4's, this function prints nothing: each caller names its own failure.
 */
function lookupSlotForCNodeOp(isSource: boolean, root: Cap, cptr: Word, depth: Word | number): CTE {
  if (root.type !== "CNode") {
    syscallError({ type: "FailedLookup", source: isSource, lookupFailure: { type: "InvalidRoot" } }, "");
  }
  const bits = BigInt(depth);
  if (bits < 1n || bits > BigInt(seL4_WordBits)) {
    syscallError({ type: "RangeError", min: 1, max: seL4_WordBits }, "");
  }
  let result: ResolveResult;
  try {
    result = resolveAddressBits(root, cptr, Number(bits));
  } catch (e) {
    if (e instanceof LookupFailureError) {
      syscallError({ type: "FailedLookup", source: isSource, lookupFailure: e.failure }, "");
    }
    throw e;
  }
  if (result.bitsRemaining !== 0) {
    syscallError(
      {
        type: "FailedLookup",
        source: isSource,
        lookupFailure: { type: "DepthMismatch", bitsLeft: result.bitsRemaining, bitsFound: 0 },
      },
      "",
    );
  }
  return result.slot;
}

type SlotLookup = (root: Cap, cptr: Word, depth: Word | number) => CTE;
export const lookupSourceSlot: SlotLookup = (root, cptr, depth) => lookupSlotForCNodeOp(true, root, cptr, depth);
export const lookupTargetSlot: SlotLookup = (root, cptr, depth) => lookupSlotForCNodeOp(false, root, cptr, depth);
/** The pivot of a Rotate reports its failures as a source (seL4's lookupPivotSlot passes isSource = true). */
export const lookupPivotSlot: SlotLookup = (root, cptr, depth) => lookupSlotForCNodeOp(true, root, cptr, depth);
