// Virtual time charged for what user code does. Nothing here reads a clock: a thread's time is
// counted in preemption points, so the same program always sees the same timer interrupts.

/**
 * One preemption point (a loop iteration or a function call, with the statements around it).
 * 100 ns is a short loop body on a ~3 GHz x86 core; a `while (true) {}` thread thus spins
 * 100 000 times per 10 ms timeslice.
 */
export const NS_PER_POINT = 100;
/** A kernel entry and exit through libsel4, about a slow-path seL4 IPC on x86_64 (1 µs). */
const SYSCALL_NS = 1_000;
/** One load or store that the MMU model checks (a memory access plus its page walk). */
const MEMORY_ACCESS_NS = NS_PER_POINT;
/** printf and console.log: the tutorials' printf goes out through seL4_DebugPutChar. */
const PRINT_NS = SYSCALL_NS;

export const SYSCALL_POINTS = SYSCALL_NS / NS_PER_POINT;
export const MEMORY_ACCESS_POINTS = MEMORY_ACCESS_NS / NS_PER_POINT;
export const PRINT_POINTS = PRINT_NS / NS_PER_POINT;
