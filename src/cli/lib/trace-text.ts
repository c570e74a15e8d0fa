// `run --trace` / `check --trace`: one line per kernel event, between the lines the program
// prints. Each line: the simulated time, the thread, the learner's source line, then what the
// kernel did in seL4's words. Names come from the exercise (cap symbols) where it has them.
// Learner-chosen text (thread names are the spec's, output is the program's) is made terminal-safe.
import chalk from "chalk";
import type { TraceRecord } from "../../app/pipeline.js";
import { safeLine } from "../../text/terminal-safe.js";

type Of<K extends TraceRecord["kind"]> = Extract<TraceRecord, { kind: K }>;
type Cap = Of<"cap">["cap"];
type Slot = Of<"cap">["slot"];

/** The mark that starts every trace line, so they stand apart from the program's output. */
const TRACE_MARK = "»";

function time(ns: number): string {
  return `${(ns / 1e6).toFixed(6)} ms`;
}

function cap(c: Cap): string {
  const badge = c.badge !== undefined && c.badge !== "0x0" ? ` badge ${c.badge}` : "";
  return `${c.type}${c.object !== null ? ` ${c.object}` : ""}${badge}`;
}

function slot(s: Slot): string {
  return `${s.owner}[${s.index}]${s.name ? ` (${s.name})` : ""}`;
}

function mrs(words: readonly string[]): string {
  return words.length === 0 ? "no MRs" : `MRs [${words.join(", ")}]`;
}

function handler(e: Of<"fault">): string {
  const h = e.handler;
  const found = h.cap === null ? "nothing" : cap(h.cap);
  return h.resolved === "at-fault"
    ? `handler: CPtr ${h.cptr}${h.cptrName ? ` (${h.cptrName})` : ""} looked up now in ${e.thread}'s CSpace: ${found}`
    : `handler: the endpoint cap in ${e.thread}'s TCB (set by SetSpace/Configure): ${found}`;
}

/** What the event says, without its stamp. */
export function describeEvent(e: TraceRecord): string {
  switch (e.kind) {
    case "syscall":
      return `${e.syscall} on ${e.cptr}${e.capName ? ` (${e.capName})` : ""}: label ${e.label}, length ${e.length}${e.extraCaps ? `, ${e.extraCaps} extra caps` : ""}`;
    case "invocation":
      return `${e.label} on ${cap(e.cap)}: args [${e.args.join(", ")}] ok`;
    case "error": {
      const detail = Object.entries(e.detail)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(", ");
      return `${e.error}${detail ? ` (${detail})` : ""} from ${e.function}${e.message ? `: ${e.message}` : ""}`;
    }
    case "transfer": {
      const what = e.fault ? `${e.fault} message` : e.endpoint === null ? "reply message" : "message";
      const via = e.endpoint === null ? "" : ` via ${e.endpoint}`;
      const caps = e.caps.map((c) =>
        c.unwrapped
          ? `unwrapped ${cap(c.cap)}`
          : c.slot
            ? `${cap(c.cap)} into ${slot(c.slot)}`
            : `${cap(c.cap)} dropped`,
      );
      const reply = e.replyObject ? `; reply object ${e.replyObject}` : "";
      return `${what} -> ${e.to}${via}: badge ${e.badge}, label ${e.label}, ${mrs(e.mrs)}${caps.length ? `, caps: ${caps.join(", ")}` : ""}${reply}`;
    }
    case "reply":
      return `${e.fault ? `reply to ${e.fault}` : "reply"} -> ${e.to}${e.replyObject ? ` through reply object ${e.replyObject}` : ""}`;
    case "state":
      return `${e.state}${e.on ? ` on ${e.on}` : ""}`;
    case "switch":
      return `switch to ${e.to ?? "the idle thread"}`;
    case "fault":
      return (
        `${e.fault} (${e.description}), ${mrs(e.mrs)}; ${handler(e)}` +
        (e.delivered ? "" : `; NOT delivered${e.handlerFault ? `: ${e.handlerFault}` : ""}`)
      );
    case "cap":
      return `cap ${e.op === "insert" ? `${cap(e.cap)} into` : `${cap(e.cap)} deleted from`} ${slot(e.slot)}`;
    case "budget":
      return e.event === "exhausted"
        ? `${e.sc} used up its budget`
        : e.event === "postponed"
          ? `${e.sc} waits for its next refill at ${time(e.at ?? 0)}`
          : `${e.sc} released (refill ready)`;
    case "output":
      return JSON.stringify(e.text);
    case "exit":
      return e.how === "aborted" ? "abort(): the thread stops" : "main returned: the thread stops";
  }
}

/** Longest description shown (a full 120-word message fits). */
const MAX_DESCRIPTION = 4000;

/** Colour by what happened: messages green, faults and errors red, budgets yellow, scheduling dim. */
function colourOf(e: TraceRecord): (text: string) => string {
  switch (e.kind) {
    case "transfer":
    case "reply":
      return chalk.green;
    case "fault":
    case "error":
      return chalk.red;
    case "budget":
      return chalk.yellow;
    case "switch":
      return chalk.dim;
    default:
      return (text) => text;
  }
}

/** One trace line (no newline). Colour only on a terminal (chalk's level says). */
function formatEvent(e: TraceRecord): string {
  const where = e.line ? ` ${safeLine(e.line)}` : "";
  const who = safeLine(e.thread ?? "kernel");
  const what = colourOf(e)(safeLine(describeEvent(e), MAX_DESCRIPTION));
  return `${chalk.dim(`${TRACE_MARK} ${time(e.time)}`)} ${chalk.cyan(who)}${chalk.dim(where)}  ${what}`;
}

/**
 * Writes trace lines between the program's output: each on a line of its own (a partial output
 * line is ended first), output written as it comes.
 */
export function traceWriter(write: (text: string) => void): {
  output: (text: string) => void;
  event: (e: TraceRecord) => void;
} {
  let atLineStart = true;
  return {
    output(text) {
      if (text.length === 0) return;
      write(text);
      atLineStart = text.endsWith("\n");
    },
    event(e) {
      if (e.kind === "output") return; // the output itself is written as it comes
      write(`${atLineStart ? "" : "\n"}${formatEvent(e)}\n`);
      atLineStart = true;
    },
  };
}
