// A seL4 thread's `console`: it prints through the kernel like printf, in program order. Node's
// own console would write dir() straight to the worker's stdout (out of order with the kernel)
// and time console.time() with the real clock, so every method is the thread's own, with Node's
// formats; table prints as log does.
import { formatWithOptions, inspect, type InspectOptions } from "node:util";
import type { WorkerChannel } from "./channel.js";

/**
 * Objects are shown without calling an inspect.custom method planted on them: the method would
 * receive Node's own inspect function and options, objects shared by every run of the worker.
 */
const FORMAT: InspectOptions = { customInspect: false };

export function threadConsole(ch: WorkerChannel): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  let indent = "";
  const out = (text: string) => ch.print(`${indent ? text.replace(/^/gm, indent) : text}\n`);
  const write = (...args: unknown[]) => out(formatWithOptions(FORMAT, ...args));
  for (const name of ["log", "info", "warn", "error", "debug", "trace", "dirxml", "table"]) c[name] = write;
  c.assert = (condition: unknown, ...data: unknown[]) => {
    if (condition) return;
    if (typeof data[0] === "string") write(`Assertion failed: ${data[0]}`, ...data.slice(1));
    else write("Assertion failed", ...data);
  };
  const counts = new Map<string, number>();
  c.count = (label: unknown = "default") => {
    const n = (counts.get(String(label)) ?? 0) + 1;
    counts.set(String(label), n);
    write(`${String(label)}: ${n}`);
  };
  c.countReset = (label: unknown = "default") => void counts.delete(String(label));
  c.dir = (obj: unknown, options?: InspectOptions) => out(inspect(obj, { ...options, customInspect: false }));
  c.group = c.groupCollapsed = (...label: unknown[]) => {
    if (label.length > 0) write(...label);
    indent += "  ";
  };
  c.groupEnd = () => {
    indent = indent.slice(2);
  };
  const started = new Map<string, number>();
  const nowMs = () => ch.virtualNow() / 1e6;
  c.time = (label: unknown = "default") => {
    if (started.has(String(label))) write(`Warning: Label '${String(label)}' already exists for console.time()`);
    else started.set(String(label), nowMs());
  };
  const elapsed = (label: string, method: string, end: boolean, data: unknown[]) => {
    const t0 = started.get(label);
    if (t0 === undefined) return write(`Warning: No such label '${label}' for console.${method}()`);
    if (end) started.delete(label);
    write("%s: %s", label, formatDuration(nowMs() - t0), ...data);
  };
  c.timeEnd = (label: unknown = "default") => elapsed(String(label), "timeEnd", true, []);
  c.timeLog = (label: unknown = "default", ...data: unknown[]) => elapsed(String(label), "timeLog", false, data);
  return c;
}

/** As Node prints console.timeEnd durations, less the minute and hour forms (runs are budgeted in seconds). */
function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${Number(ms.toFixed(3))}ms`;
}
