// How `sel4tut watch` notices that a learner source changed: file-system events on the exercise
// directory by default, polling where events do not arrive (WSL's Windows drives, a watcher the
// system refuses, or --poll). Learner sources are what the build compiles: the .ts files at the
// top of the exercise directory (not .d.ts, nothing under .sel4tut/), so the progress file and the
// generated modules a check writes never trigger a run. Nothing here writes a file. Why node:fs
// and not chokidar: docs/commands.md, "How `watch` notices a save".
import { watch, type FSWatcher } from "node:fs";
import { release } from "node:os";
import { learnerSources } from "../compile/index.js";

export type WatchMode = "events" | "polling";

/** How often polling reads the sources. */
export const POLL_INTERVAL_MS = 250;

function isLearnerSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !/[\\/]/.test(name);
}

/** The learner sources now (name -> text); null when the directory cannot be read. */
export function readSources(dir: string): Map<string, string> | null {
  try {
    return learnerSources(dir);
  } catch {
    return null;
  }
}

/** Names added, removed or changed between two readings (all of them when one is missing). */
export function changedSources(a: ReadonlyMap<string, string> | null, b: ReadonlyMap<string, string> | null): string[] {
  if (a === null || b === null) return a === b ? [] : [...new Set([...(a?.keys() ?? []), ...(b?.keys() ?? [])])].sort();
  return [...new Set([...a.keys(), ...b.keys()])].filter((n) => a.get(n) !== b.get(n)).sort();
}

/** Why file events cannot be trusted for this directory, or null. */
export function pollingNeeded(dir: string, env: NodeJS.ProcessEnv = process.env, osRelease = release()): string | null {
  const wsl = /microsoft|wsl/i.test(osRelease) || !!env.WSL_DISTRO_NAME;
  if (wsl && /^\/mnt\/[a-z](\/|$)/i.test(dir)) {
    return `${dir} is a Windows drive seen from WSL, where file events from Windows editors do not arrive`;
  }
  return null;
}

export interface SourceWatcher {
  readonly mode: WatchMode;
  close(): void;
}

/**
 * Calls onChange(names) after learner sources change (names may be empty when an event did not
 * say which file). Polling reports only real content changes; events may also report saves that
 * changed nothing, which the caller filters by content.
 */
export function watchSources(
  dir: string,
  wanted: WatchMode,
  onChange: (names: string[]) => void,
  onNote: (text: string) => void,
): SourceWatcher {
  let mode: WatchMode = wanted;
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;

  const startPolling = () => {
    mode = "polling";
    let last = readSources(dir);
    timer = setInterval(() => {
      const now = readSources(dir);
      const names = changedSources(last, now);
      last = now;
      if (names.length > 0) onChange(names);
    }, POLL_INTERVAL_MS);
  };

  if (mode === "events") {
    try {
      watcher = watch(dir, { persistent: true }, (_event, filename) => {
        const name = filename === null ? null : String(filename);
        if (name === null) onChange([]);
        else if (isLearnerSource(name)) onChange([name]);
      });
      watcher.on("error", (e) => {
        watcher?.close();
        watcher = null;
        onNote(`file events stopped working (${e.message}); watching by polling every ${POLL_INTERVAL_MS} ms instead`);
        startPolling();
      });
    } catch (e) {
      watcher = null;
      onNote(
        `file events are not available here (${e instanceof Error ? e.message : String(e)}); watching by polling every ${POLL_INTERVAL_MS} ms instead`,
      );
      startPolling();
    }
  } else {
    startPolling();
  }

  return {
    get mode() {
      return mode;
    },
    close() {
      watcher?.close();
      watcher = null;
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
