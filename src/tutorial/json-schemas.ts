// The JSON Schemas of tutorial.json and system.json (schemas/*.schema.json, shipped in the
// package for editors) applied to a parsed document, each violation reported at its
// file:line:column in words an author reads. The validators are ajv's code for the schemas,
// generated at build time (scripts/schema-validators.mjs). The loader adds its seL4-specific
// checks on top.
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import { errorAt, type JsonDocument, type JsonPath, type SourceError } from "./json-source.js";
import { system, tutorial } from "./schema-validators.generated.js";

export type SchemaName = "tutorial" | "system";

/** <package>/schemas/: this file is <package>/{src,dist}/tutorial/json-schemas.{ts,js}. */
const SCHEMAS_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

export function schemaFile(name: SchemaName): string {
  return `${SCHEMAS_DIR}${name}.schema.json`;
}

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
const VALIDATORS = { tutorial, system } as unknown as Record<SchemaName, Validator>;

/** Every place where `doc` breaks the schema, one error per entry. */
export function schemaErrors(doc: JsonDocument, name: SchemaName): SourceError[] {
  const validate = VALIDATORS[name];
  if (validate(doc.value)) return [];
  const out = new Map<string, SourceError>();
  for (const e of relevant(validate.errors ?? [])) {
    const { path, detail } = describe(doc.value, e);
    const error = errorAt(doc, path, detail);
    if (!out.has(error.where)) out.set(error.where, error);
  }
  return [...out.values()];
}

/**
 * Drops what only restates another error: "if" failures (the "then" error says what is wrong),
 * a property name's own failure (the "propertyNames" error after it names it), and the errors of
 * the branches of a failed anyOf (its "errorMessage" names the forms allowed). ajv reports a
 * branch's errors before the anyOf that holds them.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const kept: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === "if" || e.propertyName !== undefined) continue;
    if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      const under = (p: string) => p === e.instancePath || p.startsWith(`${e.instancePath}/`);
      for (let n = kept.length - 1; n >= 0; n--) if (under(kept[n]!.instancePath)) kept.splice(n, 1);
    }
    kept.push(e);
  }
  return kept;
}

/** The JSON path of an instance path, with array indices as numbers. */
function pathOf(root: unknown, pointer: string): JsonPath {
  const path: JsonPath = [];
  let value = root;
  for (const key of pointer
    .split("/")
    .slice(1)
    .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    const step = Array.isArray(value) ? Number(key) : key;
    path.push(step);
    value = (value as Record<string | number, unknown> | undefined)?.[step];
  }
  return path;
}

interface SchemaNode {
  errorMessage?: string;
  properties?: object;
  type?: string;
  minimum?: number;
  maximum?: number;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};

function describe(root: unknown, e: ErrorObject): { path: JsonPath; detail: string } {
  const path = pathOf(root, e.instancePath);
  // The generated validators are verbose: each error carries the schema node that holds the keyword.
  const node = (e.parentSchema ?? {}) as SchemaNode;
  const last = path[path.length - 1];
  const field = typeof last === "string" ? `"${last}"` : "the entry";
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "required") {
    return {
      path: [...path, String(params.missingProperty)],
      detail: node.errorMessage ?? `missing "${String(params.missingProperty)}"`,
    };
  }
  if (node.errorMessage !== undefined && e.keyword !== "additionalProperties")
    return { path, detail: node.errorMessage };
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(node.properties ?? {}).filter((k) => !k.startsWith("$"));
      return { path: [...path, key], detail: `unknown field "${key}" (allowed: ${allowed.join(", ")})` };
    }
    case "type": {
      const expected = TYPE_WORDS[String(params.type)] ?? String(params.type);
      return { path, detail: typeof last === "string" ? `${field} must be ${expected}` : `expected ${expected}` };
    }
    case "const":
      return { path, detail: `${field} must be ${JSON.stringify(params.allowedValue)}` };
    case "enum":
      return {
        path,
        detail: `${JSON.stringify(e.data)} is not one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "minimum":
    case "maximum":
      return {
        path,
        detail: `${field} must be ${node.type === "integer" ? "an integer " : ""}from ${node.minimum ?? "-∞"} to ${node.maximum ?? "∞"}`,
      };
    case "minItems":
    case "minProperties":
      return {
        path,
        detail: `${field} needs at least ${String(params.limit)} ${params.limit === 1 ? "entry" : "entries"}`,
      };
    case "propertyNames":
      return {
        path: [...path, String(params.propertyName)],
        detail: `the name "${String(params.propertyName)}" must be an identifier`,
      };
    default:
      return { path, detail: `${field} ${e.message ?? "is not valid"}` };
  }
}
