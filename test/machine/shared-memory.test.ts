// Memory that is really shared: a frame mapped into two VSpaces is one piece of simulated memory,
// each thread reaches it through its own page tables (at its own address), and the rights are
// those of each mapping.
import { describe, expect, it } from "vitest";
import { runSpec } from "../authoring/spec-runner.js";

describe.each(["master", "mcs"] as const)("a frame shared by two VSpaces (%s)", (config) => {
  it("carries words from one thread to the other, the only channel besides a notification", async () => {
    const r = await runSpec(config, {
      system: {
        schemaVersion: 1,
        objects: { shared: { type: "Frame4K" }, full: { type: "Notification" }, empty: { type: "Notification" } },
        threads: {
          // Each thread has its own VSpace (vspace_<thread>) and CSpace; they share no cap but
          // the two notifications, and see the frame at different addresses.
          producer: {
            priority: 200,
            caps: [
              { symbol: "full", object: "full", rights: "W", badge: 1 },
              { symbol: "empty", object: "empty", rights: "R" },
            ],
            mappings: [{ frame: "shared", vaddr: "0x600000", symbol: "buffer" }],
          },
          consumer: {
            priority: 100,
            caps: [
              { symbol: "full", object: "full", rights: "R" },
              { symbol: "empty", object: "empty", rights: "W" },
            ],
            mappings: [{ frame: "shared", vaddr: "0x7000000", symbol: "buffer" }],
          },
        },
      },
      sources: {
        "producer.ts": `import { printf, writeWord, seL4_Signal, seL4_Wait } from "sel4";
import { buffer, full, empty } from "./cspace_producer";
export function main(): number {
  for (let i = 1; i <= 3; i++) {
    writeWord(buffer + 8 * i, i * 111);
    seL4_Signal(full);
    seL4_Wait(empty);
  }
  printf("producer: wrote at %p\\n", buffer);
  return 0;
}`,
        "consumer.ts": `import { printf, readWord, seL4_Signal, seL4_Wait } from "sel4";
import { buffer, full, empty } from "./cspace_consumer";
export function main(): number {
  for (let i = 1; i <= 3; i++) {
    const { badge } = seL4_Wait(full);
    printf("consumer: badge %lu, word %d at %p holds %d\\n", badge, i, buffer + 8 * i, readWord(buffer + 8 * i));
    seL4_Signal(empty);
  }
  return 0;
}`,
      },
    });
    expect(r.output).toBe(
      "consumer: badge 1, word 1 at 0x7000008 holds 111\n" +
        "consumer: badge 1, word 2 at 0x7000010 holds 222\n" +
        "consumer: badge 1, word 3 at 0x7000018 holds 333\n" +
        "producer: wrote at 0x600000\n",
    );
    expect(r.outcome).toBe("finished");
  });

  it("is read-only where it is mapped read-only: a write there is a VM fault with the write bit in the status", async () => {
    const r = await runSpec(config, {
      system: {
        schemaVersion: 1,
        objects: { shared: { type: "Frame4K" } },
        threads: {
          writer: { priority: 200, mappings: [{ frame: "shared", vaddr: "0x600000", rights: "RW" }] },
          reader: { priority: 100, mappings: [{ frame: "shared", vaddr: "0x600000", rights: "R" }] },
        },
      },
      sources: {
        "writer.ts": `import { printf, writeWord } from "sel4";
export function main(): number {
  writeWord(0x600000, 5);
  printf("writer: wrote 5\\n");
  return 0;
}`,
        "reader.ts": `import { printf, readWord, writeWord } from "sel4";
export function main(): number {
  printf("reader: read %d\\n", readWord(0x600000));
  writeWord(0x600000, 6);
  printf("reader: not reached\\n");
  return 0;
}`,
      },
    });
    const head =
      config === "master"
        ? "Caught cap fault in send phase at address 0\nwhile trying to handle:\n"
        : "Found thread has no fault handler while trying to handle:\n";
    // 0x7 = present | write | user: the page is there, but this mapping of it may not be written.
    expect(r.output).toContain(
      `writer: wrote 5\nreader: read 5\n${head}vm fault on data at address 0x600000 with status 0x7\nin thread `,
    );
    expect(r.output).not.toContain("not reached");
  });
});
