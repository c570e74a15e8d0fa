// The handler: receives the faulter's VM fault, maps a frame where it faulted, restarts it.
import {
  CONFIG_KERNEL_MCS, printf, ZF_LOGF_IF,
  seL4_Recv, seL4_Reply, seL4_Send, seL4_GetMR, seL4_MessageInfo_new, seL4_MessageInfo_get_label,
  seL4_X86_Page_Map, seL4_ReadWrite, seL4_X86_Default_VMAttributes,
  seL4_Fault_VMFault, seL4_VMFault_IP, seL4_VMFault_Addr,
} from "sel4";
import { fault_ep_cap, spare_frame_cap, faulter_vspace_root, reply } from "./cspace_handler";

const PROGNAME = "Handler: ";
const PAGE_SIZE = 4096;

export function main(): number {
  printf(PROGNAME + "waiting for a fault.\n");
  let msg = { info: seL4_MessageInfo_new(0, 0, 0, 0), badge: 0 };
  if (CONFIG_KERNEL_MCS) {
    msg = seL4_Recv(fault_ep_cap, reply);
  } else {
    msg = seL4_Recv(fault_ep_cap);
  }
  const label = seL4_MessageInfo_get_label(msg.info);
  ZF_LOGF_IF(label !== seL4_Fault_VMFault, PROGNAME + "expected a VM fault, got fault label %lu", label);
  printf(PROGNAME + "received a VM fault from the thread with badge 0x%lx.\n", msg.badge);

  //@task vm-fault-addr
  //@before
  // TODO vm-fault-addr: read the address the faulter tried to access from the fault message.
  // seL4_VMFault_IP is the faulting instruction, not the address.
  const fault_vaddr = seL4_GetMR(seL4_VMFault_IP);
  //@completed
  const fault_vaddr = seL4_GetMR(seL4_VMFault_Addr);
  //@all
  printf(PROGNAME + "fault address is 0x%lx.\n", fault_vaddr);
  //@end

  //@task vm-fault-map
  const page = fault_vaddr - (fault_vaddr % PAGE_SIZE);
  //@before
  // TODO vm-fault-map: map spare_frame_cap read-write into the faulter's VSpace at `page`.
  // The address below is only a placeholder.
  const error = seL4_X86_Page_Map(spare_frame_cap, faulter_vspace_root, 0, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
  //@completed
  const error = seL4_X86_Page_Map(spare_frame_cap, faulter_vspace_root, page, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
  //@all
  ZF_LOGF_IF(error !== 0, PROGNAME + "Failed to map a frame at the fault address!");
  printf(PROGNAME + "mapped a frame at 0x%lx.\n", page);
  //@end

  //@task vm-fault-resume
  //@before
  // TODO vm-fault-resume: reply to the fault so that the kernel runs the faulting write again.
  //@completed
  if (CONFIG_KERNEL_MCS) {
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
  } else {
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  }
  //@all
  printf(PROGNAME + "Finished execution.\n");
  //@end
  return 0;
}
