// CNode invocations (src/object/cnode.c decodeCNodeInvocation and invoke*): seL4's check order,
// error codes and detail words. Decoding validates everything and returns the operation;
// performing it cannot fail.
import type { InvocationLabel } from "../../abi/invocation.js";
import { SyscallErrorThrow, syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { userError } from "../kernel/debug.js";
import { lookupPivotSlot, lookupSourceSlot, lookupTargetSlot } from "../kernel/cspace.js";
import { cancelBadgedSends } from "./endpoint.js";
import { cteDelete, cteInsert, cteMove, cteRevoke, cteSwap } from "./cdt.js";
import { traceCapChange } from "../api/trace.js";
import { deriveCap, hasCancelSendRights, maskCapRights, updateCapData } from "./objecttype.js";
import { TCB_CALLER, type Cap, type CTE, type TCB } from "./structures.js";

export interface Invocation {
  label: InvocationLabel;
  args: Word[]; // MR0..length-1
  extraCaps: CTE[]; // slots of the extra caps, looked up in the invoker's CSpace
  isCall: boolean; // a Call expects the kernel's reply message
}

const MSG_COPY = "CNode Copy/Mint/Move/Mutate";

/**
 * Run a lookup, giving its error the caller's userError text (seL4's lookupSlotForCNodeOp prints
 * nothing; decodeCNodeInvocation prints per call site, and Rotate's lookups print nothing at all).
 */
function withMessage<T>(message: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SyscallErrorThrow) throw new SyscallErrorThrow(e.error, message);
    throw e;
  }
}

/** An empty source (or Rotate pivot) is a failed lookup carrying the requested depth. */
function emptySlot(source: boolean, depth: Word, message: string): never {
  // The depth was accepted by the lookup, so it lies in 1..seL4_WordBits.
  return syscallError(
    { type: "FailedLookup", source, lookupFailure: { type: "MissingCapability", bitsLeft: Number(depth) } },
    message,
  );
}

/** seL4 labels the invocation before decoding it: CNode labels run from CNodeRevoke to the last one. */
function isCNodeLabel(ks: KernelState, label: InvocationLabel): boolean {
  return label.startsWith("CNode") && (label !== "CNodeSaveCaller" || !ks.mcs);
}

