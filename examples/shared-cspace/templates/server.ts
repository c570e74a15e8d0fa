// The server: answers the client's call, handles the client's cap fault by filling the empty
// slot of the CSpace they share, then sends the client a message through that slot.
import {
  CONFIG_KERNEL_MCS, printf, ZF_LOGF_IF,
  seL4_Recv, seL4_Reply, seL4_Send, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new,
  seL4_CNode_Copy, seL4_AllRights, seL4_WordBits, seL4_NoError, seL4_CapFault_Addr,
  type seL4_CPtr, type seL4_MessageInfo_t, type seL4_RecvResult,
} from "sel4";
import { ep_cap, fault_ep_cap, cnode_cap, spare_slot, reply_cap } from "./cspace_server";

/** Wait for a message on `ep`; on MCS the reply object comes along. */
function receive(ep: seL4_CPtr): seL4_RecvResult {
  if (CONFIG_KERNEL_MCS) {
    return seL4_Recv(ep, reply_cap);
  } else {
    return seL4_Recv(ep);
  }
}

/** Answer the thread whose call (or fault) was received last. */
function reply(info: seL4_MessageInfo_t): void {
  if (CONFIG_KERNEL_MCS) {
    seL4_Send(reply_cap, info);
  } else {
    seL4_Reply(info);
  }
}

export function main(): number {
  printf("server: waiting for the client\n");
  let msg = receive(ep_cap);
  const request = seL4_GetMR(0);
  printf("server: got %d from badge 0x%lx\n", request, msg.badge);

  //@task shared-reply
  //@before
  // TODO shared-reply: answer the client's call with twice its number in MR0.
  //@completed
  seL4_SetMR(0, 2 * request);
  reply(seL4_MessageInfo_new(0, 0, 0, 1));
  //@end

  msg = receive(fault_ep_cap);
  printf("server: cap fault from badge 0x%lx at cptr %d\n", msg.badge, seL4_GetMR(seL4_CapFault_Addr));

  //@task shared-fix
  //@before
  // TODO shared-fix: copy ep_cap into spare_slot. The client's CSpace is ours, so the client
  // finds the cap there when its receive runs again.
  //@completed
  const error = seL4_CNode_Copy(cnode_cap, spare_slot, seL4_WordBits, cnode_cap, ep_cap, seL4_WordBits, seL4_AllRights);
  ZF_LOGF_IF(error !== seL4_NoError, "server: failed to copy into spare_slot: %d", error);
  //@end

  reply(seL4_MessageInfo_new(0, 0, 0, 0));
  seL4_SetMR(0, 99);
  seL4_Send(ep_cap, seL4_MessageInfo_new(0, 0, 0, 1));
  printf("server: sent 99\n");
  return 0;
}
