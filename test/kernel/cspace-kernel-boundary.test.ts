// src/kernel is a pure model: it imports nothing outside itself but the user/kernel ABI (src/abi,
// docs/architecture.md), so the machine layer, the CLI and the tests can all use it without
// dragging in I/O or each other.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const KERNEL = resolve(dirname(fileURLToPath(import.meta.url)), "../../src/kernel");
const ABI = resolve(KERNEL, "../abi");

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
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []);
}

/** The specifiers of `file` that leave src/kernel and src/abi (packages, node: modules, or paths outside them). */
function outsideImports(file: string, source: string): string[] {
  return importSpecifiers(source).filter((spec) => {
    if (!spec.startsWith("./") && !spec.startsWith("../")) return true;
    const target = resolve(dirname(file), spec);
    return ![KERNEL, ABI].some((dir) => target === dir || target.startsWith(dir + sep));
  });
}

describe("the kernel's import boundary", () => {
  it("the scanner finds every kind of import, and only real ones", () => {
    const src = [
      'import { a } from "./a.js";', 'import type { B } from "../b.js";', 'export * from "./c.js";',
      'export { d } from "node:fs";', 'import "side-effect";', 'const m = await import("dyn");', 'const r = require("cjs");',
      '// import { x } from "commented";', '/* import y from "block"; */', 'const s = "from \'not-an-import\'";',
      "import {\n  e,\n  f,\n} from \"./multi.js\";",
    ].join("\n");
    expect(importSpecifiers(src)).toEqual(
      expect.arrayContaining(["./a.js", "../b.js", "./c.js", "node:fs", "side-effect", "dyn", "cjs", "./multi.js"]));
    expect(importSpecifiers(src)).not.toContain("commented");
    expect(importSpecifiers(src)).not.toContain("block");
    const file = join(KERNEL, "object", "x.ts");
    expect(outsideImports(file, 'import { y } from "../../machine/run.js";\nimport { z } from "../api/types.js";\nimport { w } from "../../abi/constants.js";'))
      .toEqual(["../../machine/run.js"]);
  });

  it("no file under src/kernel imports anything outside src/kernel but src/abi", () => {
    const files = tsFiles(KERNEL);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((f) =>
      outsideImports(f, readFileSync(f, "utf8")).map((spec) => `${relative(KERNEL, f)}: ${spec}`));
    expect(offenders).toEqual([]);
  });
});
