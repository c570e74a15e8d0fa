// What learner code finds in a worker's globals. Learner modules run in the worker's own realm
// (module-loader.ts compiles them with vm.compileFunction, so libsel4's objects, arrays and errors
// are the learner's), which means the globals they see are the worker's. Shadowing names in the
// module wrapper would not be enough (`Function("return process")()` reads the real global), so the
// globals themselves are changed, once, before any learner code runs:
//
// - the clocks (`new Date()`, `Date()`, `Date.now()`, `performance.now()`, Intl's default date)
//   read virtual time, so the same sources print the same bytes on every run;
// - `process` is not there for learner code: a seL4 thread has no process to end, signal or
//   inspect, and `process.exit` would end the worker behind the machine's back;
// - timers and microtasks throw (see `SYNCHRONOUS`), and so does the entropy of `crypto`;
// - the locale is fixed (en-US, what a host under LANG=C gives), as the time zone is (UTC), so
//   toLocaleString(), Intl and Date's zone name print the same on every host;
// - `performance` is a simulated one (marks and measures on the virtual clock);
// - `Buffer` (whose allocUnsafe shows the worker's uninitialised memory) is not there; Uint8Array is.
//
// Anything that throws here throws an ordinary Error at the learner's line, so it is reported
// like any other uncaught exception (stack.ts) and the thread takes a general-protection fault.

// What a seL4 thread finds in its globals. Learner code runs in a ses Compartment (realm.ts):
// its global object holds the frozen JavaScript intrinsics and what this file gives it, nothing
// of the worker's own globals. What it gives differs from the host's where the host's would make
// runs differ or reach outside the simulated machine:
//
// - the clocks (`new Date()`, `Date()`, `Date.now()`, `performance`, Intl's default date) read
//   virtual time, so the same sources print the same bytes on every run;
// - `Math.random` is seeded per thread;
// - the locale is fixed (en-US, what a host under LANG=C gives), as the time zone is (UTC), so
//   toLocaleString(), Intl and Date's zone name print the same on every host;
// - `process`, timers, `crypto`, `Buffer`, shared memory, WebAssembly, the network, `eval` and
//   the Function constructor are stand-ins whose every use throws at the learner's line, saying
//   what a seL4 thread does instead; the thread's exception is reported like any other uncaught
//   one (stack.ts) and the thread takes a general-protection fault.
//
// prepareIntrinsics() changes the worker's intrinsics (the locale) before lockdown freezes them;
// threadGlobals() makes one thread's globals, fresh and frozen, for one run.

import { hardened } from "./realm.js";

export interface ThreadGlobalsOptions {
  /** Virtual time in ns since boot (WorkerChannel.virtualNow). */
  virtualNowNs: () => number;
  /** Math.random's seed (the thread's id, so every run of the thread draws the same numbers). */
  randomSeed: number;
  /** The thread's console (thread-console.ts), which prints through the kernel. */
  console: object;
  /**
   * The thread runs sel4tut's own code, not a learner's (bench.ts's timed threads, which time
   * themselves with process.hrtime): it gets the real `process`.
   */
  ownCode?: boolean;
}

/** Once per worker, before lockdown: what must be changed in the intrinsics themselves. */
export function prepareIntrinsics(): void {
  fixLocale();
  defaultFormatDateToNow();
}

/** The globals of one thread for one run; each object in it is new, and frozen. */
export function threadGlobals(opts: ThreadGlobalsOptions): Record<string, unknown> {
  clock.nowMs = () => Math.floor(opts.virtualNowNs() / 1e6);
  const own = {
    console: opts.console,
    Date: virtualDate(clock.nowMs),
    performance: simulatedPerformance(opts.virtualNowNs),
    Math: seededMath(opts.randomSeed),
    Intl,
    // ses leaves them out of compartments for a side channel (NaN bit patterns) that does not
    // matter to a simulated machine; they are frozen intrinsics like the other typed arrays.
    Float32Array,
    Float64Array,
    ...refusedAsyncWork(),
    eval: noDynamicCode("eval"),
    Function: noDynamicCode("Function"),
  };
  return {
    ...hardened(own),
    // Proxies whose every use throws: freezing one would be a use.
    ...HIDDEN,
    ...(opts.ownCode ? { process } : {}),
  };
}

