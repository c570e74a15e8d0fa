// The part of the "sel4" module that is the same on the master and MCS kernels.
// sel4.master.d.ts and sel4.mcs.d.ts add what differs; sel4.d.ts has both (for editors).
// Names, argument order and meaning follow libsel4; C out-parameters are fields of the result.

/** A machine word argument. Numbers beyond 2^53 can be passed as bigint; results are numbers. */
export type seL4_Word = number | bigint;
export type seL4_CPtr = seL4_Word;
export type seL4_Uint8 = seL4_Word;
export type seL4_Time = seL4_Word;
export type seL4_Bool = seL4_Word | boolean;
/** A seL4_CapRights_t word (seL4_AllRights, seL4_CapRights_new(...), ...). */
export type seL4_CapRights_t = seL4_Word;
/** The seL4_Error number an invocation returns (0 = seL4_NoError). */
export type seL4_Error = number;

/** One message-info word: build it with seL4_MessageInfo_new, read it with the _get_ accessors. */
export interface seL4_MessageInfo_t {
  readonly __seL4_MessageInfo_t: never;
}
/** A decoded fault message (seL4_getFault). */
export interface seL4_Fault_t {
  readonly __seL4_Fault_t: never;
}

/** x86_64 seL4_UserContext, in the kernel's order. */
export interface seL4_UserContext {
  rip: number;
  rsp: number;
  rflags: number;
  rax: number;
  rbx: number;
  rcx: number;
  rdx: number;
  rsi: number;
  rdi: number;
  rbp: number;
  r8: number;
  r9: number;
  r10: number;
  r11: number;
  r12: number;
  r13: number;
  r14: number;
  r15: number;
  fs_base: number;
  gs_base: number;
}
/** Registers to write: missing fields are written as 0. */
export type seL4_UserContextInput = { [K in keyof seL4_UserContext]?: seL4_Word };

export interface seL4_RecvResult {
  info: seL4_MessageInfo_t;
  badge: number;
}

// ---- errors (errors.h) ----
export declare const seL4_NoError: number;
export declare const seL4_InvalidArgument: number;
export declare const seL4_InvalidCapability: number;
export declare const seL4_IllegalOperation: number;
export declare const seL4_RangeError: number;
export declare const seL4_AlignmentError: number;
export declare const seL4_FailedLookup: number;
export declare const seL4_TruncatedMessage: number;
export declare const seL4_DeleteFirst: number;
export declare const seL4_RevokeFirst: number;
export declare const seL4_NotEnoughMemory: number;
export declare const seL4_NumErrors: number;

// ---- sizes and limits (constants.h) ----
export declare const seL4_MsgLengthBits: number;
export declare const seL4_MsgExtraCapBits: number;
export declare const seL4_MsgMaxLength: number;
export declare const seL4_MsgMaxExtraCaps: number;
export declare const seL4_FastMessageRegisters: number;
export declare const seL4_WordBits: number;
export declare const seL4_WordSizeBits: number;
export declare const seL4_BadgeBits: number;
export declare const seL4_GuardBits: number;
export declare const seL4_GuardSizeBits: number;
export declare const seL4_NilData: number;
export declare const seL4_IPCBufferSizeBits: number;
export declare const seL4_SlotBits: number;
export declare const seL4_TCBBits: number;
export declare const seL4_EndpointBits: number;
export declare const seL4_NotificationBits: number;
export declare const seL4_PageBits: number;
export declare const seL4_LargePageBits: number;
export declare const seL4_HugePageBits: number;
export declare const seL4_PageTableBits: number;
export declare const seL4_PageDirBits: number;
export declare const seL4_PDPTBits: number;
export declare const seL4_PML4Bits: number;
export declare const seL4_VSpaceBits: number;
export declare const seL4_ASIDPoolBits: number;
export declare const seL4_MinUntypedBits: number;
export declare const seL4_MaxUntypedBits: number;
export declare const seL4_UntypedRetypeMaxObjects: number;
export declare const seL4_MinPrio: number;
export declare const seL4_MaxPrio: number;
export declare const seL4_InvalidPrio: number;
export declare const seL4_UserContextWords: number;

