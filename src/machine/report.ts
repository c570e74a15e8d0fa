// End-of-run texts: why the system stopped and, when it stopped because nothing could run,
// what every thread is doing, with the learner source line it is stuck at.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Kernel, TCB } from "../kernel/index.js";
import { FaultIP } from "../abi/registers.js";
import { IpMapRegistry, extractIpMaps } from "./ipmap.js";
import type { ThreadEnd } from "../libsel4/channel.js";

export function formatVirtualTime(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}

/** The ip maps of every compiled file next to the threads' entry files (read only when a report needs them). */
export function loadIpMaps(entries: readonly string[]): IpMapRegistry {
  const registry = new IpMapRegistry();
  const seen = new Set<string>();
  const visit = (dir: string, depth: number) => {
    if (seen.has(dir) || depth > 4) return;
    seen.add(dir);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name.endsWith(".js")) {
        for (const map of extractIpMaps(readFileSync(path, "utf8"))) {
          try {
            registry.add(map);
          } catch {
            // a collision only costs the line numbers in this report
          }
        }
      } else if (name !== "node_modules" && statSync(path).isDirectory()) {
        visit(path, depth + 1);
      }
    }
  };
  for (const entry of entries) visit(dirname(entry), 0);
  return registry;
}

export interface ThreadLine {
  tcb: TCB;
  /** How the thread ended quietly, or null while it has not. */
  ended: ThreadEnd | null;
}

/** One line per thread: name, priority, state, what it waits for and where its code stopped. */
export function describeThreads(kernel: Kernel, threads: readonly ThreadLine[], ipmaps: IpMapRegistry): string {
  const lines: string[] = [];
  for (const { tcb, ended } of threads) {
    const d = kernel.describeThread(tcb);
    const head = `  ${d.name} (priority ${d.priority}): `;
    if (ended !== null) {
      lines.push(
        `${head}${ended === "aborted" ? "stopped by abort() (a failed ZF_LOGF_IF or assert)" : "finished (main returned)"}`,
      );
      continue;
    }
    const where = ipmaps.describe(Number(tcb.regs[FaultIP]!));
    const waits = d.blockedOn ? ` waiting for ${d.blockedOn}` : "";
    lines.push(`${head}${d.state}${waits}${where ? `, at ${where}` : ""}`);
  }
  return lines.join("\n");
}
