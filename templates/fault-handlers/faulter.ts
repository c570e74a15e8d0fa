// The faulter: asks the handler to set up its fault endpoint, then takes a cap fault on
// purpose and carries on once the handler has repaired the slot.
import {
  CONFIG_KERNEL_MCS, printf,
  seL4_Call, seL4_SetMR, seL4_MessageInfo_new, seL4_NBRecv, seL4_NBWait,
} from "sel4";
import { sequencing_ep_cap, local_badged_faulter_fault_ep_empty_cap, faulter_empty_cap } from "./cspace_faulter";

const PROGNAME = "Faulter: ";

export function main(): number {
  printf(PROGNAME + "Running. About to send empty slot CPtr to handler.\n");
  // Tell the handler which of our slots it may fill, then block until it replies.
  seL4_SetMR(0, local_badged_faulter_fault_ep_empty_cap);
  seL4_Call(sequencing_ep_cap, seL4_MessageInfo_new(0, 0, 0, 1));
  printf(PROGNAME + "Handler has minted fault EP into our cspace. Proceeding.\n");

  printf(PROGNAME + "About to touch fault vaddr.\n");
  // Receiving on an empty slot is a cap fault: the kernel suspends us and sends a fault
  // message to our fault endpoint. When the handler replies, this call runs again.
  // (MCS: a receive without a reply object is seL4_NBWait.)
  if (CONFIG_KERNEL_MCS) {
    seL4_NBWait(faulter_empty_cap);
  } else {
    seL4_NBRecv(faulter_empty_cap);
  }

  printf(PROGNAME + "Successfully executed past the fault.\n");
  printf(PROGNAME + "Finished execution.\n");
  return 0;
}
