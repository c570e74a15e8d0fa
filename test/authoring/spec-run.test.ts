// Spec fields at run time, on worker threads: what the loader built is what the learner's code
// finds (test/loader/spec-fields checks the same fields in the booted kernel's objects).
import { describe, expect, it } from "vitest";
import { runSpec } from "./spec-runner.js";

/** Thread a runs with a guarded root, so its CPtrs are bigints; b shares the CNode with the plain guard. */
const A = `
import { printf, writeWord, seL4_Send, seL4_SetMR, seL4_MessageInfo_new } from "sel4";
import { badged_ep, far_slot } from "./cspace_a";

export function main(): number {
  printf("a: badged_ep is 0x%lx, far_slot is 0x%lx\\n", badged_ep, far_slot);
  writeWord(0x30000000, 1234);
  seL4_SetMR(0, 5);
  seL4_Send(badged_ep, seL4_MessageInfo_new(0, 0, 0, 1));
  seL4_SetMR(0, 6);
  seL4_Send(far_slot, seL4_MessageInfo_new(0, 0, 0, 1));
  return 0;
}
`;

const B = `
import { CONFIG_KERNEL_MCS, printf, readWord, seL4_Recv, seL4_Wait, seL4_GetMR } from "sel4";
import { ep, badged_ep, far_slot } from "./cspace_b";

export function main(): number {
  printf("b: badged_ep is %d, far_slot is %d\\n", badged_ep, far_slot);
  for (let i = 0; i < 2; i++) {
    let badge = 0;
    if (CONFIG_KERNEL_MCS) {
      badge = seL4_Wait(ep).badge;
    } else {
      badge = seL4_Recv(ep).badge;
    }
    printf("b: got %d from badge 0x%lx; the shared page holds %d\\n", seL4_GetMR(0), badge, readWord(0x40000000));
  }
  return 0;
}
`;

const LOST = `
import { printf, ud2 } from "sel4";
export function main(): number {
  printf("lost: about to fault\\n");
  ud2();
  return 0;
}
`;

function cspaceSpec(config: "master" | "mcs") {
  return {
    schemaVersion: 1,
    objects: {
      ep: { type: "Endpoint" },
      page: { type: "Frame4K" },
      shared: {
        type: "CNode",
        sizeBits: 4,
        caps: [
          { symbol: "ep", object: "ep", rights: "RWG" },
          { symbol: "badged_ep", object: "ep", rights: "W", badge: "0x77" },
          { symbol: "far_slot", object: "ep", rights: "W", badge: "0x99", slot: 9 },
        ],
      },
    },
    threads: {
      a: {
        source: "a.ts",
        priority: 150,
        cspace: { cnode: "shared", guard: "0x2a", guardSize: 8 },
        mappings: [{ frame: "page", vaddr: "0x30000000", rights: "RW" }],
      },
      b: {
        source: "b.ts",
        priority: 250,
        cspace: "shared",
        mappings: [{ frame: "page", vaddr: "0x40000000", rights: "R" }],
      },
      // master: a CPtr that names an empty slot (the kernel looks it up when the thread faults).
      lost: { source: "lost.ts", priority: 10, ...(config === "master" ? { faultEndpoint: "0x5" } : {}) },
    },
  };
}

describe.each(["master", "mcs"] as const)(
  "CSpaces, guards, slots, mappings and priorities at run time (%s)",
  (config) => {
    it(
      "two threads reach one cap through their own root guards; a page mapped in both VSpaces is shared",
      { timeout: 120_000 },
      async () => {
        const r = await runSpec(config, {
          system: cspaceSpec(config),
          sources: { "a.ts": A, "b.ts": B, "lost.ts": LOST },
        });
        const guarded = (slot: number) => `0x${(((0x2an << 4n) | BigInt(slot)) << 52n).toString(16)}`;
        const lines = r.output.split("\n");
        // b (priority 250) prints first and waits; a (150) sends twice; lost (10) runs last.
        expect(lines.slice(0, 5)).toEqual([
          "b: badged_ep is 2, far_slot is 9",
          `a: badged_ep is ${guarded(2)}, far_slot is ${guarded(9)}`,
          "b: got 5 from badge 0x77; the shared page holds 1234",
          "b: got 6 from badge 0x99; the shared page holds 1234",
          "lost: about to fault",
        ]);
        if (config === "master") {
          expect(lines[5]).toBe("Caught cap fault in send phase at address 0x5");
          expect(lines[6]).toBe("while trying to handle:");
        } else {
          expect(lines[5]).toBe("Found thread has no fault handler while trying to handle:");
        }
      },
    );
  },
);

