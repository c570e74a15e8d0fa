// seL4_Untyped_Retype (src/object/untyped.c decodeUntypedInvocation / invokeUntyped_Retype),
// in seL4's check order:
//   type, size, minimum sizes, destination CNode, window offset, window count, window fit, empty
//   slots, free memory, device memory.
import { traceCapChange } from "../api/trace.js";
import {
  objectTypeList,
  seL4_MaxUntypedBits,
  seL4_MinSchedContextBits,
  seL4_MinUntypedBits,
  seL4_NotificationBits,
  seL4_UntypedRetypeMaxObjects,
  seL4_WordBits,
  type ObjectTypeName,
} from "../../abi/constants.js";
import { syscallError, SyscallErrorThrow } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { lookupTargetSlot } from "../kernel/cspace.js";
import { insertOriginal } from "./cdt.js";
import { createObject, objectSizeBits, tcbDebugName } from "./create.js";
import type { Invocation } from "./cnode.js";
import { capFreeIndex, withFreeIndex } from "./objecttype.js";
import type { Cap, CNodeObj, CTE, UntypedObj } from "./structures.js";

type UntypedCap = Extract<Cap, { type: "Untyped" }>;

/** The kernel prints window numbers with `%d` of an `(int)` cast. */
const asCInt = (w: Word) => BigInt.asIntN(32, w).toString();

/** Objects that may live in device memory: frames and untyped (Arch_isFrameType). */
function isFrameType(type: ObjectTypeName): boolean {
  return type === "Frame4K" || type === "LargePage" || type === "HugePage";
}

export function decodeUntypedInvocation(ks: KernelState, inv: Invocation, slot: CTE, ut: UntypedObj): () => void {
  const { label, args, extraCaps } = inv;
  if (label !== "UntypedRetype")
    syscallError({ type: "IllegalOperation" }, "Untyped cap: Illegal operation attempted.");
  if (args.length < 6 || extraCaps.length < 1)
    syscallError({ type: "TruncatedMessage" }, "Untyped invocation: Truncated message.");
  const [newType, userObjSize, nodeIndex, nodeDepth, nodeOffset, nodeWindow] = args as [
    Word,
    Word,
    Word,
    Word,
    Word,
    Word,
  ];
  const types = objectTypeList(ks.config);
  if (newType >= BigInt(types.length))
    syscallError({ type: "InvalidArgument", argumentNumber: 0 }, "Untyped Retype: Invalid object type.");
  const type = types[Number(newType)]!;

  // userObjSize >= wordBits would overflow getObjectSize; every type is checked, even fixed-size ones.
  const sizeBits =
    userObjSize < BigInt(seL4_WordBits)
      ? objectSizeBits(type, Number(userObjSize), seL4_NotificationBits(ks.config))
      : Infinity;
  if (sizeBits > seL4_MaxUntypedBits) {
    syscallError({ type: "RangeError", min: 0, max: seL4_MaxUntypedBits }, "Untyped Retype: Invalid object size.");
  }
  const userSize = Number(userObjSize);
  if (type === "CNode" && userSize === 0) {
    syscallError({ type: "InvalidArgument", argumentNumber: 1 }, "Untyped Retype: Requested CapTable size too small.");
  }
  if (type === "Untyped" && userSize < seL4_MinUntypedBits) {
    syscallError(
      { type: "InvalidArgument", argumentNumber: 1 },
      "Untyped Retype: Requested UntypedItem size too small.",
    );
  }
  if (type === "SchedContext" && userSize < seL4_MinSchedContextBits) {
    syscallError(
      { type: "InvalidArgument", argumentNumber: 1 },
      "Untyped retype: Requested a scheduling context too small.",
    );
  }

  const destCNode = lookupDestinationCNode(extraCaps[0]!.cap, nodeIndex, nodeDepth);
  const dests = destinationWindow(destCNode, nodeOffset, nodeWindow);

  // An untyped with nothing derived from it is reset: its whole region is free again.
  const cap = slot.cap as UntypedCap;
  const reset = slot.children.size === 0;
  const freeIndex = reset ? 0 : capFreeIndex(cap);
  const untypedFreeBytes = 2 ** ut.sizeBits - freeIndex;
  const count = dests.length;
  if (Math.floor(untypedFreeBytes / 2 ** sizeBits) < count) {
    syscallError(
      { type: "NotEnoughMemory", memoryLeft: untypedFreeBytes },
      `Untyped Retype: Insufficient memory (${count} * ${2 ** sizeBits} bytes needed, ${untypedFreeBytes} bytes available).`,
    );
  }
  if (ut.isDevice && !isFrameType(type) && type !== "Untyped") {
    syscallError(
      { type: "InvalidArgument", argumentNumber: 1 },
      "Untyped Retype: Creating kernel objects with device untyped",
    );
  }
  // Objects are naturally aligned inside the region (the region itself is aligned to its size).
  const alignedStart = Math.ceil(freeIndex / 2 ** sizeBits) * 2 ** sizeBits;

  return () => {
    const newFreeIndex = alignedStart + count * 2 ** sizeBits;
    slot.cap = withFreeIndex(cap, newFreeIndex);
    ut.freeIndex = newFreeIndex;
    for (let i = 0; i < count; i++) {
      const paddr = ut.paddr + alignedStart + i * 2 ** sizeBits;
      // createObject names a TCB after its creator; other objects get the same label for reports.
      const name = tcbDebugName(`child of: '${ks.curThread?.name ?? ""}'`);
      const { obj, cap: newCap } = createObject(
        ks,
        type,
        paddr,
        type === "CNode" || type === "SchedContext" ? userSize : sizeBits,
        name,
      );
      if (obj.kind === "Untyped" || obj.kind === "Frame4K" || obj.kind === "LargePage" || obj.kind === "HugePage") {
        obj.isDevice = ut.isDevice;
      }
      // insertNewCap: each new cap is an original, directly below the untyped.
      insertOriginal(newCap, dests[i]!, slot);
      traceCapChange(ks, "insert", dests[i]!, newCap);
    }
  };
}

