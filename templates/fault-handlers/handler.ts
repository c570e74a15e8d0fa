// The handler: gives the faulter a badged fault endpoint, waits for its fault, repairs the
// faulting slot and lets the faulter run again.
import {
  CONFIG_KERNEL_MCS, printf, ZF_LOGF_IF,
  seL4_Recv, seL4_Reply, seL4_Send, seL4_GetMR, seL4_MessageInfo_new,
  seL4_CNode_Mint, seL4_CNode_Copy, seL4_TCB_SetSpace,
  seL4_WordBits, seL4_AllRights, seL4_CapFault_Addr,
} from "sel4";
import {
  sequencing_ep_cap, faulter_fault_ep_cap, handler_cspace_root, badged_faulter_fault_ep_cap,
  faulter_tcb_cap, faulter_vspace_root, faulter_cspace_root, reply,
} from "./cspace_handler";

const PROGNAME = "Handler: ";
/** The kernel hands this badge to us with every fault message from the faulter. */
const FAULTER_BADGE_VALUE = 0xbeef;

export function main(): number {
  printf(PROGNAME + "Handler thread running!\n");
  printf(PROGNAME + "About to wait for empty slot from faulter.\n");
  // The faulter sends the CPtr of a free slot in its own CSpace, then waits for our reply.
  if (CONFIG_KERNEL_MCS) {
    seL4_Recv(sequencing_ep_cap, reply);
  } else {
    seL4_Recv(sequencing_ep_cap);
  }
  const foreign_badged_faulter_empty_slot_cap = seL4_GetMR(0);
  printf(PROGNAME + "Received init sequence msg: slot in faulter's cspace is %lu.\n",
    foreign_badged_faulter_empty_slot_cap);

  let error = 0;
  //@task fault-badge
  //@before
  // TODO fault-badge: mint a copy of faulter_fault_ep_cap into badged_faulter_fault_ep_cap,
  // badged with FAULTER_BADGE_VALUE. The source slot below is only a placeholder.
  error = seL4_CNode_Mint(
    handler_cspace_root, badged_faulter_fault_ep_cap, seL4_WordBits,
    handler_cspace_root, -1, seL4_WordBits,
    seL4_AllRights, FAULTER_BADGE_VALUE);
  //@completed
  error = seL4_CNode_Mint(
    handler_cspace_root, badged_faulter_fault_ep_cap, seL4_WordBits,
    handler_cspace_root, faulter_fault_ep_cap, seL4_WordBits,
    seL4_AllRights, FAULTER_BADGE_VALUE);
  //@all
  ZF_LOGF_IF(error !== 0, PROGNAME + "Failed to mint ep cap with badge!");
  printf(PROGNAME + "Successfully minted fault handling ep into local cspace.\n");

  // A master kernel looks the fault endpoint up in the faulter's CSpace, so put a copy there.
  error = seL4_CNode_Copy(
    faulter_cspace_root, foreign_badged_faulter_empty_slot_cap, seL4_WordBits,
    handler_cspace_root, badged_faulter_fault_ep_cap, seL4_WordBits,
    seL4_AllRights);
  ZF_LOGF_IF(error !== 0, PROGNAME + "Failed to copy badged ep cap into faulter's cspace!");
  printf(PROGNAME + "Successfully copied badged fault handling ep into faulter's cspace.\n");
  printf(PROGNAME + "(Only necessary on Master kernel.)\n");
  //@end

  //@task fault-ep-setup
  //@before
  // TODO fault-ep-setup: register the badged endpoint as the faulter's fault endpoint.
  // Master: a CPtr the kernel will look up in the faulter's CSpace when the fault happens.
  // MCS: a cap in our own CSpace; the kernel copies it into the faulter's TCB right now.
  error = seL4_TCB_SetSpace(
    faulter_tcb_cap, 0,
    faulter_cspace_root, 0,
    faulter_vspace_root, 0);
  //@completed
  if (CONFIG_KERNEL_MCS) {
    error = seL4_TCB_SetSpace(
      faulter_tcb_cap, badged_faulter_fault_ep_cap,
      faulter_cspace_root, 0,
      faulter_vspace_root, 0);
  } else {
    error = seL4_TCB_SetSpace(
      faulter_tcb_cap, foreign_badged_faulter_empty_slot_cap,
      faulter_cspace_root, 0,
      faulter_vspace_root, 0);
  }
  //@all
  ZF_LOGF_IF(error !== 0, PROGNAME + "Failed to set the faulter's fault endpoint!");
  printf(PROGNAME + "Successfully registered badged fault handling ep with the kernel.\n");

  printf(PROGNAME + "About to wake the faulter thread.\n");
  // Answer the faulter's call, then wait for the kernel to deliver its fault.
  let badge = 0;
  if (CONFIG_KERNEL_MCS) {
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    ({ badge } = seL4_Recv(faulter_fault_ep_cap, reply));
  } else {
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    ({ badge } = seL4_Recv(faulter_fault_ep_cap));
  }
  ZF_LOGF_IF(badge !== FAULTER_BADGE_VALUE, PROGNAME + "Fault message has badge %lu, not the faulter's!", badge);
  //@end

  //@task fault-ipc-recv
  printf(PROGNAME + "Received fault IPC message from the kernel.\n");
  //@before
  // TODO fault-ipc-recv: read the cap address that faulted out of the fault message.
  // Message register 0 holds something else.
  const foreign_faulter_capfault_cap = seL4_GetMR(0);
  //@completed
  const foreign_faulter_capfault_cap = seL4_GetMR(seL4_CapFault_Addr);
  //@all
  printf(PROGNAME + "Fault occured at cap addr %lu within faulter's cspace.\n", foreign_faulter_capfault_cap);
  //@end

  //@task fault-handle
  //@before
  // TODO fault-handle: fill the faulting slot of the faulter's CSpace with a copy of
  // sequencing_ep_cap. The destination slot below is only a placeholder.
  error = seL4_CNode_Copy(
    faulter_cspace_root, -1, seL4_WordBits,
    handler_cspace_root, sequencing_ep_cap, seL4_WordBits,
    seL4_AllRights);
  //@completed
  error = seL4_CNode_Copy(
    faulter_cspace_root, foreign_faulter_capfault_cap, seL4_WordBits,
    handler_cspace_root, sequencing_ep_cap, seL4_WordBits,
    seL4_AllRights);
  //@all
  ZF_LOGF_IF(error !== 0, PROGNAME + "Failed to copy a cap into faulter's cspace to resolve the fault!");
  printf(PROGNAME + "Successfully copied a cap into foreign faulting slot.\n");
  printf(PROGNAME + "About to resume the faulter thread.\n");
  //@end

  //@task fault-resume
  //@before
  // TODO fault-resume: reply to the fault message so that the kernel restarts the faulter.
  //@completed
  if (CONFIG_KERNEL_MCS) {
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
  } else {
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  }
  //@all
  printf(PROGNAME + "Successfully resumed faulter thread.\n");
  printf(PROGNAME + "Finished execution.\n");
  //@end
  return 0;
}
