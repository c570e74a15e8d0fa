// seL4 constants as libsel4 defines them (x86_64). Numbers that differ between the
// non-MCS ("master") and MCS configurations are given per configuration.
// Sources, all in seL4's libsel4: include/sel4/errors.h, include/sel4/constants.h and
// sel4_arch_include/x86_64/sel4/sel4_arch/constants.h (limits, sizes, fault message registers),
// include/sel4/objecttype.h and its arch variants, arch_include/x86/sel4/arch/shared_types.bf
// (fault labels), mode_include/64/sel4/shared_types.bf (rights).

/** The two kernel configurations: non-MCS ("master") and MCS (CONFIG_KERNEL_MCS). */
export type KernelConfig = "master" | "mcs";
export const KERNEL_CONFIGS: readonly KernelConfig[] = ["master", "mcs"];

/** seL4_Error (libsel4/include/sel4/errors.h). */
export const seL4_NoError = 0;
export const seL4_InvalidArgument = 1;
export const seL4_InvalidCapability = 2;
export const seL4_IllegalOperation = 3;
export const seL4_RangeError = 4;
export const seL4_AlignmentError = 5;
export const seL4_FailedLookup = 6;
export const seL4_TruncatedMessage = 7;
export const seL4_DeleteFirst = 8;
export const seL4_RevokeFirst = 9;
export const seL4_NotEnoughMemory = 10;
export const seL4_NumErrors = 11;

export const ERROR_NAMES = [
  "seL4_NoError",
  "seL4_InvalidArgument",
  "seL4_InvalidCapability",
  "seL4_IllegalOperation",
  "seL4_RangeError",
  "seL4_AlignmentError",
  "seL4_FailedLookup",
  "seL4_TruncatedMessage",
  "seL4_DeleteFirst",
  "seL4_RevokeFirst",
  "seL4_NotEnoughMemory",
] as const;

/** Message limits (constants.h). */
export const seL4_MsgLengthBits = 7;
export const seL4_MsgExtraCapBits = 2;
export const seL4_MsgMaxLength = 120;
export const seL4_MsgMaxExtraCaps = 3;
export const seL4_FastMessageRegisters = 4;
export const seL4_WordBits = 64;
export const seL4_WordSizeBits = 3;
export const seL4_BadgeBits = 64;
export const seL4_GuardBits = 58;
export const seL4_GuardSizeBits = 6;
export const seL4_NilData = 0;
export const seL4_IPCBufferSizeBits = 10;

/** IPC buffer layout, in 64-bit words. */
export const IPCBUF_MSG = 1; // msg[i] is word 1 + i
export const IPCBUF_USERDATA = 121;
export const IPCBUF_CAPS = 122; // caps_or_badges[0..2]
export const IPCBUF_RECEIVE_CNODE = 125;
export const IPCBUF_RECEIVE_INDEX = 126;
export const IPCBUF_RECEIVE_DEPTH = 127;
export const IPCBUF_WORDS = 128;

/** Object sizes (x86_64). */
export const seL4_SlotBits = 5;
export const seL4_TCBBits = 11;
export const seL4_EndpointBits = 4;
export function seL4_NotificationBits(config: KernelConfig): number {
  return config === "mcs" ? 6 : 5;
}
export const seL4_ReplyBits = 5;
export const seL4_MinSchedContextBits = 7;
export const seL4_CoreSchedContextBytes = 128;
export const seL4_RefillSizeBytes = 16;
export const seL4_PageBits = 12;
export const seL4_LargePageBits = 21;
export const seL4_HugePageBits = 30;
export const seL4_PageTableBits = 12;
export const seL4_PageDirBits = 12;
export const seL4_PDPTBits = 12;
export const seL4_PML4Bits = 12;
export const seL4_VSpaceBits = seL4_PML4Bits;
export const seL4_ASIDPoolBits = 12;
export const seL4_MinUntypedBits = 4;
export const seL4_MaxUntypedBits = 47;
export const seL4_UntypedRetypeMaxObjects = 256;

/** Priorities. */
export const seL4_MinPrio = 0;
export const seL4_MaxPrio = 255;
export const seL4_InvalidPrio = -1;

/** Object types (objecttype.h): numbers differ because MCS inserts SchedContext and Reply. */
export type ObjectTypeName =
  | "Untyped"
  | "TCB"
  | "Endpoint"
  | "Notification"
  | "CNode"
  | "SchedContext"
  | "Reply"
  | "PDPT"
  | "PML4"
  | "HugePage"
  | "Frame4K"
  | "LargePage"
  | "PageTable"
  | "PageDirectory";

