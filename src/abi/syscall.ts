// The system calls and their numbers (libsel4/include/api/syscall.xml, generated into
// sel4/syscall.h): numbered from -1 downwards in the XML's order, which differs between the
// non-MCS and MCS configurations.
import type { KernelConfig } from "./constants.js";

export type SyscallName =
  | "Call"
  | "ReplyRecv"
  | "Send"
  | "NBSend"
  | "Recv"
  | "Reply"
  | "Yield"
  | "NBRecv"
  | "NBSendRecv"
  | "NBSendWait"
  | "Wait"
  | "NBWait"
  | "DebugPutChar"
  | "DebugDumpScheduler"
  | "DebugHalt"
  | "DebugCapIdentify"
  | "DebugSnapshot"
  | "DebugNameThread";

const SYSCALLS_MASTER: SyscallName[] = [
  "Call",
  "ReplyRecv",
  "Send",
  "NBSend",
  "Recv",
  "Reply",
  "Yield",
  "NBRecv",
  "DebugPutChar",
  "DebugDumpScheduler",
  "DebugHalt",
  "DebugCapIdentify",
  "DebugSnapshot",
  "DebugNameThread",
];
const SYSCALLS_MCS: SyscallName[] = [
  "Call",
  "ReplyRecv",
  "NBSendRecv",
  "NBSendWait",
  "Send",
  "NBSend",
  "Recv",
  "NBRecv",
  "Wait",
  "NBWait",
  "Yield",
  "DebugPutChar",
  "DebugDumpScheduler",
  "DebugHalt",
  "DebugCapIdentify",
  "DebugSnapshot",
  "DebugNameThread",
];
function syscallList(config: KernelConfig): readonly SyscallName[] {
  return config === "mcs" ? SYSCALLS_MCS : SYSCALLS_MASTER;
}
/** seL4_Sys* number of a syscall, or undefined when the configuration lacks it. */
export function syscallNumber(config: KernelConfig, name: SyscallName): number | undefined {
  const i = syscallList(config).indexOf(name);
  return i < 0 ? undefined : -(i + 1);
}
export function syscallName(config: KernelConfig, n: number): SyscallName | undefined {
  if (!Number.isInteger(n) || n >= 0) return undefined;
  return syscallList(config)[-n - 1];
}
