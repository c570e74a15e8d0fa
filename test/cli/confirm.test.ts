// Consent: a question only where someone can answer it; --yes or a usage error elsewhere.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ask, canAsk, consent, type Terminal } from "../../src/cli/lib/confirm.js";
import { UsageError } from "../../src/app/errors.js";

function terminal(
  tty: boolean,
  env: NodeJS.ProcessEnv = {},
): Terminal & { said: () => string; type: (s: string) => void } {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = Object.assign(new PassThrough(), { isTTY: tty });
  let said = "";
  output.on("data", (d: Buffer) => (said += d.toString()));
  return { input, output, env, said: () => said, type: (s) => input.end(s) };
}

const REQUEST = {
  yes: false,
  question: "Reset handler.ts?",
  what: "reset would replace handler.ts",
  withYes: "sel4tut reset --yes",
};

describe("consent", () => {
  it("asks only on a terminal, and never in CI", () => {
    expect(canAsk(terminal(true))).toBe(true);
    expect(canAsk(terminal(false))).toBe(false);
    expect(canAsk(terminal(true, { CI: "true" }))).toBe(false);
  });

  it("y or yes agrees; anything else, or the end of input, does not", async () => {
    for (const [typed, agreed] of [
      ["y\n", true],
      [" YES \n", true],
      ["n\n", false],
      ["\n", false],
      ["", false],
      ["yess\n", false],
    ] as const) {
      const t = terminal(true);
      const answer = ask("Go?", t);
      t.type(typed);
      expect(await answer, JSON.stringify(typed)).toBe(agreed);
      expect(t.said()).toBe("Go? [y/N] ");
    }
  });

  it("--yes goes ahead without asking; without a terminal and without --yes it is a usage error", async () => {
    const t = terminal(false);
    expect(await consent({ ...REQUEST, yes: true }, t)).toBe(true);
    expect(t.said()).toBe("");
    await expect(consent(REQUEST, t)).rejects.toThrow(UsageError);
    await expect(consent(REQUEST, terminal(true, { CI: "1" }))).rejects.toThrow(
      "reset would replace handler.ts; without a terminal to ask on, it needs --yes to go ahead: sel4tut reset --yes. Nothing was changed.",
    );
  });
});