/**
 * Once the thread's global object exists: `process` is there for good, so that assigning or
 * deleting it throws the same explanation as using it (a thread that replaced it and then called
 * process.exit would be told something else).
 */
export function settleGlobals(global: object, opts: Pick<ThreadGlobalsOptions, "ownCode">): void {
  if (opts.ownCode) return;
  Object.defineProperty(global, "process", {
    get: () => PROCESS_STAND_IN,
    set: () => {
      throw unavailable("process", PROCESS_DEFAULT_HINT);
    },
    enumerable: false,
    configurable: false,
  });
}

/** Learner-facing errors: thrown where learner code used the name, so the report shows its line. */
function unavailable(what: string, why: string): Error {
  return new Error(`${what} is not available in a seL4 thread: ${why}`);
}

// ---------------------------------------------------------------------------------------------
// Clocks

/** The clock the thread now running in this worker reads (Intl's default date reads it too). */
const clock = { nowMs: (): number => 0 };
/** The worker's own Date, taken before any thread's globals exist. */
const RealDate = Date;

/**
 * Date on the virtual clock. A function, not a subclass: `Date()` without `new` must work too (it
 * returns a string). It has the intrinsic Date's prototype, so `x instanceof Date` holds for every
 * date; the statics are its own, so nothing leads from it to the host's clock.
 */
function virtualDate(nowMs: () => number): DateConstructor {
  const VirtualDate = function (this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(nowMs()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [nowMs()] : args, new.target);
  } as unknown as DateConstructor;
  Object.defineProperty(VirtualDate, "name", { value: "Date" });
  Object.defineProperty(VirtualDate, "length", { value: 7 });
  Object.defineProperty(VirtualDate, "prototype", { value: RealDate.prototype, writable: false });
  for (const [name, value] of [
    ["parse", RealDate.parse],
    ["UTC", RealDate.UTC],
    ["now", nowMs],
  ] as const)
    Object.defineProperty(VirtualDate, name, { value, writable: true, configurable: true });
  return VirtualDate;
}

/** Math with Math.random seeded per thread (xorshift32), so runs are reproducible. */
function seededMath(seed: number): Math {
  const { random: _hostRandom, ...rest } = Object.getOwnPropertyDescriptors(Math);
  const math = Object.create(Object.prototype, rest) as Math;
  let s = (seed * 2654435761 + 1) >>> 0 || 1;
  const random = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  Object.defineProperty(math, "random", { value: random, writable: true, configurable: true });
  return math;
}

interface SimulatedEntry {
  name: string;
  entryType: "mark" | "measure";
  startTime: number;
  duration: number;
  detail: unknown;
  toJSON(): object;
}

/**
 * `performance` on the virtual clock: now() and timeOrigin (boot is time 0, so timeOrigin + now()
 * equals Date.now(), as on a real host), and the User Timing marks and measures learner code may
 * use to time its own work. Nothing in it reads the host's clock.
 */
