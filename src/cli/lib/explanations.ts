// What `sel4tut explain` says about each seL4 fault, error and lookup failure a learner can see,
// and about the two ways a run gets stuck (double fault, deadlock). Numbers and register names
// come from the kernel model's constants (src/abi/constants.ts), never typed in here;
// the facts are seL4's (errors.h; resolveAddressBits in src/kernel/cspace.c; handleFault and
// handleDoubleFault in src/kernel/faulthandler.c; setMRs_fault in src/api/faults.c; userError in
// include/api/types.h).
import * as C from "../../abi/constants.js";
import { unknownSyscallRegisters } from "../../abi/registers.js";

/** What a topic is in seL4's vocabulary; the header (name and number) is derived from it. */
export type TopicKind =
  | { kind: "fault"; fault: C.FaultType; name: string }
  | { kind: "error"; name: (typeof C.ERROR_NAMES)[number] }
  | {
      kind: "lookup";
      name: "seL4_InvalidRoot" | "seL4_MissingCapability" | "seL4_DepthMismatch" | "seL4_GuardMismatch";
    }
  | { kind: "report"; name: string };

export interface Register {
  mr: number | string;
  name: string;
  content: string;
}

/** A tutorial task where the concept is practised (checked to exist by the tests). */
interface TutorialRef {
  tutorial: string;
  task?: string;
}

export interface Explanation {
  topic: string;
  /** Other spellings a learner may type or see (seL4 names, words from the kernel's output). */
  aliases: string[];
  what: TopicKind;
  summary: string;
  meaning: string[];
  registers?: { heading: string; rows: Register[] };
  causes: string[];
  helps: string[];
  tutorials: TutorialRef[];
}

/**
 * Message-register rows for the constants named prefix + suffix: the MR number is the
 * constant's value, so a wrong suffix fails at load time instead of printing a made-up layout.
 */
function rows(prefix: string, contents: Record<string, string>): Register[] {
  return Object.entries(contents).map(([suffix, content]) => {
    const name = `${prefix}${suffix}`;
    const value = (C as unknown as Record<string, unknown>)[name];
    if (typeof value !== "number") throw new Error(`internal: ${name} is not a constant of the kernel model`);
    return { mr: value, name, content };
  });
}

const CALL_ONLY =
  "On seL4 the error comes back only from invocations made with seL4_Call, which is how the libsel4 " +
  "functions (seL4_CNode_Copy, seL4_TCB_SetPriority, ...) are built; a plain seL4_Send or seL4_NBSend to a kernel " +
  "object drops the error without a word. The debug kernel also prints a <<seL4(CPU 0) [...]: ...>> line saying which check failed.";

const FAULT_FLOW =
  "The kernel stops the thread and sends a fault message to the thread's fault endpoint, as if the " +
  "thread had called it; the handler reads the message registers below with seL4_GetMR and answers with a reply.";

const LOOKUP_WHERE =
  `In a cap fault the lookup-failure type is MR${C.seL4_CapFault_LookupFailureType} ` +
  `(seL4_CapFault_LookupFailureType) and its fields follow in MR${C.seL4_CapFault_BitsLeft} onwards; in a seL4_FailedLookup ` +
  "error the type is MR1 and its fields follow from MR2. The number in the message is the kernel's internal tag plus 1.";

const DEPTH_HELP =
  "In a CSpace with one level, such as the tutorial threads' (a CNode whose guard covers the bits above the " +
  "slot index), give every explicit depth as seL4_WordBits: the whole CPtr is resolved in one step. The generated cspace " +
  "module (.sel4tut/gen/cspace_THREAD.ts) says how each thread's CSpace is laid out.";

