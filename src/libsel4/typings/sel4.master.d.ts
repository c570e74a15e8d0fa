// The "sel4" module on the master (non-MCS) kernel. What MCS has instead is in sel4.mcs.d.ts.
export * from "./sel4.common.js";
import type {
  seL4_CPtr,
  seL4_Error,
  seL4_MessageInfo_t,
  seL4_RecvResult,
  seL4_Uint8,
  seL4_Word,
} from "./sel4.common.js";

export declare const CONFIG_KERNEL_MCS: false;

/** Receives on an endpoint or notification; the reply capability is implicit (master). */
export declare function seL4_Recv(src: seL4_CPtr): seL4_RecvResult;
export declare function seL4_NBRecv(src: seL4_CPtr): seL4_RecvResult;
/** Replies to the last caller (the reply capability saved by the last Recv). */
export declare function seL4_Reply(msgInfo: seL4_MessageInfo_t): void;
export declare function seL4_ReplyRecv(dest: seL4_CPtr, msgInfo: seL4_MessageInfo_t): seL4_RecvResult;
/** seL4_Recv on a notification, keeping only the badge. */
export declare function seL4_Wait(src: seL4_CPtr): { badge: number };

export declare function seL4_CNode_SaveCaller(service: seL4_CPtr, index: seL4_CPtr, depth: seL4_Uint8): seL4_Error;
export declare function seL4_TCB_Configure(
  service: seL4_CPtr,
  fault_ep: seL4_Word,
  cspace_root: seL4_CPtr,
  cspace_root_data: seL4_Word,
  vspace_root: seL4_CPtr,
  vspace_root_data: seL4_Word,
  buffer: seL4_Word,
  bufferFrame: seL4_CPtr,
): seL4_Error;
/** fault_ep is a CPtr in the *target* thread's CSpace, looked up at each fault (master). */
export declare function seL4_TCB_SetSpace(
  service: seL4_CPtr,
  fault_ep: seL4_Word,
  cspace_root: seL4_CPtr,
  cspace_root_data: seL4_Word,
  vspace_root: seL4_CPtr,
  vspace_root_data: seL4_Word,
): seL4_Error;
export declare function seL4_TCB_SetSchedParams(
  service: seL4_CPtr,
  authority: seL4_CPtr,
  mcp: seL4_Word,
  priority: seL4_Word,
): seL4_Error;