/** Writes into the page its VSpace shares with "reader", and sends a 6-word message through the cap it copies out of slot 0 of "inner". */
const WRITER = `
import { printf, writeWord, seL4_Send, seL4_SetMR, seL4_MessageInfo_new, seL4_CNode_Copy, seL4_AllRights, seL4_WordBits } from "sel4";
import { root, inner_cap, copy_slot } from "./cspace_writer";

export function main(): number {
  const error = seL4_CNode_Copy(root, copy_slot, seL4_WordBits, inner_cap, 0, seL4_WordBits, seL4_AllRights);
  printf("writer: copied slot 0 of inner: %d\\n", error);
  writeWord(0x20000000, 4321);
  for (let i = 0; i < 6; i++) seL4_SetMR(i, 100 + i);
  seL4_Send(copy_slot, seL4_MessageInfo_new(0, 0, 0, 6));
  return 0;
}
`;

const READER = `
import { CONFIG_KERNEL_MCS, printf, readWord, seL4_Recv, seL4_Wait, seL4_GetMR, type seL4_RecvResult } from "sel4";
import { ep } from "./cspace_reader";

export function main(): number {
  let msg: seL4_RecvResult;
  if (CONFIG_KERNEL_MCS) {
    msg = seL4_Wait(ep);
  } else {
    msg = seL4_Recv(ep);
  }
  printf("reader: badge 0x%lx, MR5 %d, shared page %d\\n", msg.badge, seL4_GetMR(5), readWord(0x20000000));
  return 0;
}
`;

describe.each(["master", "mcs"] as const)("capDL parity at run time (%s)", (config) => {
  it(
    "two threads in one VSpace share its page and keep their own IPC buffers; a cap at slot 0 of a CNode is reachable",
    { timeout: 120_000 },
    async () => {
      const r = await runSpec(config, {
        system: {
          schemaVersion: 1,
          objects: {
            ep: { type: "Endpoint" },
            page: { type: "Frame4K" },
            inner: { type: "CNode", sizeBits: 2, caps: [{ object: "ep", rights: "W", badge: "0x5a", slot: 0 }] },
          },
          threads: {
            reader: {
              source: "reader.ts",
              priority: 200,
              caps: [{ symbol: "ep", object: "ep", rights: "R" }],
              mappings: [{ frame: "page", vaddr: "0x20000000" }],
            },
            writer: {
              source: "writer.ts",
              priority: 100,
              vspace: "vspace_reader",
              caps: [
                { symbol: "root", object: "cnode_writer" },
                { symbol: "inner_cap", object: "inner" },
                { symbol: "copy_slot", empty: true },
              ],
            },
          },
        },
        sources: { "reader.ts": READER, "writer.ts": WRITER },
      });
      expect(r.output).toBe("writer: copied slot 0 of inner: 0\nreader: badge 0x5a, MR5 105, shared page 4321\n");
    },
  );
});

/**
 * The notifications tutorial's set-up: the consumer's frame cap holds its own mapping, so it maps
 * into the producer only through a copy (at an address whose page table the producer's IPC buffer
 * already needed: the official tutorial picks 0x5ff000 next to the ELF image for the same reason).
 */