const FAULTS: Explanation[] = [
  {
    topic: "cap-fault",
    aliases: ["seL4_Fault_CapFault", "cap fault", "cap fault in send phase", "cap fault in receive phase"],
    what: { kind: "fault", fault: "CapFault", name: "seL4_Fault_CapFault" },
    summary: "a system call named a capability the kernel could not find or use",
    meaning: [
      "A thread gave the kernel a CPtr that does not lead to a usable capability: the cap it invoked with seL4_Send or " +
        "seL4_Call could not be looked up, an extra cap it was sending could not be looked up, or the slot it received on " +
        "(seL4_Recv, seL4_NBRecv, and on MCS seL4_Wait or the reply cap) is empty, holds the wrong kind of cap, or lacks " +
        "the Read right. The first two are send-phase faults, the last a receive-phase fault.",
      FAULT_FLOW,
      "After the reply the thread restarts: it runs the same system call again, whatever label the reply carried. If " +
        "the handler did not put a usable cap where the CPtr points, the thread faults again.",
      "Not every bad CPtr faults: seL4_NBSend ignores it silently, seL4_Send ignores an empty slot, and seL4_Call on " +
        "an empty slot returns seL4_InvalidCapability instead (see sel4tut explain seL4_InvalidCapability).",
    ],
    registers: {
      heading:
        "Fault message (x86_64; length 4 for an invalid root, 5 for a missing capability, 6 for a depth mismatch, 7 for a guard mismatch)",
      rows: rows("seL4_CapFault_", {
        IP: "the address of the system call that faulted (where the thread restarts)",
        Addr: "the CPtr that could not be used",
        InRecvPhase: "1 if the receive side failed (seL4_Recv and friends), 0 for the send side",
        LookupFailureType:
          `why: ${C.seL4_InvalidRoot} invalid root, ${C.seL4_MissingCapability} missing capability, ` +
          `${C.seL4_DepthMismatch} depth mismatch, ${C.seL4_GuardMismatch} guard mismatch (sel4tut explain each)`,
        BitsLeft:
          "bits of the CPtr not yet resolved when the lookup stopped (missing capability, depth and guard mismatch)",
        DepthMismatch_BitsFound: "depth mismatch: the bits the CNode level would have used",
        GuardMismatch_GuardFound: "guard mismatch: the CNode's guard value (same MR as the line above)",
        GuardMismatch_BitsFound: "guard mismatch: the size of the CNode's guard in bits",
      }),
    },
    causes: [
      "Receiving on a slot that was never filled, or on a cap without the Read right (the fault-handlers faulter does this on purpose).",
      "Using a cap name from one thread's cspace module in another thread: CPtrs are only meaningful in their own CSpace.",
      "Calling or sending on a CPtr that is a number you computed, not one of the generated cap names.",
    ],
    helps: [
      "Read MR1 (seL4_CapFault_Addr) in the handler to know which slot to repair, put a cap there (seL4_CNode_Copy into the faulter's CSpace), then reply so the faulter runs its system call again.",
      "If nobody handles the fault, the kernel prints a double fault instead: sel4tut explain double-fault.",
    ],
    tutorials: [
      { tutorial: "fault-handlers", task: "fault-ipc-recv" },
      { tutorial: "fault-handlers", task: "fault-handle" },
    ],
  },
  {
    topic: "vm-fault",
    aliases: ["seL4_Fault_VMFault", "vm fault", "vm fault on data", "vm fault on code", "page fault"],
    what: { kind: "fault", fault: "VMFault", name: "seL4_Fault_VMFault" },
    summary: "a thread touched memory that is not mapped (or not mapped for that kind of access)",
    meaning: [
      "The thread read, wrote or ran code at a virtual address where its VSpace has no mapping, or has one without the " +
        "right to do that (a write to a read-only page, for instance). In sel4tut, readWord and writeWord are such accesses.",
      FAULT_FLOW,
      "After the reply the thread restarts at the same instruction, whatever label the reply carried; if nothing was " +
        "mapped meanwhile it faults again at once.",
      "The label differs between configurations, because MCS puts seL4_Fault_Timeout before it: compare with the " +
        "seL4_Fault_VMFault constant, never with a literal number.",
    ],
    registers: {
      heading: `Fault message (x86_64; length ${C.seL4_VMFault_Length}, seL4_VMFault_Length)`,
      rows: rows("seL4_VMFault_", {
        IP: "the address of the instruction that faulted (not the address it touched)",
        Addr: "the virtual address it touched (CR2 on x86)",
        PrefetchFault: "1 if the fault was fetching an instruction, 0 for a data access",
        FSR: "the x86 page-fault error code: bit 0 page present, bit 1 write, bit 2 user mode, bit 4 instruction fetch (a user read of an unmapped page gives 4)",
      }),
    },
    causes: [
      "Reading seL4_VMFault_IP where seL4_VMFault_Addr was meant: the IP is where the code is, not the page to map.",
      "An address off by a page, or a page mapped read-only and then written.",
    ],
    helps: ["Map a frame at the page containing MR1 (round it down to the page size), then reply to the faulter."],
    tutorials: [
      { tutorial: "vm-faults", task: "vm-fault-addr" },
      { tutorial: "vm-faults", task: "vm-fault-map" },
    ],
  },
  {
    topic: "unknown-syscall",
    aliases: ["seL4_Fault_UnknownSyscall", "unknown syscall"],
    what: { kind: "fault", fault: "UnknownSyscall", name: "seL4_Fault_UnknownSyscall" },
    summary: "a thread executed the system-call instruction with a number the kernel does not have",
    meaning: [
      "The syscall instruction ran with a system-call number that is not one of the kernel's (sel4tut's rawSyscall lets " +
        "a thread do that). Such faults are how a handler can emulate system calls for the thread.",
      FAULT_FLOW,
      "Unlike cap and VM faults, the thread restarts only if the reply's label is 0; the reply's message registers are " +
        "written back into the thread's registers first (as many as the reply carries, in the order below). The handler " +
        "must move FaultIP past the instruction, or the same system call runs again and faults again forever. With a " +
        "non-zero label the thread stays stopped.",
    ],
    registers: {
      heading: `Fault message (x86_64; length ${C.seL4_UnknownSyscall_Length}, seL4_UnknownSyscall_Length)`,
      rows: [
        {
          mr: `0-${unknownSyscallRegisters.length - 1}`,
          name: "seL4_UnknownSyscall_RAX ... _FLAGS",
          content: "the thread's registers: RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8 to R15, FaultIP, SP, FLAGS",
        },
        ...rows("seL4_UnknownSyscall_", { Syscall: "the system-call number that was not recognised" }),
      ],
    },
    causes: ["A system-call number typed by hand (the seL4_Sys* numbers also differ between master and MCS)."],
    helps: ["Use the libsel4 functions (seL4_Send, seL4_Call, ...) rather than raw system calls."],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-resume" }],
  },
  {
    topic: "user-exception",
    aliases: ["seL4_Fault_UserException", "user exception", "uncaught exception"],
    what: { kind: "fault", fault: "UserException", name: "seL4_Fault_UserException" },
    summary: "the processor raised an exception in the thread's code that is not a page fault",
    meaning: [
      "On seL4 this is a processor exception other than a page fault: an invalid instruction, a division by zero, a " +
        "general-protection fault. In sel4tut an exception your TypeScript code throws and does not catch becomes this " +
        "fault, with number 0xd (13, x86's general-protection vector) and code 0; the line before the kernel's report " +
        '("Uncaught exception in thread ...") gives the JavaScript error and your source line.',
      FAULT_FLOW,
      "The thread restarts only if the reply's label is 0, after FaultIP, SP and FLAGS are taken from the reply's first " +
        "message registers; otherwise it stays stopped.",
    ],
    registers: {
      heading: `Fault message (x86_64; length ${C.seL4_UserException_Length}, seL4_UserException_Length)`,
      rows: rows("seL4_UserException_", {
        FaultIP: "the address of the instruction that raised the exception",
        SP: "the stack pointer",
        FLAGS: "the flags register",
        Number: "the x86 exception vector (6 invalid opcode, 13 general protection, ...)",
        Code: "the error code the processor gave with it",
      }),
    },
    causes: [
      "A TypeError or RangeError in your code: a wrong argument to a sel4 function, a printf format without enough arguments, unbounded recursion.",
    ],
    helps: [
      'Fix the line the "Uncaught exception" message points at. If the thread has no fault handler the kernel then prints a double fault: sel4tut explain double-fault.',
    ],
    tutorials: [],
  },
  {
    topic: "timeout",
    aliases: ["seL4_Fault_Timeout", "seL4_Fault_TimeoutFault", "timeout fault", "Timeout fault for"],
    what: { kind: "fault", fault: "Timeout", name: "seL4_Fault_Timeout" },
    summary: "(MCS only) a thread used up its scheduling context's budget and has a timeout handler",
    meaning: [
      "Only the MCS kernel has it. When a thread runs out of the budget of a scheduling context whose budget is smaller " +
        "than its period, and the thread has a timeout endpoint (seL4_TCB_SetTimeoutEndpoint), the kernel sends that " +
        "endpoint a timeout fault. Without a timeout endpoint, or with a round-robin context (budget equal to period), " +
        "the thread simply waits for its next refill. Timeout faults never lend the faulter's scheduling context to the handler.",
      "The thread restarts only if the reply's label is 0 (its registers may be rewritten from the reply's message registers).",
      "The seL4 manual calls it seL4_Fault_TimeoutFault; the constant is seL4_Fault_Timeout.",
      "Not the same as sel4tut's \"simulated time limit ... reached\": that is the tutorial's time budget for a whole run, " +
        "which ends a run whose threads loop forever.",
    ],
    registers: {
      heading: `Fault message (length ${C.seL4_Timeout_Length}, seL4_Timeout_Length; 1 if the thread has no scheduling context)`,
      rows: rows("seL4_Timeout_", {
        Data: "the badge given to seL4_SchedControl_Configure for that scheduling context",
        Consumed: "microseconds of budget consumed since it was last read",
      }),
    },
    causes: ["A periodic scheduling context whose budget is too small for the work done in each period."],
    helps: [
      "Give the context more budget or a longer period, or handle the fault and reply with label 0 to let the thread go on.",
    ],
    tutorials: [],
  },
];

