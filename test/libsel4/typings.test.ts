// The typings the build checks learner code against must describe the runtime module exactly.
import ts from "typescript";
import { describe, expect, it, vi } from "vitest";
import { sel4TypingsFile } from "../../src/compile/typings.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { ConfigError } from "../../src/libsel4/gate.js";
import { fakeLibsel4 } from "./fake-channel.js";

const LIB = ["lib.es2022.d.ts"];

// Each test builds TypeScript programs against the default library: up to a second on an idle
// machine, so more than a unit test's 30 s net on one loaded to 24.
vi.setConfig({ testTimeout: 300_000 });

function exportedNames(file: string): string[] {
  const program = ts.createProgram([file], { types: [], noEmit: true, lib: LIB });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const isValue = (s: ts.Symbol) =>
    ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0;
  return checker
    .getExportsOfModule(symbol)
    .filter(isValue)
    .map((s) => s.name);
}

/** Runtime names, without the stubs that only explain that the other configuration has them. */
function runtimeNames(config: KernelConfig): string[] {
  const { sel4 } = fakeLibsel4(config);
  return Object.keys(sel4).filter((name) => {
    const value = sel4[name];
    if (typeof value !== "function") return true;
    try {
      value();
    } catch (err) {
      return !(err instanceof ConfigError && /does not exist|exists only/.test(err.message));
    }
    return true;
  });
}

describe.each<KernelConfig>(["master", "mcs"])("typings for %s", (config) => {
  it("declare every runtime export and nothing else", () => {
    const declared = exportedNames(sel4TypingsFile(config)).sort();
    expect(declared).toEqual(runtimeNames(config).sort());
  });
});

describe("typings for editors (sel4.d.ts)", () => {
  it("declare everything either configuration has", () => {
    const combined = sel4TypingsFile("master").replace(/sel4\.master\.d\.ts$/, "sel4.d.ts");
    const either = new Set([...exportedNames(sel4TypingsFile("master")), ...exportedNames(sel4TypingsFile("mcs"))]);
    expect(exportedNames(combined).sort()).toEqual([...either].sort());
  });
});

describe("typings check learner code per configuration", () => {
  const diagnostics = (config: KernelConfig, code: string) => {
    const host = ts.createCompilerHost({});
    const file = "/virtual/learner.ts";
    const base = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang) => (f === file ? ts.createSourceFile(f, code, lang) : base(f, lang));
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      types: [],
      lib: LIB,
      paths: { sel4: [sel4TypingsFile(config)] },
      baseUrl: "/virtual",
    };
    return ts
      .getPreEmitDiagnostics(ts.createProgram([file], options, host))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  };
  it("rejects seL4_Reply and a reply-less seL4_Recv on MCS, and the reverse on master", () => {
    const master = `import { seL4_Recv, seL4_Reply, seL4_MessageInfo_new } from "sel4"; seL4_Recv(1); seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));`;
    expect(diagnostics("master", master)).toEqual([]);
    expect(diagnostics("mcs", master).join("\n")).toMatch(
      /no exported member 'seL4_Reply'[\s\S]*Expected 2 arguments, but got 1/,
    );
    expect(diagnostics("master", `import { seL4_Recv } from "sel4"; seL4_Recv(1, 2);`).join()).toMatch(
      /Expected 1 arguments, but got 2/,
    );
  });
});
