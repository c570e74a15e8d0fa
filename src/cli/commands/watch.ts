// sel4tut watch [--mcs] [--poll]: checks the current task now, and again each time a learner
// source (.ts at the top of the exercise) is saved. What runs when is app/watch.ts's event loop;
// this file turns file events, keys and Ctrl-C into its events and shows each run as `check` does
// (checkAndShow), so a pass records progress exactly as `sel4tut check` does; `h` shows hints as
// `sel4tut hint` does. A build error, a failed check or even an internal error is shown and
// watching goes on. Watch never writes a learner file. Quitting (q, or Ctrl-C) exits 0.
import type { Command } from "commander";
import { loadContext, requireConfig, targetFor, type ExerciseContext } from "../../app/context.js";
import { EXIT_INTERRUPTED, InternalError, Interrupted } from "../../app/errors.js";
import { coolDown, warmUp, workersLeft } from "../../app/pipeline.js";
import { realClock, startWatchLoop, type WatchEvent, type WatchRun } from "../../app/watch.js";
import { POLL_INTERVAL_MS, pollingNeeded, readSources, watchSources, type WatchMode } from "../../app/watch-files.js";
import type { KernelConfig } from "../../abi/constants.js";
import { note } from "../lib/note.js";
import { configOf, MCS_OPTION } from "../lib/options.js";
import { failure, success } from "../lib/report.js";
import { reportError } from "../lib/report-error.js";
import { checkAndShow } from "./check.js";
import { showHints } from "./hint.js";

interface WatchOptions {
  mcs?: boolean;
  poll?: boolean;
}

export function registerWatch(program: Command): void {
  program
    .command("watch")
    .description("check the current task now and again each time you save a .ts file (keys: h hint, r re-run, q quit)")
    .addOption(MCS_OPTION())
    .option(
      "--poll",
      "notice saves by polling instead of file-system events (for WSL /mnt drives, network or container mounts)",
    )
    .action((opts: WatchOptions) => watchExercise(opts));
}

/** The events a key on standard input stands for (Ctrl-C and Ctrl-D arrive as keys in raw mode). */
function keyEvent(ch: string): WatchEvent | null {
  switch (ch.toLowerCase()) {
    case "q":
    case "\u0004":
      return { type: "key", key: "quit" };
    case "\u0003":
      return { type: "interrupt" };
    case "r":
      return { type: "key", key: "rerun" };
    case "h":
      return { type: "key", key: "hint" };
    default:
      return null;
  }
}

/** The exercise as it is now (progress included); an error that ends this run only is shown, and null returned. */
function contextNow(dir: string): ExerciseContext | null {
  try {
    return loadContext(dir, note);
  } catch (e) {
    const { message } = reportError(e);
    if (message !== null) console.error(message);
    return null;
  }
}

/** Shows one run: the header, `check`'s own output, then what happens next. */
async function showRun(
  dir: string,
  config: KernelConfig,
  run: WatchRun,
  footer: (passed: boolean, checked: string | undefined) => void,
): Promise<void> {
  const clear = process.stdout.isTTY === true && !process.env.CI;
  const ctx = contextNow(dir);
  const task = ctx?.progress.currentTask;
  if (clear) console.clear();
  // The process runs in UTC (main.ts: the simulated machine has no time zone), so say so.
  const stamp = new Date().toISOString().slice(11, 19);
  console.log(
    `\n━━━ sel4tut watch: run ${run.number}, check ${task ? `${task} ` : ""}on ${config} (${run.why}, ${stamp} UTC) ━━━`,
  );
  let passed = false;
  try {
    if (ctx) passed = await checkAndShow(ctx, config, { inWatch: true }, run.signal);
  } catch (e) {
    if (!(e instanceof Interrupted)) {
      const { message } = reportError(e);
      if (message !== null) console.error(message);
    }
  }
  // Every run must end with its worker threads gone; a leak would grow with every save.
  const left = await workersLeft();
  if (left !== 0)
    throw new InternalError(`${left} worker thread(s) of run ${run.number} are still alive after it ended`);
  // A run stopped by quitting was not judged: nothing more to say about it.
  if (run.signal.aborted) return;
  footer(passed, task);
  // The next save finds the compiler loaded and its workers started.
  const next = contextNow(dir);
  if (next) await warmUp(targetFor(next, config)).catch(() => {});
}

async function watchExercise(opts: WatchOptions): Promise<void> {
  // Usage errors (not an exercise, a configuration the tutorial lacks) end the command at once.
  const first = loadContext(process.cwd(), note);
  const config = configOf(opts, first.tut);
  requireConfig(first.tut, config);
  const dir = first.exercise.dir;
  const keys = process.stdin.isTTY === true;

  const reason = opts.poll ? null : pollingNeeded(dir);
  if (reason) note(`${reason}; watching by polling every ${POLL_INTERVAL_MS} ms (sel4tut watch --poll)`);
  const mode: WatchMode = opts.poll || reason ? "polling" : "events";

  /** What the run found, and what happens next; `checked` is the task the run checked. */
  const footer = (passed: boolean, checked: string | undefined) => {
    const ctx = contextNow(dir);
    const task = ctx?.tut.tasks.find((t) => t.name === ctx.progress.currentTask);
    const on = task ? `${task.name} (${task.title})` : "the current task";
    const how = watcher.mode === "events" ? "" : ` (polling every ${POLL_INTERVAL_MS} ms)`;
    const lines: string[] = [];
    if (!passed) lines.push(failure(`[watch] Not passing yet: save a .ts file to check ${on} again.`));
    else if (task && task.name !== checked)
      lines.push(success(`[watch] Passed. Now on ${on}: save a .ts file to check it.`));
    else lines.push(success(`[watch] Passed. Save a .ts file to check ${on} again.`));
    lines.push(
      `[watch] Watching ${dir} for saves${how}. ${keys ? "Keys: h hint, r re-run, q quit." : "Stop with Ctrl-C."}`,
    );
    console.log(lines.join("\n"));
  };

  const loop = startWatchLoop({
    clock: realClock,
    readSources: () => readSources(dir),
    check: (run) => showRun(dir, config, run, footer),
    hint: async () => {
      const ctx = contextNow(dir);
      if (ctx)
        await showHints(ctx, {}, "Press h again").catch((e: unknown) => console.error(reportError(e).message ?? ""));
    },
    stopping: (runStopped) =>
      console.log(
        `\n[watch] Stopped watching${runStopped ? " (the run in progress was stopped; it was not judged)" : ""}.`,
      ),
    exitNow: () => process.exit(EXIT_INTERRUPTED),
  });
  const watcher = watchSources(dir, mode, (names) => loop.post({ type: "saved", names }), note);

  const onSigint = () => loop.post({ type: "interrupt" });
  const onKeys = (data: string | Buffer) => {
    for (const ch of String(data)) {
      const event = keyEvent(ch);
      if (event) loop.post(event);
    }
  };
  const stdin = process.stdin;
  const onStdinError = () => {};
  process.on("SIGINT", onSigint);
  if (keys) stdin.setRawMode(true);
  stdin.on("data", onKeys);
  stdin.on("error", onStdinError);
  stdin.resume();
  try {
    await loop.done;
  } finally {
    watcher.close();
    await coolDown();
    process.off("SIGINT", onSigint);
    stdin.off("data", onKeys);
    if (keys) stdin.setRawMode(false);
    stdin.pause();
    stdin.off("error", onStdinError);
  }
}
