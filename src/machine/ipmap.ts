// Synthetic instruction pointers. The build gives every statement of learner code an address
// (`$sel4$.ip = N` before it) so that fault IPs, kernel reports and restart checks have a real
// number to work with, and a table per file maps those numbers back to the .ts source.
// This file is the contract between src/compile/instrument.ts and the machine's runtime.

/** Name of the per-thread runtime object that instrumented code talks to. */
export const RUNTIME_NAME = "$sel4$";
/** Where user code starts, as in an x86_64 ELF. */
export const IP_CODE_BASE = 0x400000;
/** Bytes between two statements: the trap return address (ip + 2) never names another statement. */
const IP_STRIDE = 8;
/** Address range reserved for one source file. */
const IP_FILE_SPAN = 0x100000;
const IP_FILE_SLOTS = 4096;

export interface SourcePosition {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

/** One file's table: statement k (0-based) is at ip = base + (k + 1) * IP_STRIDE. */
export interface IpMapData {
  base: number;
  file: string;
  /** line, column pairs (1-based), one pair per statement. */
  positions: number[];
}

/** FNV-1a of the file's display path picks its address range, so a file keeps its addresses across builds. */
export function ipBaseFor(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return IP_CODE_BASE + (h % IP_FILE_SLOTS) * IP_FILE_SPAN;
}

export function ipOfStatement(base: number, index: number): number {
  return base + (index + 1) * IP_STRIDE;
}

const REGISTER_CALL = `${RUNTIME_NAME}.ipmap(`;

/** The argument of the registration call the instrumenter puts at the top of each module. */
export function encodeIpMap(map: IpMapData): string {
  return JSON.stringify(map);
}

export function decodeIpMap(text: string): IpMapData {
  const m = JSON.parse(text) as IpMapData;
  if (typeof m.base !== "number" || typeof m.file !== "string" || !Array.isArray(m.positions)) {
    throw new Error("malformed ip map");
  }
  return m;
}

/** Finds the ip maps registered by an emitted .js file without running it. */
export function extractIpMaps(jsText: string): IpMapData[] {
  const out: IpMapData[] = [];
  let at = jsText.indexOf(REGISTER_CALL);
  while (at >= 0) {
    const start = at + REGISTER_CALL.length;
    const literal = /^"(?:[^"\\]|\\.)*"/.exec(jsText.slice(start));
    if (literal) out.push(decodeIpMap(JSON.parse(literal[0]) as string));
    at = jsText.indexOf(REGISTER_CALL, start);
  }
  return out;
}

/** All ip maps of one program; answers "which statement is at this address". */
export class IpMapRegistry {
  private readonly byBase = new Map<number, IpMapData>();

  add(map: IpMapData): void {
    const known = this.byBase.get(map.base);
    if (known && known.file !== map.file) {
      throw new Error(`instruction addresses of ${map.file} and ${known.file} collide; rename one of the files`);
    }
    this.byBase.set(map.base, map);
  }

  lookup(ip: number): SourcePosition | null {
    if (!Number.isFinite(ip) || ip < IP_CODE_BASE) return null;
    const base = IP_CODE_BASE + Math.floor((ip - IP_CODE_BASE) / IP_FILE_SPAN) * IP_FILE_SPAN;
    const map = this.byBase.get(base);
    if (!map) return null;
    const k = Math.floor((ip - base) / IP_STRIDE) - 1;
    if (k < 0 || 2 * k + 1 >= map.positions.length) return null;
    return { file: map.file, line: map.positions[2 * k]!, column: map.positions[2 * k + 1]! };
  }

  /** "handler.ts:12" or null. */
  describe(ip: number): string | null {
    const p = this.lookup(ip);
    return p ? `${p.file}:${p.line}` : null;
  }
}
