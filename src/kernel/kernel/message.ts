// Message registers: MR0..3 travel in registers, the rest in the IPC buffer
// (include/object/tcb.h setMR/getMR, src/object/tcb.c copyMRs, lookupIPCBuffer).
import { IPCBUF_CAPS, IPCBUF_MSG, IPCBUF_RECEIVE_CNODE, IPCBUF_RECEIVE_DEPTH, IPCBUF_RECEIVE_INDEX,
  RIGHT_WRITE, seL4_FastMessageRegisters, seL4_MsgMaxLength } from "../api/constants.js";
import type { Word } from "../api/types.js";
import { msgRegisters } from "../arch/registers.js";
import type { KernelState } from "../model/state.js";
import { TCB_BUFFER_MASTER, TCB_BUFFER_MCS, type TCB } from "../object/structures.js";

/** Word index (into ks.mem64) of the thread's IPC buffer, or null when it has none usable. */
export function lookupIPCBuffer(ks: KernelState, isReceiver: boolean, t: TCB): number | null {
  const cap = t.slots[ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER]!.cap;
  if (cap.type !== "Frame" || cap.obj.isDevice) return null;
  if (isReceiver && (cap.rights & RIGHT_WRITE) === 0) return null;
  const frameBytes = 2 ** cap.obj.sizeBits;
  const offset = Number(t.ipcBufferVAddr & BigInt(frameBytes - 1));
  return (cap.obj.paddr + offset) / 8;
}

export function getMR(ks: KernelState, t: TCB, buf: number | null, i: number): Word {
  if (i < seL4_FastMessageRegisters) return t.regs[msgRegisters[i]!]!;
  return buf === null ? 0n : ks.mem64[buf + IPCBUF_MSG + i]!;
}

/** setMR returns the index after the one written when it could be written, like seL4's. */
export function setMR(ks: KernelState, t: TCB, buf: number | null, i: number, v: Word): number {
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
export function copyMRs(ks: KernelState, sender: TCB, sendBuf: number | null, receiver: TCB,
  recvBuf: number | null, n: number): number {
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
