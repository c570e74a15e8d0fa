// The server: receives the client's call and answers it.
import {
  CONFIG_KERNEL_MCS, printf, seL4_Recv, seL4_Reply, seL4_Send, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new,
  type seL4_MessageInfo_t, type seL4_RecvResult,
} from "sel4";
import { ep_cap, reply_cap } from "./cspace_server";

/** Wait for a message on the endpoint; on MCS the reply object comes along. */
function receive(): seL4_RecvResult {
  if (CONFIG_KERNEL_MCS) {
    return seL4_Recv(ep_cap, reply_cap);
  } else {
    return seL4_Recv(ep_cap);
  }
}

/** Answer the thread whose call was received last. */
function reply(info: seL4_MessageInfo_t): void {
  if (CONFIG_KERNEL_MCS) {
    seL4_Send(reply_cap, info);
  } else {
    seL4_Reply(info);
  }
}

export function main(): number {
  printf("server: waiting for the client\n");
  const msg = receive();
  const request = seL4_GetMR(0);
  printf("server: got %d from badge 0x%lx\n", request, msg.badge);

  //@task answer
  //@before
  // TODO answer: answer the client's call with twice its number in MR0.
  //@completed
  seL4_SetMR(0, 2 * request);
  reply(seL4_MessageInfo_new(0, 0, 0, 1));
  //@end
  return 0;
}
