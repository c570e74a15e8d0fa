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
/**
 * printf and console.log, whatever the length of the text (0.5 ms): the C library's formatting and
 * its writes to the serial console, taken as one line's worth. The value is not measured (QEMU,
 * which runs the official tutorials, has no fixed timing); it is the smallest round one under
 * which the official MCS tutorial behaves as documented: a thread with a 500 µs budget that prints
 * one line and yields must run out of budget before it yields, so a printf must take more than
 * 500 µs − MIN_BUDGET (480 µs). docs/fidelity.md has the whole cost model.
 */
const PRINT_NS = 500_000;

export const SYSCALL_POINTS = SYSCALL_NS / NS_PER_POINT;
export const MEMORY_ACCESS_POINTS = MEMORY_ACCESS_NS / NS_PER_POINT;
export const PRINT_POINTS = PRINT_NS / NS_PER_POINT;
