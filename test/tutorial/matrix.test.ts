// The official test.py matrix over every built-in tutorial, on every configuration it lists: for
// every task, the rendered start state passes `check --start` and fails `check`, and the rendered
// solution passes `check`. This is `sel4tut verify`'s own code (src/app/verify.ts), one state per
// test, so the project's tutorials are verified exactly as an author's are.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrixOf, runUnit } from "../../src/app/verify.js";
import { describeFailure } from "../../src/cli/lib/verify-report.js";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

for (const name of builtinTutorialNames()) {
  const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, name));
  describe.concurrent(`${name}: every task's start and solution states`, () => {
    for (const unit of matrixOf(tut)) {
      it(`${unit.task} on ${unit.config}: the ${unit.state} state`, { timeout: 240_000 }, async () => {
        const outcomes = await runUnit(tut, unit, mkdtempSync(join(tmpdir(), "sel4tut-matrix-")));
        expect(outcomes.filter((o) => !o.ok).map(describeFailure)).toEqual([]);
        expect(outcomes.map((o) => o.got)).toEqual(unit.checks.map((c) => c.expect));
      });
    }
  });
}
