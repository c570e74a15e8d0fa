// Public face of the kernel model. Everything outside src/kernel imports from here.
export { Kernel, BootInterface, type KernelEvent, type ThreadReport, type ThreadConfig } from "./kernel.js";
export * from "./api/constants.js";
export { toWord, wordToNumber, messageInfoFromWord, wordFromMessageInfo, type Word, type MessageInfo } from "./api/types.js";
export * as registers from "./arch/registers.js";
export { CONTEXT_WORDS } from "./arch/registers.js";
export { ThreadState, THREAD_STATE_NAMES } from "./object/structures.js";
export type { TCB, Cap, CTE, KObject, CNodeObj, EndpointObj, NotificationObj, FrameObj, PagingObj, SchedContextObj,
  UntypedObj, ReplyObj } from "./object/structures.js";
export { formatPointer } from "./kernel/debug.js";
