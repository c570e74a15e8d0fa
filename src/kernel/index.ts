// Public face of the kernel model: everything outside src/kernel imports the kernel from here.
// The user/kernel vocabulary (constants, registers, syscalls, labels) is src/abi, shared with libsel4.
export { Kernel, BootInterface, type KernelEvent, type ThreadReport, type ThreadConfig } from "./model/kernel.js";
export { toWord, wordToNumber, messageInfoFromWord, wordFromMessageInfo, type Word, type MessageInfo } from "./api/types.js";
export { ThreadState, THREAD_STATE_NAMES } from "./object/structures.js";
export type { TCB, Cap, CTE, KObject, CNodeObj, EndpointObj, NotificationObj, FrameObj, PagingObj, SchedContextObj,
  UntypedObj, ReplyObj } from "./object/structures.js";
export { formatPointer } from "./kernel/debug.js";
