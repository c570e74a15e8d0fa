// Message registers: MR0..3 travel in registers, the rest in the IPC buffer
// (include/object/tcb.h setMR/getMR, src/object/tcb.c copyMRs, lookupIPCBuffer).
import {
  IPCBUF_CAPS,
  IPCBUF_MSG,
  IPCBUF_RECEIVE_CNODE,
  IPCBUF_RECEIVE_DEPTH,
  IPCBUF_RECEIVE_INDEX,
  RIGHT_READ,
  RIGHT_WRITE,
  seL4_FastMessageRegisters,
  seL4_MsgMaxLength,
} from "../../abi/constants.js";
import { messageInfoFromWord, type MessageInfo, type Word } from "../api/types.js";
import { msgRegisters } from "../../abi/registers.js";
import type { KernelState } from "../model/state.js";
import { TCB_BUFFER_MASTER, TCB_BUFFER_MCS, type Cap, type TCB } from "../object/structures.js";

/** What lookupIPCBuffer found for a thread: valid while its buffer cap and address stay the same. */
interface BufferLookup {
  cap: Cap;
  vaddr: Word;
  /** Word index of the buffer for a sender, and for a receiver (which needs a writable frame). */
  send: number | null;
  receive: number | null;
}
const bufferLookups = new WeakMap<TCB, BufferLookup>();

/** Word index (into ks.mem64) of the thread's IPC buffer, or null when it has none usable. */
export function lookupIPCBuffer(ks: KernelState, isReceiver: boolean, t: TCB): number | null {
  const cap = t.slots[ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER]!.cap;
  let found = bufferLookups.get(t);
  // Caps are immutable values, so an unchanged cap object means an unchanged frame and rights.
  if (found === undefined || found.cap !== cap || found.vaddr !== t.ipcBufferVAddr) {
    found = { cap, vaddr: t.ipcBufferVAddr, send: null, receive: null };
    // x86 lookupIPCBuffer: a sender needs a readable frame (VMReadOnly or VMReadWrite), a receiver
    // a writable one (VMReadWrite); a kernel-only frame is no buffer at all.
    if (cap.type === "Frame" && !cap.obj.isDevice && (cap.rights & RIGHT_READ) !== 0) {
      const offset = Number(t.ipcBufferVAddr & BigInt(2 ** cap.obj.sizeBits - 1));
      found.send = (cap.obj.paddr + offset) / 8;
      if ((cap.rights & RIGHT_WRITE) !== 0) found.receive = found.send;
    }
    bufferLookups.set(t, found);
  }
  return isReceiver ? found.receive : found.send;
}

/** A small memo of message-info decodings (IPC loops alternate between a few info words). */
const INFO_MEMO_ENTRIES = 4;
const infoWords: Word[] = [];
const infos: Readonly<MessageInfo>[] = [];
let infoNext = 0;
/**
 * messageInfoFromWord for the kernel's hot paths: the decodings of the last few words are kept.
 * The result is shared and must not be modified.
 */
export function decodeMessageInfo(w: Word): Readonly<MessageInfo> {
  for (let i = 0; i < infoWords.length; i++) if (infoWords[i] === w) return infos[i]!;
  const info = messageInfoFromWord(w);
  infoWords[infoNext] = w;
  infos[infoNext] = info;
  infoNext = (infoNext + 1) % INFO_MEMO_ENTRIES;
  return info;
}

export function getMR(ks: KernelState, t: TCB, buf: number | null, i: number): Word {
  if (i < seL4_FastMessageRegisters) return t.regs[msgRegisters[i]!]!;
  return buf === null ? 0n : ks.mem64[buf + IPCBUF_MSG + i]!;
}

/** setMR returns the index after the one written when it could be written, like seL4's. */
function setMR(ks: KernelState, t: TCB, buf: number | null, i: number, v: Word): number {
  if (i < seL4_FastMessageRegisters) {
    t.regs[msgRegisters[i]!] = v;
    return i + 1;
  }
  if (buf === null) return seL4_FastMessageRegisters;
  if (i < seL4_MsgMaxLength) ks.mem64[buf + IPCBUF_MSG + i] = v;
  return i + 1;
}

/** Writes words starting at MR `offset`; returns the resulting message length. */
export function setMRs(ks: KernelState, t: TCB, buf: number | null, offset: number, words: Word[]): number {
  let n = offset;
  for (const w of words) n = setMR(ks, t, buf, n, w);
  return Math.min(n, buf === null ? seL4_FastMessageRegisters : seL4_MsgMaxLength);
}

/** copyMRs: registers to registers, then buffer to buffer only when both threads have one. */
export function copyMRs(
  ks: KernelState,
  sender: TCB,
  sendBuf: number | null,
  receiver: TCB,
  recvBuf: number | null,
  n: number,
): number {
  let i = 0;
  for (; i < n && i < seL4_FastMessageRegisters; i++) {
    receiver.regs[msgRegisters[i]!] = sender.regs[msgRegisters[i]!]!;
  }
  if (sendBuf !== null && recvBuf !== null) {
    const mem = ks.mem64;
    for (; i < n; i++) mem[recvBuf + IPCBUF_MSG + i] = mem[sendBuf + IPCBUF_MSG + i]!;
  }
  return i;
}

export function getExtraCPtr(ks: KernelState, buf: number, i: number): Word {
  return ks.mem64[buf + IPCBUF_CAPS + i]!;
}
export function setExtraBadge(ks: KernelState, buf: number, badge: Word, i: number): void {
  ks.mem64[buf + IPCBUF_CAPS + i] = badge;
}
/** capTransferFromWords: the receive depth is a whole word (lookupTargetSlot range-checks it). */
export function loadCapTransfer(ks: KernelState, buf: number): { cnode: Word; index: Word; depth: Word } {
  return {
    cnode: ks.mem64[buf + IPCBUF_RECEIVE_CNODE]!,
    index: ks.mem64[buf + IPCBUF_RECEIVE_INDEX]!,
    depth: ks.mem64[buf + IPCBUF_RECEIVE_DEPTH]!,
  };
}

/** getSyscallArg: argument i of an invocation (MR i). */
export function getSyscallArg(ks: KernelState, t: TCB, buf: number | null, i: number): Word {
  return getMR(ks, t, buf, i);
}
