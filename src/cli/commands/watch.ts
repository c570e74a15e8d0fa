// sel4tut watch [--mcs] [--poll]: runs `check` for the current task now, and again each time a
// learner source (.ts at the top of the exercise) is saved. It is `check` itself that runs, in this
// process, so a pass records progress and moves on to the next task exactly as `sel4tut check`
// does; `h` is `sel4tut hint`. Runs never overlap: changes during a run queue one more run. A build
// error, a failed check or even an internal error is shown and watching goes on. Watch never
// writes a learner file. Quitting (q, or Ctrl-C, which is how a watch is meant to end) exits 0.
import { Command } from "commander";
import { liveWorkers } from "../../machine/host.js";
import { loadContext } from "../lib/context.js";
import { CommandFailed, EXIT_INTERRUPTED, InternalError, Interrupted } from "../../app/errors.js";
import { configOf, requireConfig } from "../lib/exercise-run.js";
import { failure, success } from "../lib/report.js";
import {
  changedSources,
  POLL_INTERVAL_MS,
  pollingNeeded,
  readSources,
  watchSources,
  type SourceWatcher,
  type WatchMode,
} from "../lib/watch-files.js";
import { registerCheck } from "./check.js";
import { registerHint } from "./hint.js";

/** Saves come in bursts (editors write, rename, touch): wait this long after the last event. */
const DEBOUNCE_MS = 150;

interface WatchOptions {
  mcs?: boolean;
  poll?: boolean;
}

export function registerWatch(program: Command): void {
  program
    .command("watch")
    .description("check the current task now and again each time you save a .ts file (keys: h hint, r re-run, q quit)")
    .option("--mcs", "use the MCS kernel configuration")
    .option(
      "--poll",
      "notice saves by polling instead of file-system events (for WSL /mnt drives, network or container mounts)",
    )
    .action((opts: WatchOptions) => watchExercise(opts));
}

/** `h`: the hint command's next hint, worded for a learner who presses a key rather than types a command. */
const showHint = () => runCommand(registerHint, ["hint", "--in-watch"]);

/** Runs one sel4tut command (check, hint) in this process, as the command line would. */
async function runCommand(register: (p: Command) => void, args: string[]): Promise<"ok" | "failed" | "interrupted"> {
  const sub = new Command("sel4tut").exitOverride();
  register(sub);
  for (const c of sub.commands) c.exitOverride();
  try {
    await sub.parseAsync(args, { from: "user" });
    return "ok";
  } catch (e) {
    if (e instanceof Interrupted) return "interrupted";
    if (!(e instanceof CommandFailed && e.reported)) {
      // Loaded here: main.ts registers this command.
      const { reportError } = await import("../main.js");
      const { message } = reportError(e);
      if (message !== null) console.error(message);
    }
    return "failed";
  }
}

/** The current task and its title, as the progress file says now (null when it cannot be read). */
function currentTask(): { name: string; title: string } | null {
  try {
    const ctx = loadContext(process.cwd());
    const task = ctx.tut.tasks.find((t) => t.name === ctx.progress.currentTask)!;
    return { name: task.name, title: task.title };
  } catch {
    return null;
  }
}

