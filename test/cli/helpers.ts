// Running the real command line as a new user would: a spawned `node bin/sel4tut.js`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "sel4tut.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const ENV = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };

export function sel4tut(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: ENV, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface SpawnOptions {
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Node options before the script (e.g. --import a preload). */
  nodeArgs?: string[];
}

export interface Started {
  child: ChildProcess;
  /** Everything printed so far, both streams. */
  printed(): string;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** A spawned sel4tut that the test can watch and signal while it runs. */
export function startSel4tut(args: string[], cwd: string, opts: SpawnOptions = {}): Started {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
    cwd,
    env: { ...ENV, ...opts.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, printed: () => stdout + stderr, done };
}

/** The same as sel4tut(), without blocking the test runner (for runs that take a while). */
export async function sel4tutAsync(args: string[], cwd: string, opts: SpawnOptions = {}): Promise<CliResult> {
  const { status, stdout, stderr } = await startSel4tut(args, cwd, opts).done;
  return { status, stdout, stderr };
}

export function tempDir(prefix = "sel4tut-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under dir with its content: to prove a command wrote nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}