// ---- object types (objecttype.h; the numbers differ between configurations) ----
export declare const seL4_UntypedObject: number;
export declare const seL4_TCBObject: number;
export declare const seL4_EndpointObject: number;
export declare const seL4_NotificationObject: number;
export declare const seL4_CapTableObject: number;
export declare const seL4_X86_PDPTObject: number;
export declare const seL4_X64_PML4Object: number;
export declare const seL4_X64_HugePageObject: number;
export declare const seL4_X86_4K: number;
export declare const seL4_X86_LargePageObject: number;
export declare const seL4_X86_PageTableObject: number;
export declare const seL4_X86_PageDirectoryObject: number;
export declare const seL4_NonArchObjectTypeCount: number;
export declare const seL4_ObjectTypeCount: number;

// ---- rights, mapping attributes ----
export declare const seL4_AllRights: number;
export declare const seL4_ReadWrite: number;
export declare const seL4_CanRead: number;
export declare const seL4_CanWrite: number;
export declare const seL4_CanGrant: number;
export declare const seL4_CanGrantReply: number;
export declare const seL4_NoWrite: number;
export declare const seL4_NoRead: number;
export declare const seL4_NoRights: number;
export declare const seL4_X86_Default_VMAttributes: number;
export declare const seL4_ARCH_Default_VMAttributes: number;

// ---- initial caps of the root task (bootinfo_types.h) ----
export declare const seL4_CapNull: number;
export declare const seL4_CapInitThreadTCB: number;
export declare const seL4_CapInitThreadCNode: number;
export declare const seL4_CapInitThreadVSpace: number;
export declare const seL4_CapInitThreadPD: number;
export declare const seL4_CapIRQControl: number;
export declare const seL4_CapASIDControl: number;
export declare const seL4_CapInitThreadASIDPool: number;
export declare const seL4_CapIOPortControl: number;
export declare const seL4_CapIOSpace: number;
export declare const seL4_CapBootInfoFrame: number;
export declare const seL4_CapInitThreadIPCBuffer: number;
export declare const seL4_CapDomain: number;
export declare const seL4_CapSMMUSIDControl: number;
export declare const seL4_CapSMMUCBControl: number;
export declare const seL4_CapInitThreadSC: number;
export declare const seL4_CapSMC: number;
export declare const seL4_NumInitialCaps: number;

// ---- boot info of the root task (bootinfo_types.h) ----
/** CNode slots [start, end): `end` is the first slot after the region. */
export interface seL4_SlotRegion {
  start: number;
  end: number;
}
/** One untyped of seL4_BootInfo.untypedList: 2^sizeBits bytes at paddr (isDevice: device memory, for frames only). */
export interface seL4_UntypedDesc {
  paddr: number;
  sizeBits: number;
  isDevice: boolean;
}
/** What the kernel tells the root task at boot; regions are slots of its root CNode (seL4_CapInitThreadCNode). */
export interface seL4_BootInfo {
  extraLen: number;
  nodeID: number;
  numNodes: number;
  numIOPTLevels: number;
  /** Address of the root task's IPC buffer. */
  ipcBuffer: number;
  /** Empty slots, free for the root task to use. */
  empty: seL4_SlotRegion;
  sharedFrames: seL4_SlotRegion;
  /** Caps to the frames of the root task's own image. */
  userImageFrames: seL4_SlotRegion;
  /** Caps to the paging structures that map the image. */
  userImagePaging: seL4_SlotRegion;
  ioSpaceCaps: seL4_SlotRegion;
  extraBIPages: seL4_SlotRegion;
  /** The root CNode has 2^initThreadCNodeSizeBits slots. */
  initThreadCNodeSizeBits: number;
  initThreadDomain: number;
  /** MCS only: the SchedControl caps, one per core. */
  schedcontrol?: seL4_SlotRegion;
  /** Untyped caps; untypedList[i] describes slot untyped.start + i. */
  untyped: seL4_SlotRegion;
  untypedList: seL4_UntypedDesc[];
}
/** The boot info the kernel handed the root task (libsel4platsupport). Every call returns the same object. */
export declare function platsupport_get_bootinfo(): seL4_BootInfo;
/** libsel4tutorials: the next slot of info.empty (info.empty.start moves on). */
export declare function alloc_slot(info: seL4_BootInfo): seL4_CPtr;
/**
 * libsel4tutorials: an object of `type` in a fresh slot, retyped from the first RAM untyped with
 * room; `size_bits` only for sized objects (CNodes, untypeds, scheduling contexts).
 */
export declare function alloc_object(info: seL4_BootInfo, type: seL4_Word, size_bits?: seL4_Word): seL4_CPtr;

