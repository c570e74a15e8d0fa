// The server: gives each client that calls with badge 0 a copy of the endpoint cap badged with
// the client's number, then prints every word a client sends through its badged cap.
import {
  CONFIG_KERNEL_MCS, assert, printf,
  seL4_Recv, seL4_Reply, seL4_ReplyRecv, seL4_Send, seL4_GetMR, seL4_SetCap,
  seL4_MessageInfo_new, seL4_MessageInfo_get_length,
  seL4_CNode_Mint, seL4_CNode_Delete, seL4_CNode_SaveCaller,
  seL4_CapNull, seL4_WordBits, seL4_AllRights, seL4_NoError, type seL4_Error,
} from "sel4";
import { endpoint, cnode, free_slot, reply, spare_reply } from "./cspace_server";

export function main(): number {
  // MCS: a receive binds the caller to a reply object we name; the reply goes through it.
  let reply_object = CONFIG_KERNEL_MCS ? reply : seL4_CapNull;
  let spare_reply_object = CONFIG_KERNEL_MCS ? spare_reply : seL4_CapNull;

  let { info, badge: sender } = CONFIG_KERNEL_MCS ? seL4_Recv(endpoint, reply_object) : seL4_Recv(endpoint);
  for (;;) {
    let error: seL4_Error;
    if (sender === 0) {
      /* No badge! give this sender a badged copy of the endpoint */
      const badge = seL4_GetMR(0);
      error = seL4_CNode_Mint(cnode, free_slot, seL4_WordBits, cnode, endpoint, seL4_WordBits, seL4_AllRights, badge);
      printf("Badged %lu\n", badge);

      //@task ipc-badge always
      //@before
      // TODO ipc-badge: use cap transfer to send the badged cap in the reply
      //@completed
      // use cap transfer to send the badged cap in the reply
      seL4_SetCap(0, free_slot);
      info = seL4_MessageInfo_new(0, 0, 1, 0);
      //@end

      /* reply to the sender */
      if (CONFIG_KERNEL_MCS) {
        seL4_Send(reply_object, info);
      } else {
        seL4_Reply(info);
      }

      /* now delete the transferred cap */
      error = seL4_CNode_Delete(cnode, free_slot, seL4_WordBits);
      assert(error === seL4_NoError);

      /* wait for the next message */
      ({ info, badge: sender } = CONFIG_KERNEL_MCS ? seL4_Recv(endpoint, reply_object) : seL4_Recv(endpoint));
    } else {
      //@task ipc-echo always
      //@before
      // TODO ipc-echo: print the message the client sent, one character per message register,
      // then a newline
      //@completed
      for (let i = 0; i < seL4_MessageInfo_get_length(info); i++) {
        printf("%c", seL4_GetMR(i));
      }
      printf("\n");
      //@end

      //@task ipc-order
      //@before
      // TODO ipc-order: keep this client waiting, take the next message (from whichever client
      // sent it), print it, then answer the client you kept waiting
      //@completed
      if (CONFIG_KERNEL_MCS) {
        // This client stays bound to reply_object; the next caller binds to the spare one.
        ({ info, badge: sender } = seL4_Recv(endpoint, spare_reply_object));
        for (let i = 0; i < seL4_MessageInfo_get_length(info); i++) {
          printf("%c", seL4_GetMR(i));
        }
        printf("\n");
        seL4_Send(reply_object, seL4_MessageInfo_new(0, 0, 0, 0));
        // The caller just received is the one to answer next.
        [reply_object, spare_reply_object] = [spare_reply_object, reply_object];
      } else {
        error = seL4_CNode_SaveCaller(cnode, free_slot, seL4_WordBits);
        assert(error === 0);
        ({ info, badge: sender } = seL4_Recv(endpoint));
        for (let i = 0; i < seL4_MessageInfo_get_length(info); i++) {
          printf("%c", seL4_GetMR(i));
        }
        printf("\n");
        seL4_Send(free_slot, seL4_MessageInfo_new(0, 0, 0, 0));
      }
      //@end

      //@task ipc-reply always
      //@before
      // TODO ipc-reply: reply to the client and wait for the next message
      //@completed
      ({ info, badge: sender } = CONFIG_KERNEL_MCS ? seL4_ReplyRecv(endpoint, info, reply_object) : seL4_ReplyRecv(endpoint, info));
      //@end
    }
  }
}
