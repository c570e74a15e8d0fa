// The capabilities tutorial's root task. Its CSpace is the CNode the kernel built at boot:
// seL4_CapInitThreadCNode names that CNode, seL4_CapInitThreadTCB the root task's own TCB.
import {
  BIT, platsupport_get_bootinfo, printf, ZF_LOGF, ZF_LOGF_IF,
  seL4_AllRights, seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_FailedLookup, seL4_SlotBits, seL4_WordBits,
  seL4_CNode_Copy, seL4_CNode_Move, seL4_CNode_Revoke, seL4_TCB_SetPriority, seL4_TCB_Suspend,
} from "sel4";

export function main(): number {
  // What the kernel gave us: in C, `seL4_BootInfo *info`, from the address sel4runtime kept at start-up.
  const info = platsupport_get_bootinfo();

  const initial_cnode_object_size = BIT(info.initThreadCNodeSizeBits);
  printf("Initial CNode is %zu slots in size\n", initial_cnode_object_size);

  //@task cnode-size always
  //@before
  // TODO cnode-size: how many bytes does the CNode take? Each slot is 2^seL4_SlotBits bytes.
  const initial_cnode_object_size_bytes = 0;
  //@completed
  const initial_cnode_object_size_bytes = initial_cnode_object_size * (1 << seL4_SlotBits);
  //@all
  printf("The CNode is %zu bytes in size\n", initial_cnode_object_size_bytes);
  //@end

  //@task cnode-copy always
  const first_free_slot = info.empty.start;
  let error = seL4_CNode_Copy(seL4_CapInitThreadCNode, first_free_slot, seL4_WordBits,
                              seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits,
                              seL4_AllRights);
  ZF_LOGF_IF(error, "Failed to copy cap!");
  const last_slot = info.empty.end - 1;
  //@before
  // TODO cnode-copy: make another copy of the TCB cap, into last_slot, with seL4_CNode_Copy.

  //@completed

  // Another copy of the TCB cap, into the last slot of the CNode.
  error = seL4_CNode_Copy(seL4_CapInitThreadCNode, last_slot, seL4_WordBits,
                          seL4_CapInitThreadCNode, first_free_slot, seL4_WordBits, seL4_AllRights);
  ZF_LOGF_IF(error, "Failed to copy cap!");
  //@all

  // Set the root task's priority through the cap in last_slot.
  error = seL4_TCB_SetPriority(last_slot, last_slot, 10);
  ZF_LOGF_IF(error, "Failed to set priority");
  //@end

  //@task cnode-delete always
  //@before
  // TODO cnode-delete: delete both copies of the TCB cap (seL4_CNode_Delete on each, or one seL4_CNode_Revoke).
  //@completed
  // Revoking the original deletes every cap derived from it: both copies.
  seL4_CNode_Revoke(seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits);
  //@all

  // Is first_free_slot empty? Moving an empty slot (onto itself) fails with seL4_FailedLookup.
  error = seL4_CNode_Move(seL4_CapInitThreadCNode, first_free_slot, seL4_WordBits,
                          seL4_CapInitThreadCNode, first_free_slot, seL4_WordBits);
  ZF_LOGF_IF(error != seL4_FailedLookup, "first_free_slot is not empty");

  // And last_slot?
  error = seL4_CNode_Move(seL4_CapInitThreadCNode, last_slot, seL4_WordBits,
                          seL4_CapInitThreadCNode, last_slot, seL4_WordBits);
  ZF_LOGF_IF(error != seL4_FailedLookup, "last_slot is not empty");
  //@end

  //@task cnode-invoke always
  printf("Suspending current thread\n");
  //@before
  // TODO cnode-invoke: suspend the root task through its TCB cap.
  //@completed
  seL4_TCB_Suspend(seL4_CapInitThreadTCB);
  //@all
  ZF_LOGF("Failed to suspend current thread\n");
  //@end
  return 0;
}
