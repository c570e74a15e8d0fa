// What sel4test's MCS tests do with their helper threads, written against the in-process harness:
// the test thread "sleeps" by giving up a short periodic budget (seL4_Yield on MCS waits for the
// next refill), helpers spin in user mode, and restart_after_syscall moves a helper past the
// syscall it was stopped in (seL4_TCB_ReadRegisters, rip + 2, seL4_TCB_WriteRegisters with resume).
import type { KernelConfig as Config } from "../../../src/abi/constants.js";
import { sys, type Program, type Request } from "../../support/in-process.js";
import { kernelOps, D } from "../cspace-helpers.js";
import { MS } from "../ipc-helpers.js";
import type { ThreadSpec } from "../fixtures.js";

/** x86_64's ARCH_SYSCALL_INSTRUCTION_SIZE (the `syscall` instruction is two bytes). */
const SYSCALL_INSTRUCTION_SIZE = 2n;

/** The test thread: it sleeps `period` at a time on a 1 ms budget (sel4test_sleep's effect on the caller). */
export function sleeper(name: string, priority: number, periodMs: number): ThreadSpec {
  return { name, priority, sc: { budgetUs: 1_000, periodUs: periodMs * 1_000 } };
}

/** sel4test_sleep for a sleeper: give up the rest of this period's budget. */
export function sleep(): Request {
  return sys.yield();
}

/** A helper's endless loop: count in `state` with `ms` of user-mode work between increments. */
export function* spinCounting(state: { n: number }, ms = 1): Program {
  for (;;) {
    state.n++;
    yield sys.spin(ms * MS);
  }
}

/** The invocations these ports make, marshalled as libsel4 does. */
export function ops(config: Config) {
  const { label: L, delete: del } = kernelOps(config);
  return {
    L,
    /** seL4_CNode_Delete(cnode, slot, 64) in a single-level CSpace. */
    cnodeDelete: (cnode: number, slot: number) => del(cnode, slot, D),
    suspend: (tcb: number) => sys.call(tcb, L("TCBSuspend")),
    resume: (tcb: number) => sys.call(tcb, L("TCBResume")),
    readRegisters: (tcb: number) => sys.call(tcb, L("TCBReadRegisters"), [0, 20]),
    writeRegisters: (tcb: number, resume: boolean, regs: bigint[]) =>
      sys.call(tcb, L("TCBWriteRegisters"), [resume ? 1 : 0, regs.length, ...regs]),
  };
}

/** restart_after_syscall: read the helper's registers, step rip past its syscall, write them back and resume it. */
export function* restartAfterSyscall(
  config: Config,
  tcb: number,
): Generator<Request, void, { label: bigint; mrs: bigint[] }> {
  const o = ops(config);
  const regs = (yield o.readRegisters(tcb)).mrs.slice(0, 20);
  regs[0] = regs[0]! + SYSCALL_INSTRUCTION_SIZE;
  const r = yield o.writeRegisters(tcb, true, regs);
  if (r.label !== 0n) throw new Error(`restart_after_syscall: WriteRegisters failed with ${r.label}`);
}
