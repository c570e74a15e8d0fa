// The "sel4" module on the MCS kernel. What master has instead is in sel4.master.d.ts.
export * from "./sel4.common.js";
import type {
  seL4_CPtr,
  seL4_Error,
  seL4_Fault_t,
  seL4_MessageInfo_t,
  seL4_RecvResult,
  seL4_Time,
  seL4_Word,
} from "./sel4.common.js";

export declare const CONFIG_KERNEL_MCS: true;

export declare const seL4_SchedContextObject: number;
export declare const seL4_ReplyObject: number;
export declare const seL4_Fault_Timeout: number;
export declare const seL4_Timeout_Data: number;
export declare const seL4_Timeout_Consumed: number;
export declare const seL4_Timeout_Length: number;
export declare const seL4_MinSchedContextBits: number;
export declare const seL4_CoreSchedContextBytes: number;
export declare const seL4_RefillSizeBytes: number;
export declare const seL4_ReplyBits: number;
export declare const seL4_SchedContext_NoFlag: number;
export declare const seL4_SchedContext_Sporadic: number;
/** Extra refills a scheduling context of 2^bits bytes can hold. */
export declare function seL4_MaxExtraRefills(bits: number): number;

/** Receives on an endpoint or notification; `reply` is the reply object a caller will wait on (MCS). */
export declare function seL4_Recv(src: seL4_CPtr, reply: seL4_CPtr): seL4_RecvResult;
export declare function seL4_NBRecv(src: seL4_CPtr, reply: seL4_CPtr): seL4_RecvResult;
/** Replies through `reply`, then receives on `src` with it. (MCS has no seL4_Reply: send on the reply object.) */
export declare function seL4_ReplyRecv(src: seL4_CPtr, msgInfo: seL4_MessageInfo_t, reply: seL4_CPtr): seL4_RecvResult;
export declare function seL4_NBSendRecv(
  dest: seL4_CPtr,
  msgInfo: seL4_MessageInfo_t,
  src: seL4_CPtr,
  reply: seL4_CPtr,
): seL4_RecvResult;
export declare function seL4_NBSendWait(dest: seL4_CPtr, msgInfo: seL4_MessageInfo_t, src: seL4_CPtr): seL4_RecvResult;
/** Receives without a reply object (a caller that meets it becomes inactive). */
export declare function seL4_Wait(src: seL4_CPtr): seL4_RecvResult;
export declare function seL4_NBWait(src: seL4_CPtr): seL4_RecvResult;

export declare function seL4_TCB_Configure(
  service: seL4_CPtr,
  cspace_root: seL4_CPtr,
  cspace_root_data: seL4_Word,
  vspace_root: seL4_CPtr,
  vspace_root_data: seL4_Word,
  buffer: seL4_Word,
  bufferFrame: seL4_CPtr,
): seL4_Error;
/** fault_ep is a cap in the *caller's* CSpace, copied into the thread (MCS). */
export declare function seL4_TCB_SetSpace(
  service: seL4_CPtr,
  fault_ep: seL4_CPtr,
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
  sched_context: seL4_CPtr,
  fault_ep: seL4_CPtr,
): seL4_Error;
export declare function seL4_TCB_SetTimeoutEndpoint(service: seL4_CPtr, timeout_fault_ep: seL4_CPtr): seL4_Error;

/** Times in µs; budget == period makes a round-robin scheduling context. */
export declare function seL4_SchedControl_Configure(
  service: seL4_CPtr,
  schedcontext: seL4_CPtr,
  budget: seL4_Time,
  period: seL4_Time,
  extra_refills: seL4_Word,
  badge: seL4_Word,
): seL4_Error;
export declare function seL4_SchedControl_ConfigureFlags(
  service: seL4_CPtr,
  schedcontext: seL4_CPtr,
  budget: seL4_Time,
  period: seL4_Time,
  extra_refills: seL4_Word,
  badge: seL4_Word,
  flags: seL4_Word,
): seL4_Error;
export declare function seL4_SchedContext_Bind(service: seL4_CPtr, cap: seL4_CPtr): seL4_Error;
export declare function seL4_SchedContext_Unbind(service: seL4_CPtr): seL4_Error;
export declare function seL4_SchedContext_UnbindObject(service: seL4_CPtr, cap: seL4_CPtr): seL4_Error;
export declare function seL4_SchedContext_Consumed(service: seL4_CPtr): { error: seL4_Error; consumed: number };
export declare function seL4_SchedContext_YieldTo(service: seL4_CPtr): { error: seL4_Error; consumed: number };

export declare function seL4_Fault_Timeout_get_data(fault: seL4_Fault_t): number;
export declare function seL4_Fault_Timeout_get_consumed(fault: seL4_Fault_t): number;
