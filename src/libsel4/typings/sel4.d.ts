// The "sel4" module for editors that do not know the configuration: everything from both
// kernels, and both forms of the calls that differ. Builds check against sel4.master.d.ts or
// sel4.mcs.d.ts, which reject the other configuration's calls.
export * from "./sel4.master.js";
export * from "./sel4.mcs.js";
import type * as Master from "./sel4.master.js";
import type * as Mcs from "./sel4.mcs.js";

export declare const CONFIG_KERNEL_MCS: boolean;
export declare const seL4_Recv: typeof Master.seL4_Recv & typeof Mcs.seL4_Recv;
export declare const seL4_NBRecv: typeof Master.seL4_NBRecv & typeof Mcs.seL4_NBRecv;
export declare const seL4_ReplyRecv: typeof Master.seL4_ReplyRecv & typeof Mcs.seL4_ReplyRecv;
export declare const seL4_Wait: typeof Master.seL4_Wait & typeof Mcs.seL4_Wait;
export declare const seL4_TCB_Configure: typeof Master.seL4_TCB_Configure & typeof Mcs.seL4_TCB_Configure;
export declare const seL4_TCB_SetSpace: typeof Master.seL4_TCB_SetSpace & typeof Mcs.seL4_TCB_SetSpace;
export declare const seL4_TCB_SetSchedParams: typeof Master.seL4_TCB_SetSchedParams &
  typeof Mcs.seL4_TCB_SetSchedParams;
