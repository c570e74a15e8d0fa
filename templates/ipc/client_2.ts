// Client 2: five words for the server to print.
import { client } from "./client";
import { endpoint, cnode, badged_endpoint } from "./cspace_client_2";

const messages = ["the", "brown", "jumps", "the", "dog"];

export function main(): number {
  client(2, messages, { endpoint, cnode, badged_endpoint });
  return 0;
}
