import { loadTypeScript } from "../../src/compile/load-typescript.js";
import { describe, expect, it } from "vitest";
import { blankForConfig } from "../../src/compile/blank.js";

/** The compiler the build uses (typed as its namespace, as src/compile takes it). */
const ts = loadTypeScript();

const SRC = `import { CONFIG_KERNEL_MCS, seL4_Recv, seL4_Reply, seL4_Send } from "sel4";
import { ep, reply } from "./cspace_x";
export function main(): number {
  if (CONFIG_KERNEL_MCS) {
    seL4_Recv(ep, reply);
    seL4_Send(reply, 0 as never);
  } else {
    seL4_Recv(ep);
    seL4_Reply(0 as never);
  }
  if (!CONFIG_KERNEL_MCS) seL4_Reply(0 as never); else seL4_Send(reply, 0 as never);
  return 0;
}
`;

describe("configuration branches", () => {
  for (const config of ["master", "mcs"] as const) {
    it(`keeps every line and column in place (${config})`, () => {
      const out = blankForConfig(ts, "x.ts", SRC, config);
      expect(out.length).toBe(SRC.length);
      expect(out.split("\n").map((l) => l.length)).toEqual(SRC.split("\n").map((l) => l.length));
      // Code outside branches is untouched, character for character.
      expect(out.slice(out.indexOf("export function"), out.indexOf("if ("))).toBe(
        SRC.slice(SRC.indexOf("export function"), SRC.indexOf("if (")),
      );
      expect(ts.createSourceFile("x.ts", out, ts.ScriptTarget.ES2022, true).statements.length).toBe(3);
    });
  }

  it("drops the MCS branch and its imports for master", () => {
    const out = blankForConfig(ts, "x.ts", SRC, "master");
    expect(out).toContain("seL4_Recv(ep);");
    expect(out).not.toContain("seL4_Send");
    expect(out).not.toMatch(/\breply\b/);
    expect(out).toMatch(/if \(false\s*\)/);
    expect(out).toMatch(/if \(!false\s*\) seL4_Reply/);
  });

  it("drops the master branch and seL4_Reply for MCS", () => {
    const out = blankForConfig(ts, "x.ts", SRC, "mcs");
    expect(out).toContain("seL4_Recv(ep, reply);");
    expect(out).not.toContain("seL4_Reply");
    expect(out).toMatch(/import \{\s+seL4_Recv,\s+seL4_Send\s*\} from "sel4"/);
    expect(out).toMatch(/if \(!true\s*\) \{\}\s+else seL4_Send/);
  });

  it("a dead branch that is a single statement becomes an empty block, which the compiler accepts as an if's body", () => {
    const src = `import { CONFIG_KERNEL_MCS, seL4_Send, seL4_Reply } from "sel4";
export function main(): number {
  if (CONFIG_KERNEL_MCS) seL4_Send(1, 0);
  else seL4_Reply(0);
  return 0;
}
`;
    const master = blankForConfig(ts, "x.ts", src, "master");
    expect(master).toMatch(/if \(false\s*\) \{\} +\n\s+else seL4_Reply\(0\);/);
    const mcs = blankForConfig(ts, "x.ts", src, "mcs");
    expect(mcs).toMatch(/if \(true\s*\) seL4_Send\(1, 0\);\n\s+else \{\} +\n/);
    for (const out of [master, mcs]) {
      const diagnostics = (ts.transpileModule(out, { reportDiagnostics: true }).diagnostics ?? []).map((d) => d.code);
      expect(diagnostics).not.toContain(1313);
    }
  });

  it("treats a conditional expression like an if: literal condition, dead branch no longer type-checked", () => {
    const src = `import { CONFIG_KERNEL_MCS, seL4_Recv, seL4_NBWait, seL4_Poll } from "sel4";
import { ep, reply } from "./cspace_x";

export function main(): bigint {
  const info = CONFIG_KERNEL_MCS ? seL4_Recv(ep, reply) : seL4_Recv(ep);
  const n = !CONFIG_KERNEL_MCS
    ? seL4_Poll(ep)
    : seL4_NBWait(ep);
  return CONFIG_KERNEL_MCS ? 1n : 2n;
}
`;
    const master = blankForConfig(ts, "x.ts", src, "master");
    expect(master.split("\n").map((l) => l.length)).toEqual(src.split("\n").map((l) => l.length));
    expect(master).toMatch(/const info = false +\? null! +: seL4_Recv\(ep\);/);
    expect(master).toMatch(/const n = !false +\n +\? seL4_Poll\(ep\)\n +: null! +;/);
    // Too short to hold null!, and harmless: the dead literal stays.
    expect(master).toMatch(/return false +\? 1n : 2n;/);
    expect(master).not.toMatch(/\breply\b|seL4_NBWait/);
    const mcs = blankForConfig(ts, "x.ts", src, "mcs");
    expect(mcs).toMatch(/const info = true +\? seL4_Recv\(ep, reply\) : null! +;/);
    expect(mcs).not.toContain("seL4_Poll");
    // Both still parse to the same statements.
    for (const out of [master, mcs])
      expect(ts.createSourceFile("x.ts", out, ts.ScriptTarget.ES2022, true).statements.length).toBe(3);
  });
});
