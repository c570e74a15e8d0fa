// A system whose one program is the root task: seL4 itself creates its thread, CNode and VSpace
// at boot (src/kernel/boot.c) and hands it every other resource as caps described by
// seL4_BootInfo. No capDL loader runs, so the spec names only the program's source.
import { seL4_MaxPrio, type KernelConfig } from "../abi/constants.js";
import { RSP } from "../abi/registers.js";
import type { BootInterface } from "../kernel/index.js";
import { CONFIG_ROOT_CNODE_SIZE_BITS, PC99_PHYS_MEMORY_BYTES, USER_STACK_TOP } from "../kernel/index.js";
import type { FieldReader } from "../tutorial/fields.js";
import type { BootedThread } from "./boot.js";
import { WORD_BITS, type PlanThread, type SystemPlan } from "./plan.js";

/** The kernel's debug name for the initial thread (create_initial_thread). */
const ROOT_TASK_NAME = "rootserver";
/** How far below its stack top sel4runtime's start code leaves the stack when main runs. */
const START_FRAME_BYTES = 0x40n;

/** `"rootTask": { "source": "main.ts" }`: the plan of a root-task system. */
export function readRootTask(r: FieldReader, raw: unknown, file: string, config: KernelConfig): SystemPlan {
  const path = ["rootTask"];
  const spec = r.object(raw, path) ?? {};
  r.onlyKeys(spec, path, ["source"]);
  const source = r.optString(spec, "source", path) ?? "main.ts";
  if (!/^[\w.-]+\.ts$/.test(source))
    r.error([...path, "source"], `"${source}" must be a .ts file name in the exercise directory`);
  const thread: PlanThread = {
    name: ROOT_TASK_NAME,
    source,
    tcb: ROOT_TASK_NAME,
    cnode: `${ROOT_TASK_NAME}_cnode`,
    cspaceGuard: 0n,
    cspaceGuardSize: WORD_BITS - CONFIG_ROOT_CNODE_SIZE_BITS,
    vspace: `${ROOT_TASK_NAME}_vspace`,
    ipcBuffer: null,
    ipcBufferVaddr: null,
    // The top page of the stack the kernel's boot code gives the root task (nothing in the plan maps it).
    stackVaddr: (USER_STACK_TOP - 1n) & ~0xfffn,
    sc: null,
    radix: CONFIG_ROOT_CNODE_SIZE_BITS,
    priority: seL4_MaxPrio,
    mcp: seL4_MaxPrio,
    caps: [],
    mappings: [],
    faultEndpoint: null,
    timeoutEndpoint: null,
  };
  return { config, file, objects: [], cnodes: [], threads: [thread], rootTask: true };
}

/** Physical memory behind a system: a root task boots on the simulated PC's whole RAM. */
export function physicalMemoryFor(plan: SystemPlan): number | undefined {
  return plan.rootTask ? PC99_PHYS_MEMORY_BYTES : undefined;
}

/** Boot the kernel with its root task; the thread starts in main(), on its static stack. */
export function bootRootTask(boot: BootInterface, plan: SystemPlan): BootedThread[] {
  const rs = boot.rootServer();
  // sel4runtime's _sel4_start: the kernel gives the root task no stack; the runtime switches to
  // the static one in its image before calling main.
  rs.tcb.regs[RSP] = USER_STACK_TOP - START_FRAME_BYTES;
  return [{ plan: plan.threads[0]!, tcb: rs.tcb, bootInfo: rs.bootInfoVAddr }];
}
