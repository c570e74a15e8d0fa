// The sender: sends an increasing counter on the endpoint, for ever. It starts passive, so it
// sends nothing until the mcs thread binds a scheduling context to it.
import { seL4_MessageInfo_new, seL4_Send, seL4_SetMR } from "sel4";
import { endpoint } from "./cspace_sender";

export function main(): number {
  for (let i = 0; ; i++) {
    seL4_SetMR(0, i);
    seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
  }
}
