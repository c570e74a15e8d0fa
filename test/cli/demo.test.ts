import { describe, expect, it } from "vitest";
import { sel4tutAsync, tempDir } from "./helpers.js";

describe("sel4tut demo (npm start)", () => {
  it("checks the fault-handlers solution on both kernels", { timeout: 180_000 }, async () => {
    const r = await sel4tutAsync(["demo"], tempDir());
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("=== master ===");
    expect(r.stdout).toContain("=== mcs ===");
    expect(r.stdout.match(/^Faulter: Finished execution\.$/gm)).toHaveLength(2);
    expect(r.stdout).toContain("Demo passed: master: passed, mcs: passed.");
  });
});
