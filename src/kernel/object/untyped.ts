// seL4_Untyped_Retype (src/object/untyped.c decodeUntypedInvocation / invokeUntyped_Retype).
import { objectTypeList, seL4_MaxUntypedBits, seL4_MinSchedContextBits, seL4_MinUntypedBits,
  seL4_NotificationBits, seL4_UntypedRetypeMaxObjects, seL4_WordBits } from "../api/constants.js";
import { syscallError } from "../api/failures.js";
import type { KernelState } from "../model/state.js";
import { lookupTargetSlot } from "../kernel/cspace.js";
import { insertOriginal } from "./cdt.js";
import { createObject, objectSizeBits } from "./create.js";
import type { Invocation } from "./cnode.js";
import type { Cap, CTE, UntypedObj } from "./structures.js";

export function decodeUntypedInvocation(ks: KernelState, inv: Invocation, slot: CTE, ut: UntypedObj): () => void {
  const { label, args, extraCaps } = inv;
  if (label !== "UntypedRetype") syscallError({ type: "IllegalOperation" }, "Untyped cap: Illegal operation attempted.");
  if (args.length < 6 || extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, "Untyped invocation: Truncated message.");
  const types = objectTypeList(ks.config);
  const typeNum = args[0]!;
  if (typeNum >= BigInt(types.length)) syscallError({ type: "InvalidArgument", argumentNumber: 0 }, `Untyped Retype: Invalid object type.`);
  const type = types[Number(typeNum)]!;
  const userSizeWord = args[1]!;
  if (userSizeWord >= BigInt(seL4_WordBits)) {
    syscallError({ type: "RangeError", min: 0, max: seL4_MaxUntypedBits }, "Untyped Retype: Invalid object size.");
  }
  const userSize = Number(userSizeWord);
  const sizeBits = objectSizeBits(type, userSize, seL4_NotificationBits(ks.config));
  if (sizeBits > seL4_MaxUntypedBits) syscallError({ type: "RangeError", min: 0, max: seL4_MaxUntypedBits }, "Untyped Retype: Invalid object size.");
  if (type === "CNode" && userSize === 0) syscallError({ type: "InvalidArgument", argumentNumber: 1 }, "Untyped Retype: Requested CapTable size too small.");
  if (type === "Untyped" && userSize < seL4_MinUntypedBits) syscallError({ type: "InvalidArgument", argumentNumber: 1 }, "Untyped Retype: Requested UntypedItem size too small.");
  if (type === "SchedContext" && userSize < seL4_MinSchedContextBits) {
    syscallError({ type: "InvalidArgument", argumentNumber: 1 }, "Untyped Retype: Requested a scheduling context too small.");
  }
  const [nodeIndex, nodeDepthWord, nodeOffsetWord, nodeWindowWord] = [args[2]!, args[3]!, args[4]!, args[5]!];
  const nodeDepth = Number(nodeDepthWord & 0xffffffffn);
  const root = extraCaps[0]!.cap;
  let destCNode: Cap;
  if (nodeDepth === 0) {
    destCNode = root;
  } else {
    const destSlot = lookupTargetSlot(root, nodeIndex, nodeDepth);
    destCNode = destSlot.cap;
  }
  if (destCNode.type !== "CNode") {
    syscallError({ type: "FailedLookup", source: false, lookupFailure: { type: "MissingCapability", bitsLeft: nodeDepth } },
      "Untyped Retype: Destination cap invalid or read-only.");
  }
  if (nodeWindowWord < 1n || nodeWindowWord > BigInt(seL4_UntypedRetypeMaxObjects)) {
    syscallError({ type: "RangeError", min: 1, max: seL4_UntypedRetypeMaxObjects }, "Untyped Retype: Number of requested objects too small or large.");
  }
  const cnodeSize = BigInt(destCNode.obj.slots.length);
  if (nodeOffsetWord > cnodeSize - 1n) {
    syscallError({ type: "RangeError", min: 0, max: cnodeSize - 1n }, "Untyped Retype: Destination node offset too large.");
  }
  if (nodeWindowWord > cnodeSize - nodeOffsetWord) {
    syscallError({ type: "RangeError", min: 1, max: cnodeSize - nodeOffsetWord }, "Untyped Retype: Number of requested objects too large.");
  }
  const offset = Number(nodeOffsetWord), count = Number(nodeWindowWord);
  const dests = destCNode.obj.slots.slice(offset, offset + count);
  if (dests.some((d) => d.cap.type !== "Null")) syscallError({ type: "DeleteFirst" }, "Untyped Retype: Slot not empty.");
  // An untyped without children is reset: its memory can be reused from the start.
  const freeIndex = slot.children.size === 0 ? 0 : ut.freeIndex;
  const untypedBytes = 2 ** ut.sizeBits;
  const objectBytes = 2 ** sizeBits;
  const alignedStart = Math.ceil(freeIndex / objectBytes) * objectBytes;
  if (alignedStart + objectBytes * count > untypedBytes) {
    syscallError({ type: "NotEnoughMemory", memoryLeft: untypedBytes - freeIndex },
      `Untyped Retype: Insufficient memory (${count} * ${objectBytes} bytes needed, ${untypedBytes - freeIndex} bytes available).`);
  }
  const isFrameLike = type === "Untyped" || type === "Frame4K" || type === "LargePage" || type === "HugePage";
  if (ut.isDevice && !isFrameLike) {
    syscallError({ type: "InvalidArgument", argumentNumber: 1 }, "Untyped Retype: Creating kernel objects with device untyped.");
  }
  return () => {
    for (let i = 0; i < count; i++) {
      const paddr = ut.paddr + alignedStart + i * objectBytes;
      const name = `child of: '${ks.curThread?.name ?? "kernel"}'`;
      const { obj, cap } = createObject(ks, type, paddr, type === "CNode" ? userSize : sizeBits, name);
      if (type === "SchedContext") obj.sizeBits = userSize;
      if (obj.kind === "Untyped") obj.isDevice = ut.isDevice;
      if (obj.kind === "Frame4K" || obj.kind === "LargePage" || obj.kind === "HugePage") obj.isDevice = ut.isDevice;
      insertOriginal(cap, dests[i]!, slot);
    }
    ut.freeIndex = alignedStart + objectBytes * count;
  };
}