/** Errors (libsel4 errors.h): what each means and the message registers the error reply carries. */
const ERRORS: Explanation[] = [
  {
    topic: "no-error",
    aliases: ["seL4_NoError"],
    what: { kind: "error", name: "seL4_NoError" },
    summary: "success",
    meaning: ["The invocation did what was asked."],
    causes: [],
    helps: [],
    tutorials: [],
  },
  {
    topic: "invalid-argument",
    aliases: ["seL4_InvalidArgument"],
    what: { kind: "error", name: "seL4_InvalidArgument" },
    summary: "a plain (non-capability) argument has a value the operation does not accept",
    meaning: [
      "One of the word arguments is not valid for this operation, for example an unknown object type given to seL4_Untyped_Retype.",
      CALL_ONLY,
    ],
    registers: {
      heading: "Error reply",
      rows: [{ mr: 0, name: "", content: "which argument was bad (its position)" }],
    },
    causes: ["An argument swapped with its neighbour, or a constant of the other kernel configuration."],
    helps: ["Check the argument at the position in MR0 against the function's signature in the sel4 typings."],
    tutorials: [],
  },
  {
    topic: "invalid-capability",
    aliases: ["seL4_InvalidCapability"],
    what: { kind: "error", name: "seL4_InvalidCapability" },
    summary: "a capability argument is of the wrong type or lacks a right, or the invoked slot is empty",
    meaning: [
      "A cap the invocation uses is not what it needs: the invoked slot is empty (seL4_Call on an empty slot returns this " +
        "rather than faulting), an endpoint or notification cap lacks the Write right, or a cap argument has the wrong type.",
      CALL_ONLY,
    ],
    registers: {
      heading: "Error reply",
      rows: [
        { mr: 0, name: "", content: "which cap: 0 is the invoked cap itself, 1 onwards the cap arguments in order" },
      ],
    },
    causes: [
      "A CPtr from the wrong thread's cspace module, or a slot that has not been filled yet.",
      "On MCS, seL4_TCB_SetSpace with a fault endpoint that is not an endpoint cap with Write and Grant (or GrantReply): MR0 is 1.",
    ],
    helps: [
      "Look at the cap at the position in MR0: is the slot filled, is it the kind of object the function expects, does it carry the rights?",
    ],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-ep-setup" }],
  },
  {
    topic: "illegal-operation",
    aliases: ["seL4_IllegalOperation"],
    what: { kind: "error", name: "seL4_IllegalOperation" },
    summary: "the operation is not allowed on this cap, or would produce an invalid cap",
    meaning: [
      "The kernel refuses the operation itself: the method does not exist for this kind of cap, the cap that a Mint or " +
        "Mutate would make is invalid, seL4_CNode_CancelBadgedSends on a cap without all rights, a thread reading its own " +
        "registers, and similar.",
      CALL_ONLY,
    ],
    causes: [
      "Minting a badge onto an endpoint cap that already has one: only an unbadged cap can be badged.",
      "seL4_CNode_Mutate or seL4_CNode_Rotate on an endpoint or notification cap: they can never change its badge.",
    ],
    helps: ["Mint badged caps from the original, unbadged endpoint cap."],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-badge" }],
  },
  {
    topic: "range-error",
    aliases: ["seL4_RangeError"],
    what: { kind: "error", name: "seL4_RangeError" },
    summary: "a number is outside the range the operation allows",
    meaning: ["A numeric argument is too small or too large; the reply says the allowed range.", CALL_ONLY],
    registers: {
      heading: "Error reply",
      rows: [
        { mr: 0, name: "", content: "the smallest allowed value" },
        { mr: 1, name: "", content: "the largest allowed value" },
      ],
    },
    causes: [
      `A CNode depth outside 1 to ${C.seL4_WordBits} (MR0 = 1, MR1 = ${C.seL4_WordBits}).`,
      "A priority above the maximum controlled priority of the authority TCB given to seL4_TCB_SetPriority or SetSchedParams.",
    ],
    helps: ["Compare your argument with MR0 and MR1."],
    tutorials: [],
  },
  {
    topic: "alignment-error",
    aliases: ["seL4_AlignmentError"],
    what: { kind: "error", name: "seL4_AlignmentError" },
    summary: "an address argument is not aligned as the operation requires",
    meaning: [
      `An address is not a multiple of what the operation needs, for example an IPC buffer address that is not aligned to ${2 ** C.seL4_IPCBufferSizeBits} bytes.`,
      CALL_ONLY,
    ],
    causes: ["An address computed by hand instead of taken from the system spec."],
    helps: ["Round the address to the required alignment."],
    tutorials: [],
  },
  {
    topic: "failed-lookup",
    aliases: ["seL4_FailedLookup"],
    what: { kind: "error", name: "seL4_FailedLookup" },
    summary: "a slot named by root, index and depth could not be found",
    meaning: [
      "CNode operations (seL4_CNode_Copy, Mint, Move, Mutate, Rotate, Delete, Revoke, ...) name slots by a CNode cap, an " +
        "index and a depth. The lookup of one of those slots failed, or a source slot that must hold a cap is empty.",
      CALL_ONLY,
    ],
    registers: {
      heading: "Error reply (the lookup-failure words follow the type, as in a cap fault)",
      rows: [
        { mr: 0, name: "", content: "1 if the source (or Rotate's pivot) lookup failed, 0 if the destination's" },
        {
          mr: 1,
          name: "",
          content: `the lookup-failure type: ${C.seL4_InvalidRoot} invalid root, ${C.seL4_MissingCapability} missing capability, ${C.seL4_DepthMismatch} depth mismatch, ${C.seL4_GuardMismatch} guard mismatch`,
        },
        {
          mr: "2-4",
          name: "",
          content: "that failure's fields (sel4tut explain missing-capability, depth-mismatch, guard-mismatch)",
        },
      ],
    },
    causes: [
      "A depth smaller than seL4_WordBits in a one-level CSpace (a guard mismatch).",
      "Copying or minting from a slot that is empty (a missing capability whose bits-left word is the depth you gave).",
      "A root argument that is not a CNode cap, such as a TCB or endpoint cap (an invalid root).",
    ],
    helps: [DEPTH_HELP],
    tutorials: [
      { tutorial: "fault-handlers", task: "fault-badge" },
      { tutorial: "fault-handlers", task: "fault-handle" },
    ],
  },
  {
    topic: "truncated-message",
    aliases: ["seL4_TruncatedMessage"],
    what: { kind: "error", name: "seL4_TruncatedMessage" },
    summary: "the invocation carried fewer message registers or caps than the operation needs",
    meaning: [
      "The message's length or its number of extra caps is too small for the method its label names.",
      CALL_ONLY,
    ],
    causes: [
      "A message built by hand (seL4_MessageInfo_new with a short length) sent to a kernel object instead of using the libsel4 function.",
    ],
    helps: ["Call the libsel4 function for the operation; it always sends every argument."],
    tutorials: [],
  },
  {
    topic: "delete-first",
    aliases: ["seL4_DeleteFirst"],
    what: { kind: "error", name: "seL4_DeleteFirst" },
    summary: "the destination slot already holds a cap",
    meaning: [
      "Copy, Mint, Move, Mutate and Rotate only write into an empty slot; the kernel checks this before it even looks at the source.",
      CALL_ONLY,
    ],
    causes: [
      "Copying into a slot that is already used, for example running a setup step twice, or a slot number off by one.",
    ],
    helps: [
      "Pick an empty slot (the system spec's empty slots are in the generated cspace module), or seL4_CNode_Delete the old cap first.",
    ],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-handle" }],
  },
  {
    topic: "revoke-first",
    aliases: ["seL4_RevokeFirst"],
    what: { kind: "error", name: "seL4_RevokeFirst" },
    summary: "the object still has derived caps or objects that must go first",
    meaning: ["For example, copying an untyped cap from which objects have already been made.", CALL_ONLY],
    causes: ["Deriving from an untyped after retyping it."],
    helps: ["seL4_CNode_Revoke the cap first, or derive from it before using it."],
    tutorials: [],
  },
  {
    topic: "not-enough-memory",
    aliases: ["seL4_NotEnoughMemory"],
    what: { kind: "error", name: "seL4_NotEnoughMemory" },
    summary: "the untyped has too little free memory for the objects asked for",
    meaning: ["seL4_Untyped_Retype could not fit the objects in the untyped's remaining space.", CALL_ONLY],
    registers: {
      heading: "Error reply",
      rows: [{ mr: 0, name: "", content: "the bytes still available in the untyped" }],
    },
    causes: ["Asking for too many objects, or objects too large, for the untyped."],
    helps: ["Use a larger untyped or fewer objects."],
    tutorials: [],
  },
];

