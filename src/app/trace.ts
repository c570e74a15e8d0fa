// The `trace` use case: build and run the exercise with every kernel event recorded, and gather
// the learner's source files those events point into (for the code shown next to each event).
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { prepare, runBuilt, type Prepared, type RunEnd, type Target, type TraceRecord } from "./pipeline.js";

export type TraceReport =
  | { kind: "build-failed"; build: Prepared["build"] }
  | { kind: "traced"; run: RunEnd; events: TraceRecord[]; output: string; sources: Record<string, string> };

/** The files (relative to the exercise) that events' lines name, read from inside the exercise only. */
function sourcesOf(exerciseDir: string, events: readonly TraceRecord[]): Record<string, string> {
  const files = new Set<string>();
  for (const e of events) {
    for (const where of [e.line, e.peerLine]) if (where) files.add(where.slice(0, where.lastIndexOf(":")));
  }
  const sources: Record<string, string> = {};
  for (const file of [...files].sort()) {
    const path = resolve(exerciseDir, file);
    const inside = relative(exerciseDir, path);
    if (inside.startsWith("..") || isAbsolute(inside)) continue;
    try {
      sources[file] = readFileSync(join(exerciseDir, inside), "utf8");
    } catch {
      // a file that went away since the build: its events keep their file:line, without the code
    }
  }
  return sources;
}

export async function traceExercise(
  target: Target,
  opts: { signal?: AbortSignal; onBuilt?: (build: Prepared["build"]) => void } = {},
): Promise<TraceReport> {
  const prepared = await prepare(target);
  opts.onBuilt?.(prepared.build);
  if (prepared.build.status === "failed") return { kind: "build-failed", build: prepared.build };
  const events: TraceRecord[] = [];
  let output = "";
  const run = await runBuilt({
    plan: prepared.plan,
    outDir: prepared.build.outDir,
    config: target.config,
    simTimeLimitMs: target.tut.simTimeLimitMs,
    displayRoot: target.exerciseDir,
    onOutput: (text) => (output += text),
    trace: (e) => events.push(e),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { kind: "traced", run, events, output, sources: sourcesOf(target.exerciseDir, events) };
}
