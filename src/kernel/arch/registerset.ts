// What the kernel does with a thread's registers beyond naming them (the names and the ABI are in
// src/abi/registers.ts): seL4's src/arch/x86/machine/registerset.c and 64/machine/registerset.c.
import { FLAGS, FS_BASE, FaultIP, GS_BASE, NextIP, syscallNumberRegister } from "../../abi/registers.js";

/**
 * The syscall number in RDX as a JavaScript number, read from the register's two 32-bit halves
 * (little-endian) so that dispatching a syscall makes no bigint. seL4's numbers are small negative
 * ones; any other word gives 0, which names no syscall.
 */
export function syscallNumberOf(mem: { mem32: Int32Array }, t: { contextAddr: number }): number {
  const low = (t.contextAddr >> 2) + 2 * syscallNumberRegister;
  const lo = mem.mem32[low]!,
    hi = mem.mem32[low + 1]!;
  return hi === -1 && lo < 0 ? lo : 0;
}
/** x86 RFLAGS bits (include/arch/x86/arch/machine/cpu_registers.h). */
const FLAGS_TF = 1n << 8n;
const FLAGS_IF = 1n << 9n;
const FLAGS_HIGH = 1n << 1n;
const FLAGS_LOW = (1n << 3n) | (1n << 5n);
const FLAGS_MASK = (1n << 12n) - 1n;
/** A new thread's RFLAGS: interrupts enabled plus the always-one bit 1 (0x202). */
const FLAGS_USER_DEFAULT = FLAGS_IF | FLAGS_HIGH;

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
