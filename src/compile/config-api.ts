// The libsel4 calls that differ between the master and MCS configurations, so that a build
// error about one of them can say which configuration lacks it and what to call instead.
import type { KernelConfig } from "../abi/constants.js";

interface ConfigApi {
  /** How the call looks on each configuration; absent = the configuration has no such call. */
  master?: string;
  mcs?: string;
  /** What to do instead, for a configuration that lacks the call. */
  instead?: Partial<Record<KernelConfig, string>>;
}

const MCS_ONLY_SCHEDULING = {
  instead: { master: "master kernels schedule by priority and timeslice only; there are no scheduling contexts" },
};

const API: Record<string, ConfigApi> = {
  seL4_Reply: {
    master: "seL4_Reply(info)",
    instead: { mcs: "receive with a reply object, seL4_Recv(ep, reply), then answer with seL4_Send(reply, info)" },
  },
  seL4_CNode_SaveCaller: {
    master: "seL4_CNode_SaveCaller(root, index, depth)",
    instead: {
      mcs: "receive with a reply object (seL4_Recv(ep, reply)): the reply object already outlives the receive",
    },
  },
  seL4_Recv: { master: "seL4_Recv(src)", mcs: "seL4_Recv(src, reply)" },
  seL4_NBRecv: { master: "seL4_NBRecv(src)", mcs: "seL4_NBRecv(src, reply)" },
  seL4_ReplyRecv: { master: "seL4_ReplyRecv(src, info)", mcs: "seL4_ReplyRecv(src, info, reply)" },
  seL4_NBWait: { mcs: "seL4_NBWait(src)", instead: { master: "use seL4_NBRecv(src)" } },
  seL4_NBSendRecv: {
    mcs: "seL4_NBSendRecv(dest, info, src, reply)",
    instead: { master: "use seL4_Send followed by seL4_Recv" },
  },
  seL4_NBSendWait: {
    mcs: "seL4_NBSendWait(dest, info, src)",
    instead: { master: "use seL4_Send followed by seL4_Recv" },
  },
  seL4_TCB_Configure: {
    master:
      "seL4_TCB_Configure(tcb, fault_ep, cspace_root, cspace_root_data, vspace_root, vspace_root_data, buffer, bufferFrame)",
    mcs: "seL4_TCB_Configure(tcb, cspace_root, cspace_root_data, vspace_root, vspace_root_data, buffer, bufferFrame) (the fault endpoint goes to seL4_TCB_SetSpace or seL4_TCB_SetSchedParams)",
  },
  seL4_TCB_SetSchedParams: {
    master: "seL4_TCB_SetSchedParams(tcb, authority, mcp, priority)",
    mcs: "seL4_TCB_SetSchedParams(tcb, authority, mcp, priority, sc, fault_ep)",
  },
  seL4_TCB_SetTimeoutEndpoint: { mcs: "seL4_TCB_SetTimeoutEndpoint(tcb, ep)", ...MCS_ONLY_SCHEDULING },
  seL4_SchedControl_Configure: {
    mcs: "seL4_SchedControl_Configure(sched_control, sc, budget, period, extra_refills, badge)",
    ...MCS_ONLY_SCHEDULING,
  },
  seL4_SchedControl_ConfigureFlags: {
    mcs: "seL4_SchedControl_ConfigureFlags(sched_control, sc, budget, period, extra_refills, badge, flags)",
    ...MCS_ONLY_SCHEDULING,
  },
  seL4_SchedContext_Bind: { mcs: "seL4_SchedContext_Bind(sc, tcb_or_ntfn)", ...MCS_ONLY_SCHEDULING },
  seL4_SchedContext_Unbind: { mcs: "seL4_SchedContext_Unbind(sc)", ...MCS_ONLY_SCHEDULING },
  seL4_SchedContext_UnbindObject: { mcs: "seL4_SchedContext_UnbindObject(sc, tcb_or_ntfn)", ...MCS_ONLY_SCHEDULING },
  seL4_SchedContext_Consumed: { mcs: "seL4_SchedContext_Consumed(sc)", ...MCS_ONLY_SCHEDULING },
  seL4_SchedContext_YieldTo: { mcs: "seL4_SchedContext_YieldTo(sc)", ...MCS_ONLY_SCHEDULING },
};

const BRANCH_TIP = "To keep one source for both, put each form in if (CONFIG_KERNEL_MCS) { ... } else { ... }.";

/** A note for a diagnostic about `name` in a build for `config`, or null if the name is not config-specific. */
export function configApiNote(name: string, config: KernelConfig): string | null {
  const api = API[name];
  if (!api) return null;
  const other: KernelConfig = config === "mcs" ? "master" : "mcs";
  const here = api[config];
  if (!here) {
    const instead = api.instead?.[config];
    const there = api[other] ? ` (on ${other}: ${api[other]})` : "";
    return `${name} does not exist on the ${config} configuration${there}.${instead ? ` On ${config}, ${instead}.` : ""} ${BRANCH_TIP}`;
  }
  if (!api[other]) return null;
  return `${name} differs between configurations: this build is for ${config}, where it is ${here}; on ${other} it is ${api[other]}. ${BRANCH_TIP}`;
}
