// The simulated x86_64 register file of a thread. It lives in physical memory (the TCB's
// context area) so that a user thread's worker and the kernel see the same words.
// Index order is ours; the orders seL4 exposes (UnknownSyscall MRs, seL4_UserContext)
// are listed below and translated explicitly.

export const RAX = 0,
  RBX = 1,
  RCX = 2,
  RDX = 3,
  RSI = 4,
  RDI = 5,
  RBP = 6;
export const R8 = 7,
  R9 = 8,
  R10 = 9,
  R11 = 10,
  R12 = 11,
  R13 = 12,
  R14 = 13,
  R15 = 14;
export const FaultIP = 15,
  NextIP = 16,
  RSP = 17,
  FLAGS = 18,
  FS_BASE = 19,
  GS_BASE = 20;
/** Words reserved per thread context (room for machine-layer scratch after the registers). */
export const CONTEXT_WORDS = 32;
export const CONTEXT_BYTES = CONTEXT_WORDS * 8;

/** Syscall ABI (registerset.h): cap/badge in RDI, message info in RSI, number in RDX. */
export const capRegister = RDI;
export const badgeRegister = RDI;
export const msgInfoRegister = RSI;
export const syscallNumberRegister = RDX;
/** MR0..MR3 travel in these registers. */
export const msgRegisters = [R10, R8, R9, R15] as const;
/** MCS only: the reply cap of Recv/ReplyRecv/NBSendRecv, and NBSendRecv's destination. */
export const replyRegister = R12;
export const nbsendRecvDest = R13;

/** seL4_UnknownSyscall MR0..17 in order. */
export const unknownSyscallRegisters = [
  RAX,
  RBX,
  RCX,
  RDX,
  RSI,
  RDI,
  RBP,
  R8,
  R9,
  R10,
  R11,
  R12,
  R13,
  R14,
  R15,
  FaultIP,
  RSP,
  FLAGS,
] as const;
/** seL4_UserException MR0..2 (FaultIP, SP, FLAGS). */
export const userExceptionRegisters = [FaultIP, RSP, FLAGS] as const;
/** MCS timeout-fault reply registers (seL4_TimeoutReply_*), TLS_BASE mapped to FS_BASE. */
export const timeoutReplyRegisters = [
  FaultIP,
  RSP,
  FLAGS,
  RAX,
  RBX,
  RCX,
  RDX,
  RSI,
  RDI,
  RBP,
  R8,
  R9,
  R10,
  R11,
  R12,
  R13,
  R14,
  R15,
  FS_BASE,
] as const;
/** seL4_UserContext order: rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8..r15, fs_base, gs_base. */
export const userContextRegisters = [
  FaultIP,
  RSP,
  FLAGS,
  RAX,
  RBX,
  RCX,
  RDX,
  RSI,
  RDI,
  RBP,
  R8,
  R9,
  R10,
  R11,
  R12,
  R13,
  R14,
  R15,
  FS_BASE,
  GS_BASE,
] as const;
export const seL4_UserContextWords = 20;
/** The first 18 words of seL4_UserContext ("frame registers") and the last 2 ("gp registers"). */
export const frameRegisters = userContextRegisters.slice(0, 18);
export const gpRegisters = userContextRegisters.slice(18);
/** Length of the x86 `syscall` instruction: FaultIP = NextIP - 2 on entry. */
export const SYSCALL_INSN_BYTES = 2n;
