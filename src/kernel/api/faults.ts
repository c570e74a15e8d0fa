// Fault messages and fault replies (src/api/faults.c setMRs_fault, handleFaultReply;
// src/arch/x86/api/faults.c). The only code that knows each fault's message layout.
import { faultLabel, seL4_FastMessageRegisters } from "../../abi/constants.js";
import { msgFromLookupFailure, type Fault } from "./failures.js";
import { messageInfoFromWord, type Word } from "./types.js";
import {
  FaultIP,
  msgInfoRegister,
  timeoutReplyRegisters,
  unknownSyscallRegisters,
  userExceptionRegisters,
  RSP,
  FLAGS,
} from "../../abi/registers.js";
import { sanitiseRegister } from "../arch/registerset.js";
import type { KernelState } from "../model/state.js";
import type { TCB } from "../object/structures.js";
import { getMR, lookupIPCBuffer } from "../kernel/message.js";

/** The restart PC of a thread: the instruction that faulted or the syscall that will re-run. */
function getRestartPC(t: TCB): Word {
  return t.regs[FaultIP]!;
}

/** Label and message words of a fault message, before length capping by the receiver's buffer. */
export function faultMessage(ks: KernelState, sender: TCB, fault: Fault): { label: number; words: Word[] } {
  const label = faultLabel(ks.config, fault.type);
  switch (fault.type) {
    case "CapFault":
      return {
        label,
        words: [
          getRestartPC(sender),
          fault.address,
          fault.inReceivePhase ? 1n : 0n,
          ...msgFromLookupFailure(fault.lookupFailure),
        ],
      };
    case "VMFault":
      return {
        label,
        words: [getRestartPC(sender), fault.address, fault.instructionFault ? 1n : 0n, BigInt(fault.fsr)],
      };
    case "UnknownSyscall":
      return { label, words: [...unknownSyscallRegisters.map((r) => sender.regs[r]!), fault.syscallNumber] };
    case "UserException":
      return {
        label,
        words: [
          sender.regs[FaultIP]!,
          sender.regs[RSP]!,
          sender.regs[FLAGS]!,
          BigInt(fault.number),
          BigInt(fault.code),
        ],
      };
    case "Timeout": {
      const words = [fault.badge];
      if (sender.sc !== null) {
        // seL4_Timeout_Consumed: µs consumed since it was last read.
        words.push(BigInt(Math.floor(sender.sc.consumed / 1000)));
        sender.sc.consumed = 0;
      }
      return { label, words };
    }
  }
}

/**
 * copyMRsFaultReply: reply word i goes to register regs[i], through sanitiseRegister. MR0..3 come
 * from the replier's registers; the rest only when the replier has an IPC buffer (otherwise those
 * registers keep their values).
 */
function copyMRsFaultReply(ks: KernelState, sender: TCB, receiver: TCB, regs: readonly number[], n: number): void {
  const buf = lookupIPCBuffer(ks, false, sender);
  const count = buf === null ? Math.min(n, seL4_FastMessageRegisters) : n;
  for (let i = 0; i < count; i++) {
    const r = regs[i]!;
    receiver.regs[r] = sanitiseRegister(r, getMR(ks, sender, buf, i));
  }
}

/** handleFaultReply: whether the faulted thread restarts. Cap and VM faults always do. */
export function handleFaultReply(ks: KernelState, receiver: TCB, sender: TCB, fault: Fault): boolean {
  const tag = messageInfoFromWord(sender.regs[msgInfoRegister]!);
  switch (fault.type) {
    case "CapFault":
    case "VMFault":
      return true;
    case "UnknownSyscall":
      copyMRsFaultReply(
        ks,
        sender,
        receiver,
        unknownSyscallRegisters,
        Math.min(tag.length, unknownSyscallRegisters.length),
      );
      return tag.label === 0n;
    case "UserException":
      copyMRsFaultReply(
        ks,
        sender,
        receiver,
        userExceptionRegisters,
        Math.min(tag.length, userExceptionRegisters.length),
      );
      return tag.label === 0n;
    case "Timeout":
      copyMRsFaultReply(
        ks,
        sender,
        receiver,
        timeoutReplyRegisters,
        Math.min(tag.length, timeoutReplyRegisters.length),
      );
      return tag.label === 0n;
  }
}
