// The threads program: makes a TCB out of untyped memory, sets it up to run in this program's
// own CSpace and VSpace, points its registers at new_thread and starts it.
import {
  CONFIG_KERNEL_MCS, printf, functionAt, readWord, staticWord, ZF_LOGF_IF, ZF_LOGF_IFERR,
  seL4_DebugDumpScheduler, seL4_Untyped_Retype, seL4_TCB_Configure, seL4_TCB_SetPriority,
  seL4_TCB_ReadRegisters, seL4_TCB_WriteRegisters, seL4_TCB_Resume, seL4_SchedContext_Bind,
  seL4_TCBObject, seL4_TCBBits, seL4_CapNull, seL4_UserContextWords,
  sel4utils_set_instruction_pointer, sel4utils_set_stack_pointer, sel4utils_arch_init_local_context,
  type seL4_Word,
} from "sel4";
import {
  root_cnode, root_vspace, root_tcb, tcb_untyped, tcb_cap_slot, tcb_ipc_frame, tcb_sc,
  thread_ipc_buff_sym, tcb_stack_top,
} from "./cspace_threads";

//@task threads-fault
//@before
// TODO threads-fault: new_thread reads an int through arg2 and calls arg1 as a function. Declare
// a global word holding 42 (data) and a function call_once(arg) that prints "Hello 3 %d", then pass
// call_once as arg1 and data's address as arg2 (further down).
//@completed
/** C: `int data = 42;`. A global lives in the data segment, so it has an address, `&data`. */
const data = staticWord(42);

function call_once(arg: number): void {
  printf("Hello 3 %d\n", arg);
}
//@end

/** The new thread starts here, its three arguments in RDI, RSI and RDX. */
function new_thread(arg1: seL4_Word, arg2: seL4_Word, arg3: seL4_Word): number {
  printf("Hello2: arg1 %p, arg2 %p, arg3 %p\n", arg1, arg2, arg3);
  const func = functionAt(arg1); // void (*func)(int) = arg1;
  func(readWord(arg2)); //          func(*(int *)arg2);
  for (;;);
}

