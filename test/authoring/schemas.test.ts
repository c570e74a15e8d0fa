// The JSON Schemas an editor checks tutorial.json and system.json against, and the loader: every
// built-in tutorial and example is valid for both, and a mistake either one can see is refused by
// the loader with its file, line and column. The schemas are compiled here afresh with ajv, as an
// editor would read them, not through sel4tut's generated validators.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { scaffoldExercise } from "../../src/app/scaffold.js";
import { resolveSystemSpec } from "../../src/loader/spec.js";
import { PACKAGE_ROOT } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { schemaFile, type SchemaName } from "../../src/tutorial/json-schemas.js";
// @ts-expect-error: a plain ES module without typings, run by `npm run build`
import { GENERATED_FILE, generateValidators, newAjv, readSchema } from "../../scripts/schema-validators.mjs";
import { BROKEN, tutorialDir } from "../reliability/broken-tutorials.js";

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
const editor: Record<SchemaName, Validate> = {
  tutorial: (newAjv() as { compile(s: unknown): Validate }).compile(readSchema("tutorial")),
  system: (newAjv() as { compile(s: unknown): Validate }).compile(readSchema("system")),
};
const editorErrors = (name: SchemaName, value: unknown): string[] =>
  editor[name](value) ? [] : (editor[name].errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? ""}`);

/** Every line of a loader error names the file, line and column. */
const LOCATED = /^\S+:\d+:\d+: \S/;
function loaderMessage(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the loader to refuse this");
}

/** Every tutorial directory shipped with sel4tut (built-in, examples, the skeleton of `new`), found by listing. */
function shippedTutorials(): string[] {
  return ["tutorials", "examples", "skeletons"].flatMap((parent) => {
    const root = join(PACKAGE_ROOT, parent);
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, d.name, "tutorial.json")))
      .map((d) => join(root, d.name));
  });
}

describe("the shipped tutorials, examples and skeleton", () => {
  const dirs = shippedTutorials();

  it("include the built-in tutorials and the examples", () => {
    expect(dirs.some((d) => d.endsWith(join("tutorials", "fault-handlers")))).toBe(true);
    expect(dirs.some((d) => d.endsWith(join("examples", "shared-cspace")))).toBe(true);
    expect(dirs.some((d) => d.endsWith(join("skeletons", "tutorial")))).toBe(true);
  });

  for (const dir of dirs) {
    const name = dir.slice(PACKAGE_ROOT.length + 1);
    it(`${name}: tutorial.json and its system.json are valid for the schemas they name with $schema`, () => {
      const tutorialFile = join(dir, "tutorial.json");
      const tutorial = JSON.parse(readFileSync(tutorialFile, "utf8")) as { $schema?: string; system?: string };
      const systemFile = resolve(dir, tutorial.system ?? "system.json");
      const system = JSON.parse(readFileSync(systemFile, "utf8")) as { $schema?: string };
      for (const [kind, file, json] of [
        ["tutorial", tutorialFile, tutorial],
        ["system", systemFile, system],
      ] as const) {
        expect(json.$schema, `${file}: add "$schema": "<relative path to>/schemas/${kind}.schema.json"`).toBeDefined();
        expect(resolve(dirname(file), json.$schema!), `${file}: "$schema" names the wrong file`).toBe(schemaFile(kind));
        expect(editorErrors(kind, json), file).toEqual([]);
      }
    });
  }
});

describe("the generated validators", () => {
  it("are ajv's code for the current schemas (npm run build regenerates them)", () => {
    expect(readFileSync(GENERATED_FILE as string, "utf8")).toBe((generateValidators as () => string)());
  });
});

describe("a bad input is refused by the loader with file:line:column", () => {
  it.each(BROKEN.filter((b) => b.status === 1))("$what", ({ broken, schema }) => {
    const cwd = mkdtempSync(join(tmpdir(), "sel4tut-schemas-"));
    tutorialDir(cwd, "tut", broken);
    const message = loaderMessage(() =>
      scaffoldExercise({ tutorial: "./tut", cwd, dir: "ex", solution: false, editorConfig: "master" }),
    );
    for (const line of message.split("\n")) expect(line).toMatch(LOCATED);
    expect(existsSync(join(cwd, "ex"))).toBe(false);
    if (schema)
      expect(editorErrors(schema, JSON.parse(readFileSync(join(cwd, "tut", `${schema}.json`), "utf8")))).not.toEqual(
        [],
      );
  });

  const SYSTEM_MISTAKES: [string, object][] = [
    ["a misspelt thread field", { threads: { t: { priorty: 3 } } }],
    ["an unknown object type", { objects: { x: { type: "Endpiont" } }, threads: { t: {} } }],
    ["a size on a fixed-size object", { objects: { x: { type: "Endpoint", sizeBits: 4 } }, threads: { t: {} } }],
    ["an Untyped without a size", { objects: { x: { type: "Untyped" } }, threads: { t: {} } }],
    ["a CNode too large", { objects: { x: { type: "CNode", sizeBits: 17 } }, threads: { t: {} } }],
    ["device memory on an Endpoint", { objects: { x: { type: "Endpoint", paddr: "0xfed00000" } }, threads: { t: {} } }],
    [
      "a device address that is not a word",
      { objects: { x: { type: "Frame4K", paddr: "fed00000" } }, threads: { t: {} } },
    ],
    [
      "rights seL4 does not have",
      { objects: { ep: { type: "Endpoint" } }, threads: { t: { caps: [{ object: "ep", rights: "RX" }] } } },
    ],
    [
      "a right twice",
      { objects: { ep: { type: "Endpoint" } }, threads: { t: { caps: [{ object: "ep", rights: "RR" }] } } },
    ],
    [
      "a negative slot",
      { objects: { ep: { type: "Endpoint" } }, threads: { t: { caps: [{ object: "ep", slot: -1 }] } } },
    ],
    ["a VSpace root that is a number", { threads: { t: { vspace: 5 } } }],
    [
      "a negative badge",
      { objects: { ep: { type: "Endpoint" } }, threads: { t: { caps: [{ object: "ep", badge: -1 }] } } },
    ],
    ["a cap with no object", { threads: { t: { caps: [{ symbol: "x" }] } } }],
    ["an empty slot with rights", { threads: { t: { caps: [{ symbol: "x", empty: true, rights: "RW" }] } } }],
    ["a priority above 255", { threads: { t: { priority: 300 } } }],
    ["a CSpace root that is a number", { threads: { t: { cspace: 5 } } }],
    ["ipcBuffer true", { threads: { t: { ipcBuffer: true } } }],
    ["a fault endpoint that is neither symbol nor CPtr", { threads: { t: { faultEndpoint: -3 } } }],
    ["a budget below MIN_BUDGET_US", { threads: { t: { sc: { budgetUs: 10 } } } }],
    ["a thread name that is not an identifier", { threads: { "9t": {} } }],
    ["a source that is not a .ts file", { threads: { t: { source: "../t.js" } } }],
    ["no threads", { objects: {} }],
    ["a misspelt top-level field", { threads: { t: {} }, object: {} }],
  ];
  it.each(SYSTEM_MISTAKES)("system.json: %s, in the editor and in the loader", (_what, spec) => {
    const json = { schemaVersion: 1, ...spec };
    expect(editorErrors("system", json)).not.toEqual([]);
    const message = loaderMessage(() => resolveSystemSpec("system.json", JSON.stringify(json, null, 2), "mcs"));
    for (const line of message.split("\n")) expect(line).toMatch(LOCATED);
  });

  it("system.json: caps at slot 0 and threads sharing a VSpace, valid in the editor and in the loader", () => {
    const json = {
      schemaVersion: 1,
      objects: { ep: { type: "Endpoint" }, inner: { type: "CNode", caps: [{ object: "ep", slot: 0 }] } },
      threads: { t: { caps: [{ symbol: "inner_cap", object: "inner", slot: 0 }] }, u: { vspace: "vspace_t" } },
    };
    expect(editorErrors("system", json)).toEqual([]);
    for (const config of ["master", "mcs"] as const)
      expect(() => resolveSystemSpec("system.json", JSON.stringify(json), config)).not.toThrow();
  });

  const task = { name: "a", title: "A", start: "s", finish: "f", hints: ["h"] };
  const TUTORIAL_MISTAKES: [string, object][] = [
    ["a misspelt task field", { tasks: [{ ...task, hint: ["h"] }] }],
    ["a start text that is a number", { tasks: [{ ...task, start: 5 }] }],
    [
      "a per-configuration text with a misspelt configuration",
      { tasks: [{ ...task, finish: { master: "f", mcz: "f" } }] },
    ],
    ["an unknown configuration", { configs: ["arm"], tasks: [task] }],
    ["a time limit of 0", { simTimeLimitMs: 0, tasks: [task] }],
    ["a task without hints", { tasks: [{ ...task, hints: [] }] }],
    ["a first task without a start text", { tasks: [{ ...task, start: undefined }] }],
    ["failure texts that are not a list", { failureTexts: { finish: "oops" }, tasks: [task] }],
  ];
  it.each(TUTORIAL_MISTAKES)("tutorial.json: %s, in the editor and in the loader", (_what, fields) => {
    const json = JSON.parse(JSON.stringify({ schemaVersion: 1, name: "x", title: "X", ...fields })) as object;
    expect(editorErrors("tutorial", json)).not.toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "sel4tut-schemas-"));
    mkdirSync(join(dir, "templates"));
    writeFileSync(join(dir, "lesson.md"), "# X\n");
    writeFileSync(join(dir, "system.json"), "{}");
    writeFileSync(join(dir, "tutorial.json"), JSON.stringify(json, null, 2));
    const message = loaderMessage(() => loadTutorial(dir));
    for (const line of message.split("\n")) expect(line).toMatch(LOCATED);
  });
});