async function watchExercise(opts: WatchOptions): Promise<void> {
  // Usage errors (not an exercise, a configuration the tutorial lacks) end the command at once.
  const ctx = loadContext(process.cwd());
  const config = configOf(opts);
  requireConfig(ctx.tut, config);
  const dir = ctx.exercise.dir;
  const checkArgs = ["check", "--in-watch", ...(opts.mcs ? ["--mcs"] : [])];
  const keys = process.stdin.isTTY === true;
  const clear = process.stdout.isTTY === true && !process.env.CI;

  let quitting = false;
  let running = false;
  /** A run was asked for while one was going on: one more follows it. */
  let pending = false;
  /** The next run happens even if no source changed (first run, `r`). */
  let forced = true;
  let hintWanted = false;
  let runs = 0;
  const changed = new Set<string>();
  let lastRun: Map<string, string> | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let selfSignal = false;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));

  const note = (text: string) => console.error(`note: ${text}`);

  /** Stops the run in progress the way Ctrl-C does (the run's own SIGINT handler stops the machine). */
  const stopRun = () => {
    selfSignal = true;
    try {
      process.emit("SIGINT", "SIGINT");
    } finally {
      selfSignal = false;
    }
  };
  // Quitting while a check is still building: stop its run as soon as it starts.
  const onNewListener = (event: string | symbol) => {
    if (event === "SIGINT" && quitting && running) setImmediate(stopRun);
  };

  /** What the run did, and what happens next; `checked` is the task the run checked. */
  const footer = (outcome: "ok" | "failed", checked: string | undefined) => {
    const task = currentTask();
    const on = task ? `${task.name} (${task.title})` : "the current task";
    const how = watcher.mode === "events" ? "" : ` (polling every ${POLL_INTERVAL_MS} ms)`;
    const lines: string[] = [];
    if (outcome === "failed") lines.push(failure(`[watch] Not passing yet: save a .ts file to check ${on} again.`));
    else if (task && task.name !== checked)
      lines.push(success(`[watch] Passed. Now on ${on}: save a .ts file to check it.`));
    else lines.push(success(`[watch] Passed. Save a .ts file to check ${on} again.`));
    lines.push(
      `[watch] Watching ${dir} for saves${how}. ${keys ? "Keys: h hint, r re-run, q quit." : "Stop with Ctrl-C."}`,
    );
    console.log(lines.join("\n"));
  };

  const runOnce = async () => {
    runs++;
    const names = [...changed].sort();
    changed.clear();
    const task = currentTask();
    const why = runs === 1 ? "start" : names.length > 0 ? `${names.join(", ")} changed` : "re-run";
    if (clear) console.clear();
    // The process runs in UTC (main.ts: the simulated machine has no time zone), so say so.
    const stamp = new Date().toISOString().slice(11, 19);
    console.log(
      `\n━━━ sel4tut watch: run ${runs}, check ${task ? `${task.name} ` : ""}on ${config} (${why}, ${stamp} UTC) ━━━`,
    );
    const outcome = await runCommand(registerCheck, checkArgs);
    // Every run must end with its worker threads gone; a leak would grow with every save.
    if (liveWorkers() !== 0)
      throw new InternalError(`${liveWorkers()} worker thread(s) of run ${runs} are still alive after it ended`);
    if (outcome === "interrupted") return;
    footer(outcome, task?.name);
  };

  /** Runs until nothing more is asked for; never two at once. */
  const drain = async () => {
    running = true;
    try {
      while (!quitting) {
        const now = readSources(dir);
        if (!forced && changedSources(lastRun, now).length === 0) {
          // A save that changed nothing (or changed it back): nothing to check.
          changed.clear();
        } else {
          forced = false;
          pending = false;
          lastRun = now;
          await runOnce();
        }
        if (hintWanted && !quitting) {
          hintWanted = false;
          await showHint();
        }
        if (!pending) break;
        pending = false;
      }
    } finally {
      running = false;
      if (quitting) finished();
    }
  };

  const request = (names: string[], force = false) => {
    if (quitting) return;
    for (const n of names) changed.add(n);
    if (force) forced = true;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      if (running) pending = true;
      else void drain().catch(fail);
    }, DEBOUNCE_MS);
  };

  const quit = (byCtrlC: boolean) => {
    if (quitting) {
      // A second Ctrl-C while the last run is being stopped: stop now.
      if (byCtrlC) process.exit(EXIT_INTERRUPTED);
      return;
    }
    quitting = true;
    if (debounce) clearTimeout(debounce);
    console.log(`\n[watch] Stopped watching${running ? " (the run in progress was stopped; it was not judged)" : ""}.`);
    if (running) stopRun();
    else finished();
  };

  const onSigint = () => {
    if (!selfSignal) quit(true);
  };

  const onKeys = (data: string | Buffer) => {
    for (const ch of String(data)) {
      if (ch === "q" || ch === "Q" || ch === "\u0003" || ch === "\u0004") {
        quit(ch === "\u0003");
        return;
      }
      if (quitting) return;
      if (ch === "r" || ch === "R") request([], true);
      else if (ch === "h" || ch === "H") {
        if (running) hintWanted = true;
        else void showHint();
      }
    }
  };

  let failed: unknown = null;
  function fail(e: unknown): void {
    failed = e;
    quitting = true;
    finished();
  }

  const reason = opts.poll ? null : pollingNeeded(dir);
  if (reason) note(`${reason}; watching by polling every ${POLL_INTERVAL_MS} ms (sel4tut watch --poll)`);
  const mode: WatchMode = opts.poll || reason ? "polling" : "events";
  const watcher: SourceWatcher = watchSources(dir, mode, (names) => request(names), note);

  process.on("SIGINT", onSigint);
  process.on("newListener", onNewListener);
  const stdin = process.stdin;
  const onStdinError = () => {};
  if (keys) stdin.setRawMode(true);
  stdin.on("data", onKeys);
  stdin.on("error", onStdinError);
  stdin.resume();

  try {
    await drain().catch(fail);
    await done;
  } finally {
    watcher.close();
    if (debounce) clearTimeout(debounce);
    process.off("SIGINT", onSigint);
    process.off("newListener", onNewListener);
    stdin.off("data", onKeys);
    if (keys) stdin.setRawMode(false);
    stdin.pause();
    stdin.off("error", onStdinError);
  }
  if (failed !== null) throw failed;
}
