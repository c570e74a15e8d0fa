// Save -> verdict in `sel4tut watch`: a spawned watch in a solved exercise, a one-line edit written
// to a learner file, and the wall time until watch has printed that run's verdict (its
// "[watch] Watching" footer, which follows the check's result). Between edits the benchmark pauses
// as a learner would between saves (far shorter than one, but long enough for watch to get ready).
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KernelConfig } from "../src/abi/constants.js";

export interface WatchBenchOptions {
  /** The command line that starts watch, without the watch arguments (e.g. [chrt, -r, 1, node, bin/sel4tut.js]). */
  command: string[];
  /** A solved exercise (sel4tut init --solution). */
  exerciseDir: string;
  config: KernelConfig;
  edits: number;
  /** Pause before each edit, ms. */
  pauseMs: number;
  env: NodeJS.ProcessEnv;
  /** The learner file edited. */
  file: string;
}

export interface WatchBench {
  /** Save -> verdict, ms, per edit. */
  ms: number[];
  /** Every edited run passed (the edit keeps the solution correct). */
  allPassed: boolean;
}

const FOOTER = "[watch] Watching ";
const PASSED = "[watch] Passed.";

export async function benchWatch(opts: WatchBenchOptions): Promise<WatchBench> {
  const [cmd, ...args] = opts.command as [string, ...string[]];
  const child = spawn(cmd, [...args, "watch", ...(opts.config === "mcs" ? ["--mcs"] : [])], {
    cwd: opts.exerciseDir,
    env: opts.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let waiter: (() => void) | null = null;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    waiter?.();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const footers = () => stdout.split(FOOTER).length - 1;
  /** Resolves when `n` footers have been printed (the time it was seen: the chunk's arrival). */
  const footer = (n: number) =>
    new Promise<number>((resolve, reject) => {
      const look = () => {
        if (footers() >= n) {
          waiter = null;
          resolve(performance.now());
        }
      };
      waiter = look;
      look();
      void exited.then((code) => reject(new Error(`watch exited (${code}) before its verdict:\n${stdout}\n${stderr}`)));
    });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const file = join(opts.exerciseDir, opts.file);
  const original = readFileSync(file, "utf8");
  const ms: number[] = [];
  try {
    await footer(1);
    for (let i = 0; i < opts.edits; i++) {
      await sleep(opts.pauseMs);
      // One line changes: the last, a comment the build still type-checks, emits and runs.
      writeFileSync(file, `${original}// edit ${i}\n`);
      const t0 = performance.now();
      ms.push((await footer(i + 2)) - t0);
    }
  } finally {
    writeFileSync(file, original);
    child.kill("SIGINT");
    await exited;
  }
  return { ms, allPassed: stdout.split(PASSED).length - 1 === opts.edits + 1 };
}
