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

/** Everything machinery in dist/ (libsel4, the channel, this file) is allowed the real `process`. */
const MACHINERY_ROOT = new URL("../", import.meta.url).href;

export interface SandboxOptions {
  /** Virtual time in ns since boot (WorkerChannel.virtualNow). */
  virtualNowNs: () => number;
  /** True for the emitted JS files of learner code. */
  isLearnerFile: (file: string) => boolean;
  /**
   * The thread runs sel4tut's own code, not a learner's (bench.ts's timed threads, which time
   * themselves with process.hrtime): `process` stays as it is, at no cost per use.
   */
  ownCode?: boolean;
}

export function installSandbox(opts: SandboxOptions): void {
  virtualiseClocks(opts.virtualNowNs);
  fixLocale();
  if (!opts.ownCode) hideProcess(opts.isLearnerFile);
  refuseAsyncWork();
  hideEntropy();
  hideHostMemory();
  hideNetwork();
  forgetLastMatch();
  if (!opts.ownCode) hideSharedMemory();
}

/** Learner-facing errors: thrown where learner code used the name, so the report shows its line. */
function unavailable(what: string, why: string): Error {
  return new Error(`${what} is not available in a seL4 thread: ${why}`);
}

// ---------------------------------------------------------------------------------------------
// Clocks

