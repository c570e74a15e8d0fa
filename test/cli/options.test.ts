// Which kernel a command works on: --mcs, or the one kernel a tutorial is written for.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configOf } from "../../src/cli/lib/options.js";
import { requireConfig } from "../../src/app/context.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

const tutorial = (name: string) => loadTutorial(join(BUILTIN_TUTORIALS_DIR, name));

describe("the configuration a command works on", () => {
  it("is master unless --mcs is given, in a tutorial for both kernels", () => {
    const tut = tutorial("fault-handlers");
    expect(configOf({}, tut)).toBe("master");
    expect(configOf({ mcs: true }, tut)).toBe("mcs");
  });

  it("is MCS without --mcs in the mcs tutorial, as its official build directory is configured", () => {
    const tut = tutorial("mcs");
    expect(configOf({}, tut)).toBe("mcs");
    expect(configOf({ mcs: true }, tut)).toBe("mcs");
    expect(() => requireConfig(tut, configOf({}, tut))).not.toThrow();
  });

  it("--mcs in a tutorial that has only master is a usage error saying to leave it out", () => {
    const tut = { ...tutorial("hello-world"), configs: ["master" as const] };
    expect(configOf({}, tut)).toBe("master");
    expect(() => requireConfig(tut, configOf({ mcs: true }, tut))).toThrow(
      /runs on the master kernel only: leave out --mcs/,
    );
  });
});
