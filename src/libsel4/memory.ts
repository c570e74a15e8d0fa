// Global data with addresses: what C gets from `int data = 42;` at file scope. The word lives in
// the program's data segment (src/abi/image.ts), inside the thread's VSpace, so its address can
// be passed to another thread (in a register, a message, a shared frame) and dereferenced there
// with readWord, through that thread's own page tables.
import { DATA_SEGMENT_BYTES, DATA_SEGMENT_FIRST_WORD, DATA_SEGMENT_VADDR } from "../abi/image.js";
import type { Sel4Channel } from "./channel.js";
import { argWord, wordToNumber } from "./words.js";

const WORD_BYTES = 8n;
const SEGMENT_END = DATA_SEGMENT_VADDR + BigInt(DATA_SEGMENT_BYTES);

export function memoryFunctions(ch: Sel4Channel) {
  /** The next word staticWord hands out. Every thread of a program loads the same files in the same order, so the same addresses. */
  let next = DATA_SEGMENT_FIRST_WORD;
  return {
    /**
     * `seL4_Word data = initial;` at file scope: a word of the data segment, initialised once per
     * VSpace, and its address. Only the files' top-level code may declare one (a C global is
     * declared outside every function), so that each thread of the program finds the same word
     * at the same address.
     */
    staticWord: (initial: unknown = 0): number => {
      const fn = "staticWord";
      const value = argWord(fn, "initial", initial);
      if (ch.started()) {
        throw new Error(
          `${fn}: declare global data at the top level of a file, outside every function, as a C global is` +
            `${where(ch)}`,
        );
      }
      const address = next;
      if (address + WORD_BYTES > SEGMENT_END) {
        throw new Error(
          `${fn}: the data segment holds ${(DATA_SEGMENT_BYTES - 8) / 8} words, and they are all taken${where(ch)}`,
        );
      }
      next += WORD_BYTES;
      // Word 0 counts the words initialised so far in this VSpace (see src/abi/image.ts).
      const initialised = ch.load(DATA_SEGMENT_VADDR);
      const index = (address - DATA_SEGMENT_FIRST_WORD) / WORD_BYTES;
      if (index >= initialised) {
        ch.store(address, value);
        ch.store(DATA_SEGMENT_VADDR, index + 1n);
      }
      return wordToNumber(address);
    },
  };
}

function where(ch: Sel4Channel): string {
  const at = ch.location();
  return at ? ` (at ${at})` : "";
}