function virtualiseClocks(nowNs: () => number): void {
  const RealDate = Date;
  const nowMs = () => Math.floor(nowNs() / 1e6);
  // A function, not a subclass: `Date()` without `new` must work too (it returns a string).
  const VirtualDate = function (this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(nowMs()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [nowMs()] : args, new.target);
  } as unknown as DateConstructor;
  Object.defineProperty(VirtualDate, "name", { value: "Date" });
  Object.defineProperty(VirtualDate, "length", { value: 7 });
  // The same prototype, so `x instanceof Date` holds for every date, whoever made it. The statics
  // are copied rather than inherited, so Object.getPrototypeOf(Date) does not lead to the real clock.
  Object.defineProperty(VirtualDate, "prototype", { value: RealDate.prototype, writable: false });
  Object.defineProperty(RealDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, "parse", { value: RealDate.parse, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, "UTC", { value: RealDate.UTC, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, "now", { value: nowMs, writable: true, configurable: true });
  Object.defineProperty(globalThis, "Date", { value: VirtualDate, writable: true, configurable: true });
  defaultFormatDateToNow(nowMs);
  // A new object, not the worker's own changed: machinery that took the real performance.now
  // (spin.ts) keeps it.
  Object.defineProperty(globalThis, "performance", {
    value: simulatedPerformance(nowNs),
    writable: true,
    configurable: true,
    enumerable: true,
  });
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
function defaultFormatDateToNow(nowMs: () => number): void {
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

/**
 * Learner code reads a stand-in whose every use throws, naming the member it used; the machinery
 * (channel.ts ends the worker with process.exit when the machine stops it) reads the real one.
 * Who reads is decided by the code that evaluated `process`: the first frame on the stack that is
 * not a built-in function.
 */
function hideProcess(isLearnerFile: (file: string) => boolean): void {
  const real = process;
  const standIn = unusable("process", (key) => PROCESS_HINTS[key] ?? PROCESS_DEFAULT_HINT);
  const isMachinery = callerCheck(isLearnerFile);
  // A getter lifted onto another object (for machinery to read back to the learner) gets the stand-in.
  const get = function (this: unknown): NodeJS.Process {
    return this === globalThis && isMachinery(get) ? real : (standIn as unknown as NodeJS.Process);
  };
  // Not configurable, so learner code can neither delete nor redefine it (the channel needs it).
  Object.defineProperty(globalThis, "process", {
    get,
    set: () => {
      throw unavailable("process", PROCESS_DEFAULT_HINT);
    },
    enumerable: false,
    configurable: false,
  });
}

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

/**
 * A function telling whether the code that called `accessor` (on the stack now) is sel4tut's own.
 * Error's hooks are taken now, before learner code can replace them, and learner settings of
 * Error.prepareStackTrace/stackTraceLimit are put back afterwards.
 */
function callerCheck(isLearnerFile: (file: string) => boolean): (accessor: (...args: never[]) => unknown) => boolean {
  const capture = Error.captureStackTrace;
  const grabSites = (_err: Error, sites: NodeJS.CallSite[]) => sites;
  return (accessor) => {
    const previousPrepare = Error.prepareStackTrace;
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.prepareStackTrace = grabSites;
      Error.stackTraceLimit = 16;
      const holder: { stack?: NodeJS.CallSite[] } = {};
      capture(holder, accessor); // frames above the accessor: the first is who read the global
      for (const site of holder.stack ?? []) {
        if (site.isEval()) return false; // eval and new Function: only learner code makes those
        const file = site.getFileName();
        if (!file) continue; // built-ins such as Reflect.get or Array.prototype.map
        if (isLearnerFile(file)) return false;
        // Not node: frames: util.inspect calls a getter that learner code planted (as
        // Symbol.for("nodejs.util.inspect.custom")) from Node's own code, on learner data.
        return file.startsWith(MACHINERY_ROOT);
      }
      return false;
    } catch {
      return false; // learner code made the stack unreadable: it does not get the real process
    } finally {
      try {
        Error.prepareStackTrace = previousPrepare;
        Error.stackTraceLimit = previousLimit;
      } catch {
        // made read-only by learner code; nothing of ours depends on them being put back
      }
    }
  };
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

function refuseAsyncWork(): void {
  PROCESS_HINTS.nextTick = SYNCHRONOUS;
  for (const name of ["setTimeout", "setInterval", "setImmediate", "queueMicrotask"]) {
    const refuse = () => {
      throw unavailable(`${name}()`, SYNCHRONOUS);
    };
    Object.defineProperty(refuse, "name", { value: name });
    Object.defineProperty(globalThis, name, { value: refuse, writable: true, configurable: true, enumerable: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Entropy

/**
 * crypto.randomUUID() and getRandomValues() would print different bytes on every run. Math.random
 * is the thread's random source (seeded per thread by worker.ts), so the message points there. The
 * machinery does not use the global; it would import node:crypto.
 */
// ---------------------------------------------------------------------------------------------
// Host memory

/**
 * Buffer.allocUnsafe() (and Buffer's pool) hand out memory the worker used before, uninitialised,
 * so a thread could print bytes that differ from run to run (or that belong to the machinery). A
 * seL4 thread has typed arrays, which are always zeroed, and TextEncoder/TextDecoder for text.
 */
function hideHostMemory(): void {
  const hint = () =>
    "it is Node's (Buffer.allocUnsafe() shows uninitialised memory); use Uint8Array, and TextEncoder/TextDecoder for text";
  Object.defineProperty(globalThis, "Buffer", {
    value: unusable("Buffer", hint, true),
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

// ---------------------------------------------------------------------------------------------
// Network, and what the machinery leaves behind

/** fetch and the other web messaging globals of Node: a seL4 thread has no network. */
function hideNetwork(): void {
  const hint = () =>
    "a seL4 thread has no network or host messaging; it talks to other threads through the kernel (seL4_Call, seL4_Send, seL4_Signal)";
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
  ]) {
    Object.defineProperty(globalThis, name, {
      value: unusable(name, hint, true),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

/**
 * RegExp's legacy statics (RegExp.input, $1, lastMatch, leftContext, ...) hold the last string a
 * regular expression ran over in the worker, whoever ran it: the machinery's file contents and
 * paths. They go; a regular expression's own match result is what learner code uses.
 */
function forgetLastMatch(): void {
  const names = ["input", "$_", "lastMatch", "$&", "lastParen", "$+", "leftContext", "$`", "rightContext", "$'"];
  for (let i = 1; i <= 9; i++) names.push(`$${i}`);
  for (const name of names) Reflect.deleteProperty(RegExp, name);
}

// ---------------------------------------------------------------------------------------------
// Shared memory and WebAssembly

/**
 * A seL4 thread shares memory with others only through frames the kernel maps, and waits only in
 * the kernel. SharedArrayBuffer and Atomics would let it block outside the kernel (Atomics.wait
 * reaches no preemption point) and, with the channel's objects, skip its turn; WebAssembly code
 * has no preemption points at all. The channel took what it needs of them when it loaded.
 */
function hideSharedMemory(): void {
  const hints: Record<string, string> = {
    SharedArrayBuffer:
      "threads share memory through frames the kernel maps (seL4_ARCH_Page_Map), and wait in the kernel (seL4_Wait, seL4_Recv)",
    Atomics:
      "a seL4 thread waits in the kernel (seL4_Wait on a notification, seL4_Recv on an endpoint), never on a host futex",
    WebAssembly:
      "the simulated machine runs your TypeScript only; WebAssembly code would run without the kernel's timer ever preempting it",
  };
  for (const [name, hint] of Object.entries(hints)) {
    Object.defineProperty(globalThis, name, {
      value: unusable(name, () => hint, name === "SharedArrayBuffer"),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

function hideEntropy(): void {
  const hint = () =>
    "a seL4 thread has no entropy source, so runs could not repeat; use Math.random(), which is seeded per thread";
  Object.defineProperty(globalThis, "crypto", {
    value: unusable("crypto", hint),
    writable: true,
    configurable: true,
    enumerable: true,
  });
}