export function main(): number {
  printf("Hello, World!\n");

  seL4_DebugDumpScheduler();

  //@task threads-retype always
  //@before
  // TODO threads-retype: fix the parameters of this invocation, so that it makes a TCB out of
  // tcb_untyped and puts its cap into tcb_cap_slot of our CSpace (root_cnode).
  let result = seL4_Untyped_Retype(seL4_CapNull, seL4_TCBObject, seL4_TCBBits, seL4_CapNull, 0, 0, seL4_CapNull, 1);
  //@completed
  let result = seL4_Untyped_Retype(tcb_untyped, seL4_TCBObject, seL4_TCBBits, root_cnode, 0, 0, tcb_cap_slot, 1);
  //@all
  ZF_LOGF_IF(result, "Failed to retype thread: %d", result);
  seL4_DebugDumpScheduler();
  //@end

  //@task threads-configure always
  //@before
  // TODO threads-configure: fix the parameters of this invocation: the new TCB gets our CSpace and
  // VSpace and the IPC buffer we provide (thread_ipc_buff_sym, in the frame tcb_ipc_frame), and no
  // fault endpoint. (MCS: seL4_TCB_Configure has no fault endpoint argument.)
  if (CONFIG_KERNEL_MCS) {
    result = seL4_TCB_Configure(seL4_CapNull, seL4_CapNull, 0, seL4_CapNull, 0, 0, seL4_CapNull);
  } else {
    result = seL4_TCB_Configure(seL4_CapNull, seL4_CapNull, seL4_CapNull, 0, seL4_CapNull, 0, 0, seL4_CapNull);
  }
  //@completed
  if (CONFIG_KERNEL_MCS) {
    result = seL4_TCB_Configure(tcb_cap_slot, root_cnode, 0, root_vspace, 0, thread_ipc_buff_sym, tcb_ipc_frame);
  } else {
    result = seL4_TCB_Configure(tcb_cap_slot, seL4_CapNull, root_cnode, 0, root_vspace, 0, thread_ipc_buff_sym, tcb_ipc_frame);
  }
  //@all
  ZF_LOGF_IF(result, "Failed to configure thread: %d", result);
  //@end

  //@task threads-priority always
  //@before
  // TODO threads-priority: fix the call to set the priority, using the authority of the current
  // thread (root_tcb), and make the priority 254.
  result = seL4_TCB_SetPriority(tcb_cap_slot, seL4_CapNull, 0);
  //@completed
  result = seL4_TCB_SetPriority(tcb_cap_slot, root_tcb, 254);
  //@all
  ZF_LOGF_IF(result, "Failed to set the priority for the new TCB object.\n");
  seL4_DebugDumpScheduler();
  //@end

  //@task threads-context always
  //@before
  const read = seL4_TCB_ReadRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords);
  const regs = read.regs;
  let error = read.error;
  ZF_LOGF_IFERR(error, "Failed to read the new thread's register set.\n");

  // TODO threads-context: use a valid instruction pointer
  sel4utils_set_instruction_pointer(regs, 0);
  // TODO threads-context: use a valid stack pointer
  sel4utils_set_stack_pointer(regs, 0);
  // TODO threads-context: fix the parameters of this invocation
  error = seL4_TCB_WriteRegisters(seL4_CapNull, 0, 0, 0, regs);
  ZF_LOGF_IFERR(error, "Failed to write the new thread's register set.\n" +
    "\tDid you write the correct number of registers? See arg4.\n");
  seL4_DebugDumpScheduler();
  //@completed
  const read = seL4_TCB_ReadRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords);
  const regs = read.regs;
  let error = read.error;
  ZF_LOGF_IFERR(error, "Failed to read the new thread's register set.\n");

  sel4utils_set_instruction_pointer(regs, new_thread);
  sel4utils_set_stack_pointer(regs, tcb_stack_top);
  error = seL4_TCB_WriteRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords, regs);
  ZF_LOGF_IFERR(error, "Failed to write the new thread's register set.\n" +
    "\tDid you write the correct number of registers? See arg4.\n");
  seL4_DebugDumpScheduler();
  //@end

  //@task threads-context-2 replaces
  const read = seL4_TCB_ReadRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords);
  const regs = read.regs;
  let error = read.error;
  ZF_LOGF_IFERR(error, "Failed to read the new thread's register set.\n");

  sel4utils_arch_init_local_context(new_thread, 1, 2, 3, tcb_stack_top, regs);
  error = seL4_TCB_WriteRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords, regs);
  ZF_LOGF_IFERR(error, "Failed to write the new thread's register set.\n" +
    "\tDid you write the correct number of registers? See arg4.\n");
  //@end

  //@task threads-fault replaces
  //@completed
  const read = seL4_TCB_ReadRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords);
  const regs = read.regs;
  let error = read.error;
  ZF_LOGF_IFERR(error, "Failed to read the new thread's register set.\n");

  sel4utils_arch_init_local_context(new_thread, call_once, data, 3, tcb_stack_top, regs);
  error = seL4_TCB_WriteRegisters(tcb_cap_slot, 0, 0, seL4_UserContextWords, regs);
  ZF_LOGF_IFERR(error, "Failed to write the new thread's register set.\n" +
    "\tDid you write the correct number of registers? See arg4.\n");
  //@end

  //@task threads-resume always
  //@before
  // TODO threads-resume: resume the new thread. (MCS: a thread runs only on a scheduling context:
  // bind tcb_sc to it first, with seL4_SchedContext_Bind.)
  error = seL4_TCB_Resume(seL4_CapNull);
  //@completed
  if (CONFIG_KERNEL_MCS) {
    error = seL4_SchedContext_Bind(tcb_sc, tcb_cap_slot);
    ZF_LOGF_IFERR(error, "Failed to bind a scheduling context to the new thread.\n");
  }
  error = seL4_TCB_Resume(tcb_cap_slot);
  //@all
  ZF_LOGF_IFERR(error, "Failed to start new thread.\n");
  //@end

  for (;;);
}
