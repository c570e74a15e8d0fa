// NO_COLOR (no-color.org) and FORCE_COLOR: which wins, and what an empty NO_COLOR means.
import { describe, expect, it } from "vitest";
import { colourLevel } from "../../src/cli/lib/colour.js";

describe("colour preference", () => {
  it("turns colour off on a colour terminal when NO_COLOR is set to anything", () => {
    expect(colourLevel({ NO_COLOR: "1" }, 3)).toBe(0);
    expect(colourLevel({ NO_COLOR: "false" }, 2)).toBe(0);
  });

  it("ignores an empty NO_COLOR, as the convention says", () => {
    expect(colourLevel({ NO_COLOR: "" }, 3)).toBe(3);
  });

  it("lets FORCE_COLOR win over NO_COLOR, as Node's own colour detection does", () => {
    expect(colourLevel({ NO_COLOR: "1", FORCE_COLOR: "1" }, 1)).toBe(1);
  });

  it("keeps what the terminal supports when neither is set", () => {
    expect(colourLevel({}, 2)).toBe(2);
    expect(colourLevel({}, 0)).toBe(0);
  });
});
