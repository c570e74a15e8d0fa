// The untyped tutorial's root task: all the memory it will ever have comes as untyped caps.
import {
  BIT, assert, platsupport_get_bootinfo, printf, ZF_LOGF_IF,
  seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_EndpointBits, seL4_EndpointObject, seL4_NoError,
  seL4_NotificationBits, seL4_NotificationObject, seL4_TCBBits, seL4_TCBObject, seL4_UntypedObject, seL4_WordBits,
  seL4_CNode_Revoke, seL4_DebugCapIdentify, seL4_TCB_BindNotification, seL4_TCB_SetPriority, seL4_Untyped_Retype,
} from "sel4";

export function main(): number {
  const info = platsupport_get_bootinfo();

  // Every untyped the kernel gave us: its slot, physical address, size and kind.
  printf("    CSlot   \tPaddr           \tSize\tType\n");
  for (let slot = info.untyped.start; slot !== info.untyped.end; slot++) {
    const desc = info.untypedList[slot - info.untyped.start]!;
    printf("%8p\t%16p\t2^%d\t%s\n", slot, desc.paddr, desc.sizeBits, desc.isDevice ? "device untyped" : "untyped");
  }

  let error: number;
  //@task untyped-next always
  // The objects we want, and their sizes (as powers of two).
  const objects = [seL4_TCBObject, seL4_EndpointObject, seL4_NotificationObject];
  const sizes = [seL4_TCBBits, seL4_EndpointBits, seL4_NotificationBits];
  //@before
  // TODO untyped-next: how big (2^untyped_size_bits bytes) must an untyped be to hold all of these objects?
  const untyped_size_bits = 0;
  //@completed
  // Endpoints and notifications are smaller than a TCB, so all three fit in two TCBs' worth.
  const untyped_size_bits = seL4_TCBBits + 1;
  //@all
  let parent_untyped = 0;
  const child_untyped = info.empty.start;

  // The first RAM untyped big enough for all of our objects.
  for (let i = 0; i < info.untyped.end - info.untyped.start; i++) {
    if (info.untypedList[i]!.sizeBits >= untyped_size_bits && !info.untypedList[i]!.isDevice) {
      parent_untyped = info.untyped.start + i;
      break;
    }
  }
  //@end

  // Make a child untyped of that size, in the first empty slot.
  error = seL4_Untyped_Retype(parent_untyped, // the untyped to retype
                              seL4_UntypedObject, // type
                              untyped_size_bits, // size
                              seL4_CapInitThreadCNode, // root
                              0, // node_index
                              0, // node_depth
                              child_untyped, // node_offset
                              1); // num_objects
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to retype");

  //@task untyped-tcb always
  // The slot after child_untyped gets the new TCB cap.
  const child_tcb = child_untyped + 1;
  //@before
  // TODO untyped-tcb: create a TCB in slot child_tcb, from child_untyped.
  //@completed
  seL4_Untyped_Retype(child_untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, child_tcb, 1);
  //@all
  // Use it: set its priority.
  error = seL4_TCB_SetPriority(child_tcb, seL4_CapInitThreadTCB, 10);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to set priority");
  //@end

  //@task untyped-ep always
  // The slot after child_tcb gets the new endpoint cap.
  const child_ep = child_tcb + 1;
  //@before
  // TODO untyped-ep: create an endpoint in slot child_ep.
  //@completed
  seL4_Untyped_Retype(child_untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, child_ep, 1);
  //@all
  // What kind of cap is in child_ep? 0 is the null cap.
  const cap_id = seL4_DebugCapIdentify(child_ep);
  ZF_LOGF_IF(cap_id === 0, "Endpoint cap is null cap");
  //@end

  //@task untyped-ntfn always
  // The slot after child_ep gets the new notification cap.
  const child_ntfn = child_ep + 1;
  //@before
  // TODO untyped-ntfn: create a notification object in slot child_ntfn.
  //@completed
  seL4_Untyped_Retype(child_untyped, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, child_ntfn, 1);
  //@all
  // Use it: bind it to the new TCB.
  error = seL4_TCB_BindNotification(child_tcb, child_ntfn);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to bind notification.");
  //@end

  //@task untyped-revoke always
  //@before
  // TODO untyped-revoke: revoke child_untyped, so that its whole memory can be used again.
  //@completed
  error = seL4_CNode_Revoke(seL4_CapInitThreadCNode, child_untyped, seL4_WordBits);
  assert(error === seL4_NoError);
  //@all
  // Fill the whole child untyped with endpoints: 2^untyped_size_bits / 2^seL4_EndpointBits of them.
  const num_eps = BIT(untyped_size_bits - seL4_EndpointBits);
  error = seL4_Untyped_Retype(child_untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, child_tcb, num_eps);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to create endpoints.");
  printf("Success\n");
  //@end
  return 0;
}
