// Maps positions in emitted learner JS back to the .ts source, using the .js.map files the
// build writes next to the JS and node:module's SourceMap.
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface MappedPosition {
  /** Path of the source file relative to the display root. */
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export class SourceMaps {
  private readonly maps = new Map<string, SourceMap | null>();

  constructor(
    private readonly displayRoot: string,
    /** Map files that are not named `${jsFile}.map`. */
    private readonly mapFiles: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The original position of 1-based (line, column) in `jsFile`, or null when it has no map. */
  map(jsFile: string, line: number, column: number): MappedPosition | null {
    const sm = this.load(jsFile);
    if (!sm) return null;
    const e = sm.findEntry(line - 1, column - 1) as Partial<{
      originalSource: string;
      originalLine: number;
      originalColumn: number;
    }>;
    if (e.originalSource === undefined || e.originalLine === undefined || e.originalColumn === undefined) return null;
    return { file: this.display(jsFile, e.originalSource), line: e.originalLine + 1, column: e.originalColumn + 1 };
  }

  /** Shows a file relative to the display root (or its own path when it is not a learner file). */
  displayPath(file: string): string {
    const rel = relative(this.displayRoot, file);
    return (rel.startsWith("..") || isAbsolute(rel) ? file : rel).split("\\").join("/");
  }

  private display(jsFile: string, source: string): string {
    const path = source.startsWith("file:") ? fileURLToPath(source) : resolve(dirname(jsFile), source);
    return this.displayPath(path);
  }

  private load(jsFile: string): SourceMap | null {
    let sm = this.maps.get(jsFile);
    if (sm !== undefined) return sm;
    sm = null;
    const mapFile = this.mapFiles.get(jsFile) ?? `${jsFile}.map`;
    if (existsSync(mapFile)) {
      try {
        sm = new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")));
      } catch {
        sm = null; // a broken map only costs the mapping, never the run
      }
    }
    this.maps.set(jsFile, sm);
    return sm;
  }
}
