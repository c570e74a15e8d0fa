// The build's instrumentation: statement addresses, preemption points and C macro call sites.
import { loadTypeScript } from "../../src/compile/load-typescript.js";
import { describe, expect, it } from "vitest";
import { createInstrumenter } from "../../src/compile/instrument.js";
import { IpMapRegistry, extractIpMaps, ipBaseFor } from "../../src/machine/ipmap.js";

/** The compiler the build uses (typed as its namespace, as src/compile takes it). */
const ts = loadTypeScript();

function emit(source: string, fileName = "/src/thread.ts"): string {
  const out = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    transformers: { before: [createInstrumenter(ts, { rootDir: "/src" })] },
  });
  return out.outputText;
}

/** Runs emitted code against a recording runtime (preempt() just starts a new budget); returns it after main(). */
function run(js: string, sel4: Record<string, unknown> = {}, budget = { lim: Infinity, stopAfter: Infinity }) {
  const rt = {
    ip: 0,
    n: 0,
    lim: budget.lim,
    preempts: 0,
    preempt() {
      if (++this.preempts >= budget.stopAfter) throw new Error(`stopped after ${this.preempts} preemptions`);
      this.n = 0;
    },
    ipmap() {},
    functions: new Map<string, number>(),
    fn(address: number, f: { name: string }) {
      this.functions.set(f.name, address);
    },
  };
  const module = { exports: {} as { main?: () => unknown } };
  new Function("exports", "require", "module", "$sel4$", js)(module.exports, () => sel4, module, rt);
  module.exports.main?.();
  return rt;
}

describe("instrumentation", () => {
  it("gives each statement that can trap an address that maps back to its line and column", () => {
    const js = emit(
      "const id = (n: number) => n;\nexport function main() {\n  let x = id(1);\n  x++;\n  return id(x);\n}\n",
    );
    const [map] = extractIpMaps(js);
    expect(map!.file).toBe("thread.ts");
    expect(map!.base).toBe(ipBaseFor("thread.ts"));
    const registry = new IpMapRegistry();
    registry.add(map!);
    const rt = run(js);
    expect(registry.lookup(rt.ip)).toEqual({ file: "thread.ts", line: 5, column: 3 });
    // The trap return address (ip + 2) still names the same statement.
    expect(registry.describe(rt.ip + 2)).toBe("thread.ts:5");
    // Statements that can neither call nor throw (x++) cost no store.
    expect(js.match(/\$sel4\$\.ip = /g)).toHaveLength(2);
  });

  it("puts a preemption point on every loop back-edge and function entry", () => {
    const js = emit(`
      function f(n: number): number { return n; }
      const g = (n: number) => n + 1;
      export function main() {
        let s = 0;
        for (let i = 0; i < 10; i++) s += f(i);
        let j = 0;
        while (j < 5) j++;
        do { j--; } while (j > 0);
        for (const k of [1, 2, 3]) s += g(k);
        return s;
      }`);
    const rt = run(js);
    // main + 10 for iterations + 10 calls of f + 5 while + 5 do-while + 3 for-of + 3 calls of g
    expect(rt.n).toBe(1 + 10 + 10 + 5 + 5 + 3 + 3);
  });

  it("traps each time the budget runs out, even in an empty infinite loop", () => {
    const js = emit("export function main() { for (;;) { } }");
    expect(() => run(js, {}, { lim: 100, stopAfter: 3 })).toThrow("stopped after 3 preemptions");
  });

  it("passes ZF_LOGF_IF and assert their call site: condition text, function, file, line", () => {
    const js = emit(
      `import { ZF_LOGF_IF, assert as check } from "sel4";
export function main() {
  const error = 2;
  ZF_LOGF_IF(error !== 0, "Failed %d", error);
  const inner = () => check(error == 1);
  inner();
}`,
      "/src/handler.ts",
    );
    const sites: unknown[] = [];
    run(js, {
      ZF_LOGF_IF(this: unknown, ...args: unknown[]) {
        sites.push([this, ...args]);
      },
      assert(this: unknown, ...args: unknown[]) {
        sites.push([this, ...args]);
      },
    });
    expect(sites).toEqual([
      [{ cond: "error !== 0", func: "main", file: "handler.ts", line: 4 }, true, "Failed %d", 2],
      [{ cond: "error == 1", func: "inner", file: "handler.ts", line: 5 }, false],
    ]);
  });

  it("gives top-level functions an address at their declaration (where a new thread can start)", () => {
    const js = emit(
      "function worker(a: number) { return a; }\nexport function main() { return worker(1); }\nconst f = () => 1;\n",
    );
    const registry = new IpMapRegistry();
    registry.add(extractIpMaps(js)[0]!);
    const rt = run(js);
    expect([...rt.functions.keys()]).toEqual(["worker", "main"]);
    expect(registry.describe(rt.functions.get("worker")!)).toBe("thread.ts:1");
    expect(registry.describe(rt.functions.get("main")!)).toBe("thread.ts:2");
  });

  it("leaves a file's own function of the same name alone", () => {
    const js = emit(`function assert(c: boolean) { return c; }\nexport function main() { return assert(true); }`);
    expect(js).not.toContain("assert.call(");
  });
});
