import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/kernel/index.js";
import { bootSystem } from "../../src/loader/boot.js";
import { loadSystemSpec } from "../../src/loader/spec.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";

const FAULT_HANDLERS = join(BUILTIN_TUTORIALS_DIR, "fault-handlers", "system.json");

describe("booting a system plan into the kernel", () => {
  for (const config of ["master", "mcs"] as const) {
    it(`boots fault-handlers on ${config}: threads named as capDL names them, resumed in name order`, () => {
      const kernel = new Kernel({ config });
      const booted = bootSystem(kernel.boot, loadSystemSpec(FAULT_HANDLERS, config));
      expect(booted.map((b) => b.tcb.name)).toEqual(["tcb_faulter", "tcb_handler"]);
      for (const b of booted) {
        const d = kernel.describeThread(b.tcb);
        expect(d.priority).toBe(254);
        expect(kernel.ipcBufferAddress(b.tcb)).not.toBeNull();
      }
    });
  }
});
