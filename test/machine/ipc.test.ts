// Real user threads on workers: IPC round trips through the kernel on both configurations.
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { runLearnerSystem } from "./harness.js";

const EP = 1;
const REPLY = 2;

/** The server differs between configurations exactly where seL4 does: the reply object. */
function server(config: KernelConfig): string {
  const recv = config === "mcs" ? `seL4_Recv(${EP}, ${REPLY})` : `seL4_Recv(${EP})`;
  const replyRecv = config === "mcs" ? `seL4_ReplyRecv(${EP}, reply, ${REPLY})` : `seL4_ReplyRecv(${EP}, reply)`;
  return `
import { seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new, seL4_MessageInfo_get_length, printf, seL4_Recv, seL4_ReplyRecv } from "sel4";
export function main(): number {
  let { info, badge } = ${recv};
  for (;;) {
    const n = seL4_GetMR(0);
    printf("server: got %d (badge %lx, %d words)\\n", n, badge, seL4_MessageInfo_get_length(info));
    if (n < 0) return 0;
    seL4_SetMR(0, n * 2);
    const reply = seL4_MessageInfo_new(0, 0, 0, 1);
    ({ info, badge } = ${replyRecv});
  }
}`;
}

const CLIENT = `
import { seL4_Call, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new, printf } from "sel4";
export function main(): number {
  for (let i = 1; i <= 3; i++) {
    seL4_SetMR(0, i);
    seL4_Call(${EP}, seL4_MessageInfo_new(7, 0, 0, 1));
    printf("client: %d -> %d\\n", i, seL4_GetMR(0));
  }
  seL4_SetMR(0, -1);
  seL4_Call(${EP}, seL4_MessageInfo_new(7, 0, 0, 1));
  printf("client: never replied to\\n");
  return 0;
}`;

describe.each<KernelConfig>(["master", "mcs"])("ping-pong over Call/ReplyRecv (%s)", (config) => {
  it("exchanges messages in a deterministic order and reports the stuck client", async () => {
    const r = await runLearnerSystem({
      config,
      objects: { ep: "Endpoint", ...(config === "mcs" ? { reply: "Reply" as const } : {}) },
      threads: [
        {
          name: "server",
          source: server(config),
          caps: [{ slot: EP, object: "ep" }, ...(config === "mcs" ? [{ slot: REPLY, object: "reply" }] : [])],
        },
        { name: "client", source: CLIENT, caps: [{ slot: EP, object: "ep", badge: 0x61 }] },
      ],
    });
    expect(r.output).toBe(
      [
        "server: got 1 (badge 61, 1 words)",
        "client: 1 -> 2",
        "server: got 2 (badge 61, 1 words)",
        "client: 2 -> 4",
        "server: got 3 (badge 61, 1 words)",
        "client: 3 -> 6",
        "server: got -1 (badge 61, 1 words)",
        "",
      ].join("\n"),
    );
    expect(r.outcome).toBe("deadlock");
    expect(r.report).toMatch(/tcb_client \(priority 254\): blocked on reply.*at client\.ts:10/);
    expect(r.report).toMatch(/tcb_server \(priority 254\): finished/);
  });
});

/** A server that never returns: it waits in ReplyRecv for its next request for ever. */
function foreverServer(config: KernelConfig): string {
  return server(config).replace("if (n < 0) return 0;", "");
}

const FINISHING_CLIENT = CLIENT.replace(/\n {2}seL4_SetMR\(0, -1\);[\s\S]*never replied to\\\\n"\);/, "");

describe.each<KernelConfig>(["master", "mcs"])("how a run ends when every remaining thread waits (%s)", (config) => {
  const threads = (client: string, server: string) => [
    {
      name: "server",
      source: server,
      caps: [{ slot: EP, object: "ep" }, ...(config === "mcs" ? [{ slot: REPLY, object: "reply" }] : [])],
    },
    { name: "client", source: client, caps: [{ slot: EP, object: "ep", badge: 0x61 }] },
  ];
  const objects = { ep: "Endpoint" as const, ...(config === "mcs" ? { reply: "Reply" as const } : {}) };

  it("a server left waiting for requests after its client finished is at rest, not deadlocked", async () => {
    const r = await runLearnerSystem({ config, objects, threads: threads(FINISHING_CLIENT, foreverServer(config)) });
    expect(r.output).toContain("client: 3 -> 6\n");
    expect(r.outcome).toBe("idle");
    expect(r.report).toMatch(
      /^idle: every remaining thread waits to receive, as a server waiting for its next request/,
    );
    expect(r.report).toMatch(/tcb_client \(priority 254\): finished/);
    expect(r.report).toMatch(/tcb_server \(priority 254\): blocked on recv waiting for endpoint 'ep'/);
  });

  it("two threads that each wait to receive from the other, with nothing finished, are deadlocked", async () => {
    const recv = config === "mcs" ? `seL4_Recv(${EP}, ${REPLY})` : `seL4_Recv(${EP})`;
    const waiter = `import { seL4_Recv } from "sel4";\nexport function main(): number { ${recv}; return 0; }`;
    const caps = [{ slot: EP, object: "ep" }, ...(config === "mcs" ? [{ slot: REPLY, object: "reply" }] : [])];
    const r = await runLearnerSystem({
      config,
      objects,
      threads: ["a", "b"].map((name) => ({ name, source: waiter, caps })),
    });
    expect(r.outcome).toBe("deadlock");
    expect(r.report).toMatch(/^deadlock: no thread can run and the blocked ones wait for each other/);
  });
});