// ---- faults: labels, message registers, lookup failures ----
export declare const seL4_Fault_NullFault: number;
export declare const seL4_Fault_CapFault: number;
export declare const seL4_Fault_UnknownSyscall: number;
export declare const seL4_Fault_UserException: number;
export declare const seL4_Fault_VMFault: number;
export declare const seL4_CapFault_IP: number;
export declare const seL4_CapFault_Addr: number;
export declare const seL4_CapFault_InRecvPhase: number;
export declare const seL4_CapFault_LookupFailureType: number;
export declare const seL4_CapFault_BitsLeft: number;
export declare const seL4_CapFault_DepthMismatch_BitsFound: number;
export declare const seL4_CapFault_GuardMismatch_GuardFound: number;
export declare const seL4_CapFault_GuardMismatch_BitsFound: number;
export declare const seL4_VMFault_IP: number;
export declare const seL4_VMFault_Addr: number;
export declare const seL4_VMFault_PrefetchFault: number;
export declare const seL4_VMFault_FSR: number;
export declare const seL4_VMFault_Length: number;
export declare const seL4_UnknownSyscall_RAX: number;
export declare const seL4_UnknownSyscall_RBX: number;
export declare const seL4_UnknownSyscall_RCX: number;
export declare const seL4_UnknownSyscall_RDX: number;
export declare const seL4_UnknownSyscall_RSI: number;
export declare const seL4_UnknownSyscall_RDI: number;
export declare const seL4_UnknownSyscall_RBP: number;
export declare const seL4_UnknownSyscall_R8: number;
export declare const seL4_UnknownSyscall_R9: number;
export declare const seL4_UnknownSyscall_R10: number;
export declare const seL4_UnknownSyscall_R11: number;
export declare const seL4_UnknownSyscall_R12: number;
export declare const seL4_UnknownSyscall_R13: number;
export declare const seL4_UnknownSyscall_R14: number;
export declare const seL4_UnknownSyscall_R15: number;
export declare const seL4_UnknownSyscall_FaultIP: number;
export declare const seL4_UnknownSyscall_RSP: number;
export declare const seL4_UnknownSyscall_FLAGS: number;
export declare const seL4_UnknownSyscall_Syscall: number;
export declare const seL4_UnknownSyscall_Length: number;
export declare const seL4_UserException_FaultIP: number;
export declare const seL4_UserException_SP: number;
export declare const seL4_UserException_FLAGS: number;
export declare const seL4_UserException_Number: number;
export declare const seL4_UserException_Code: number;
export declare const seL4_UserException_Length: number;
export declare const seL4_NoFailure: number;
export declare const seL4_InvalidRoot: number;
export declare const seL4_MissingCapability: number;
export declare const seL4_DepthMismatch: number;
export declare const seL4_GuardMismatch: number;

// ---- message info, rights and cap data words ----
export declare function seL4_MessageInfo_new(
  label: seL4_Word,
  capsUnwrapped: seL4_Word,
  extraCaps: seL4_Word,
  length: seL4_Word,
): seL4_MessageInfo_t;
export declare function seL4_MessageInfo_get_label(info: seL4_MessageInfo_t): number;
export declare function seL4_MessageInfo_get_capsUnwrapped(info: seL4_MessageInfo_t): number;
export declare function seL4_MessageInfo_get_extraCaps(info: seL4_MessageInfo_t): number;
export declare function seL4_MessageInfo_get_length(info: seL4_MessageInfo_t): number;
export declare function seL4_MessageInfo_set_label(info: seL4_MessageInfo_t, v: seL4_Word): seL4_MessageInfo_t;
export declare function seL4_MessageInfo_set_capsUnwrapped(info: seL4_MessageInfo_t, v: seL4_Word): seL4_MessageInfo_t;
export declare function seL4_MessageInfo_set_extraCaps(info: seL4_MessageInfo_t, v: seL4_Word): seL4_MessageInfo_t;
export declare function seL4_MessageInfo_set_length(info: seL4_MessageInfo_t, v: seL4_Word): seL4_MessageInfo_t;
export declare function seL4_CapRights_new(
  grantReply: seL4_Word,
  grant: seL4_Word,
  read: seL4_Word,
  write: seL4_Word,
): number;
export declare function seL4_CNode_CapData_new(guard: seL4_Word, guardSize: seL4_Word): number;
/** 2^n. */
export declare function BIT(n: number): number;

