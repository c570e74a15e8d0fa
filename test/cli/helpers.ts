// Running the real command line as a new user would: a spawned `node bin/sel4tut.js`.
import { spawn, spawnSync } from "node:child_process";
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

/** The same, without blocking the test runner (for runs that take a while). */
export function sel4tutAsync(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
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