/** The CNode that receives the new caps: the root itself at depth 0, else the cap at (index, depth). */
function lookupDestinationCNode(root: Cap, nodeIndex: Word, nodeDepth: Word): Extract<Cap, { type: "CNode" }> {
  let nodeCap = root;
  if (nodeDepth !== 0n) {
    try {
      nodeCap = lookupTargetSlot(root, nodeIndex, nodeDepth).cap;
    } catch (e) {
      if (e instanceof SyscallErrorThrow)
        throw new SyscallErrorThrow(e.error, "Untyped Retype: Invalid destination address.");
      throw e;
    }
  }
  if (nodeCap.type !== "CNode") {
    // nodeDepth is 0 here or was accepted by the lookup (1..64).
    syscallError(
      {
        type: "FailedLookup",
        source: false,
        lookupFailure: { type: "MissingCapability", bitsLeft: Number(nodeDepth) },
      },
      "Untyped Retype: Destination cap invalid or read-only.",
    );
  }
  return nodeCap;
}

/** The slots [offset, offset + window) of the destination CNode, all of which must be empty. */
function destinationWindow(destCNode: Extract<Cap, { type: "CNode" }>, nodeOffset: Word, nodeWindow: Word): CTE[] {
  const cnode: CNodeObj = destCNode.obj;
  const nodeSize = BigInt(cnode.slots.length);
  if (nodeOffset > nodeSize - 1n) {
    syscallError(
      { type: "RangeError", min: 0, max: nodeSize - 1n },
      `Untyped Retype: Destination node offset #${asCInt(nodeOffset)} too large.`,
    );
  }
  if (nodeWindow < 1n || nodeWindow > BigInt(seL4_UntypedRetypeMaxObjects)) {
    syscallError(
      { type: "RangeError", min: 1, max: seL4_UntypedRetypeMaxObjects },
      `Untyped Retype: Number of requested objects (${asCInt(nodeWindow)}) too small or large.`,
    );
  }
  if (nodeWindow > nodeSize - nodeOffset) {
    syscallError(
      { type: "RangeError", min: 1, max: nodeSize - nodeOffset },
      "Untyped Retype: Requested destination window overruns size of node.",
    );
  }
  const offset = Number(nodeOffset);
  const dests = cnode.slots.slice(offset, offset + Number(nodeWindow));
  dests.forEach((d, i) => {
    if (d.cap.type !== "Null") {
      syscallError({ type: "DeleteFirst" }, `Untyped Retype: Slot #${offset + i} in destination window non-empty.`);
    }
  });
  return dests;
}
