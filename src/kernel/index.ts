// Public face of the kernel model: everything outside src/kernel imports the kernel from here.
// The user/kernel vocabulary (constants, registers, syscalls, labels) is src/abi, shared with libsel4.
export { Kernel, BootInterface, type KernelEvent } from "./model/kernel.js";
export { toWord, wordFromMessageInfo } from "./api/types.js";
export { ThreadState } from "./object/structures.js";
export type {
  TCB,
  Cap,
  KObject,
  CNodeObj,
  FrameObj,
  PagingObj,
  SchedContextObj,
  UntypedObj,
} from "./object/structures.js";
export type {
  TraceCap,
  TraceEvent,
  TraceEventBody,
  TraceHandler,
  TraceSink,
  TraceSlot,
  TraceUndelivery,
} from "./api/trace.js";
export type { LookupFailure } from "./api/failures.js";
export { type RootServer, CONFIG_ROOT_CNODE_SIZE_BITS, InitialSlot, seL4_NumInitialCaps } from "./kernel/boot.js";
export { PC99_PHYS_MEMORY_BYTES, USER_STACK_TOP } from "./arch/pc99.js";
