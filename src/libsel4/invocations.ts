// Kernel object invocations, marshalled like libsel4's generated stubs (syscall_stub_gen.py):
// word arguments become MR0.. in order, cap arguments become extra caps in order, the label is
// the configuration's invocation label number, and the call is a seL4_Call on the service cap.
// The result is the seL4_Error number (the reply label); after an error MR0..3 are copied into
// the IPC buffer so seL4_GetMR(i) reads the error details.
import { IPCBUF_CAPS, IPCBUF_MSG, type KernelConfig } from "../abi/constants.js";
import { invocationLabelNumber, type InvocationLabel } from "../abi/invocation.js";
import { RDI, RSI, msgRegisters } from "../abi/registers.js";
import type { Gate } from "./gate.js";
import { seL4_MessageInfo_new } from "./message-info.js";
import { argWord, wordToNumber } from "./words.js";

type Param = { kind: "word" | "cap"; name: string } | { kind: "const"; value: bigint };

export interface InvocationSpec {
  name: string;
  label: InvocationLabel;
  /** Arguments after the invoked (service) cap. */
  params: Param[];
  /** Only in this configuration; the other one has a different form or none. */
  config?: KernelConfig;
  /** Names of reply words returned with the error, e.g. `{ error, consumed }`. */
  results?: string[];
}

const w = (name: string): Param => ({ kind: "word", name });
const c = (name: string): Param => ({ kind: "cap", name });
const fixed = (value: bigint): Param => ({ kind: "const", value });

const CNODE_INDEX = [w("index"), w("depth")];
const CNODE_MOVE = [w("dest_index"), w("dest_depth"), c("src_root"), w("src_index"), w("src_depth")];
const SCHED_CONFIGURE = [c("schedcontext"), w("budget"), w("period"), w("extra_refills"), w("badge")];