const LOOKUPS: Explanation[] = [
  {
    topic: "invalid-root",
    aliases: ["seL4_InvalidRoot", "invalid root"],
    what: { kind: "lookup", name: "seL4_InvalidRoot" },
    summary: "the lookup did not start at a CNode cap",
    meaning: [
      "The cap the lookup starts from is not a CNode: the root argument of a CNode operation, or a thread's CSpace root. It has no further words.",
      LOOKUP_WHERE,
    ],
    causes: [
      "Passing a TCB or endpoint cap as the service or src_root argument of seL4_CNode_Copy or Mint, where a cspace_root cap was meant.",
    ],
    helps: ["Use the thread's cspace root cap (its name ends in cspace_root in the generated module) as the root."],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-handle" }],
  },
  {
    topic: "missing-capability",
    aliases: ["seL4_MissingCapability", "missing capability"],
    what: { kind: "lookup", name: "seL4_MissingCapability" },
    summary: "the slot was found but holds no cap, or not the kind of cap or rights that were needed",
    meaning: [
      "The CPtr led to a slot, but the slot is empty or its cap is not usable for what was asked. One more word follows the " +
        "type: the bits left, which is 0 for a receive, the MCS reply cap and the master fault endpoint, and the depth you " +
        "gave for an empty source slot of Copy, Mint, Move, Mutate or Rotate.",
      LOOKUP_WHERE,
    ],
    causes: [
      "Receiving on an empty slot (the fault-handlers faulter's deliberate fault).",
      "A fault-handler CPtr naming an empty slot: the kernel then reports a double fault.",
      "Copying from a slot that is empty.",
    ],
    helps: ["Put a cap in the slot first, or use the CPtr of a slot that has one."],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-handle" }],
  },
  {
    topic: "depth-mismatch",
    aliases: ["seL4_DepthMismatch", "depth mismatch"],
    what: { kind: "lookup", name: "seL4_DepthMismatch" },
    summary: "the bits left in the CPtr do not fit the CNode levels",
    meaning: [
      "While resolving the CPtr, a CNode level needed more bits than were left, or (in a CNode operation) the walk reached a " +
        "cap that is not a CNode while bits were still left, in which case the bits-found word is 0. Two more words " +
        "follow the type: the bits left, then the bits found.",
      LOOKUP_WHERE,
    ],
    causes: [
      "A depth that does not match how the CSpace is built: too small for its levels, or larger than the levels it crosses.",
    ],
    helps: [DEPTH_HELP],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-badge" }],
  },
  {
    topic: "guard-mismatch",
    aliases: ["seL4_GuardMismatch", "guard mismatch"],
    what: { kind: "lookup", name: "seL4_GuardMismatch" },
    summary: "the CPtr's bits did not match a CNode's guard",
    meaning: [
      "Each CNode cap has a guard: bits the CPtr must contain, just above the slot index, before the index is used. Here " +
        "they did not match, or the guard was longer than the bits left. Three more words follow the type: the bits left, " +
        "the CNode's guard value and the guard's size in bits. The guard is checked before the depth.",
      LOOKUP_WHERE,
    ],
    causes: [
      "A depth smaller than seL4_WordBits in a one-level CSpace: the guard covers the upper bits, so fewer bits than the guard size are left.",
      "A CPtr with bits set above the slot index (a number larger than the CNode's slot count).",
    ],
    helps: [DEPTH_HELP],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-badge" }],
  },
];

