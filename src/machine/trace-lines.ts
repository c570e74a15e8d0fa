// The kernel's trace events with the learner's source lines added: the kernel knows each thread's
// instruction pointer, the machine's ip maps know which statement of which file it is.
import type { TraceEvent, TraceSink } from "../kernel/index.js";
import type { IpMapRegistry } from "./ipmap.js";
import { loadIpMaps } from "./report.js";

/** A kernel event as tools see it: `line` is where `thread` is, `peerLine` where the other thread (`to`) is. */
export type TraceRecord = TraceEvent & { line?: string; peerLine?: string };

/**
 * A sink for the kernel that adds source lines ("handler.ts:42") to every event before handing it
 * on. `entries` are the threads' compiled entry files, next to which the ip maps are (read at the
 * first event, so a run without events reads nothing). `detail`: every event, or only the facts.
 */
export function withSourceLines(
  entries: readonly string[],
  next: (e: TraceRecord) => void,
  detail: boolean,
): TraceSink {
  let maps: IpMapRegistry | null = null;
  return {
    detail,
    event(e: TraceEvent) {
      const ipmaps = (maps ??= loadIpMaps(entries));
      const record: TraceRecord = e;
      if (e.ip !== undefined) {
        const line = ipmaps.describe(e.ip);
        if (line !== null) record.line = line;
      }
      if ("peerIp" in e && e.peerIp !== undefined) {
        const line = ipmaps.describe(e.peerIp);
        if (line !== null) record.peerLine = line;
      }
      next(record);
    },
  };
}
