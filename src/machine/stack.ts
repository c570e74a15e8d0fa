// Stack traces of learner code in terms of its .ts source. Installed as Error.prepareStackTrace
// in each worker, so `err.stack` in learner code is mapped too, and used for the report the
// machine prints when an exception escapes a thread.
import type { EmittedPosition } from "./module-loader.js";
import type { SourceMaps } from "./source-maps.js";

export interface Frame {
  func: string;
  file: string;
  line: number;
  column: number;
}

export class StackMapper {
  constructor(
    private readonly maps: SourceMaps,
    /** Where a frame is in the emitted JS of learner code; null for the machinery's frames. */
    private readonly emittedPosition: (site: NodeJS.CallSite) => EmittedPosition | null,
  ) {}

  install(): void {
    Error.prepareStackTrace = (err: Error, sites: NodeJS.CallSite[]) => {
      const frames = this.learnerFrames(sites);
      return `${headline(err)}${frames.map((f) => `\n    at ${formatFrame(f)}`).join("")}`;
    };
  }

  /** Where learner code is now: "handler.ts:12", or null when no learner frame is on the stack. */
  location(): string | null {
    const f = this.learnerFrames(currentSites())[0];
    return f ? `${f.file}:${f.line}` : null;
  }

  learnerFrames(sites: readonly NodeJS.CallSite[]): Frame[] {
    const out: Frame[] = [];
    for (const site of sites) {
      const at = this.emittedPosition(site);
      if (!at) continue;
      const { file, line, column } = at;
      const mapped = this.maps.map(file, line, column);
      const func = site.getFunctionName() ?? site.getMethodName() ?? "<anonymous>";
      out.push(mapped ? { func, ...mapped } : { func, file: this.maps.displayPath(file), line, column });
    }
    return out;
  }
}

/** The report printed when an exception escapes a thread's code. */
export function uncaughtReport(threadName: string, err: unknown): string {
  let text: string;
  try {
    text = err instanceof Error ? String(err.stack ?? headline(err)) : `Uncaught ${describeThrown(err)}`;
  } catch {
    // Learner code threw from a `stack` getter of its own: the thread's exception is still
    // reported, without its stack.
    text = `${describeThrown(err)} (no stack trace: making it threw, was a stack getter defined?)`;
  }
  return `Uncaught exception in thread "${threadName}": ${text}\n`;
}

function headline(err: Error): string {
  let name = "Error";
  let message = "";
  try {
    name = String(err.name ?? "Error");
    message = String(err.message ?? "");
  } catch {
    // a hostile getter must not hide the report
  }
  return message ? `${name}: ${message}` : name;
}

function describeThrown(x: unknown): string {
  try {
    return typeof x === "string" ? JSON.stringify(x) : String(x);
  } catch {
    try {
      return Object.prototype.toString.call(x);
    } catch {
      return "a value that cannot be shown";
    }
  }
}

function formatFrame(f: Frame): string {
  return `${f.func} (${f.file}:${f.line}:${f.column})`;
}

/** The current call sites; none when learner code has made Error's hooks unusable. */
function currentSites(): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_err, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } catch {
    return [];
  } finally {
    try {
      Error.prepareStackTrace = previous;
    } catch {
      // made read-only by learner code
    }
  }
}
