// The constants learner code sees, with libsel4's names and this configuration's values.
import * as K from "../abi/constants.js";
import { seL4_UserContextWords } from "../abi/registers.js";
import { faultConstants, unknownSyscallConstants } from "./faults.js";
import { argIndex, argWord, wordToNumber } from "./words.js";

/** seL4_CapInitThread* and friends (libsel4 include/sel4/bootinfo_types.h). */
const INITIAL_CAPS = [
  "seL4_CapNull",
  "seL4_CapInitThreadTCB",
  "seL4_CapInitThreadCNode",
  "seL4_CapInitThreadVSpace",
  "seL4_CapIRQControl",
  "seL4_CapASIDControl",
  "seL4_CapInitThreadASIDPool",
  "seL4_CapIOPortControl",
  "seL4_CapIOSpace",
  "seL4_CapBootInfoFrame",
  "seL4_CapInitThreadIPCBuffer",
  "seL4_CapDomain",
  "seL4_CapSMMUSIDControl",
  "seL4_CapSMMUCBControl",
  "seL4_CapInitThreadSC",
  "seL4_CapSMC",
  "seL4_NumInitialCaps",
];

/** libutils' utils/time.h, which the tutorials use for scheduling parameters (US_IN_S). */
const TIME_UNITS = { NS_IN_US: 1e3, NS_IN_MS: 1e6, NS_IN_S: 1e9, US_IN_MS: 1e3, US_IN_S: 1e6, MS_IN_S: 1e3 };

/** MCS-only names among the kernel's seL4_* numbers. */
const MCS_ONLY = /^seL4_(Timeout_|MinSchedContextBits|CoreSchedContextBytes|RefillSizeBytes|ReplyBits)/;

export function constants(config: K.KernelConfig): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = { CONFIG_KERNEL_MCS: config === "mcs" };
  for (const [name, value] of Object.entries(K)) {
    if (name.startsWith("seL4_") && typeof value === "number" && (config === "mcs" || !MCS_ONLY.test(name))) {
      out[name] = value;
    }
  }
  INITIAL_CAPS.forEach((name, slot) => (out[name] = slot));
  out.seL4_CapInitThreadPD = out.seL4_CapInitThreadVSpace!;
  out.seL4_NotificationBits = K.seL4_NotificationBits(config);
  for (const type of K.objectTypeList(config)) out[K.OBJECT_TYPE_CONSTANT[type]] = K.objectTypeNumber(config, type);
  out.seL4_NonArchObjectTypeCount = config === "mcs" ? 7 : 5;
  out.seL4_ObjectTypeCount = K.objectTypeList(config).length;
  Object.assign(out, faultConstants(config), unknownSyscallConstants());
  out.seL4_UserContextWords = seL4_UserContextWords;
  out.seL4_X86_Default_VMAttributes = 0;
  out.seL4_ARCH_Default_VMAttributes = 0;
  Object.assign(out, TIME_UNITS);
  if (config === "mcs") {
    out.seL4_SchedContext_NoFlag = 0;
    out.seL4_SchedContext_Sporadic = 1;
  }
  return out;
}

/** Small constructor functions that libsel4 provides as inline functions or macros. */
export function constructorFunctions(config: K.KernelConfig) {
  const bit = (fn: string, name: string, x: unknown) => argWord(fn, name, x) & 1n;
  const out = {
    /** seL4_CapRights_new(grantReply, grant, read, write): bit3..bit0. */
    seL4_CapRights_new: (grantReply: unknown, grant: unknown, read: unknown, write: unknown) => {
      const fn = "seL4_CapRights_new";
      return Number(
        (bit(fn, "grantReply", grantReply) << 3n) |
          (bit(fn, "grant", grant) << 2n) |
          (bit(fn, "read", read) << 1n) |
          bit(fn, "write", write),
      );
    },
    /** seL4_CNode_CapData_new(guard, guardSize): guard in bits 63..6, size in 5..0. */
    seL4_CNode_CapData_new: (guard: unknown, guardSize: unknown) => {
      const fn = "seL4_CNode_CapData_new";
      return wordToNumber(
        BigInt.asUintN(64, (argWord(fn, "guard", guard) << 6n) | (argWord(fn, "guardSize", guardSize) & 0x3fn)),
      );
    },
    /** utils' BIT(n) = 1 << n. */
    BIT: (n: unknown) => 2 ** argIndex("BIT", "n", n, 0, 63),
  };
  if (config !== "mcs") return out;
  return {
    ...out,
    /** (2^bits - core size) / refill size (seL4_MaxExtraRefills, libsel4 include/sel4/constants.h). */
    seL4_MaxExtraRefills: (bits: unknown) =>
      Math.floor(
        (2 ** argIndex("seL4_MaxExtraRefills", "bits", bits, 0, 63) - K.seL4_CoreSchedContextBytes) /
          K.seL4_RefillSizeBytes,
      ),
  };
}
