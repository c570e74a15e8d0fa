// The three failure vocabularies of the kernel (faults, syscall errors, lookup failures) and
// the only code that knows how each becomes message registers (seL4's msgFromLookupFailure,
// setMRs_syscall_error and setMRs_fault live in one place here too).
import {
  seL4_DepthMismatch,
  seL4_GuardMismatch,
  seL4_InvalidRoot,
  seL4_MissingCapability,
} from "../../abi/constants.js";
import type { Word } from "./types.js";

export type LookupFailure =
  | { type: "InvalidRoot" }
  | { type: "MissingCapability"; bitsLeft: number }
  | { type: "DepthMismatch"; bitsLeft: number; bitsFound: number }
  | { type: "GuardMismatch"; bitsLeft: number; guardFound: Word; bitsFound: number };

/** Words of a lookup failure as they appear in messages: the type (kernel tag + 1), then its fields. */
export function msgFromLookupFailure(lf: LookupFailure): Word[] {
  switch (lf.type) {
    case "InvalidRoot":
      return [BigInt(seL4_InvalidRoot)];
    case "MissingCapability":
      return [BigInt(seL4_MissingCapability), BigInt(lf.bitsLeft)];
    case "DepthMismatch":
      return [BigInt(seL4_DepthMismatch), BigInt(lf.bitsLeft), BigInt(lf.bitsFound)];
    case "GuardMismatch":
      return [BigInt(seL4_GuardMismatch), BigInt(lf.bitsLeft), lf.guardFound, BigInt(lf.bitsFound)];
  }
}

export type SyscallError =
  | { type: "InvalidArgument"; argumentNumber: number }
  | { type: "InvalidCapability"; capNumber: number }
  | { type: "IllegalOperation" }
  | { type: "RangeError"; min: Word | number; max: Word | number }
  | { type: "AlignmentError" }
  | { type: "FailedLookup"; source: boolean; lookupFailure: LookupFailure }
  | { type: "TruncatedMessage" }
  | { type: "DeleteFirst" }
  | { type: "RevokeFirst" }
  | { type: "NotEnoughMemory"; memoryLeft: Word | number };

const ERROR_NUMBERS: Record<SyscallError["type"], number> = {
  InvalidArgument: 1,
  InvalidCapability: 2,
  IllegalOperation: 3,
  RangeError: 4,
  AlignmentError: 5,
  FailedLookup: 6,
  TruncatedMessage: 7,
  DeleteFirst: 8,
  RevokeFirst: 9,
  NotEnoughMemory: 10,
};
export function errorNumber(e: SyscallError): number {
  return ERROR_NUMBERS[e.type];
}

/** setMRs_syscall_error: the detail words of an error reply. */
export function msgFromSyscallError(e: SyscallError): Word[] {
  switch (e.type) {
    case "InvalidArgument":
      return [BigInt(e.argumentNumber)];
    case "InvalidCapability":
      return [BigInt(e.capNumber)];
    case "RangeError":
      return [BigInt(e.min), BigInt(e.max)];
    case "FailedLookup":
      return [e.source ? 1n : 0n, ...msgFromLookupFailure(e.lookupFailure)];
    case "NotEnoughMemory":
      return [BigInt(e.memoryLeft)];
    default:
      return [];
  }
}

export type Fault =
  | { type: "CapFault"; address: Word; inReceivePhase: boolean; lookupFailure: LookupFailure }
  | { type: "VMFault"; address: Word; fsr: number; instructionFault: boolean }
  | { type: "UnknownSyscall"; syscallNumber: Word }
  | { type: "UserException"; number: number; code: number }
  | { type: "Timeout"; badge: Word };

/** Thrown inside the kernel to unwind a lookup phase; converted explicitly by its catcher. */
export class LookupFailureError {
  constructor(readonly failure: LookupFailure) {}
}
/** Thrown by a decode phase; becomes an error reply (Call) or is dropped (Send/NBSend). */
export class SyscallErrorThrow {
  /** `fn` is the kernel function whose userError line reports it (the decoder, by default). */
  constructor(
    readonly error: SyscallError,
    readonly message: string,
    readonly fn?: string,
  ) {}
}

export function lookupFault(lf: LookupFailure): never {
  throw new LookupFailureError(lf);
}
export function syscallError(error: SyscallError, message: string): never {
  throw new SyscallErrorThrow(error, message);
}