function simulatedPerformance(nowNs: () => number): object {
  const now = () => nowNs() / 1e6;
  let entries: SimulatedEntry[] = [];
  const entry = (
    name: string,
    entryType: "mark" | "measure",
    startTime: number,
    duration: number,
    detail: unknown,
  ): SimulatedEntry => {
    const e = { name, entryType, startTime, duration, detail: detail ?? null };
    return { ...e, toJSON: () => ({ ...e }) };
  };
  const timeOf = (at: unknown, what: string): number => {
    if (at === undefined) return now();
    if (typeof at === "number") return at;
    const mark = [...entries].reverse().find((e) => e.entryType === "mark" && e.name === String(at));
    if (!mark) throw new SyntaxError(`The "${String(at)}" performance mark has not been set (${what})`);
    return mark.startTime;
  };
  const perf = {
    timeOrigin: 0,
    now,
    mark(name: unknown, options?: { startTime?: number; detail?: unknown }) {
      const e = entry(String(name), "mark", options?.startTime ?? now(), 0, options?.detail);
      entries.push(e);
      return e;
    },
    measure(name: unknown, start?: unknown, end?: unknown) {
      const opts =
        start !== null && typeof start === "object"
          ? (start as { start?: unknown; end?: unknown; detail?: unknown })
          : null;
      const from = timeOf(opts ? (opts.start ?? 0) : (start ?? 0), "start");
      const to = timeOf(opts ? opts.end : end, "end");
      const e = entry(String(name), "measure", from, to - from, opts?.detail);
      entries.push(e);
      return e;
    },
    getEntries: () => [...entries],
    getEntriesByName: (name: unknown, type?: unknown) =>
      entries.filter((e) => e.name === String(name) && (type === undefined || e.entryType === type)),
    getEntriesByType: (type: unknown) => entries.filter((e) => e.entryType === type),
    clearMarks(name?: unknown) {
      entries = entries.filter((e) => e.entryType !== "mark" || (name !== undefined && e.name !== String(name)));
    },
    clearMeasures(name?: unknown) {
      entries = entries.filter((e) => e.entryType !== "measure" || (name !== undefined && e.name !== String(name)));
    },
    toJSON: () => ({ timeOrigin: 0 }),
  };
  return perf;
}

// ---------------------------------------------------------------------------------------------
// Locale

/** The locale every thread has: what Node picks on a host under LANG=C. */
const FIXED_LOCALE = "en-US";
/** Date's zone name, as a host in the C locale prints it (the zone itself is UTC everywhere). */
const ZONE_NAME = "(Coordinated Universal Time)";

/**
 * The host's locale (LANG, LC_ALL) is the default of every Intl service and toLocale* method, and
 * it names the zone in Date's toString(): a thread would print "1.234,5" on one machine and
 * "1,234.5" on another. Each is made to use FIXED_LOCALE when the caller names no locale; a
 * locale the caller names is used as given (it is in the source, so the same everywhere).
 */
