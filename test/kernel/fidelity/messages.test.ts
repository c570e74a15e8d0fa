// The string audit: every userError message the kernel model can print is one seL4 16.0.0 prints,
// byte for byte (sel4-user-errors.json lists seL4's, with file and function). The model's messages
// are read from its source (model-messages.ts), so a message no test happens to trigger is
// audited too; run-time values are compared as holes against seL4's printf conversions.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HOLE, modelMessages } from "./model-messages.js";

interface SeL4Message {
  file: string;
  function: string;
  format: string;
}
const seL4: SeL4Message[] = JSON.parse(
  readFileSync(new URL("./sel4-user-errors.json", import.meta.url), "utf8"),
).messages;
const kernelSource = fileURLToPath(new URL("../../../src/kernel", import.meta.url));

/** A printf format with each conversion (%lu, %lx, %d, ...) as a hole. */
function asTemplate(format: string): string {
  return format.replace(/%%|%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXcsp]/g, (m) => (m === "%%" ? "%" : HOLE));
}

const bySeL4Text = new Map<string, SeL4Message[]>();
for (const m of seL4) bySeL4Text.set(asTemplate(m.format), [...(bySeL4Text.get(asTemplate(m.format)) ?? []), m]);

describe("the kernel model's userError messages", () => {
  const { messages, unresolved } = modelMessages(kernelSource);
  const distinct = [...new Set(messages.map((m) => m.text))];

  it("are all read from the source: no message is built in a way the audit cannot follow", () => {
    expect(unresolved).toEqual([]);
    expect(distinct.length).toBeGreaterThan(100);
  });

  it(`are each one of seL4's ${seL4.length} userError texts, byte for byte`, () => {
    const unknown = messages
      .filter((m) => !bySeL4Text.has(m.text))
      .map((m) => `${m.at}: ${JSON.stringify(m.text.replaceAll(HOLE, "%"))}`);
    expect([...new Set(unknown)]).toEqual([]);
  });
});