const CONSUMER = `
import {
  printf, writeWord, seL4_X86_Page_Map, seL4_CNode_Copy, seL4_Signal, seL4_ReadWrite, seL4_AllRights, seL4_WordBits,
  seL4_X86_Default_VMAttributes,
} from "sel4";
import { buf_cap, buf, producer_vspace, cnode, mapping, ready } from "./cspace_consumer";

export function main(): number {
  printf("consumer: the mapped cap into the producer: %d\\n", seL4_X86_Page_Map(buf_cap, producer_vspace, 0x10100000, seL4_ReadWrite, seL4_X86_Default_VMAttributes));
  printf("consumer: copy %d\\n", seL4_CNode_Copy(cnode, mapping, seL4_WordBits, cnode, buf_cap, seL4_WordBits, seL4_AllRights));
  printf("consumer: the copy into the producer: %d\\n", seL4_X86_Page_Map(mapping, producer_vspace, 0x10100000, seL4_ReadWrite, seL4_X86_Default_VMAttributes));
  writeWord(buf + 8, 77);
  seL4_Signal(ready);
  return 0;
}
`;

const PRODUCER = `
import { printf, readWord, seL4_Wait } from "sel4";
import { ready } from "./cspace_producer";

export function main(): number {
  seL4_Wait(ready);
  printf("producer: reads %d at 0x10100008\\n", readWord(0x10100008));
  return 0;
}
`;

describe.each(["master", "mcs"] as const)("a frame cap that holds its boot mapping (%s)", (config) => {
  it(
    "seL4 refuses to map it into another VSpace; a copy maps, and both VSpaces see one page",
    { timeout: 120_000 },
    async () => {
      const r = await runSpec(config, {
        system: {
          schemaVersion: 1,
          objects: { page: { type: "Frame4K" }, ntfn: { type: "Notification" } },
          threads: {
            consumer: {
              source: "consumer.ts",
              priority: 100,
              caps: [
                { symbol: "buf_cap", object: "page", rights: "RWG" },
                { symbol: "producer_vspace", object: "vspace_producer" },
                { symbol: "cnode", object: "cnode_consumer" },
                { symbol: "mapping", empty: true },
                { symbol: "ready", object: "ntfn", rights: "W" },
              ],
              mappings: [{ frame: "page", vaddr: "0x20000000", symbol: "buf", cap: "buf_cap" }],
            },
            producer: {
              source: "producer.ts",
              priority: 200,
              caps: [{ symbol: "ready", object: "ntfn", rights: "R" }],
            },
          },
        },
        sources: { "consumer.ts": CONSUMER, "producer.ts": PRODUCER },
      });
      expect(r.output).toBe(
        [
          "consumer: the mapped cap into the producer: 2", // seL4_InvalidCapability: mapped elsewhere
          "consumer: copy 0",
          "consumer: the copy into the producer: 0",
          "producer: reads 77 at 0x10100008",
          "",
        ].join("\n"),
      );
    },
  );
});

const SPINNER = `
import { printf } from "sel4";
export function main(): number {
  printf("spinner: spinning\\n");
  let n = 0;
  for (;;) n++;
}
`;

const HANDLER = `
import { printf, seL4_Recv, seL4_GetMR, seL4_MessageInfo_get_label, seL4_Fault_Timeout, seL4_SchedContext_Bind } from "sel4";
import { timeout_ep, reply_cap, spare_sc, server_tcb } from "./cspace_handler";

export function main(): number {
  const { info, badge } = seL4_Recv(timeout_ep, reply_cap);
  printf("handler: label %d (timeout %d) from 0x%lx, SC badge %d\\n",
    seL4_MessageInfo_get_label(info), seL4_Fault_Timeout, badge, seL4_GetMR(0));
  printf("handler: bind spare to the passive server: %d\\n", seL4_SchedContext_Bind(spare_sc, server_tcb));
  return 0;
}
`;

const SERVER = `
import { printf } from "sel4";
export function main(): number {
  printf("server: running\\n");
  return 0;
}
`;

