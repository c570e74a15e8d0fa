// Producer 2: its full cap carries badge 2 (0b10).
import { produce } from "./producer";
import { empty, full, endpoint } from "./cspace_producer_2";

export function main(): number {
  produce(2, empty, full, endpoint);
  return 0;
}