const OBJECT_TYPES_MASTER: ObjectTypeName[] = [
  "Untyped",
  "TCB",
  "Endpoint",
  "Notification",
  "CNode",
  "PDPT",
  "PML4",
  "HugePage",
  "Frame4K",
  "LargePage",
  "PageTable",
  "PageDirectory",
];
const OBJECT_TYPES_MCS: ObjectTypeName[] = [
  "Untyped",
  "TCB",
  "Endpoint",
  "Notification",
  "CNode",
  "SchedContext",
  "Reply",
  "PDPT",
  "PML4",
  "HugePage",
  "Frame4K",
  "LargePage",
  "PageTable",
  "PageDirectory",
];
export function objectTypeList(config: KernelConfig): readonly ObjectTypeName[] {
  return config === "mcs" ? OBJECT_TYPES_MCS : OBJECT_TYPES_MASTER;
}
export function objectTypeNumber(config: KernelConfig, name: ObjectTypeName): number {
  return objectTypeList(config).indexOf(name);
}
/** libsel4's names of the object-type constants, for the learner-facing module. */
export const OBJECT_TYPE_CONSTANT: Record<ObjectTypeName, string> = {
  Untyped: "seL4_UntypedObject",
  TCB: "seL4_TCBObject",
  Endpoint: "seL4_EndpointObject",
  Notification: "seL4_NotificationObject",
  CNode: "seL4_CapTableObject",
  SchedContext: "seL4_SchedContextObject",
  Reply: "seL4_ReplyObject",
  PDPT: "seL4_X86_PDPTObject",
  PML4: "seL4_X64_PML4Object",
  HugePage: "seL4_X64_HugePageObject",
  Frame4K: "seL4_X86_4K",
  LargePage: "seL4_X86_LargePageObject",
  PageTable: "seL4_X86_PageTableObject",
  PageDirectory: "seL4_X86_PageDirectoryObject",
};

/** Fault labels (shared_types.bf): VMFault moves from 5 to 6 on MCS, where Timeout takes 5. */
export type FaultType = "NullFault" | "CapFault" | "UnknownSyscall" | "UserException" | "Timeout" | "VMFault";
export function faultLabel(config: KernelConfig, fault: FaultType): number {
  switch (fault) {
    case "NullFault":
      return 0;
    case "CapFault":
      return 1;
    case "UnknownSyscall":
      return 2;
    case "UserException":
      return 3;
    case "Timeout":
      if (config !== "mcs") throw new Error("seL4_Fault_Timeout exists only on MCS");
      return 5;
    case "VMFault":
      return config === "mcs" ? 6 : 5;
  }
}

/** Fault message register indices (x86_64). */
export const seL4_CapFault_IP = 0;
export const seL4_CapFault_Addr = 1;
export const seL4_CapFault_InRecvPhase = 2;
export const seL4_CapFault_LookupFailureType = 3;
export const seL4_CapFault_BitsLeft = 4;
export const seL4_CapFault_DepthMismatch_BitsFound = 5;
export const seL4_CapFault_GuardMismatch_GuardFound = 5;
export const seL4_CapFault_GuardMismatch_BitsFound = 6;
export const seL4_VMFault_IP = 0;
export const seL4_VMFault_Addr = 1;
export const seL4_VMFault_PrefetchFault = 2;
export const seL4_VMFault_FSR = 3;
export const seL4_VMFault_Length = 4;
export const seL4_UnknownSyscall_Syscall = 18;
export const seL4_UnknownSyscall_Length = 19;
export const seL4_UserException_FaultIP = 0;
export const seL4_UserException_SP = 1;
export const seL4_UserException_FLAGS = 2;
export const seL4_UserException_Number = 3;
export const seL4_UserException_Code = 4;
export const seL4_UserException_Length = 5;
export const seL4_Timeout_Data = 0;
export const seL4_Timeout_Consumed = 1;
export const seL4_Timeout_Length = 2;

/** Lookup failure kinds as they appear in messages (kernel tag + 1). */
export const seL4_NoFailure = 0;
export const seL4_InvalidRoot = 1;
export const seL4_MissingCapability = 2;
export const seL4_DepthMismatch = 3;
export const seL4_GuardMismatch = 4;

/** Master timer: 2 ms ticks, 5-tick timeslice. */
export const TIMER_TICK_NS = 2_000_000;
export const CONFIG_TIME_SLICE = 5;

/** seL4_CapRights_t bits. */
export const RIGHT_WRITE = 1;
export const RIGHT_READ = 2;
export const RIGHT_GRANT = 4;
export const RIGHT_GRANT_REPLY = 8;
export const seL4_AllRights = 0xf;
export const seL4_ReadWrite = 0x3;
export const seL4_CanRead = 0x2;
export const seL4_CanWrite = 0x1;
export const seL4_CanGrant = 0x4;
export const seL4_CanGrantReply = 0x8;
export const seL4_NoWrite = 0xe;
export const seL4_NoRead = 0xd;
export const seL4_NoRights = 0x0;
