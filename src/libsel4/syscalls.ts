// The IPC system calls with libsel4's names and argument order for each configuration
// (libsel4 sel4_arch_include/x86_64/sel4/sel4_arch/syscalls.h). C out-parameters become fields of the returned object: `seL4_Recv` gives
// `{ info, badge }`. Functions the running configuration lacks throw an error that says which
// call to use instead.
import { R12, R13, RDI, RSI } from "../abi/registers.js";
import type { SyscallName } from "../abi/syscall.js";
import { Gate } from "./gate.js";
import { MessageInfo, infoArg, seL4_MessageInfo_new } from "./message-info.js";
import { argWord } from "./words.js";

interface RecvResult {
  info: MessageInfo;
  badge: number;
}

type Fn = (...args: unknown[]) => unknown;

export function syscallFunctions(gate: Gate): Record<string, Fn> {
  const regs = gate.regs;
  const mcs = gate.config === "mcs";

  /** Cap in RDI, info in RSI, MR0..3 from the buffer: the send half of every IPC wrapper. */
  const send = (fn: string, cap: unknown, capName: string, info: unknown) => {
    regs[RDI] = argWord(fn, capName, cap);
    regs[RSI] = infoArg(fn, "msgInfo", info).word;
    gate.loadMRs();
  };
  const received = (): RecvResult => {
    gate.storeMRs();
    return { info: gate.info(), badge: gate.badge() };
  };
  const setReply = (fn: string, reply: unknown) => {
    regs[R12] = argWord(fn, "reply", reply);
  };
  /** Checks the argument count, naming the other configuration's form when that is what was used. */
  const arity = (fn: string, args: unknown[], mine: string[], other: string[] | null) => {
    if (args.length === mine.length) return;
    const right = `${fn}(${mine.join(", ")})`;
    if (other && args.length === other.length) {
      const otherConfig = mcs ? "master" : "MCS";
      throw gate.configError(
        fn,
        `${fn}(${other.join(", ")}) is the ${otherConfig} form; on the ${gate.configName()} kernel call ${right}`,
      );
    }
    throw new TypeError(`${fn}: expected ${mine.length} arguments: ${right}, got ${args.length}`);
  };
  const receiveOn = (fn: string, sys: SyscallName, args: unknown[]): RecvResult => {
    arity(fn, args, mcs ? ["src", "reply"] : ["src"], mcs ? ["src"] : ["src", "reply"]);
    regs[RDI] = argWord(fn, "src", args[0]);
    if (mcs) setReply(fn, args[1]);
    gate.enter(sys);
    return received();
  };
  const sendOnly =
    (fn: string, sys: SyscallName) =>
    (...args: unknown[]) => {
      arity(fn, args, ["dest", "msgInfo"], null);
      send(fn, args[0], "dest", args[1]);
      gate.enter(sys);
    };
  const waitOn =
    (fn: string, sys: SyscallName) =>
    (...args: unknown[]): RecvResult => {
      arity(fn, args, ["src"], null);
      regs[RDI] = argWord(fn, "src", args[0]);
      gate.enter(sys);
      return received();
    };

  const common: Record<string, Fn> = {
    seL4_Send: sendOnly("seL4_Send", "Send"),
    seL4_NBSend: sendOnly("seL4_NBSend", "NBSend"),
    seL4_Call: (...args: unknown[]) => {
      arity("seL4_Call", args, ["dest", "msgInfo"], null);
      send("seL4_Call", args[0], "dest", args[1]);
      gate.enter("Call");
      return received().info;
    },
    seL4_Recv: (...args: unknown[]) => receiveOn("seL4_Recv", "Recv", args),
    seL4_NBRecv: (...args: unknown[]) => receiveOn("seL4_NBRecv", "NBRecv", args),
    seL4_ReplyRecv: (...args: unknown[]) => {
      const fn = "seL4_ReplyRecv";
      arity(
        fn,
        args,
        mcs ? ["src", "msgInfo", "reply"] : ["dest", "msgInfo"],
        mcs ? ["dest", "msgInfo"] : ["src", "msgInfo", "reply"],
      );
      send(fn, args[0], mcs ? "src" : "dest", args[1]);
      if (mcs) setReply(fn, args[2]);
      gate.enter("ReplyRecv");
      return received();
    },
    seL4_Yield: () => gate.enter("Yield"),
    seL4_Signal: (...args: unknown[]) => {
      arity("seL4_Signal", args, ["dest"], null);
      regs[RDI] = argWord("seL4_Signal", "dest", args[0]);
      regs[RSI] = seL4_MessageInfo_new(0, 0, 0, 1).word;
      gate.enter("Send");
    },
  };

  if (!mcs) {
    return {
      ...common,
      seL4_Reply: (...args: unknown[]) => {
        arity("seL4_Reply", args, ["msgInfo"], null);
        regs[RSI] = infoArg("seL4_Reply", "msgInfo", args[0]).word;
        gate.loadMRs();
        gate.enter("Reply");
      },
      // On master these are libsel4 wrappers around Recv/NBRecv.
      seL4_Wait: (...args: unknown[]) => ({ badge: waitOn("seL4_Wait", "Recv")(...args).badge }),
      seL4_Poll: waitOn("seL4_Poll", "NBRecv"),
      seL4_NBWait: gate.missing("seL4_NBWait", "use seL4_Poll(src) on a notification"),
      seL4_NBSendRecv: gate.missing("seL4_NBSendRecv", "use seL4_NBSend(dest, info) and then seL4_Recv(src)"),
      seL4_NBSendWait: gate.missing("seL4_NBSendWait", "use seL4_NBSend(dest, info) and then seL4_Recv(src)"),
    };
  }
  return {
    ...common,
    seL4_Reply: gate.missing(
      "seL4_Reply",
      "reply by sending on the reply object, seL4_Send(reply, info), or use seL4_ReplyRecv(src, info, reply)",
    ),
    seL4_Wait: waitOn("seL4_Wait", "Wait"),
    seL4_NBWait: waitOn("seL4_NBWait", "NBWait"),
    seL4_Poll: waitOn("seL4_Poll", "NBWait"),
    seL4_NBSendRecv: (...args: unknown[]) => {
      const fn = "seL4_NBSendRecv";
      arity(fn, args, ["dest", "msgInfo", "src", "reply"], null);
      regs[R13] = argWord(fn, "dest", args[0]);
      send(fn, args[2], "src", args[1]);
      setReply(fn, args[3]);
      gate.enter("NBSendRecv");
      return received();
    },
    seL4_NBSendWait: (...args: unknown[]) => {
      const fn = "seL4_NBSendWait";
      arity(fn, args, ["dest", "msgInfo", "src"], null);
      // NBSendWait's destination travels in the reply register (seL4_NBSendWait, x86_64 syscalls.h).
      regs[R12] = argWord(fn, "dest", args[0]);
      send(fn, args[2], "src", args[1]);
      gate.enter("NBSendWait");
      return received();
    },
  };
}
