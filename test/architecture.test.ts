// The layers of src/ and what each may import (docs/architecture.md): the kernel model imports
// only itself and the user/kernel ABI, libsel4 (which runs inside a user thread's worker) only the
// ABI, and the commands reach the kernel only through the use cases in src/app.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** The folders of src/ and the other folders each may import from (docs/architecture.md). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  abi: [],
  kernel: ["abi"],
  libsel4: ["abi"],
  machine: ["abi", "kernel", "libsel4"],
  loader: ["abi", "kernel", "tutorial"],
  text: [],
  tutorial: ["abi", "text"],
  compile: ["abi", "tutorial", "machine"],
  check: ["machine", "text"],
  app: ["abi", "kernel", "machine", "loader", "compile", "check", "tutorial", "text"],
  cli: ["app", "abi", "check", "compile", "tutorial", "text"],
};

/** Layers that run anywhere (the kernel model, and libsel4 inside a worker): no packages, no node: modules. */
const NO_PACKAGES = new Set(["abi", "kernel", "libsel4"]);

/** Every module specifier in a TypeScript source: static imports and re-exports, side-effect and dynamic imports, require. */
function importSpecifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  const patterns = [
    /\b(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((p) => [...withoutComments.matchAll(p)].map((m) => m[1]!));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** What `spec` in `file` reaches: a folder of src/ (`{ layer }`), or a package or node: module. */
function target(file: string, spec: string): { layer: string } | { package: string } {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return { package: spec };
  const path = relative(SRC, resolve(dirname(file), spec));
  return { layer: path.startsWith("..") ? path : path.split(sep)[0]! };
}

/** The imports of `file` (in src/<layer>/) that its layer's rules forbid, as "file: specifier". */
function forbiddenImports(file: string, source: string): string[] {
  const name = relative(SRC, file).split(sep).join("/");
  const layer = name.split("/")[0]!;
  const allowed = new Set([layer, ...(MAY_IMPORT[layer] ?? [])]);
  return importSpecifiers(source)
    .filter((spec) => {
      const t = target(file, spec);
      return "package" in t ? NO_PACKAGES.has(layer) : !allowed.has(t.layer);
    })
    .map((spec) => `${name}: ${spec}`);
}

describe("the layers of src/", () => {
  it("the scanner finds every kind of import, and only real ones", () => {
    const src = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      'export * from "./c.js";',
      'export { d } from "node:fs";',
      'import "side-effect";',
      'const m = await import("dyn");',
      'const r = require("cjs");',
      '// import { x } from "commented";',
      '/* import y from "block"; */',
      "const s = \"from 'not-an-import'\";",
      'import {\n  e,\n  f,\n} from "./multi.js";',
    ].join("\n");
    expect(importSpecifiers(src)).toEqual(
      expect.arrayContaining(["./a.js", "../b.js", "./c.js", "node:fs", "side-effect", "dyn", "cjs", "./multi.js"]),
    );
    expect(importSpecifiers(src)).not.toContain("commented");
    expect(importSpecifiers(src)).not.toContain("block");
  });

  it("a rule names what breaks it: the kernel reaching the machine, libsel4 the kernel, a command the kernel", () => {
    const at = (path: string) => join(SRC, ...path.split("/"));
    expect(
      forbiddenImports(
        at("kernel/object/x.ts"),
        'import { y } from "../../machine/run.js";\nimport { z } from "../api/types.js";\nimport { w } from "../../abi/constants.js";',
      ),
    ).toEqual(["kernel/object/x.ts: ../../machine/run.js"]);
    expect(forbiddenImports(at("kernel/x.ts"), 'import { readFileSync } from "node:fs";')).toEqual([
      "kernel/x.ts: node:fs",
    ]);
    expect(
      forbiddenImports(
        at("libsel4/x.ts"),
        'import { Kernel } from "../kernel/index.js";\nimport { RDI } from "../abi/registers.js";',
      ),
    ).toEqual(["libsel4/x.ts: ../kernel/index.js"]);
    expect(
      forbiddenImports(
        at("cli/commands/x.ts"),
        'const k = await import("../../kernel/index.js");\nimport { run } from "../../app/run.js";',
      ),
    ).toEqual(["cli/commands/x.ts: ../../kernel/index.js"]);
  });

  it("every folder of src/ has rules, and every rule names a folder of src/", () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
    for (const allowed of Object.values(MAY_IMPORT)) expect(allowed.filter((l) => !(l in MAY_IMPORT))).toEqual([]);
  });

  it("no file in src/ imports what its layer may not", () => {
    const files = tsFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => forbiddenImports(f, readFileSync(f, "utf8")))).toEqual([]);
  });

  it("outside src/kernel, the kernel is imported only through src/kernel/index.ts", () => {
    const index = join(SRC, "kernel", "index.ts");
    const offenders = tsFiles(SRC)
      .filter((f) => !f.startsWith(join(SRC, "kernel") + sep))
      .flatMap((f) =>
        importSpecifiers(readFileSync(f, "utf8"))
          .filter((spec) => {
            const t = target(f, spec);
            return "layer" in t && t.layer === "kernel";
          })
          .filter((spec) => resolve(dirname(f), spec).replace(/\.js$/, ".ts") !== index)
          .map((spec) => `${relative(SRC, f)}: ${spec}`),
      );
    expect(offenders).toEqual([]);
    expect(existsSync(index)).toBe(true);
  });
});