/** The topics of sel4tut's and the kernel's end-of-run reports (run and check point to them). */
export const REPORT_TOPICS = { doubleFault: "double-fault", deadlock: "deadlock" } as const;

const REPORTS: Explanation[] = [
  {
    topic: REPORT_TOPICS.doubleFault,
    aliases: [
      "double fault",
      "Caught cap fault",
      "while trying to handle",
      "Found thread has no fault handler",
      "no fault handler",
    ],
    what: { kind: "report", name: "a fault with no fault handler" },
    summary: "a thread faulted and the kernel could not deliver the fault to a handler, so the thread stopped",
    meaning: [
      "When a thread faults, the kernel needs a fault endpoint to send the fault to. On master it looks up the thread's " +
        "fault-handler CPtr (set with seL4_TCB_SetSpace or Configure) in the faulting thread's own CSpace, at the moment of " +
        "the fault; it must be an endpoint cap with Write and with Grant or GrantReply. If it is not, that lookup is a " +
        'second fault (a cap fault in send phase on the handler CPtr), and the kernel prints "Caught <second fault> while ' +
        'trying to handle: <first fault>", then the thread and 16 words of its stack.',
      "On MCS the fault endpoint is a cap stored in the TCB by seL4_TCB_SetSpace or SetSchedParams (looked up in the caller's " +
        'CSpace then); with none, the kernel prints "Found thread has no fault handler while trying to handle:" instead.',
      "Either way the thread becomes inactive: it will not run again unless another thread resumes it. Other threads " +
        "waiting for it may then wait forever (sel4tut explain deadlock).",
      'The official fault-handlers tutorial\'s expected "Caught cap fault in send phase at address 0" is this report: ' +
        "handler CPtr 0 is the null slot.",
    ],
    causes: [
      "No fault endpoint registered for the thread yet.",
      "On master, giving seL4_TCB_SetSpace a CPtr valid in the handler's CSpace but not in the faulter's: the kernel looks it up in the faulter's.",
      "A fault endpoint cap without Grant or GrantReply.",
    ],
    helps: [
      "sel4tut run and check say which cause it was, in a note after the kernel's report: the kernel knows it, though it prints only the two faults.",
      "Register a badged endpoint cap as the thread's fault endpoint (master: a CPtr in the faulter's CSpace; MCS: a cap in yours).",
      'The first fault, after "while trying to handle:", is the real problem: sel4tut explain it (cap-fault, user-exception, ...).',
    ],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-ep-setup" }],
  },
  {
    topic: REPORT_TOPICS.deadlock,
    aliases: ["deadlocked", "the system deadlocked", "blocked"],
    what: { kind: "report", name: "sel4tut's report of a system that cannot go on" },
    summary: "every remaining thread is blocked or stopped and nothing can ever wake one",
    meaning: [
      "This is sel4tut's report, not a kernel message. seL4 itself would just sit idle forever; sel4tut stops the run when " +
        "every thread that has not finished is blocked (sending, receiving, waiting for a reply or a notification) or " +
        "inactive, and no timer is pending, and it lists each thread with what it waits on and its source line.",
    ],
    causes: [
      "Both threads send on the same endpoint (or both receive): each waits for the other.",
      "A fault handler that never replies: the faulter stays blocked waiting for the reply.",
      "A thread stopped by a double fault while another waits for it (sel4tut explain double-fault), or by a failed ZF_LOGF_IF, which prints its line and stops the thread for good.",
      "On master, a second seL4_Recv before seL4_Reply: receiving deletes the pending reply cap, so the caller waits forever.",
      "On MCS, receiving a call without a reply object (seL4_Wait): the caller is made inactive.",
    ],
    helps: [
      "Read the thread list: for each blocked thread, find which thread should wake it and why it has not.",
      "sel4tut hint gives the next hint for the current task.",
    ],
    tutorials: [{ tutorial: "fault-handlers", task: "fault-resume" }],
  },
  {
    topic: "undelivered-irq",
    aliases: ["Undelivered IRQ"],
    what: { kind: "report", name: "the kernel's report of an interrupt nobody receives" },
    summary: "an interrupt arrived for an IRQ that has a handler cap but no notification bound to it",
    meaning: [
      "A debug kernel (CONFIG_IRQ_REPORTING) prints this in handleInterrupt (src/object/interrupt.c) when an active IRQ " +
        "fires and its IRQ handler has no notification to signal. The number is the kernel's IRQ number (on x86, the " +
        "vector given to seL4_IRQControl_GetIOAPIC or GetMSI + 16).",
      "The kernel masks the IRQ as it does after every delivery, so no more of it arrives until seL4_IRQHandler_Ack.",
    ],
    causes: [
      "seL4_IRQHandler_SetNotification not called yet, or undone by seL4_IRQHandler_Clear.",
      "The notification cap bound to the IRQ was deleted or revoked, which unbinds it.",
    ],
    helps: [
      "Bind a notification cap with Write to the IRQ handler, with a badge that tells this IRQ from others on the same notification.",
    ],
    tutorials: [{ tutorial: "interrupts", task: "timer-set" }],
  },
];

export const EXPLANATIONS: readonly Explanation[] = [...FAULTS, ...ERRORS, ...LOOKUPS, ...REPORTS];
