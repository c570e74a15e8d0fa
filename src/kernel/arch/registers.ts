// The simulated x86_64 register file of a thread. It lives in physical memory (the TCB's
// context area) so that a user thread's worker and the kernel see the same words.
// Index order is ours; the orders seL4 exposes (UnknownSyscall MRs, seL4_UserContext)
// are listed below and translated explicitly.

export const RAX = 0, RBX = 1, RCX = 2, RDX = 3, RSI = 4, RDI = 5, RBP = 6;
export const R8 = 7, R9 = 8, R10 = 9, R11 = 10, R12 = 11, R13 = 12, R14 = 13, R15 = 14;
export const FaultIP = 15, NextIP = 16, RSP = 17, FLAGS = 18, FS_BASE = 19, GS_BASE = 20;
/** Words reserved per thread context (room for machine-layer scratch after the registers). */
export const CONTEXT_WORDS = 32;
export const CONTEXT_BYTES = CONTEXT_WORDS * 8;

/** Syscall ABI (registerset.h): cap/badge in RDI, message info in RSI, number in RDX. */
export const capRegister = RDI;
export const badgeRegister = RDI;
export const msgInfoRegister = RSI;
export const syscallNumberRegister = RDX;
/**
 * The syscall number in RDX as a JavaScript number, read from the register's two 32-bit halves
 * (little-endian) so that dispatching a syscall makes no bigint. seL4's numbers are small negative
 * ones; any other word gives 0, which names no syscall.
 */
export function syscallNumberOf(mem: { mem32: Int32Array }, t: { contextAddr: number }): number {
  const low = (t.contextAddr >> 2) + 2 * syscallNumberRegister;
  const lo = mem.mem32[low]!, hi = mem.mem32[low + 1]!;
  return hi === -1 && lo < 0 ? lo : 0;
}
/** MR0..MR3 travel in these registers. */
export const msgRegisters = [R10, R8, R9, R15] as const;
/** MCS only: the reply cap of Recv/ReplyRecv/NBSendRecv, and NBSendRecv's destination. */
export const replyRegister = R12;
export const nbsendRecvDest = R13;

/** seL4_UnknownSyscall MR0..17 in order. */
export const unknownSyscallRegisters = [
  RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, FaultIP, RSP, FLAGS,
] as const;
/** seL4_UserException MR0..2 (FaultIP, SP, FLAGS). */
export const userExceptionRegisters = [FaultIP, RSP, FLAGS] as const;
/** MCS timeout-fault reply registers (seL4_TimeoutReply_*), TLS_BASE mapped to FS_BASE. */
export const timeoutReplyRegisters = [
  FaultIP, RSP, FLAGS, RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, FS_BASE,
] as const;
/** seL4_UserContext order: rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8..r15, fs_base, gs_base. */
export const userContextRegisters = [
  FaultIP, RSP, FLAGS, RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15, FS_BASE, GS_BASE,
] as const;
export const seL4_UserContextWords = 20;
/** The first 18 words of seL4_UserContext ("frame registers") and the last 2 ("gp registers"). */
export const frameRegisters = userContextRegisters.slice(0, 18);
export const gpRegisters = userContextRegisters.slice(18);
export const REGISTER_NAMES = [
  "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
  "FaultIP", "NextIP", "rsp", "rflags", "fs_base", "gs_base",
] as const;
/** Length of the x86 `syscall` instruction: FaultIP = NextIP - 2 on entry. */
export const SYSCALL_INSN_BYTES = 2n;

/** x86 RFLAGS bits (include/arch/x86/arch/machine/cpu_registers.h). */
export const FLAGS_TF = 1n << 8n;
export const FLAGS_IF = 1n << 9n;
export const FLAGS_HIGH = 1n << 1n;
export const FLAGS_LOW = (1n << 3n) | (1n << 5n);
export const FLAGS_MASK = (1n << 12n) - 1n;
/** A new thread's RFLAGS: interrupts enabled plus the always-one bit 1 (0x202). */
export const FLAGS_USER_DEFAULT = FLAGS_IF | FLAGS_HIGH;

/** Arch_initContext: every register 0 except RFLAGS, which starts as FLAGS_USER_DEFAULT. */
export function initContext(regs: BigUint64Array): void {
  regs.fill(0n);
  regs[FLAGS] = FLAGS_USER_DEFAULT;
}

/**
 * sanitiseRegister (src/arch/x86/machine/registerset.c, 64/machine/registerset.c): what the kernel
 * does to a value a user writes into another thread's registers (WriteRegisters, fault replies).
 * Instruction pointers and TLS bases must be canonical (else 0); RFLAGS keeps only the user-settable
 * low 12 bits, with interrupts on, no single-step trap, bit 1 set and bits 3 and 5 clear.
 */
export function sanitiseRegister(reg: number, v: bigint): bigint {
  if (reg === FaultIP || reg === NextIP || reg === FS_BASE || reg === GS_BASE) {
    if (v > 0x00007fffffffffffn && v < 0xffff800000000000n) return 0n;
  }
  if (reg === FLAGS) {
    let f = (v | FLAGS_HIGH) & ~FLAGS_LOW;
    f = (f | FLAGS_IF) & ~FLAGS_TF;
    return f & FLAGS_MASK;
  }
  return v;
}