const INVOCATIONS: InvocationSpec[] = [
  {
    name: "seL4_Untyped_Retype",
    label: "UntypedRetype",
    params: [
      w("type"),
      w("size_bits"),
      c("root"),
      w("node_index"),
      w("node_depth"),
      w("node_offset"),
      w("num_objects"),
    ],
  },

  { name: "seL4_CNode_Revoke", label: "CNodeRevoke", params: CNODE_INDEX },
  { name: "seL4_CNode_Delete", label: "CNodeDelete", params: CNODE_INDEX },
  { name: "seL4_CNode_CancelBadgedSends", label: "CNodeCancelBadgedSends", params: CNODE_INDEX },
  { name: "seL4_CNode_Copy", label: "CNodeCopy", params: [...CNODE_MOVE, w("rights")] },
  { name: "seL4_CNode_Mint", label: "CNodeMint", params: [...CNODE_MOVE, w("rights"), w("badge")] },
  { name: "seL4_CNode_Move", label: "CNodeMove", params: CNODE_MOVE },
  { name: "seL4_CNode_Mutate", label: "CNodeMutate", params: [...CNODE_MOVE, w("badge")] },
  {
    name: "seL4_CNode_Rotate",
    label: "CNodeRotate",
    params: [
      w("dest_index"),
      w("dest_depth"),
      w("dest_badge"),
      c("pivot_root"),
      w("pivot_index"),
      w("pivot_depth"),
      w("pivot_badge"),
      c("src_root"),
      w("src_index"),
      w("src_depth"),
    ],
  },
  { name: "seL4_CNode_SaveCaller", label: "CNodeSaveCaller", params: CNODE_INDEX, config: "master" },

  {
    name: "seL4_TCB_Configure",
    label: "TCBConfigure",
    config: "master",
    params: [
      w("fault_ep"),
      c("cspace_root"),
      w("cspace_root_data"),
      c("vspace_root"),
      w("vspace_root_data"),
      w("buffer"),
      c("bufferFrame"),
    ],
  },
  {
    name: "seL4_TCB_Configure",
    label: "TCBConfigure",
    config: "mcs",
    params: [
      c("cspace_root"),
      w("cspace_root_data"),
      c("vspace_root"),
      w("vspace_root_data"),
      w("buffer"),
      c("bufferFrame"),
    ],
  },
  {
    name: "seL4_TCB_SetSpace",
    label: "TCBSetSpace",
    config: "master",
    params: [w("fault_ep"), c("cspace_root"), w("cspace_root_data"), c("vspace_root"), w("vspace_root_data")],
  },
  {
    name: "seL4_TCB_SetSpace",
    label: "TCBSetSpace",
    config: "mcs",
    params: [c("fault_ep"), c("cspace_root"), w("cspace_root_data"), c("vspace_root"), w("vspace_root_data")],
  },
  {
    name: "seL4_TCB_SetSchedParams",
    label: "TCBSetSchedParams",
    config: "master",
    params: [c("authority"), w("mcp"), w("priority")],
  },
  {
    name: "seL4_TCB_SetSchedParams",
    label: "TCBSetSchedParams",
    config: "mcs",
    params: [c("authority"), w("mcp"), w("priority"), c("sched_context"), c("fault_ep")],
  },
  { name: "seL4_TCB_SetPriority", label: "TCBSetPriority", params: [c("authority"), w("priority")] },
  { name: "seL4_TCB_SetMCPriority", label: "TCBSetMCPriority", params: [c("authority"), w("mcp")] },
  { name: "seL4_TCB_SetIPCBuffer", label: "TCBSetIPCBuffer", params: [w("buffer"), c("bufferFrame")] },
  { name: "seL4_TCB_Resume", label: "TCBResume", params: [] },
  { name: "seL4_TCB_Suspend", label: "TCBSuspend", params: [] },
  { name: "seL4_TCB_BindNotification", label: "TCBBindNotification", params: [c("notification")] },
  { name: "seL4_TCB_UnbindNotification", label: "TCBUnbindNotification", params: [] },
  {
    name: "seL4_TCB_SetTimeoutEndpoint",
    label: "TCBSetTimeoutEndpoint",
    config: "mcs",
    params: [c("timeout_fault_ep")],
  },
  { name: "seL4_TCB_SetTLSBase", label: "TCBSetTLSBase", params: [w("tls_base")] },
  { name: "seL4_TCB_SetFlags", label: "TCBSetFlags", params: [w("clear"), w("set")], results: ["flags"] },

  { name: "seL4_IRQControl_Get", label: "IRQIssueIRQHandler", params: [w("irq"), c("root"), w("index"), w("depth")] },
  {
    name: "seL4_IRQControl_GetIOAPIC",
    label: "X86IRQIssueIRQHandlerIOAPIC",
    params: [c("root"), w("index"), w("depth"), w("ioapic"), w("pin"), w("level"), w("polarity"), w("vector")],
  },
  {
    name: "seL4_IRQControl_GetMSI",
    label: "X86IRQIssueIRQHandlerMSI",
    params: [c("root"), w("index"), w("depth"), w("pci_bus"), w("pci_dev"), w("pci_func"), w("handle"), w("vector")],
  },
  { name: "seL4_IRQHandler_Ack", label: "IRQAckIRQ", params: [] },
  { name: "seL4_IRQHandler_SetNotification", label: "IRQSetIRQHandler", params: [c("notification")] },
  { name: "seL4_IRQHandler_Clear", label: "IRQClearIRQHandler", params: [] },
  { name: "seL4_DomainSet_Set", label: "DomainSetSet", params: [w("domain"), c("thread")] },

  {
    name: "seL4_SchedControl_ConfigureFlags",
    label: "SchedControlConfigureFlags",
    config: "mcs",
    params: [...SCHED_CONFIGURE, w("flags")],
  },
  {
    name: "seL4_SchedControl_Configure",
    label: "SchedControlConfigureFlags",
    config: "mcs",
    params: [...SCHED_CONFIGURE, fixed(0n)],
  },
  { name: "seL4_SchedContext_Bind", label: "SchedContextBind", config: "mcs", params: [c("cap")] },
  { name: "seL4_SchedContext_Unbind", label: "SchedContextUnbind", config: "mcs", params: [] },
  { name: "seL4_SchedContext_UnbindObject", label: "SchedContextUnbindObject", config: "mcs", params: [c("cap")] },
  {
    name: "seL4_SchedContext_Consumed",
    label: "SchedContextConsumed",
    config: "mcs",
    params: [],
    results: ["consumed"],
  },
  { name: "seL4_SchedContext_YieldTo", label: "SchedContextYieldTo", config: "mcs", params: [], results: ["consumed"] },

  { name: "seL4_X86_PDPT_Map", label: "X86PDPTMap", params: [c("pml4"), w("vaddr"), w("attr")] },
  { name: "seL4_X86_PDPT_Unmap", label: "X86PDPTUnmap", params: [] },
  { name: "seL4_X86_PageDirectory_Map", label: "X86PageDirectoryMap", params: [c("vspace"), w("vaddr"), w("attr")] },
  { name: "seL4_X86_PageDirectory_Unmap", label: "X86PageDirectoryUnmap", params: [] },
  { name: "seL4_X86_PageTable_Map", label: "X86PageTableMap", params: [c("vspace"), w("vaddr"), w("attr")] },
  { name: "seL4_X86_PageTable_Unmap", label: "X86PageTableUnmap", params: [] },
  { name: "seL4_X86_Page_Map", label: "X86PageMap", params: [c("vspace"), w("vaddr"), w("rights"), w("attr")] },
  { name: "seL4_X86_Page_Unmap", label: "X86PageUnmap", params: [] },
  { name: "seL4_X86_Page_GetAddress", label: "X86PageGetAddress", params: [], results: ["paddr"] },
  {
    name: "seL4_X86_ASIDControl_MakePool",
    label: "X86ASIDControlMakePool",
    params: [c("untyped"), c("root"), w("index"), w("depth")],
  },
  { name: "seL4_X86_ASIDPool_Assign", label: "X86ASIDPoolAssign", params: [c("vspace")] },
];

