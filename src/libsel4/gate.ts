// The register-level side of libsel4 on x86_64 (libsel4 sel4_arch/syscalls_syscall.h; the kernel's
// side in include/arch/x86/arch/64/mode/machine/registerset.h): the syscall number goes in RDX,
// cap/badge in RDI, message info in RSI, MR0..3 in R10, R8, R9, R15. Everything that enters the
// kernel goes through here.
import { IPCBUF_MSG, type KernelConfig } from "../abi/constants.js";
import { syscallNumber, type SyscallName } from "../abi/syscall.js";
import { RDI, RDX, RSI, msgRegisters } from "../abi/registers.js";
import type { Sel4Channel } from "./channel.js";
import { MessageInfo } from "./message-info.js";
import { wordToNumber } from "./words.js";

export class ConfigError extends Error {
  override name = "seL4ConfigError";
}

export class Gate {
  readonly regs: BigUint64Array;
  readonly config: KernelConfig;

  constructor(readonly ch: Sel4Channel) {
    this.regs = ch.regs;
    this.config = ch.config;
  }

  /** Traps with `name` in RDX; the caller has set the other registers. */
  enter(name: SyscallName): void {
    const n = syscallNumber(this.config, name);
    if (n === undefined) throw new Error(`internal: ${name} has no syscall number on ${this.config}`);
    this.regs[RDX] = BigInt.asUintN(64, BigInt(n));
    this.ch.syscall();
  }

  /** MR0..3 from the IPC buffer into their registers, as the libsel4 wrappers do before a send. */
  loadMRs(): void {
    const buf = this.ch.ipcBuffer();
    for (let i = 0; i < msgRegisters.length; i++) this.regs[msgRegisters[i]!] = buf[IPCBUF_MSG + i]!;
  }

  /** MR0..3 from their registers back into the IPC buffer, as the wrappers do after a receive. */
  storeMRs(): void {
    const buf = this.ch.ipcBuffer();
    for (let i = 0; i < msgRegisters.length; i++) buf[IPCBUF_MSG + i] = this.regs[msgRegisters[i]!]!;
  }

  info(): MessageInfo {
    return new MessageInfo(this.regs[RSI]!);
  }

  badge(): number {
    return wordToNumber(this.regs[RDI]!);
  }

  /** An error for using an API the way the other kernel configuration has it. */
  configError(fn: string, message: string): ConfigError {
    const where = this.ch.location();
    return new ConfigError(`${fn}: ${message}${where ? ` (at ${where})` : ""}`);
  }

  configName(config: KernelConfig = this.config): string {
    return config === "mcs" ? "MCS" : "master (non-MCS)";
  }

  /** A stub for a function the running configuration lacks. */
  missing(fn: string, hint: string): (...args: unknown[]) => never {
    return () => {
      throw this.configError(fn, `does not exist on the ${this.configName()} kernel; ${hint}`);
    };
  }
}