// ---- the IPC buffer (no kernel entry) ----
export declare function seL4_GetMR(i: number): number;
export declare function seL4_SetMR(i: number, mr: seL4_Word): void;
export declare function seL4_GetUserData(): number;
export declare function seL4_SetUserData(data: seL4_Word): void;
export declare function seL4_GetBadge(i: number): number;
export declare function seL4_GetCap(i: number): number;
export declare function seL4_SetCap(i: number, cptr: seL4_CPtr): void;
export declare function seL4_GetCapReceivePath(): { receiveCNode: number; receiveIndex: number; receiveDepth: number };
export declare function seL4_SetCapReceivePath(
  receiveCNode: seL4_CPtr,
  receiveIndex: seL4_CPtr,
  receiveDepth: seL4_Word,
): void;
/**
 * After a FailedLookup from a map call: how many address bits were left to translate where the walk
 * stopped (MR2), i.e. which paging structure is missing: one of the SEL4_MAPPING_LOOKUP_NO_* values.
 */
export declare function seL4_MappingFailedLookupLevel(): number;
/** seL4_MappingFailedLookupLevel() when the page table is missing (21), the page directory (30), the PDPT (39). */
export declare const SEL4_MAPPING_LOOKUP_NO_PT: number;
export declare const SEL4_MAPPING_LOOKUP_NO_PD: number;
export declare const SEL4_MAPPING_LOOKUP_NO_PDPT: number;

// ---- system calls that are the same on both kernels ----
export declare function seL4_Send(dest: seL4_CPtr, msgInfo: seL4_MessageInfo_t): void;
export declare function seL4_NBSend(dest: seL4_CPtr, msgInfo: seL4_MessageInfo_t): void;
export declare function seL4_Call(dest: seL4_CPtr, msgInfo: seL4_MessageInfo_t): seL4_MessageInfo_t;
export declare function seL4_Yield(): void;
export declare function seL4_Signal(dest: seL4_CPtr): void;
export declare function seL4_Poll(src: seL4_CPtr): seL4_RecvResult;

