// CNode invocations (src/object/cnode.c decodeCNodeInvocation and invoke*): seL4's check order,
// error codes and detail words. Decoding validates everything and returns the operation;
// performing it cannot fail.
import type { InvocationLabel } from "../api/constants.js";
import { SyscallErrorThrow, syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { lookupPivotSlot, lookupSourceSlot, lookupTargetSlot } from "../kernel/cspace.js";
import { cancelBadgedSends } from "./endpoint.js";
import { cteDelete, cteInsert, cteMove, cteRevoke, cteSwap } from "./cdt.js";
import { deriveCap, hasCancelSendRights, maskCapRights, updateCapData } from "./objecttype.js";
import { TCB_CALLER, type Cap, type CTE, type TCB } from "./structures.js";

export interface Invocation {
  label: InvocationLabel;
  args: Word[]; // MR0..length-1
  extraCaps: CTE[]; // slots of the extra caps, looked up in the invoker's CSpace
}

const MSG_COPY = "CNode Copy/Mint/Move/Mutate";

/** Run a lookup, replacing the message of its error with the caller's (the kernel prints per call site). */
function withMessage<T>(message: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SyscallErrorThrow) throw new SyscallErrorThrow(e.error, message);
    throw e;
  }
}

const depthOf = (w: Word) => Number(w & 0xffn); // depths are seL4_Uint8

export function decodeCNodeInvocation(ks: KernelState, cur: TCB, inv: Invocation, cap: Extract<Cap, { type: "CNode" }>): () => void {
  const { label, args, extraCaps } = inv;
  const isCNodeLabel = label.startsWith("CNode") && (label !== "CNodeSaveCaller" || !ks.mcs);
  if (!isCNodeLabel) syscallError({ type: "IllegalOperation" }, "CNodeCap: Illegal Operation attempted.");
  if (args.length < 2) syscallError({ type: "TruncatedMessage" }, "CNode operation: Truncated message.");
  const index = args[0]!;
  const depth = depthOf(args[1]!);
  const destSlot = withMessage("CNode operation: Target slot invalid.", () => lookupTargetSlot(cap, index, depth));

  switch (label) {
    case "CNodeCopy":
    case "CNodeMint":
    case "CNodeMove":
    case "CNodeMutate": {
      if (args.length < 4 || extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, `${MSG_COPY}: Truncated message.`);
      if (destSlot.cap.type !== "Null") syscallError({ type: "DeleteFirst" }, `${MSG_COPY}: Destination not empty.`);
      const srcDepth = depthOf(args[3]!);
      const srcSlot = withMessage(`${MSG_COPY}: Invalid source slot.`,
        () => lookupSourceSlot(extraCaps[0]!.cap, args[2]!, srcDepth));
      if (srcSlot.cap.type === "Null") {
        syscallError({ type: "FailedLookup", source: true, lookupFailure: { type: "MissingCapability", bitsLeft: srcDepth } },
          `${MSG_COPY}: Source slot invalid or empty.`);
      }
      const srcCap = srcSlot.cap;
      let newCap: Cap;
      let isMove = false;
      if (label === "CNodeCopy") {
        if (args.length < 5) syscallError({ type: "TruncatedMessage" }, "Truncated message for CNode Copy operation.");
        newCap = deriveCap(srcSlot, maskCapRights(Number(args[4]! & 0xfn), srcCap));
      } else if (label === "CNodeMint") {
        if (args.length < 6) syscallError({ type: "TruncatedMessage" }, "CNode Mint: Truncated message.");
        newCap = deriveCap(srcSlot, updateCapData(false, args[5]!, maskCapRights(Number(args[4]! & 0xfn), srcCap)));
      } else if (label === "CNodeMove") {
        newCap = srcCap;
        isMove = true;
      } else {
        if (args.length < 5) syscallError({ type: "TruncatedMessage" }, "CNode Mutate: Truncated message.");
        newCap = updateCapData(true, args[4]!, srcCap);
        isMove = true;
      }
      if (newCap.type === "Null") syscallError({ type: "IllegalOperation" }, `${MSG_COPY}: Mutated cap would be invalid.`);
      return isMove ? () => cteMove(newCap, srcSlot, destSlot) : () => cteInsert(newCap, srcSlot, destSlot);
    }
    case "CNodeRevoke":
      return () => cteRevoke(ks, destSlot);
    case "CNodeDelete":
      return () => cteDelete(ks, destSlot);
    case "CNodeSaveCaller":
      if (destSlot.cap.type !== "Null") syscallError({ type: "DeleteFirst" }, "CNode SaveCaller: Destination slot not empty.");
      return () => {
        const callerSlot = cur.slots[TCB_CALLER]!;
        if (callerSlot.cap.type === "Reply") cteMove(callerSlot.cap, callerSlot, destSlot);
      };
    case "CNodeCancelBadgedSends": {
      const target = destSlot.cap;
      if (!hasCancelSendRights(target)) {
        syscallError({ type: "IllegalOperation" }, "CNode CancelBadgedSends: Target cap invalid.");
      }
      const ep = target as Extract<Cap, { type: "Endpoint" }>;
      return () => {
        if (ep.badge !== 0n) cancelBadgedSends(ks, ep.obj, ep.badge);
      };
    }
    case "CNodeRotate":
      return decodeRotate(inv, destSlot, depth);
    default:
      return syscallError({ type: "IllegalOperation" }, "CNodeCap: Illegal Operation attempted.");
  }
}

