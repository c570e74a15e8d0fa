// Suggestions for a misspelt name: the near one, never a far one.
import { describe, expect, it } from "vitest";
import { editDistance, nearestName } from "../../src/text/spelling.js";

describe("spelling suggestions", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("fault-handler", "fault-handlers")).toBe(1);
    expect(editDistance("untyped", "untpyed")).toBe(2);
    expect(editDistance("", "ipc")).toBe(3);
  });

  it("suggests the nearest name within a few mistakes, and nothing for a word far from all", () => {
    const names = ["hello-world", "capabilities", "untyped", "mapping", "ipc", "fault-handlers"];
    expect(nearestName("fault-handler", names)).toBe("fault-handlers");
    expect(nearestName("capabilites", names)).toBe("capabilities");
    expect(nearestName("maping", names)).toBe("mapping");
    expect(nearestName("xyzzy", names)).toBeUndefined();
  });
});