/** libsel4's architecture-neutral names (sel4/arch/mapping.h style) for the x86 calls. */
const ARCH_ALIASES: Record<string, string> = {
  seL4_ARCH_Page_Map: "seL4_X86_Page_Map",
  seL4_ARCH_Page_Unmap: "seL4_X86_Page_Unmap",
  seL4_ARCH_Page_GetAddress: "seL4_X86_Page_GetAddress",
  seL4_ARCH_PageTable_Map: "seL4_X86_PageTable_Map",
  seL4_ARCH_PageTable_Unmap: "seL4_X86_PageTable_Unmap",
  seL4_ARCH_ASIDPool_Assign: "seL4_X86_ASIDPool_Assign",
};

function signature(spec: InvocationSpec): string {
  const names = ["service", ...spec.params.flatMap((p) => (p.kind === "const" ? [] : [p.name]))];
  return `${spec.name}(${names.join(", ")})`;
}

function arityOf(spec: InvocationSpec): number {
  return 1 + spec.params.filter((p) => p.kind !== "const").length;
}

export class Invoker {
  constructor(private readonly gate: Gate) {}

  /** One seL4_Call carrying an invocation; returns the error and the reply's MR0..3. */
  call(
    label: number,
    service: bigint,
    mrs: readonly bigint[],
    caps: readonly bigint[],
  ): { error: number; reply: bigint[] } {
    const { regs, ch } = this.gate;
    const buf = ch.ipcBuffer();
    caps.forEach((cap, i) => (buf[IPCBUF_CAPS + i] = cap));
    mrs.forEach((mr, i) => {
      if (i >= msgRegisters.length) buf[IPCBUF_MSG + i] = mr;
    });
    msgRegisters.forEach((r, i) => (regs[r] = mrs[i] ?? 0n));
    regs[RDI] = service;
    regs[RSI] = seL4_MessageInfo_new(label, 0, caps.length, mrs.length).word;
    this.gate.enter("Call");
    const error = Number(regs[RSI]! >> 12n);
    const reply = msgRegisters.map((r) => regs[r]!);
    if (error !== 0) this.gate.storeMRs();
    return { error, reply };
  }

  /** The reply word `i` of a successful call (MR0..3 are in registers, the rest in the buffer). */
  replyWord(reply: bigint[], i: number): number {
    return wordToNumber(i < reply.length ? reply[i]! : this.gate.ch.ipcBuffer()[IPCBUF_MSG + i]!);
  }

  /** The learner-facing function for one spec. */
  stub(spec: InvocationSpec): (...args: unknown[]) => unknown {
    const label = invocationLabelNumber(this.gate.config, spec.label)!;
    const expected = arityOf(spec);
    return (...args: unknown[]) => {
      if (args.length !== expected) throw this.arityError(spec, args.length);
      const service = argWord(spec.name, "service", args[0]);
      const mrs: bigint[] = [];
      const caps: bigint[] = [];
      let next = 1;
      for (const p of spec.params) {
        if (p.kind === "const") mrs.push(p.value);
        else (p.kind === "cap" ? caps : mrs).push(argWord(spec.name, p.name, args[next++]));
      }
      const { error, reply } = this.call(label, service, mrs, caps);
      if (!spec.results) return error;
      const out: Record<string, number> = { error };
      spec.results.forEach((name, i) => (out[name] = error === 0 ? this.replyWord(reply, i) : 0));
      return out;
    };
  }

  private arityError(spec: InvocationSpec, got: number): Error {
    const other = INVOCATIONS.find((s) => s.name === spec.name && s !== spec);
    if (other && arityOf(other) === got) {
      return this.gate.configError(
        spec.name,
        `${signature(other)} is the ${this.gate.configName(other.config)} form; on the ${this.gate.configName()} kernel call ${signature(spec)}`,
      );
    }
    return new TypeError(`${spec.name}: expected ${arityOf(spec)} arguments: ${signature(spec)}, got ${got}`);
  }
}

/** Every invocation stub of the running configuration, plus error stubs for the other one's. */
export function invocationFunctions(gate: Gate, invoker: Invoker): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const spec of INVOCATIONS) {
    if (spec.config && spec.config !== gate.config) {
      if (!(spec.name in out)) {
        out[spec.name] = gate.missing(spec.name, `it exists only on the ${gate.configName(spec.config)} kernel`);
      }
      continue;
    }
    out[spec.name] = invoker.stub(spec);
  }
  for (const [alias, target] of Object.entries(ARCH_ALIASES)) out[alias] = out[target]!;
  return out;
}
