// The server: an echo server. Once it has a scheduling context it says it is ready (the send half
// of seL4_NBSendRecv), then waits for calls; each one it prints character by character and
// answers with the number of characters. Once it is passive it runs only on its callers' time.
import {
  printf, seL4_DebugPutChar, seL4_GetMR, seL4_MessageInfo_get_length, seL4_MessageInfo_new,
  seL4_MsgMaxLength, seL4_NBSendRecv, seL4_ReplyRecv, seL4_SetMR,
} from "sel4";
import { endpoint, reply } from "./cspace_server";

export function main(): number {
  printf("Server initialising\n");
  let info = seL4_NBSendRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, 0), endpoint, reply).info;
  for (;;) {
    let i = 0;
    for (; i < seL4_MsgMaxLength && i < seL4_MessageInfo_get_length(info); i++) {
      seL4_DebugPutChar(seL4_GetMR(i));
    }
    seL4_DebugPutChar("\n");
    seL4_SetMR(0, i);
    info = seL4_ReplyRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, i), reply).info;
  }
}
