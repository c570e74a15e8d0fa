// What a debug kernel prints (include/api/types.h userError, src/kernel/faulthandler.c
// print_fault and the double-fault report, include/api/debug.h debugDumpScheduler).
import type { Fault } from "../api/failures.js";
import { WORD_MASK, type Word } from "../api/types.js";
import { FaultIP, RSP } from "../../abi/registers.js";
import { PPTR_BASE, type KernelState } from "../model/state.js";
import { THREAD_STATE_NAMES, TCB_VTABLE, type TCB } from "../object/structures.js";
import { translateVAddr } from "../arch/vspace.js";

/** KernelUserStackTraceLength: how many stack words a double-fault report shows. */
const CONFIG_USER_STACK_TRACE_LENGTH = 16;

/** The kernel printf's %p: zero prints as "0", anything else as 0x + lowercase hex. */
function formatPointer(v: Word | number): string {
  const w = BigInt(v);
  return w === 0n ? "0" : "0x" + w.toString(16);
}

/** A TCB's kernel address as seL4 prints it (tcb_t sits 2^10 bytes into its 2^11-byte object). */
function tcbPointer(t: TCB): Word {
  return PPTR_BASE + BigInt(t.paddr) + 0x400n;
}

export function describeFault(ks: KernelState, fault: Fault): string {
  void ks;
  switch (fault.type) {
    case "CapFault":
      return `cap fault in ${fault.inReceivePhase ? "receive" : "send"} phase at address ${formatPointer(fault.address)}`;
    case "VMFault":
      return `vm fault on ${fault.instructionFault ? "code" : "data"} at address ${formatPointer(fault.address)} with status ${formatPointer(fault.fsr)}`;
    case "UnknownSyscall":
      return `unknown syscall ${formatPointer(fault.syscallNumber)}`;
    case "UserException":
      return `user exception ${formatPointer(fault.number)} code ${formatPointer(fault.code)}`;
    case "Timeout":
      // printf("Timeout fault for 0x%x\n", (unsigned int)badge): only the low 32 bits are shown.
      return `Timeout fault for 0x${(fault.badge & 0xffffffffn).toString(16)}\n`;
  }
}

/** userError: `<<seL4(CPU 0) [function T<tcb> "name" @pc]: message>>` (no source line: see docs/fidelity.md). */
export function userError(ks: KernelState, fn: string, message: string): void {
  const t = ks.curThread;
  const who = t === null ? "" : ` T${formatPointer(tcbPointer(t))} "${t.name}" @${t.regs[FaultIP]!.toString(16)}`;
  ks.print(`<<seL4(CPU 0) [${fn}${who}]: ${message}>>\n`);
}

/** printf's %lx with a literal "0x" in front, as the stack dump uses it (zero prints 0x0). */
function formatHexWord(v: Word): string {
  return "0x" + v.toString(16);
}

/**
 * x86_64 Arch_userStackTrace: CONFIG_USER_STACK_TRACE_LENGTH words from RSP, each "0x<addr>: 0x<word>"
 * or "0x<addr>: INVALID" where nothing is mapped. Without a PML4 in the VTable slot it prints
 * "Invalid vspace"; with a misaligned RSP, "RSP not aligned".
 */
function userStackTrace(ks: KernelState, t: TCB): string {
  if (t.slots[TCB_VTABLE]!.cap.type !== "PML4") return "Invalid vspace\n";
  const sp = t.regs[RSP]!;
  if ((sp & 7n) !== 0n) return "RSP not aligned\n";
  let out = "";
  for (let i = 0n; i < BigInt(CONFIG_USER_STACK_TRACE_LENGTH); i++) {
    const address = (sp + i * 8n) & WORD_MASK;
    const paddr = translateVAddr(ks, t, address);
    out += `${formatHexWord(address)}: ${paddr === null ? "INVALID" : formatHexWord(ks.physRead(paddr / 8))}\n`;
  }
  return out;
}

function threadTrailer(ks: KernelState, t: TCB): string {
  return (
    `\nin thread ${formatPointer(tcbPointer(t))} "${t.name}" at address ${formatPointer(t.regs[FaultIP]!)}\n` +
    "With stack:\n" +
    userStackTrace(ks, t)
  );
}

/** master handleDoubleFault: the fault handler could not be reached. */
export function printDoubleFault(ks: KernelState, t: TCB, handlerFault: Fault, original: Fault): void {
  ks.print(
    `Caught ${describeFault(ks, handlerFault)}\nwhile trying to handle:\n${describeFault(ks, original)}` +
      threadTrailer(ks, t),
  );
}

/** MCS handleNoFaultHandler. */
export function printNoFaultHandler(ks: KernelState, t: TCB, fault: Fault): void {
  ks.print(
    `Found thread has no fault handler while trying to handle:\n${describeFault(ks, fault)}` + threadTrailer(ks, t),
  );
}

/**
 * seL4_DebugDumpScheduler (include/api/debug.h debug_dumpScheduler/debug_printTCB), for one core and
 * one domain: "%-40s   %-16s   %-18p   %4lu" per thread (MCS adds "   %-14s" yes/no for the release
 * queue), newest TCB first, as tcbDebugAppend prepends to ksDebugTCBs.
 */
export function dumpScheduler(ks: KernelState): string {
  let out = "Dumping all tcbs!\n";
  out +=
    `${"Name".padEnd(40)}   ${"State".padEnd(16)}   ${"IP".padEnd(18)}   ${"Prio".padEnd(4)}` +
    (ks.mcs ? `   ${"InReleaseQueue".padEnd(14)}` : "") +
    "\n";
  out += "-".repeat(88) + (ks.mcs ? "-".repeat(17) : "") + "\n";
  for (let i = ks.tcbs.length - 1; i >= 0; i--) {
    const t = ks.tcbs[i]!;
    if (!t.live) continue;
    out +=
      `${t.name.padEnd(40)}   ${THREAD_STATE_NAMES[t.state].padEnd(16)}   ${formatPointer(t.regs[FaultIP]!).padEnd(18)}   ` +
      String(t.priority).padStart(4) +
      (ks.mcs ? `   ${(t.inReleaseQueue ? "yes" : "no").padEnd(14)}` : "") +
      "\n";
  }
  return out;
}
