// The fault-handling tutorial's mechanics, driven in-process on both kernel configurations.
import { describe, expect, it } from "vitest";
import { seL4_AllRights, seL4_WordBits, invocationLabelNumber, faultLabel, type Config } from "../../src/kernel/index.js";
import { sys } from "../../src/sim/harness.js";
import { TestSystem } from "./fixtures.js";

const BADGE = 0xbeef;

/** The official layout: faulter slots 1 seq ep, 2 empty, 3 empty; handler 1 seq ep (RW), 2 fault ep,
 *  3 own cnode, 4 empty, 5 faulter tcb, 6 faulter vspace, 7 faulter cnode (+ 8 reply on MCS). */
function faultHandlersSystem(config: Config) {
  const s = new TestSystem(config, [{ name: "faulter", radix: 3 }, { name: "handler", radix: 4 }]);
  const seq = s.create("Endpoint", "sequencing_ep");
  const fep = s.create("Endpoint", "faulter_fault_ep");
  s.give("faulter", 1, seq, { rights: 0b0111 });
  s.give("handler", 1, seq, { rights: 0b0011 });
  s.give("handler", 2, fep, { rights: 0b0111 });
  s.giveCNode("handler", 3, "handler");
  s.give("handler", 5, s.tcb("faulter"));
  s.give("handler", 6, s.vspaces.get("faulter")!);
  s.giveCNode("handler", 7, "faulter");
  if (config === "mcs") s.give("handler", 8, s.create("Reply", "reply"));
  return s;
}

const L = (config: Config, name: Parameters<typeof invocationLabelNumber>[1]) => invocationLabelNumber(config, name)!;

describe.each(["master", "mcs"] as const)("fault handling on %s", (config) => {
  it("delivers a badged cap fault, and the repaired NBRecv re-executes", () => {
    const s = faultHandlersSystem(config);
    const log: string[] = [];
    const mcs = config === "mcs";
    s.program("faulter", function* () {
      log.push("F: call");
      yield sys.call(1, 0, [2]);
      log.push("F: touching");
      // MCS has no reply-less NBRecv: touching a slot without a reply object is seL4_NBWait there.
      const r = yield (mcs ? sys.nbwait(3) : sys.nbrecv(3));
      log.push(`F: past the fault, badge ${r.badge}`);
    });
    s.program("handler", function* () {
      const init = yield sys.recv(1, mcs ? 8 : undefined);
      const slot = init.mrs[0]!;
      log.push(`H: slot ${slot}`);
      let r = yield sys.call(3, L(config, "CNodeMint"), [4, seL4_WordBits, 2, seL4_WordBits, seL4_AllRights, BADGE], [3]);
      expect(r.label).toBe(0n);
      if (!mcs) {
        r = yield sys.call(7, L(config, "CNodeCopy"), [slot, seL4_WordBits, 4, seL4_WordBits, seL4_AllRights], [3]);
        expect(r.label).toBe(0n);
        r = yield sys.call(5, L(config, "TCBSetSpace"), [slot, 0, 0], [7, 6]);
      } else {
        r = yield sys.call(5, L(config, "TCBSetSpace"), [0, 0], [4, 7, 6]);
      }
      expect(r.label).toBe(0n);
      if (mcs) yield sys.send(8, 0); else yield sys.reply(0);
      const fault = yield sys.recv(2, mcs ? 8 : undefined);
      log.push(`H: fault label ${fault.label} len ${fault.length} badge ${fault.badge.toString(16)} mrs ${fault.mrs.slice(1).join(",")}`);
      r = yield sys.call(7, L(config, "CNodeCopy"), [fault.mrs[1]!, seL4_WordBits, 1, seL4_WordBits, seL4_AllRights], [3]);
      expect(r.label).toBe(0n);
      if (mcs) yield sys.send(8, 0); else yield sys.reply(0);
      log.push("H: done");
    });
    s.run(["faulter", "handler"]);
    expect(log).toEqual([
      "F: call",
      "H: slot 2",
      "F: touching",
      `H: fault label ${faultLabel(config, "CapFault")} len 5 badge beef mrs 3,1,2,0`,
      "H: done",
      "F: past the fault, badge 0",
    ]);
    expect(s.sim.text).toBe("");
  });

  it("reports a fault with no usable handler the way the debug kernel does", () => {
    const s = faultHandlersSystem(config);
    s.program("faulter", function* () {
      yield (config === "mcs" ? sys.nbwait(3) : sys.nbrecv(3));
    });
    s.program("handler", function* () {});
    const out = s.run(["faulter", "handler"]);
    const lines = out.split("\n");
    if (config === "master") {
      expect(lines[0]).toBe("Caught cap fault in send phase at address 0");
      expect(lines[1]).toBe("while trying to handle:");
      expect(lines[2]).toBe("cap fault in receive phase at address 0x3");
    } else {
      expect(lines[0]).toBe("Found thread has no fault handler while trying to handle:");
      expect(lines[1]).toBe("cap fault in receive phase at address 0x3");
    }
    expect(out).toMatch(/in thread 0xffffff80[0-9a-f]+ "tcb_faulter" at address 0x[0-9a-f]+\nWith stack:\n/);
    expect(out.match(/^0x[0-9a-f]+: (0|INVALID)$/gm)).toHaveLength(16);
    expect(s.state("faulter")).toBe("inactive");
  });
});
