// Typed reading of a parsed JSON document that collects every problem (with its position)
// instead of stopping at the first, so an author sees all mistakes in one run.
import { errorAt, SourceErrors, type JsonDocument, type JsonPath, type SourceError } from "./json-source.js";

export class FieldReader {
  readonly errors: SourceError[] = [];
  /**
   * @param schemaFindings what the format's JSON Schema says about the document (json-schemas.ts):
   *   reported after the reader's own errors, except where the reader has already said something
   *   about the same entry, an entry inside it or one around it, in its own words.
   */
  constructor(
    readonly doc: JsonDocument,
    private readonly schemaFindings: readonly SourceError[] = [],
  ) {}

  error(path: JsonPath, detail: string): void {
    this.errors.push(errorAt(this.doc, path, detail));
  }

  /** Throws every collected error at once. */
  finish(): void {
    const more = this.schemaFindings.filter((s) => !this.errors.some((e) => related(e.where, s.where)));
    if (this.errors.length + more.length > 0) throw new SourceErrors([...this.errors, ...more]);
  }

  object(value: unknown, path: JsonPath): Record<string, unknown> | undefined {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    this.error(path, "expected an object");
    return undefined;
  }

  array(value: unknown, path: JsonPath): unknown[] {
    if (Array.isArray(value)) return value;
    this.error(path, "expected an array");
    return [];
  }

  /**
   * Rejects keys the format does not define (a typo would otherwise be silently ignored).
   * Keys starting with "$" ("$comment") are always allowed.
   */
  onlyKeys(obj: Record<string, unknown>, path: JsonPath, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!key.startsWith("$") && !allowed.includes(key))
        this.error([...path, key], `unknown field "${key}" (allowed: ${allowed.join(", ")})`);
    }
  }

  string(obj: Record<string, unknown>, key: string, path: JsonPath): string | undefined {
    const v = obj[key];
    if (typeof v === "string") return v;
    this.error([...path, key], v === undefined ? `missing "${key}"` : `"${key}" must be a string`);
    return undefined;
  }

  optString(obj: Record<string, unknown>, key: string, path: JsonPath): string | undefined {
    return obj[key] === undefined ? undefined : this.string(obj, key, path);
  }

  optBoolean(obj: Record<string, unknown>, key: string, path: JsonPath): boolean | undefined {
    const v = obj[key];
    if (v === undefined || typeof v === "boolean") return v;
    this.error([...path, key], `"${key}" must be true or false`);
    return undefined;
  }

  optInteger(obj: Record<string, unknown>, key: string, path: JsonPath, min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
    this.error([...path, key], `"${key}" must be an integer from ${min} to ${max}`);
    return undefined;
  }

  stringList(obj: Record<string, unknown>, key: string, path: JsonPath): string[] {
    const v = obj[key];
    if (v === undefined) return [];
    const list = this.array(v, [...path, key]);
    return list.filter((item, n) => {
      if (typeof item === "string") return true;
      this.error([...path, key, n], "expected a string");
      return false;
    }) as string[];
  }
}

/** True when one formatted path is the other or lies inside it ("tasks" and "tasks[0].name"). */
function related(a: string, b: string): boolean {
  const inside = (outer: string, inner: string) =>
    outer === "" || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return inside(a, b) || inside(b, a);
}