function decodeRotate(inv: Invocation, destSlot: CTE, destDepth: number): () => void {
  const { args, extraCaps } = inv;
  if (args.length < 8 || extraCaps.length < 2) syscallError({ type: "TruncatedMessage" }, "CNode Rotate: Target cap invalid.");
  const destBadge = args[2]!;
  const pivotDepth = depthOf(args[4]!);
  const pivotBadge = args[5]!;
  const srcDepth = depthOf(args[7]!);
  const srcSlot = withMessage("CNode Rotate: Invalid source slot.", () => lookupSourceSlot(extraCaps[1]!.cap, args[6]!, srcDepth));
  const pivotSlot = withMessage("CNode Rotate: Invalid pivot slot.", () => lookupPivotSlot(extraCaps[0]!.cap, args[3]!, pivotDepth));
  if (pivotSlot === srcSlot || pivotSlot === destSlot) {
    syscallError({ type: "IllegalOperation" }, "CNode Rotate: Pivot slot the same as source or dest slot.");
  }
  if (srcSlot !== destSlot && destSlot.cap.type !== "Null") {
    syscallError({ type: "DeleteFirst" }, "CNode Rotate: Destination slot not empty.");
  }
  if (srcSlot.cap.type === "Null") {
    syscallError({ type: "FailedLookup", source: true, lookupFailure: { type: "MissingCapability", bitsLeft: srcDepth } },
      "CNode Rotate: Source slot invalid or empty.");
  }
  if (pivotSlot.cap.type === "Null") {
    syscallError({ type: "FailedLookup", source: false, lookupFailure: { type: "MissingCapability", bitsLeft: pivotDepth } },
      "CNode Rotate: Pivot slot invalid or empty.");
  }
  const newSrcCap = updateCapData(true, pivotBadge, srcSlot.cap);
  const newPivotCap = updateCapData(true, destBadge, pivotSlot.cap);
  if (newSrcCap.type === "Null") syscallError({ type: "IllegalOperation" }, "CNode Rotate: Source cap invalid.");
  if (newPivotCap.type === "Null") syscallError({ type: "IllegalOperation" }, "CNode Rotate: Pivot cap invalid.");
  void destDepth;
  return () => {
    if (srcSlot === destSlot) {
      cteSwap(newSrcCap, srcSlot, newPivotCap, pivotSlot);
    } else {
      cteMove(newPivotCap, pivotSlot, destSlot);
      cteMove(newSrcCap, srcSlot, pivotSlot);
    }
  };
}
