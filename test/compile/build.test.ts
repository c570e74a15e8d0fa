import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildExercise, type BuildRequest } from "../../src/compile/index.js";
import type { KernelConfig } from "../../src/abi/constants.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const GENERATED = new Map([["cspace_t.ts", "export const ep = 1;\nexport const reply = 2;\n"]]);

const GOOD = `import { CONFIG_KERNEL_MCS, seL4_Recv, seL4_Reply, seL4_Send, seL4_MessageInfo_new, printf } from "sel4";
import { ep, reply } from "./cspace_t";

export function main(): number {
  let badge = 0;
  if (CONFIG_KERNEL_MCS) {
    ({ badge } = seL4_Recv(ep, reply));
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
  } else {
    ({ badge } = seL4_Recv(ep));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
  }
  printf("badge %lu\\n", badge);
  return 0;
}
`;

function exercise(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-build-"));
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
  return dir;
}

const request = (dir: string, config: KernelConfig): BuildRequest => ({
  exerciseDir: dir,
  buildDir: `${dir}_build`,
  config,
  generated: GENERATED,
  typingsFile: join(FIXTURES, `sel4.${config}.d.ts`),
});

describe("build", () => {
  it("type-checks one source for both configurations and emits CommonJS with source maps", async () => {
    const dir = exercise({ "t.ts": GOOD });
    for (const config of ["master", "mcs"] as const) {
      const r = await buildExercise(request(dir, config));
      expect(r.diagnostics).toEqual([]);
      expect(r.status).toBe("built");
      const js = readFileSync(join(r.outDir, "t.js"), "utf8");
      expect(js).toContain('require("./cspace_t")');
      expect(js).toContain("exports.main = main");
      expect(js).toContain(config === "mcs" ? "seL4_Send" : "seL4_Reply");
      expect(js).not.toContain(config === "mcs" ? "seL4_Reply" : "seL4_Send");
      expect(existsSync(join(r.outDir, "t.js.map"))).toBe(true);
      expect(existsSync(join(r.outDir, "cspace_t.js"))).toBe(true);
      expect(JSON.parse(readFileSync(join(r.outDir, "package.json"), "utf8"))).toEqual({ type: "commonjs" });
    }
  });

  it("does no work the second time, and rebuilds after a change", async () => {
    const dir = exercise({ "t.ts": GOOD });
    expect((await buildExercise(request(dir, "master"))).status).toBe("built");
    const before = readFileSync(join(`${dir}_build`, "master", "out", "t.js"), "utf8");
    expect((await buildExercise(request(dir, "master"))).status).toBe("up-to-date");
    writeFileSync(join(dir, "t.ts"), GOOD.replace("badge %lu", "badge is %lu"));
    expect((await buildExercise(request(dir, "master"))).status).toBe("built");
    expect(readFileSync(join(`${dir}_build`, "master", "out", "t.js"), "utf8")).not.toBe(before);
  });

  it("reports file:line:column with a code frame", async () => {
    const dir = exercise({ "t.ts": GOOD.replace('printf("badge %lu\\n", badge);', "printf(42);") });
    const r = await buildExercise(request(dir, "master"));
    expect(r.status).toBe("failed");
    const d = r.diagnostics[0]!;
    expect([d.file, d.line, d.column, d.code]).toEqual(["t.ts", 13, 10, 2345]);
    expect(d.frame).toContain("> 13 |   printf(42);");
    expect(d.frame).toMatch(/\n\s+\|\s{10}\^\^/);
    // A failed build leaves no stamp, so the next build tries again.
    expect((await buildExercise(request(dir, "master"))).status).toBe("failed");
  });

  it("names the configuration and the right call for the other configuration's API", async () => {
    const dir = exercise({
      "t.ts": GOOD.replace(
        "    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));",
        "    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));",
      ),
    });
    const r = await buildExercise(request(dir, "mcs"));
    expect(r.status).toBe("failed");
    expect(r.diagnostics.map((d) => [d.line, d.note])).toEqual([
      [8, expect.stringMatching(/^seL4_Reply does not exist on the mcs configuration.*seL4_Send\(reply, info\)/)],
    ]);
    const wrongArgs = exercise({
      "t.ts": GOOD.replace("({ badge } = seL4_Recv(ep));", "({ badge } = seL4_Recv(ep, reply));"),
    });
    const r2 = await buildExercise(request(wrongArgs, "master"));
    expect(r2.diagnostics[0]!.note).toMatch(
      /seL4_Recv differs between configurations: this build is for master, where it is seL4_Recv\(src\); on mcs it is seL4_Recv\(src, reply\)/,
    );
  });

  it("reports diagnostics at the learner's own line and column inside a live branch", async () => {
    const dir = exercise({
      "t.ts": GOOD.replace("({ badge } = seL4_Recv(ep, reply));", "({ badge } = seL4_Recv(ep, reply, 3));"),
    });
    const r = await buildExercise(request(dir, "mcs"));
    expect(r.diagnostics.map((d) => [d.line, d.column])).toEqual([[7, 39]]);
    expect((await buildExercise(request(dir, "master"))).status).toBe("built");
  });
});
