// Invocation labels: the message label that names a method of a kernel object
// (generated from libsel4's interface XML: include/interfaces/object-api.xml,
// sel4_arch_include/x86_64/interfaces/object-api-sel4-arch.xml and the arch one).
import type { KernelConfig } from "./constants.js";

/** Invocation labels (generated from the interface XML; x86_64, no SMP/HW-debug/VT-x/IOMMU: the
 *  conditional methods X86PageDirectoryGetStatusBits, the IOPageTable ones, MapIO, MapEPT and the VCPU/EPT ones are absent). */
export type InvocationLabel =
  | "InvalidInvocation"
  | "UntypedRetype"
  | "TCBReadRegisters"
  | "TCBWriteRegisters"
  | "TCBCopyRegisters"
  | "TCBConfigure"
  | "TCBSetPriority"
  | "TCBSetMCPriority"
  | "TCBSetSchedParams"
  | "TCBSetTimeoutEndpoint"
  | "TCBSetIPCBuffer"
  | "TCBSetSpace"
  | "TCBSuspend"
  | "TCBResume"
  | "TCBBindNotification"
  | "TCBUnbindNotification"
  | "TCBSetTLSBase"
  | "TCBSetFlags"
  | "CNodeRevoke"
  | "CNodeDelete"
  | "CNodeCancelBadgedSends"
  | "CNodeCopy"
  | "CNodeMint"
  | "CNodeMove"
  | "CNodeMutate"
  | "CNodeRotate"
  | "CNodeSaveCaller"
  | "IRQIssueIRQHandler"
  | "IRQAckIRQ"
  | "IRQSetIRQHandler"
  | "IRQClearIRQHandler"
  | "DomainSetSet"
  | "DomainScheduleConfigure"
  | "DomainScheduleSetStart"
  | "SchedControlConfigureFlags"
  | "SchedContextBind"
  | "SchedContextUnbind"
  | "SchedContextUnbindObject"
  | "SchedContextConsumed"
  | "SchedContextYieldTo"
  | "X86PDPTMap"
  | "X86PDPTUnmap"
  | "X86PageDirectoryMap"
  | "X86PageDirectoryUnmap"
  | "X86PageTableMap"
  | "X86PageTableUnmap"
  | "X86PageMap"
  | "X86PageUnmap"
  | "X86PageGetAddress"
  | "X86ASIDControlMakePool"
  | "X86ASIDPoolAssign"
  | "X86IOPortControlIssue"
  | "X86IOPortIn8"
  | "X86IOPortIn16"
  | "X86IOPortIn32"
  | "X86IOPortOut8"
  | "X86IOPortOut16"
  | "X86IOPortOut32"
  | "X86IRQIssueIRQHandlerIOAPIC"
  | "X86IRQIssueIRQHandlerMSI";

const LABELS_COMMON_HEAD: InvocationLabel[] = [
  "InvalidInvocation",
  "UntypedRetype",
  "TCBReadRegisters",
  "TCBWriteRegisters",
  "TCBCopyRegisters",
  "TCBConfigure",
  "TCBSetPriority",
  "TCBSetMCPriority",
  "TCBSetSchedParams",
];
const LABELS_ARCH: InvocationLabel[] = [
  "X86PDPTMap",
  "X86PDPTUnmap",
  "X86PageDirectoryMap",
  "X86PageDirectoryUnmap",
  "X86PageTableMap",
  "X86PageTableUnmap",
  "X86PageMap",
  "X86PageUnmap",
  "X86PageGetAddress",
  "X86ASIDControlMakePool",
  "X86ASIDPoolAssign",
  "X86IOPortControlIssue",
  "X86IOPortIn8",
  "X86IOPortIn16",
  "X86IOPortIn32",
  "X86IOPortOut8",
  "X86IOPortOut16",
  "X86IOPortOut32",
  "X86IRQIssueIRQHandlerIOAPIC",
  "X86IRQIssueIRQHandlerMSI",
];
const LABELS_MASTER: InvocationLabel[] = [
  ...LABELS_COMMON_HEAD,
  "TCBSetIPCBuffer",
  "TCBSetSpace",
  "TCBSuspend",
  "TCBResume",
  "TCBBindNotification",
  "TCBUnbindNotification",
  "TCBSetTLSBase",
  "TCBSetFlags",
  "CNodeRevoke",
  "CNodeDelete",
  "CNodeCancelBadgedSends",
  "CNodeCopy",
  "CNodeMint",
  "CNodeMove",
  "CNodeMutate",
  "CNodeRotate",
  "CNodeSaveCaller",
  "IRQIssueIRQHandler",
  "IRQAckIRQ",
  "IRQSetIRQHandler",
  "IRQClearIRQHandler",
  "DomainSetSet",
  "DomainScheduleConfigure",
  "DomainScheduleSetStart",
  ...LABELS_ARCH,
];
const LABELS_MCS: InvocationLabel[] = [
  ...LABELS_COMMON_HEAD,
  "TCBSetTimeoutEndpoint",
  "TCBSetIPCBuffer",
  "TCBSetSpace",
  "TCBSuspend",
  "TCBResume",
  "TCBBindNotification",
  "TCBUnbindNotification",
  "TCBSetTLSBase",
  "TCBSetFlags",
  "CNodeRevoke",
  "CNodeDelete",
  "CNodeCancelBadgedSends",
  "CNodeCopy",
  "CNodeMint",
  "CNodeMove",
  "CNodeMutate",
  "CNodeRotate",
  "IRQIssueIRQHandler",
  "IRQAckIRQ",
  "IRQSetIRQHandler",
  "IRQClearIRQHandler",
  "DomainSetSet",
  "DomainScheduleConfigure",
  "DomainScheduleSetStart",
  "SchedControlConfigureFlags",
  "SchedContextBind",
  "SchedContextUnbind",
  "SchedContextUnbindObject",
  "SchedContextConsumed",
  "SchedContextYieldTo",
  ...LABELS_ARCH,
];
export function invocationLabels(config: KernelConfig): readonly InvocationLabel[] {
  return config === "mcs" ? LABELS_MCS : LABELS_MASTER;
}
export function invocationLabelNumber(config: KernelConfig, label: InvocationLabel): number | undefined {
  const i = invocationLabels(config).indexOf(label);
  return i < 0 ? undefined : i;
}
