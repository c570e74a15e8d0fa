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
 * printf and console.log, per byte of text: the time a 115200-baud serial console (8N1, so 10
 * bits a character), such as QEMU's COM1 behind the tutorials' printf, takes to send it. The value
 * is not measured (QEMU, which runs the official tutorials, has no fixed timing); the line rate is
 * the one under which the official MCS tutorial behaves as documented: a thread with a 500 µs
 * budget that prints "Yield\n" and yields must run out of budget before it yields (6 characters,
 * 521 µs, is more than 500 µs − MIN_BUDGET), while the ipc tutorial's server, which prints its
 * clients' words one character at a time, still finishes a word inside its timeslice.
 * docs/fidelity.md has the whole cost model.
 */
const PRINT_NS_PER_BYTE = 86_800; // 10 bits at 115200 baud, to the 100 ns of a preemption point

export const SYSCALL_POINTS = SYSCALL_NS / NS_PER_POINT;
export const MEMORY_ACCESS_POINTS = MEMORY_ACCESS_NS / NS_PER_POINT;
export const PRINT_POINTS_PER_BYTE = PRINT_NS_PER_BYTE / NS_PER_POINT;