describe("MCS: scheduling-context parameters, timeout endpoints, passive threads and named SCs at run time", () => {
  it(
    "the spinner's 1 ms budget runs out into its timeout endpoint with its SC badge; the passive server runs once given an SC",
    { timeout: 120_000 },
    async () => {
      const r = await runSpec("mcs", {
        system: {
          schemaVersion: 1,
          objects: {
            tep: { type: "Endpoint" },
            reply: { type: "Reply" },
            spare: { type: "SchedContext", budgetUs: 500, periodUs: 1000 },
          },
          threads: {
            spinner: {
              source: "spinner.ts",
              priority: 100,
              sc: { budgetUs: 1000, periodUs: 5000, badge: 5 },
              caps: [{ symbol: "tep_cap", object: "tep", rights: "WG", badge: "0x7e" }],
              timeoutEndpoint: "tep_cap",
            },
            handler: {
              source: "handler.ts",
              priority: 200,
              caps: [
                { symbol: "timeout_ep", object: "tep", rights: "RWG" },
                { symbol: "reply_cap", object: "reply", rights: "RWG" },
                { symbol: "spare_sc", object: "spare" },
                { symbol: "server_tcb", object: "tcb_server" },
              ],
            },
            server: { source: "server.ts", priority: 150, passive: true },
          },
        },
        sources: { "spinner.ts": SPINNER, "handler.ts": HANDLER, "server.ts": SERVER },
      });
      expect(r.output).toBe(
        [
          "spinner: spinning",
          "handler: label 5 (timeout 5) from 0x7e, SC badge 5",
          "handler: bind spare to the passive server: 0",
          "server: running",
          "",
        ].join("\n"),
      );
    },
  );
});

const BARE = `
import { printf, seL4_Send, seL4_SetMR, seL4_MessageInfo_new } from "sel4";
import { ep } from "./cspace_bare";

export function main(): number {
  for (let i = 0; i < 6; i++) seL4_SetMR(i, 10 + i);
  printf("bare: sending 6 words without an IPC buffer\\n");
  seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 6));
  return 0;
}
`;

const MOVED = `
import { CONFIG_KERNEL_MCS, printf, readWord, seL4_Recv, seL4_Wait, seL4_GetMR, seL4_MessageInfo_get_length, type seL4_RecvResult } from "sel4";
import { ep } from "./cspace_moved";

export function main(): number {
  let msg: seL4_RecvResult;
  if (CONFIG_KERNEL_MCS) {
    msg = seL4_Wait(ep);
  } else {
    msg = seL4_Recv(ep);
  }
  printf("moved: %d words: %d %d %d %d; MR0 at 0x20000408 holds %d\\n", seL4_MessageInfo_get_length(msg.info),
    seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2), seL4_GetMR(3), readWord(0x20000408));
  return 0;
}
`;

describe.each(["master", "mcs"] as const)("IPC buffers at run time (%s)", (config) => {
  it(
    "a sender without one delivers only the register MRs; a buffer at another address is read there",
    { timeout: 120_000 },
    async () => {
      const r = await runSpec(config, {
        system: {
          schemaVersion: 1,
          objects: { ep: { type: "Endpoint" } },
          threads: {
            bare: {
              source: "bare.ts",
              priority: 100,
              ipcBuffer: false,
              caps: [{ symbol: "ep", object: "ep", rights: "W" }],
            },
            moved: {
              source: "moved.ts",
              priority: 200,
              ipcBuffer: "0x20000400",
              caps: [{ symbol: "ep", object: "ep", rights: "R" }],
            },
          },
        },
        sources: { "bare.ts": BARE, "moved.ts": MOVED },
      });
      expect(r.output).toMatch(
        new RegExp(
          [
            "^bare: sending 6 words without an IPC buffer",
            '<<seL4\\(CPU 0\\) \\[handleInvocation T0x[0-9a-f]+ "tcb_bare" @[0-9a-f]+\\]: Warning: No IPC buffer for thread\\. Truncating message length to: 4\\.>>',
            "moved: 4 words: 10 11 12 13; MR0 at 0x20000408 holds 10\n$",
          ].join("\n"),
        ),
      );
      expect(r.outcome).toBe("finished");
    },
  );
});