export function decodeCNodeInvocation(
  ks: KernelState,
  cur: TCB,
  inv: Invocation,
  cap: Extract<Cap, { type: "CNode" }>,
): () => void {
  const { label, args, extraCaps } = inv;
  if (!isCNodeLabel(ks, label)) syscallError({ type: "IllegalOperation" }, "CNodeCap: Illegal Operation attempted.");
  if (args.length < 2) syscallError({ type: "TruncatedMessage" }, "CNode operation: Truncated message.");
  const destSlot = withMessage("CNode operation: Target slot invalid.", () =>
    lookupTargetSlot(cap, args[0]!, args[1]!),
  );

  switch (label) {
    case "CNodeCopy":
    case "CNodeMint":
    case "CNodeMove":
    case "CNodeMutate":
      return decodeCopyMintMoveMutate(ks, label, args, extraCaps, destSlot);
    case "CNodeRevoke":
      return () => cteRevoke(ks, destSlot);
    case "CNodeDelete":
      return () => {
        traceCapChange(ks, "delete", destSlot, destSlot.cap);
        cteDelete(ks, destSlot);
      };
    case "CNodeSaveCaller":
      if (destSlot.cap.type !== "Null")
        syscallError({ type: "DeleteFirst" }, "CNode SaveCaller: Destination slot not empty.");
      return () => {
        const callerSlot = cur.slots[TCB_CALLER]!;
        if (callerSlot.cap.type === "Reply") cteMove(callerSlot.cap, callerSlot, destSlot);
        else userError(ks, "invokeCNodeSaveCaller", "CNode SaveCaller: Reply cap not present.");
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
      return decodeRotate(args, extraCaps, destSlot);
    default:
      return syscallError({ type: "IllegalOperation" }, "CNodeCap: Illegal Operation attempted.");
  }
}

function decodeCopyMintMoveMutate(
  ks: KernelState,
  label: "CNodeCopy" | "CNodeMint" | "CNodeMove" | "CNodeMutate",
  args: Word[],
  extraCaps: CTE[],
  destSlot: CTE,
): () => void {
  if (args.length < 4 || extraCaps.length < 1)
    syscallError({ type: "TruncatedMessage" }, `${MSG_COPY}: Truncated message.`);
  // The destination must be empty before the source is even looked up.
  if (destSlot.cap.type !== "Null") syscallError({ type: "DeleteFirst" }, `${MSG_COPY}: Destination not empty.`);
  const srcDepth = args[3]!;
  const srcSlot = withMessage(`${MSG_COPY}: Invalid source slot.`, () =>
    lookupSourceSlot(extraCaps[0]!.cap, args[2]!, srcDepth),
  );
  if (srcSlot.cap.type === "Null") emptySlot(true, srcDepth, `${MSG_COPY}: Source slot invalid or empty.`);
  const srcCap = srcSlot.cap;
  const rights = (w: Word) => Number(w & 0xfn); // rightsFromWord: the four seL4_CapRights_t bits
  const report = (message: string) => userError(ks, "maskVMRights", message);
  let newCap: Cap;
  let isMove: boolean;
  switch (label) {
    case "CNodeCopy":
      if (args.length < 5) syscallError({ type: "TruncatedMessage" }, "Truncated message for CNode Copy operation.");
      newCap = withMessage("Error deriving cap for CNode Copy operation.", () =>
        deriveCap(srcSlot, maskCapRights(rights(args[4]!), srcCap, report)),
      );
      isMove = false;
      break;
    case "CNodeMint":
      if (args.length < 6) syscallError({ type: "TruncatedMessage" }, "CNode Mint: Truncated message.");
      newCap = withMessage("Error deriving cap for CNode Mint operation.", () =>
        deriveCap(srcSlot, updateCapData(false, args[5]!, maskCapRights(rights(args[4]!), srcCap, report))),
      );
      isMove = false;
      break;
    case "CNodeMove":
      newCap = srcCap;
      isMove = true;
      break;
    case "CNodeMutate":
      // Mutate has no rights argument; with preserve = true it can never badge an endpoint.
      if (args.length < 5) syscallError({ type: "TruncatedMessage" }, "CNode Mutate: Truncated message.");
      newCap = updateCapData(true, args[4]!, srcCap);
      isMove = true;
      break;
  }
  if (newCap.type === "Null") syscallError({ type: "IllegalOperation" }, `${MSG_COPY}: Mutated cap would be invalid.`);
  const cap = newCap;
  return () => {
    if (isMove) cteMove(cap, srcSlot, destSlot);
    else cteInsert(cap, srcSlot, destSlot);
    traceCapChange(ks, "insert", destSlot, cap);
  };
}

/**
 * Rotate: dest_badge goes to the pivot cap, pivot_badge to the source cap (both preserve = true),
 * then pivot -> dest and source -> pivot; with source == dest the two caps are swapped.
 */
function decodeRotate(args: Word[], extraCaps: CTE[], destSlot: CTE): () => void {
  if (args.length < 8 || extraCaps.length < 2) syscallError({ type: "TruncatedMessage" }, "");
  const [, , pivotNewData, pivotIndex, pivotDepth, srcNewData, srcIndex, srcDepth] = args as [
    Word,
    Word,
    Word,
    Word,
    Word,
    Word,
    Word,
    Word,
  ];
  const srcSlot = withMessage("", () => lookupSourceSlot(extraCaps[1]!.cap, srcIndex, srcDepth));
  const pivotSlot = withMessage("", () => lookupPivotSlot(extraCaps[0]!.cap, pivotIndex, pivotDepth));
  if (pivotSlot === srcSlot || pivotSlot === destSlot) {
    syscallError({ type: "IllegalOperation" }, "CNode Rotate: Pivot slot the same as source or dest slot.");
  }
  if (srcSlot !== destSlot && destSlot.cap.type !== "Null") syscallError({ type: "DeleteFirst" }, "");
  if (srcSlot.cap.type === "Null") emptySlot(true, srcDepth, "");
  // An empty pivot is reported with the destination's flag (failedLookupWasSource = 0).
  if (pivotSlot.cap.type === "Null") emptySlot(false, pivotDepth, "");
  const newSrcCap = updateCapData(true, srcNewData, srcSlot.cap);
  const newPivotCap = updateCapData(true, pivotNewData, pivotSlot.cap);
  if (newSrcCap.type === "Null") syscallError({ type: "IllegalOperation" }, "CNode Rotate: Source cap invalid.");
  if (newPivotCap.type === "Null") syscallError({ type: "IllegalOperation" }, "CNode Rotate: Pivot cap invalid.");
  return () => {
    if (srcSlot === destSlot) {
      cteSwap(newSrcCap, srcSlot, newPivotCap, pivotSlot);
    } else {
      cteMove(newPivotCap, pivotSlot, destSlot);
      cteMove(newSrcCap, srcSlot, pivotSlot);
    }
  };
}
