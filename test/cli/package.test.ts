// The package as `npm publish` would ship it: `npm pack`'s tarball, installed into an empty
// project, gives a working `sel4tut` command outside the clone. The install is offline: a lockfile
// pins the tarball and sel4tut's dependencies exactly as the clone's lockfile has them, so npm takes
// every package from its cache (filled by the `npm ci` that installed the clone) and never asks the
// registry.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SAFETY_NET_MS = 300_000;

interface LockEntry {
  version?: string;
  dev?: boolean;
  link?: boolean;
  license?: string;
  dependencies?: Record<string, string>;
  bin?: unknown;
  engines?: unknown;
}

function npm(args: string[], cwd: string) {
  const r = spawnSync("npm", args, {
    cwd,
    encoding: "utf8",
    timeout: SAFETY_NET_MS,
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A project whose only dependency is the tarball, locked to the clone's versions of sel4tut's dependencies. */
function projectFor(tarball: string, dir: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const own = lock.packages[""]!;
  const spec = `file:${tarball}`;
  const packages: Record<string, LockEntry & { resolved?: string }> = {
    "": { dependencies: { sel4tut: spec } },
    "node_modules/sel4tut": {
      version: own.version,
      resolved: spec,
      license: own.license,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== "" && !entry.dev && !entry.link) packages[path] = entry;
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, dependencies: { sel4tut: spec } }));
  writeFileSync(
    join(dir, "package-lock.json"),
    JSON.stringify({ name: "learner", lockfileVersion: 3, requires: true, packages }),
  );
}

describe("the packed sel4tut, installed into an empty project", () => {
  let bin = "";
  let tarball = "";

  beforeAll(() => {
    const packDir = tempDir("sel4tut-pack-");
    // dist/ is built by `npm test`'s pretest; --ignore-scripts keeps the test from building again.
    const name = npm(["pack", "--ignore-scripts", "--silent", "--pack-destination", packDir], ROOT)
      .trim()
      .split("\n")
      .pop()!;
    tarball = join(packDir, name);
    const project = tempDir("sel4tut-installed-");
    projectFor(tarball, project);
    npm(["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], project);
    bin = join(project, "node_modules", ".bin", "sel4tut");
  }, SAFETY_NET_MS);

  function sel4tut(args: string[], cwd: string) {
    return spawnSync(bin, args, {
      cwd,
      encoding: "utf8",
      timeout: SAFETY_NET_MS,
      env: { ...process.env, NO_COLOR: "1" },
    });
  }

  it("ships the command, its compiled code, the typings, the tutorials and the examples, and no tests", () => {
    const listing = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n");
    expect(listing).toContain("package/bin/sel4tut.js");
    expect(listing).toContain("package/dist/cli/main.js");
    expect(listing).toContain("package/dist/cli/bundle.cjs");
    expect(listing).toContain("package/dist/machine/worker-bundle.cjs");
    expect(listing).toContain("package/src/libsel4/typings/sel4.d.ts");
    expect(listing).toContain("package/tutorials/fault-handlers/tutorial.json");
    expect(listing).toContain("package/templates/fault-handlers/handler.ts");
    expect(listing).toContain("package/examples/shared-cspace/tutorial.json");
    expect(listing.filter((f) => f.startsWith("package/test/"))).toEqual([]);
  });

  it(
    "initialises, runs and checks the fault-handlers tutorial from a directory outside the clone",
    () => {
      const work = tempDir("sel4tut-outside-");
      const init = sel4tut(["init", "--tut", "fault-handlers", "--solution"], work);
      expect(init.stderr).toBe("");
      expect(init.status).toBe(0);
      const exercise = join(work, "fault-handlers");
      const run = sel4tut(["run"], exercise);
      expect(run.stdout).toContain("Faulter: Finished execution.");
      const check = sel4tut(["check", "--mcs"], exercise);
      expect(check.stdout).toMatch(/Success!/);
      expect(check.status).toBe(0);
    },
    SAFETY_NET_MS,
  );
});
