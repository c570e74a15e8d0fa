// The `watch` use case as one event loop: every input (a save, a key, Ctrl-C, a run or hint that
// ended, the quiet time after a burst of saves) is a typed event posted to one handler, which
// decides what runs next. Runs never overlap: a save during a run queues one more run after it.
// Time comes from an injected clock, so tests drive the debounce without waiting for it.
import { changedSources } from "./watch-files.js";

/** Saves come in bursts (editors write, rename, touch): a run starts this long after the last event. */
export const DEBOUNCE_MS = 150;

export type WatchEvent =
  /** Learner sources changed (names may be empty when the file system did not say which). */
  | { type: "saved"; names: readonly string[] }
  /** DEBOUNCE_MS passed since the last save or re-run request. */
  | { type: "settled" }
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
  let debounce: unknown = null;
  let resolveDone: () => void = () => {};
  let rejectDone: (e: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const busy = () => run !== null || hinting;

  const restartDebounce = () => {
    if (debounce !== null) deps.clock.clearTimeout(debounce);
    debounce = deps.clock.setTimeout(() => post({ type: "settled" }), DEBOUNCE_MS);
  };

  const startRun = () => {
    pending = false;
    const now = deps.readSources();
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
    if (debounce !== null) deps.clock.clearTimeout(debounce);
    debounce = null;
    deps.stopping(run !== null);
    run?.abort();
    if (!busy()) resolveDone();
  };

  function handle(event: WatchEvent): void {
    switch (event.type) {
      case "saved":
        if (quitting) return;
        for (const n of event.names) changed.add(n);
        restartDebounce();
        return;
      case "settled":
        debounce = null;
        if (quitting) return;
        if (busy()) pending = true;
        else startRun();
        return;
      case "key":
        if (quitting) return;
        if (event.key === "quit") quit();
        else if (event.key === "rerun") {
          forced = true;
          restartDebounce();
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
        if (debounce !== null) deps.clock.clearTimeout(debounce);
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