function fixLocale(): void {
  const Intl_ = Intl as unknown as Record<string, unknown>;
  for (const name of [
    "DateTimeFormat",
    "NumberFormat",
    "Collator",
    "PluralRules",
    "RelativeTimeFormat",
    "ListFormat",
    "DisplayNames",
    "Segmenter",
  ]) {
    const Real = Intl_[name] as (new (...args: unknown[]) => object) | undefined;
    if (typeof Real !== "function") continue;
    // Callable without new where the real one is (DateTimeFormat, NumberFormat, Collator).
    const Fixed = function (this: unknown, locales?: unknown, ...rest: unknown[]) {
      return Reflect.construct(Real, [locales ?? FIXED_LOCALE, ...rest], new.target ?? Fixed);
    } as unknown as { prototype: object };
    Object.defineProperty(Fixed, "name", { value: name });
    Object.defineProperty(Fixed, "length", { value: Real.length });
    Object.defineProperty(Fixed, "prototype", { value: Real.prototype, writable: false });
    Object.defineProperty(Fixed, "supportedLocalesOf", {
      value: (Real as unknown as Record<string, unknown>).supportedLocalesOf,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(Real.prototype, "constructor", { value: Fixed, writable: true, configurable: true });
    Object.defineProperty(Intl, name, { value: Fixed, writable: true, configurable: true });
  }
  const withLocale = (proto: object, method: string) => {
    const real = (proto as Record<string, (...args: unknown[]) => unknown>)[method]!;
    const fixed = {
      [method](this: unknown, ...args: unknown[]) {
        // localeCompare takes the other string first; the rest take the locales first.
        const at = method === "localeCompare" ? 1 : 0;
        if (args[at] === undefined) args[at] = FIXED_LOCALE;
        return real.apply(this, args);
      },
    }[method]!;
    Object.defineProperty(proto, method, { value: fixed, writable: true, configurable: true });
  };
  for (const m of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"]) withLocale(Date.prototype, m);
  withLocale(Number.prototype, "toLocaleString");
  withLocale(BigInt.prototype, "toLocaleString");
  for (const m of ["localeCompare", "toLocaleUpperCase", "toLocaleLowerCase"]) withLocale(String.prototype, m);
  withLocale(Array.prototype, "toLocaleString");
  withLocale(Object.getPrototypeOf(Uint8Array.prototype) as object, "toLocaleString");
  for (const m of ["toString", "toTimeString"]) {
    const real = Date.prototype[m as "toString"];
    Object.defineProperty(Date.prototype, m, {
      value: {
        [m](this: Date) {
          return real.call(this).replace(/ \([^)]*\)$/, ` ${ZONE_NAME}`);
        },
      }[m],
      writable: true,
      configurable: true,
    });
  }
}

/** Intl.DateTimeFormat's format() and formatToParts() without a date format "now": virtual now. */
function defaultFormatDateToNow(): void {
  const nowMs = () => clock.nowMs();
  type Format = (date?: Date | number) => string;
  const proto = Intl.DateTimeFormat.prototype;
  const boundFormat = Object.getOwnPropertyDescriptor(proto, "format")!.get!;
  const formats = new WeakMap<object, Format>(); // one function per formatter, as the getter gives
  Object.defineProperty(proto, "format", {
    get(this: Intl.DateTimeFormat): Format {
      let f = formats.get(this);
      if (!f) {
        const real = boundFormat.call(this) as Format;
        f = (date) => real(date === undefined ? nowMs() : date);
        formats.set(this, f);
      }
      return f;
    },
    configurable: true,
  });
  const formatToParts = proto.formatToParts;
  proto.formatToParts = function (this: Intl.DateTimeFormat, date?: Date | number) {
    return formatToParts.call(this, date === undefined ? nowMs() : date);
  };
}

// ---------------------------------------------------------------------------------------------
// process

const PROCESS_HINTS: Record<string, string> = {
  exit: "a thread cannot end sel4tut or its worker. A thread ends by returning from its function (main); to stop with an error, throw one",
  stdout: "print with printf or console.log, which go through the kernel in program order",
  env: "a seL4 thread has no environment; put settings in your code",
  argv: "a seL4 thread has no command line; put settings in your code",
};
for (const name of ["reallyExit", "abort", "kill", "exitCode"]) PROCESS_HINTS[name] = PROCESS_HINTS.exit!;
PROCESS_HINTS.stderr = PROCESS_HINTS.stdout!;
const PROCESS_DEFAULT_HINT =
  "a seL4 thread has no process (no exit, signals, environment or streams); it talks to the world through the kernel";

/** An object whose every use throws, naming the member used and why (`hint` of the member's name). */
function unusable(name: string, hint: (key: string) => string, callable = false): object {
  const refuse = (key: string | symbol): never => {
    throw typeof key === "symbol" ? unavailable(name, hint("")) : unavailable(`${name}.${key}`, hint(key));
  };
  const refuseUse = (): never => {
    throw unavailable(name, hint(""));
  };
  // A bound function can be called and constructed and has no own "prototype" to keep visible.
  const target = callable ? function () {}.bind(null) : (Object.create(null) as object);
  return new Proxy(target, {
    get: (_t, key) => refuse(key),
    set: (_t, key) => refuse(key),
    defineProperty: (_t, key) => refuse(key),
    deleteProperty: (_t, key) => refuse(key),
    has: () => false,
    apply: refuseUse,
    construct: refuseUse,
  });
}

// ---------------------------------------------------------------------------------------------
// Timers and microtasks

/**
 * A seL4 thread runs synchronously: the worker never returns to its event loop once the thread
 * starts (it sleeps in Atomics.wait between turns), so a callback given to setTimeout,
 * setInterval, setImmediate or queueMicrotask would silently never run. Running them anyway would
 * invent semantics seL4 does not have (a C thread on seL4 has no timer queue: it waits on a
 * notification the timer driver signals), and when they ran would depend on the host. So they
 * throw, with what to do instead, like an async entry function does (worker.ts). The machinery
 * does not use these globals; it would import node:timers.
 */
const SYNCHRONOUS =
  "a seL4 thread runs synchronously and never returns to an event loop, so the callback would never run. " +
  "To wait, block in the kernel (seL4_Recv or seL4_Wait); to let other threads run, call seL4_Yield()";

PROCESS_HINTS.nextTick = SYNCHRONOUS;

function refusedAsyncWork(): Record<string, () => never> {
  const out: Record<string, () => never> = {};
  for (const name of ["setTimeout", "setInterval", "setImmediate", "queueMicrotask"]) {
    const refuse = () => {
      throw unavailable(`${name}()`, SYNCHRONOUS);
    };
    Object.defineProperty(refuse, "name", { value: name });
    out[name] = refuse;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Code the build never saw

/**
 * eval and new Function would run code the build never instrumented: no preemption point, no
 * instruction pointer. The build refuses a direct eval at its place (src/compile/reach.ts); these
 * stand-ins refuse the rest. The Function stand-in keeps the intrinsic prototype, so
 * `f instanceof Function` holds as before.
 */
function noDynamicCode(name: "eval" | "Function"): (...args: unknown[]) => never {
  const refuse = {
    [name](): never {
      throw new Error(
        `${name} cannot be used in a seL4 thread: it would run code the build never saw (and so never instrumented); write the code itself`,
      );
    },
  }[name]!;
  if (name === "Function") Object.defineProperty(refuse, "prototype", { value: Function.prototype });
  return refuse;
}

// ---------------------------------------------------------------------------------------------
// What the host has and a seL4 thread does not

const PROCESS_STAND_IN = unusable("process", (key) => PROCESS_HINTS[key] ?? PROCESS_DEFAULT_HINT);

const NO_NETWORK = () =>
  "a seL4 thread has no network or host messaging; it talks to other threads through the kernel (seL4_Call, seL4_Send, seL4_Signal)";

/** Stand-ins that throw at their use, each naming what a seL4 thread does instead. */
const HIDDEN: Record<string, object> = {
  // crypto.randomUUID() and getRandomValues() would print different bytes on every run.
  crypto: unusable(
    "crypto",
    () =>
      "a seL4 thread has no entropy source, so runs could not repeat; use Math.random(), which is seeded per thread",
  ),
  // Buffer.allocUnsafe() (and Buffer's pool) hand out memory the worker used before, uninitialised.
  Buffer: unusable(
    "Buffer",
    () =>
      "it is Node's (Buffer.allocUnsafe() shows uninitialised memory); use Uint8Array, and TextEncoder/TextDecoder for text",
    true,
  ),
  // A seL4 thread shares memory with others only through frames the kernel maps, and waits only
  // in the kernel: Atomics.wait would block outside it; WebAssembly code has no preemption points.
  SharedArrayBuffer: unusable(
    "SharedArrayBuffer",
    () =>
      "threads share memory through frames the kernel maps (seL4_ARCH_Page_Map), and wait in the kernel (seL4_Wait, seL4_Recv)",
    true,
  ),
  Atomics: unusable(
    "Atomics",
    () =>
      "a seL4 thread waits in the kernel (seL4_Wait on a notification, seL4_Recv on an endpoint), never on a host futex",
  ),
  WebAssembly: unusable(
    "WebAssembly",
    () =>
      "the simulated machine runs your TypeScript only; WebAssembly code would run without the kernel's timer ever preempting it",
  ),
};
for (const name of [
  "fetch",
  "WebSocket",
  "EventSource",
  "BroadcastChannel",
  "MessageChannel",
  "MessagePort",
  "FormData",
  "Headers",
  "Request",
  "Response",
])
  HIDDEN[name] = unusable(name, NO_NETWORK, true);