// ---- object invocations ----
export declare function seL4_Untyped_Retype(
  service: seL4_CPtr,
  type: seL4_Word,
  size_bits: seL4_Word,
  root: seL4_CPtr,
  node_index: seL4_Word,
  node_depth: seL4_Word,
  node_offset: seL4_Word,
  num_objects: seL4_Word,
): seL4_Error;
export declare function seL4_CNode_Revoke(service: seL4_CPtr, index: seL4_CPtr, depth: seL4_Uint8): seL4_Error;
export declare function seL4_CNode_Delete(service: seL4_CPtr, index: seL4_CPtr, depth: seL4_Uint8): seL4_Error;
export declare function seL4_CNode_CancelBadgedSends(
  service: seL4_CPtr,
  index: seL4_CPtr,
  depth: seL4_Uint8,
): seL4_Error;
export declare function seL4_CNode_Copy(
  service: seL4_CPtr,
  dest_index: seL4_CPtr,
  dest_depth: seL4_Uint8,
  src_root: seL4_CPtr,
  src_index: seL4_CPtr,
  src_depth: seL4_Uint8,
  rights: seL4_CapRights_t,
): seL4_Error;
export declare function seL4_CNode_Mint(
  service: seL4_CPtr,
  dest_index: seL4_CPtr,
  dest_depth: seL4_Uint8,
  src_root: seL4_CPtr,
  src_index: seL4_CPtr,
  src_depth: seL4_Uint8,
  rights: seL4_CapRights_t,
  badge: seL4_Word,
): seL4_Error;
export declare function seL4_CNode_Move(
  service: seL4_CPtr,
  dest_index: seL4_CPtr,
  dest_depth: seL4_Uint8,
  src_root: seL4_CPtr,
  src_index: seL4_CPtr,
  src_depth: seL4_Uint8,
): seL4_Error;
export declare function seL4_CNode_Mutate(
  service: seL4_CPtr,
  dest_index: seL4_CPtr,
  dest_depth: seL4_Uint8,
  src_root: seL4_CPtr,
  src_index: seL4_CPtr,
  src_depth: seL4_Uint8,
  badge: seL4_Word,
): seL4_Error;
export declare function seL4_CNode_Rotate(
  service: seL4_CPtr,
  dest_index: seL4_CPtr,
  dest_depth: seL4_Uint8,
  dest_badge: seL4_Word,
  pivot_root: seL4_CPtr,
  pivot_index: seL4_CPtr,
  pivot_depth: seL4_Uint8,
  pivot_badge: seL4_Word,
  src_root: seL4_CPtr,
  src_index: seL4_CPtr,
  src_depth: seL4_Uint8,
): seL4_Error;
export declare function seL4_TCB_SetPriority(service: seL4_CPtr, authority: seL4_CPtr, priority: seL4_Word): seL4_Error;
export declare function seL4_TCB_SetMCPriority(service: seL4_CPtr, authority: seL4_CPtr, mcp: seL4_Word): seL4_Error;
export declare function seL4_TCB_SetIPCBuffer(
  service: seL4_CPtr,
  buffer: seL4_Word,
  bufferFrame: seL4_CPtr,
): seL4_Error;
export declare function seL4_TCB_Resume(service: seL4_CPtr): seL4_Error;
export declare function seL4_TCB_Suspend(service: seL4_CPtr): seL4_Error;
export declare function seL4_TCB_BindNotification(service: seL4_CPtr, notification: seL4_CPtr): seL4_Error;
export declare function seL4_TCB_UnbindNotification(service: seL4_CPtr): seL4_Error;
export declare function seL4_TCB_SetTLSBase(service: seL4_CPtr, tls_base: seL4_Word): seL4_Error;
export declare function seL4_TCB_SetFlags(
  service: seL4_CPtr,
  clear: seL4_Word,
  set: seL4_Word,
): { error: seL4_Error; flags: number };
export declare function seL4_TCB_ReadRegisters(
  service: seL4_CPtr,
  suspend_source: seL4_Bool,
  arch_flags: seL4_Uint8,
  count: seL4_Word,
): { error: seL4_Error; regs: seL4_UserContext };
export declare function seL4_TCB_WriteRegisters(
  service: seL4_CPtr,
  resume_target: seL4_Bool,
  arch_flags: seL4_Uint8,
  count: seL4_Word,
  regs: seL4_UserContextInput,
): seL4_Error;
export declare function seL4_TCB_CopyRegisters(
  service: seL4_CPtr,
  source: seL4_CPtr,
  suspend_source: seL4_Bool,
  resume_target: seL4_Bool,
  transfer_frame: seL4_Bool,
  transfer_integer: seL4_Bool,
  arch_flags: seL4_Uint8,
): seL4_Error;
export declare function seL4_IRQControl_Get(
  service: seL4_CPtr,
  irq: seL4_Word,
  root: seL4_CPtr,
  index: seL4_Word,
  depth: seL4_Uint8,
): seL4_Error;
/** x86: an IRQ handler for IOAPIC `ioapic`'s `pin`; the kernel's IRQ is `vector` + 16 (irq_user_min), delivered at CPU vector IRQ + 32. */
export declare function seL4_IRQControl_GetIOAPIC(
  service: seL4_CPtr,
  root: seL4_CPtr,
  index: seL4_Word,
  depth: seL4_Uint8,
  ioapic: seL4_Word,
  pin: seL4_Word,
  level: seL4_Word,
  polarity: seL4_Word,
  vector: seL4_Word,
): seL4_Error;
/** x86: an IRQ handler for the MSI a PCI function sends; the kernel's IRQ is `vector` + 16 (irq_user_min). */
export declare function seL4_IRQControl_GetMSI(
  service: seL4_CPtr,
  root: seL4_CPtr,
  index: seL4_Word,
  depth: seL4_Uint8,
  pci_bus: seL4_Word,
  pci_dev: seL4_Word,
  pci_func: seL4_Word,
  handle: seL4_Word,
  vector: seL4_Word,
): seL4_Error;
export declare function seL4_IRQHandler_Ack(service: seL4_CPtr): seL4_Error;
export declare function seL4_IRQHandler_SetNotification(service: seL4_CPtr, notification: seL4_CPtr): seL4_Error;
export declare function seL4_IRQHandler_Clear(service: seL4_CPtr): seL4_Error;
export declare function seL4_DomainSet_Set(service: seL4_CPtr, domain: seL4_Uint8, thread: seL4_CPtr): seL4_Error;
export declare function seL4_X86_PDPT_Map(
  service: seL4_CPtr,
  pml4: seL4_CPtr,
  vaddr: seL4_Word,
  attr: seL4_Word,
): seL4_Error;
export declare function seL4_X86_PDPT_Unmap(service: seL4_CPtr): seL4_Error;
export declare function seL4_X86_PageDirectory_Map(
  service: seL4_CPtr,
  vspace: seL4_CPtr,
  vaddr: seL4_Word,
  attr: seL4_Word,
): seL4_Error;
export declare function seL4_X86_PageDirectory_Unmap(service: seL4_CPtr): seL4_Error;
export declare function seL4_X86_PageTable_Map(
  service: seL4_CPtr,
  vspace: seL4_CPtr,
  vaddr: seL4_Word,
  attr: seL4_Word,
): seL4_Error;
export declare function seL4_X86_PageTable_Unmap(service: seL4_CPtr): seL4_Error;
export declare function seL4_X86_Page_Map(
  service: seL4_CPtr,
  vspace: seL4_CPtr,
  vaddr: seL4_Word,
  rights: seL4_CapRights_t,
  attr: seL4_Word,
): seL4_Error;
export declare function seL4_X86_Page_Unmap(service: seL4_CPtr): seL4_Error;
export declare function seL4_X86_Page_GetAddress(service: seL4_CPtr): { error: seL4_Error; paddr: number };
export declare function seL4_X86_ASIDControl_MakePool(
  service: seL4_CPtr,
  untyped: seL4_CPtr,
  root: seL4_CPtr,
  index: seL4_Word,
  depth: seL4_Uint8,
): seL4_Error;
export declare function seL4_X86_ASIDPool_Assign(service: seL4_CPtr, vspace: seL4_CPtr): seL4_Error;
export declare const seL4_ARCH_Page_Map: typeof seL4_X86_Page_Map;
export declare const seL4_ARCH_Page_Unmap: typeof seL4_X86_Page_Unmap;
export declare const seL4_ARCH_Page_GetAddress: typeof seL4_X86_Page_GetAddress;
export declare const seL4_ARCH_PageTable_Map: typeof seL4_X86_PageTable_Map;
export declare const seL4_ARCH_PageTable_Unmap: typeof seL4_X86_PageTable_Unmap;
export declare const seL4_ARCH_ASIDPool_Assign: typeof seL4_X86_ASIDPool_Assign;

