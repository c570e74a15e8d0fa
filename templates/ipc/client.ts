// What both clients do: ask the server for an endpoint cap with their own badge, then send it
// their words, one call per word and one character per message register.
import {
  assert, printf, seL4_Call, seL4_MessageInfo_get_extraCaps, seL4_MessageInfo_new, seL4_SetCapReceivePath, seL4_SetMR,
  seL4_WordBits, type seL4_CPtr,
} from "sel4";

/** The three slots each client's CSpace starts with (the same numbers in both). */
export interface ClientCaps {
  endpoint: seL4_CPtr;
  cnode: seL4_CPtr;
  badged_endpoint: seL4_CPtr;
}

export function client(id: number, messages: readonly string[], caps: ClientCaps): void {
  const { endpoint, cnode, badged_endpoint } = caps;
  printf("Client %d: waiting for badged endpoint\n", id);
  // A cap that comes with the reply lands in our empty slot badged_endpoint.
  seL4_SetCapReceivePath(cnode, badged_endpoint, seL4_WordBits);
  seL4_SetMR(0, id);
  let info = seL4_MessageInfo_new(0, 1, 0, 1);
  info = seL4_Call(endpoint, info);
  assert(seL4_MessageInfo_get_extraCaps(info) === 1);
  printf("Client %d: received badged endpoint\n", id);

  for (const message of messages) {
    let j = 0;
    for (; j < message.length; j++) seL4_SetMR(j, message.charCodeAt(j));
    info = seL4_MessageInfo_new(0, 0, 0, j);
    seL4_Call(badged_endpoint, info);
  }
}
