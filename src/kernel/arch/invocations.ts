// x86_64 paging-object invocations (src/arch/x86/kernel/vspace.c decodeX86MMUInvocation).
import { syscallError } from "../api/failures.js";
import { wordFromMessageInfo } from "../api/types.js";
import { badgeRegister, msgInfoRegister } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import type { Invocation } from "../object/cnode.js";
import { setThreadState } from "../kernel/scheduler.js";
import { lookupIPCBuffer, setMRs } from "../kernel/message.js";
import { ThreadState, type Cap, type CTE, type TCB } from "../object/structures.js";
import { invokedByCall } from "../object/tcb.js";
import { userError } from "../kernel/debug.js";
import { decodeFrameMap, decodePagingMap, frameUnmapInSlot, unmapPagingObject } from "./vspace.js";

/**
 * Each x86 paging structure's map/unmap invocation labels and seL4's userError texts for its
 * decoder (decodeX86PDPTInvocation, decodeX86PageDirectoryInvocation, decodeX86PageTableInvocation).
 */
const PAGING_STRUCTURES = {
  PDPT: {
    map: "X86PDPTMap",
    unmap: "X86PDPTUnmap",
    truncated: "X64PDPT: Truncated message.",
    illegal: "X86PDPT: Illegal operation.",
    revokeFirst: "X86PDPT: Cannot unmap if more than one cap exist.",
  },
  PageDirectory: {
    map: "X86PageDirectoryMap",
    unmap: "X86PageDirectoryUnmap",
    truncated: "X64PageDirectory: Truncated message.",
    illegal: "X64Directory: Illegal operation.",
    revokeFirst: "X86PageDirectory: Cannot unmap if more than one cap exist.",
  },
  PageTable: {
    map: "X86PageTableMap",
    unmap: "X86PageTableUnmap",
    truncated: "X86PageTable: Truncated message.",
    illegal: "X86PageTable: Illegal operation.",
    revokeFirst: "X86PageTable: Cannot unmap if more than one cap exists.",
  },
} as const;
const truncated = (message = ""): never => syscallError({ type: "TruncatedMessage" }, message);

export function decodeX86MMUInvocation(ks: KernelState, cur: TCB, inv: Invocation, slot: CTE, cap: Cap): () => void {
  const { label, args, extraCaps } = inv;
  switch (cap.type) {
    case "Frame":
      if (label === "X86PageMap") {
        if (args.length < 3 || extraCaps.length < 1) truncated();
        return decodeFrameMap(slot, extraCaps[0]!.cap, args[0]!, Number(args[1]! & 0xfn), (message) =>
          userError(ks, "maskVMRights", message),
        );
      }
      if (label === "X86PageUnmap") return () => frameUnmapInSlot(ks, slot);
      if (label === "X86PageGetAddress") {
        const paddr = BigInt(cap.obj.paddr);
        if (!invokedByCall(ks, cur)) return () => setThreadState(ks, cur, ThreadState.Running);
        return () => {
          const len = setMRs(ks, cur, lookupIPCBuffer(ks, true, cur), 0, [paddr]);
          cur.regs[badgeRegister] = 0n;
          cur.regs[msgInfoRegister] = wordFromMessageInfo({ label: 0n, capsUnwrapped: 0, extraCaps: 0, length: len });
          setThreadState(ks, cur, ThreadState.Running);
        };
      }
      break;
    case "PageTable":
    case "PageDirectory":
    case "PDPT": {
      const text = PAGING_STRUCTURES[cap.type];
      if (label === text.unmap) {
        // Only the last cap to a paging structure may unmap it (isFinalCapability).
        if (cap.obj.capCount > 1) syscallError({ type: "RevokeFirst" }, text.revokeFirst);
        const obj = cap.obj;
        return () => unmapPagingObject(ks, obj, true);
      }
      if (label !== text.map) return syscallError({ type: "IllegalOperation" }, text.illegal);
      if (args.length < 2 || extraCaps.length < 1) truncated(text.truncated);
      return decodePagingMap(slot, extraCaps[0]!.cap, args[0]!);
    }
    case "ASIDPool":
      if (label === "X86ASIDPoolAssign") {
        if (extraCaps.length < 1) truncated();
        const vspace = extraCaps[0]!.cap;
        if (vspace.type !== "PML4" || vspace.obj.asid !== null) {
          syscallError({ type: "InvalidCapability", capNumber: 1 }, "X86ASIDPool: Invalid vspace root.");
        }
        return () => {
          vspace.obj.asid = nextASID(ks);
        };
      }
      break;
    default:
      break;
  }
  return syscallError({ type: "IllegalOperation" }, "");
}

/** One more than the highest ASID assigned so far; the caller assigns it. */
export function nextASID(ks: KernelState): number {
  return ++ks.lastASID;
}