// ---- sel4utils: filling in a register set to start a thread ----
/** A top-level function of your program (`function f(...) {...}`), or an address. */
export type seL4_FunctionPointer = ((...args: number[]) => unknown) | seL4_Word;
export declare function sel4utils_set_instruction_pointer(regs: seL4_UserContext, value: seL4_FunctionPointer): void;
export declare function sel4utils_set_stack_pointer(regs: seL4_UserContext, value: seL4_Word): void;
/**
 * rip = entry_point, rdi/rsi/rdx = arg0..arg2 (functions become their addresses), rsp = stack_top - 8
 * (as if a call had pushed a return address). stack_top must be 16-byte aligned: otherwise it logs an
 * error, changes nothing and returns -1; 0 on success.
 */
export declare function sel4utils_arch_init_local_context(
  entry_point: seL4_FunctionPointer,
  arg0: seL4_FunctionPointer,
  arg1: seL4_FunctionPointer,
  arg2: seL4_FunctionPointer,
  stack_top: seL4_Word,
  context: seL4_UserContext,
): number;

// ---- fault messages ----
/** Reads the fault message just received (label = fault type, MRs = its fields). */
export declare function seL4_getFault(tag: seL4_MessageInfo_t): seL4_Fault_t;
export declare const seL4_getArchFault: typeof seL4_getFault;
export declare function seL4_Fault_get_seL4_FaultType(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_IP(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_Addr(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_InRecvPhase(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_LookupFailureType(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_MR4(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_MR5(fault: seL4_Fault_t): number;
export declare function seL4_Fault_CapFault_get_MR6(fault: seL4_Fault_t): number;
export declare function seL4_Fault_VMFault_get_IP(fault: seL4_Fault_t): number;
export declare function seL4_Fault_VMFault_get_Addr(fault: seL4_Fault_t): number;
export declare function seL4_Fault_VMFault_get_PrefetchFault(fault: seL4_Fault_t): number;
export declare function seL4_Fault_VMFault_get_FSR(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UserException_get_FaultIP(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UserException_get_Stack(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UserException_get_FLAGS(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UserException_get_Number(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UserException_get_Code(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RAX(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RBX(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RCX(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RDX(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RSI(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RDI(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RBP(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R8(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R9(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R10(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R11(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R12(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R13(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R14(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_R15(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_FaultIP(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_RSP(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_FLAGS(fault: seL4_Fault_t): number;
export declare function seL4_Fault_UnknownSyscall_get_Syscall(fault: seL4_Fault_t): number;

// ---- debug kernel calls ----
export declare function seL4_DebugPutChar(c: seL4_Word | string): void;
export declare function seL4_DebugHalt(): void;
export declare function seL4_DebugDumpScheduler(): void;
export declare function seL4_DebugNameThread(tcb: seL4_CPtr, name: string): void;
export declare function seL4_DebugCapIdentify(cap: seL4_CPtr): number;

// ---- libutils' time units (utils/time.h) ----
export declare const NS_IN_US: number;
export declare const NS_IN_MS: number;
export declare const NS_IN_S: number;
export declare const US_IN_MS: number;
export declare const US_IN_S: number;
export declare const MS_IN_S: number;

// ---- C library: printf, logging, assert ----
/** C printf: %d %i %u %ld %lu %lx %llx %x %X %o %p %s %c %%, flags - 0 + space #, width, precision. */
export declare function printf(format: string, ...args: (seL4_Word | string | boolean)[]): number;
/** Prints `<func>@<file>:<line> <message>`, then aborts. */
export declare function ZF_LOGF(format: string, ...args: (seL4_Word | string | boolean)[]): never;
/** If cond holds: prints `<func>@<file>:<line> [Cond failed: <cond>]`, a newline, a tab, the message; then aborts. */
export declare function ZF_LOGF_IF(cond: unknown, format: string, ...args: (seL4_Word | string | boolean)[]): void;
/** If err is not seL4_NoError: prints `<func>@<file>:<line> [Err <error name>]:`, then the message; then aborts. */
export declare function ZF_LOGF_IFERR(err: seL4_Error, format: string, ...args: (seL4_Word | string | boolean)[]): void;
/** musl's assert: `Assertion failed: <expr> (<file>: <func>: <line>)`, then abort. */
export declare function assert(cond: unknown): void;
/** Ends this thread for good (the tutorials' libc would spin forever instead). */
export declare function abort(): never;

// ---- machine primitives (what C writes as a pointer access or inline assembly) ----
/** `*(seL4_Word *)vaddr`: a load through this thread's VSpace; an unmapped page is a VM fault. */
export declare function readWord(vaddr: seL4_Word): number;
/** `*(seL4_Word *)vaddr = value`. */
export declare function writeWord(vaddr: seL4_Word, value: seL4_Word): void;
/** General registers for rawSyscall: set before the trap, all of them filled in after it. */
export interface RawSyscallRegisters {
  rax?: seL4_Word;
  rbx?: seL4_Word;
  rcx?: seL4_Word;
  rsi?: seL4_Word;
  rdi?: seL4_Word;
  rbp?: seL4_Word;
  r8?: seL4_Word;
  r9?: seL4_Word;
  r10?: seL4_Word;
  r11?: seL4_Word;
  r12?: seL4_Word;
  r13?: seL4_Word;
  r14?: seL4_Word;
  r15?: seL4_Word;
}
/**
 * The `syscall` instruction with any number in RDX (unknown numbers raise an UnknownSyscall fault,
 * whose message carries these registers); returns RAX. `registers`, if given, sets registers first
 * and afterwards holds every register's value as the kernel (or a fault handler's reply) left it.
 */
export declare function rawSyscall(number: seL4_Word, registers?: RawSyscallRegisters): number;
/** The `ud2` instruction: a UserException fault (vector 6). Returns only if a handler moves the thread past it. */
export declare function ud2(): void;
/**
 * A C function pointer, to call: the top-level function whose address this is. At any other address
 * there is no code of the program, so calling it faults as the CPU's fetch there would (a VM fault
 * where nothing is mapped), after the call's arguments have been evaluated.
 */
export declare function functionAt(address: seL4_Word): (...args: number[]) => unknown;
/**
 * `seL4_Word data = initial;` at file scope: a global word in the program's data segment, and its
 * address (what C writes `&data`). readWord and writeWord reach it from any thread of the same
 * VSpace. Call it only in a file's top-level code, as C declares globals outside functions.
 */
export declare function staticWord(initial?: seL4_Word): number;
