// The IPC buffer functions of libsel4 (functions.h). They read and write the buffer in memory
// and never enter the kernel.
import {
  IPCBUF_CAPS,
  IPCBUF_MSG,
  IPCBUF_RECEIVE_CNODE,
  IPCBUF_RECEIVE_DEPTH,
  IPCBUF_RECEIVE_INDEX,
  IPCBUF_USERDATA,
  seL4_MsgMaxExtraCaps,
  seL4_MsgMaxLength,
} from "../abi/constants.js";
import type { Sel4Channel } from "./channel.js";
import { argIndex, argWord, wordToNumber } from "./words.js";

export function ipcBufferFunctions(ch: Sel4Channel) {
  const mr = (fn: string, i: unknown) => IPCBUF_MSG + argIndex(fn, "i", i, 0, seL4_MsgMaxLength - 1);
  const cap = (fn: string, i: unknown) => IPCBUF_CAPS + argIndex(fn, "i", i, 0, seL4_MsgMaxExtraCaps - 1);
  return {
    seL4_GetMR: (i: unknown) => wordToNumber(ch.ipcBuffer()[mr("seL4_GetMR", i)]!),
    seL4_SetMR: (i: unknown, value: unknown) => {
      ch.ipcBuffer()[mr("seL4_SetMR", i)] = argWord("seL4_SetMR", "mr", value);
    },
    seL4_GetUserData: () => wordToNumber(ch.ipcBuffer()[IPCBUF_USERDATA]!),
    seL4_SetUserData: (data: unknown) => {
      ch.ipcBuffer()[IPCBUF_USERDATA] = argWord("seL4_SetUserData", "data", data);
    },
    seL4_GetBadge: (i: unknown) => wordToNumber(ch.ipcBuffer()[cap("seL4_GetBadge", i)]!),
    seL4_GetCap: (i: unknown) => wordToNumber(ch.ipcBuffer()[cap("seL4_GetCap", i)]!),
    seL4_SetCap: (i: unknown, cptr: unknown) => {
      ch.ipcBuffer()[cap("seL4_SetCap", i)] = argWord("seL4_SetCap", "cptr", cptr);
    },
    seL4_GetCapReceivePath: () => {
      const b = ch.ipcBuffer();
      return {
        receiveCNode: wordToNumber(b[IPCBUF_RECEIVE_CNODE]!),
        receiveIndex: wordToNumber(b[IPCBUF_RECEIVE_INDEX]!),
        receiveDepth: wordToNumber(b[IPCBUF_RECEIVE_DEPTH]!),
      };
    },
    seL4_SetCapReceivePath: (receiveCNode: unknown, receiveIndex: unknown, receiveDepth: unknown) => {
      const fn = "seL4_SetCapReceivePath";
      const b = ch.ipcBuffer();
      b[IPCBUF_RECEIVE_CNODE] = argWord(fn, "receiveCNode", receiveCNode);
      b[IPCBUF_RECEIVE_INDEX] = argWord(fn, "receiveIndex", receiveIndex);
      b[IPCBUF_RECEIVE_DEPTH] = argWord(fn, "receiveDepth", receiveDepth);
    },
  };
}
