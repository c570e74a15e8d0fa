// The `watch` use case as one event loop: every input (a save, a key, Ctrl-C, a run or hint that
// ended, a look at whether saved files have settled) is a typed event posted to one handler, which
// decides what runs next. Runs never overlap: a save during a run queues one more run after it.
// Time comes from an injected clock, so tests drive the settling without waiting for it.
import { changedSources } from "./watch-files.js";

/**
 * Saves come in bursts (an editor truncates, writes, renames, touches) and a file may be caught
 * half-written: a run starts once two readings of the sources this far apart agree...
 */
export const SETTLE_MS = 10;
/** ...and each time they differ (a file still being written) the next look waits twice as long, up to this. */
export const SETTLE_MAX_MS = 160;

export type WatchEvent =
  /** Learner sources changed (names may be empty when the file system did not say which). */
  | { type: "saved"; names: readonly string[] }
  /** Time to read the sources again and see whether they have settled (SETTLE_MS). */
  | { type: "settle-check" }
  | { type: "key"; key: "hint" | "rerun" | "quit" }
  /** Ctrl-C: quits like `q`; a second one while quitting ends the process at once. */
  | { type: "interrupt" }
  | { type: "run-finished" }
  | { type: "hint-finished" }
  /** Something that must end watching (a check that left worker threads alive). */
  | { type: "failed"; error: unknown };

/** A run of `check`: its number, why it runs, and the signal that stops it (quitting). */
export interface WatchRun {
  number: number;
  /** "start", "re-run", or "a.ts, b.ts changed". */
  why: string;
  signal: AbortSignal;
}

export interface WatchClock {
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: WatchClock = {
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface WatchDeps {
  /** The learner sources now (name -> text; null when unreadable): a save that changed nothing runs nothing. */
  readSources(): ReadonlyMap<string, string> | null;
  /** Checks the current task (and shows it). Resolves when it ended, whatever it found; rejects only for a failure of sel4tut that must end watching. */
  check(run: WatchRun): Promise<void>;
  /** Shows the next hint. */
  hint(): Promise<void>;
  /** Watching stops; `runStopped`: a run was in progress and was stopped without being judged. */
  stopping(runStopped: boolean): void;
  /** A second Ctrl-C while stopping: the process ends now. */
  exitNow(): void;
  clock: WatchClock;
}

export interface WatchLoop {
  post(event: WatchEvent): void;
  /** Settles when watching has stopped (rejects with the error of a `failed` event). */
  readonly done: Promise<void>;
}

function hasEmptySource(sources: ReadonlyMap<string, string> | null): boolean {
  return sources !== null && [...sources.values()].some((text) => text.length === 0);
}

/** Starts watching: the first run begins at once. */
export function startWatchLoop(deps: WatchDeps): WatchLoop {
  let run: AbortController | null = null;
  let hinting = false;
  let quitting = false;
  /** A run was asked for while busy: one more follows. */
  let pending = false;
  /** The next run happens even if no source changed (first run, `r`). */
  let forced = true;
  let hintWanted = false;
  let runs = 0;
  const changed = new Set<string>();
  let lastRun: ReadonlyMap<string, string> | null = null;
  /** Saved files not yet seen to settle: what they read at the last look, and the wait until the next. */
  let settling: { seen: ReadonlyMap<string, string> | null; waitMs: number; timer: unknown } | null = null;
  let resolveDone: () => void = () => {};
  let rejectDone: (e: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const busy = () => run !== null || hinting;

  const look = (waitMs: number) => deps.clock.setTimeout(() => post({ type: "settle-check" }), waitMs);
  const stopSettling = () => {
    if (settling !== null) deps.clock.clearTimeout(settling.timer);
    settling = null;
  };

  /** A run now, or after the one in progress. */
  const requestRun = (sources?: ReadonlyMap<string, string> | null) => {
    if (busy()) pending = true;
    else startRun(sources);
  };

  const startRun = (sources?: ReadonlyMap<string, string> | null) => {
    pending = false;
    const now = sources === undefined ? deps.readSources() : sources;
    if (!forced && changedSources(lastRun, now).length === 0) {
      changed.clear();
      return;
    }
    forced = false;
    lastRun = now;
    runs++;
    const names = [...changed].sort();
    changed.clear();
    const why = runs === 1 ? "start" : names.length > 0 ? `${names.join(", ")} changed` : "re-run";
    const controller = new AbortController();
    run = controller;
    deps.check({ number: runs, why, signal: controller.signal }).then(
      () => post({ type: "run-finished" }),
      (error: unknown) => post({ type: "failed", error }),
    );
  };

  const startHint = () => {
    hintWanted = false;
    hinting = true;
    deps.hint().then(
      () => post({ type: "hint-finished" }),
      (error: unknown) => post({ type: "failed", error }),
    );
  };

  /** After a run or a hint: what was asked for meanwhile, in order (hint first, then the next run). */
  const next = () => {
    if (quitting) {
      if (!busy()) resolveDone();
      return;
    }
    if (hintWanted) startHint();
    else if (pending) startRun();
  };

  const quit = () => {
    quitting = true;
    stopSettling();
    deps.stopping(run !== null);
    run?.abort();
    if (!busy()) resolveDone();
  };

  function handle(event: WatchEvent): void {
    switch (event.type) {
      case "saved":
        if (quitting) return;
        for (const n of event.names) changed.add(n);
        // Further events while settling change nothing: the next look compares contents anyway.
        if (settling === null) settling = { seen: deps.readSources(), waitMs: SETTLE_MS, timer: look(SETTLE_MS) };
        return;
      case "settle-check": {
        if (quitting || settling === null) return;
        const now = deps.readSources();
        const agree = changedSources(settling.seen, now).length === 0;
        // An empty file is what a save looks like between truncating the file and writing it, and a
        // busy machine can hold the editor there for longer than SETTLE_MS: it must last SETTLE_MAX_MS.
        if (!agree || (hasEmptySource(now) && settling.waitMs < SETTLE_MAX_MS)) {
          const waitMs = Math.min(settling.waitMs * 2, SETTLE_MAX_MS);
          settling = { seen: now, waitMs, timer: look(waitMs) };
          return;
        }
        settling = null;
        requestRun(now);
        return;
      }
      case "key":
        if (quitting) return;
        if (event.key === "quit") quit();
        else if (event.key === "rerun") {
          forced = true;
          requestRun();
        } else if (busy()) hintWanted = true;
        else startHint();
        return;
      case "interrupt":
        if (quitting) deps.exitNow();
        else quit();
        return;
      case "run-finished":
        run = null;
        next();
        return;
      case "hint-finished":
        hinting = false;
        next();
        return;
      case "failed":
        quitting = true;
        run?.abort();
        stopSettling();
        rejectDone(event.error);
        return;
    }
  }

  function post(event: WatchEvent): void {
    try {
      handle(event);
    } catch (error) {
      handle({ type: "failed", error });
    }
  }

  startRun();
  return { post, done };
}
