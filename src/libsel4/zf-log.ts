// The C logging and assertion macros the tutorials use. The build passes the call site as
// `this` ({cond, func, file, line}, see src/compile/instrument.ts), which is what the macros print;
// uninstrumented callers get the learner location the machine can find.
import type { Sel4Channel } from "./channel.js";
import { ERROR_NAMES } from "../abi/constants.js";
import { formatC } from "./printf.js";

interface CallSite {
  cond: string;
  func: string;
  file: string;
  line: number;
}

function site(ch: Sel4Channel, self: unknown): CallSite {
  const s = self as Partial<CallSite> | undefined;
  if (
    s &&
    typeof s.cond === "string" &&
    typeof s.func === "string" &&
    typeof s.file === "string" &&
    typeof s.line === "number"
  ) {
    return s as CallSite;
  }
  const where = ch.location() ?? "?:0";
  const colon = where.lastIndexOf(":");
  return { cond: "?", func: "?", file: where.slice(0, colon), line: Number(where.slice(colon + 1)) || 0 };
}

export function logFunctions(ch: Sel4Channel) {
  /** abort(): the tutorials' libc spins forever; here the thread simply stops, and the report says so. */
  const abort = (): never => ch.exit("aborted");
  /** zf_log's fatal line: `<func>@<file>:<line> <what>` then newline, tab, the message. */
  const fatal = (s: CallSite, what: string, fmt: unknown, args: unknown[], fn: string): never => {
    const message = typeof fmt === "string" ? formatC(fmt, args, fn) : "";
    ch.print(`${s.func}@${s.file}:${s.line} ${what}\n\t${message}\n`);
    return abort();
  };
  return {
    abort,
    /** zf_log's fatal log: `<func>@<file>:<line> <message>`, then abort. */
    ZF_LOGF(this: unknown, fmt: unknown, ...args: unknown[]): never {
      const s = site(ch, this);
      const message = typeof fmt === "string" ? formatC(fmt, args, "ZF_LOGF") : "";
      ch.print(`${s.func}@${s.file}:${s.line} ${message}\n`);
      return abort();
    },
    ZF_LOGF_IF(this: unknown, cond: unknown, fmt: unknown, ...args: unknown[]): void {
      if (cond) {
        const s = site(ch, this);
        fatal(s, `[Cond failed: ${s.cond}]`, fmt, args, "ZF_LOGF_IF");
      }
    },
    ZF_LOGF_IFERR(this: unknown, err: unknown, fmt: unknown, ...args: unknown[]): void {
      if (err !== 0 && err !== 0n) {
        const name = ERROR_NAMES[Number(err)] ?? `unknown error ${String(err)}`;
        fatal(site(ch, this), `[Err ${name}]:`, fmt, args, "ZF_LOGF_IFERR");
      }
    },
    /** musl: `Assertion failed: <expr> (<file>: <func>: <line>)`, then abort. */
    assert(this: unknown, cond: unknown): void {
      if (!cond) {
        const s = site(ch, this);
        ch.print(`Assertion failed: ${s.cond} (${s.file}: ${s.func}: ${s.line})\n`);
        abort();
      }
    },
  };
}
