import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatC } from "../../src/libsel4/printf.js";

describe("printf formatting (C semantics)", () => {
  it.each<[string, unknown[], string]>([
    ["%d %i", [42, -7], "42 -7"],
    ["%u", [-1], "4294967295"],
    ["%ld %lu", [-1, -1], "-1 18446744073709551615"],
    ["%lx %llx %x %X", [0xbeef, -1, 255, 255], "beef ffffffffffffffff ff FF"],
    ["%d", [2 ** 32 + 5], "5"],
    ["%p %p %p", [0, 1, 0x401e66], "0 0x1 0x401e66"],
    ["%s and %c%c", ["caps", 79, "K"], "caps and OK"],
    ["100%%", [], "100%"],
    ["[%5d] [%-5d] [%05d] [%-05d]", [42, 42, 42, 42], "[   42] [42   ] [00042] [42   ]"],
    ["[%08lx] [%-8s] [%8s]", [0xbeef, "ab", "ab"], "[0000beef] [ab      ] [      ab]"],
    ["[%05d] [%+d] [% d]", [-42, 5, 5], "[-0042] [+5] [ 5]"],
    ["[%.3d] [%.0d] [%.2s] [%#x] [%#o]", [7, 0, "abc", 255, 8], "[007] [] [ab] [0xff] [010]"],
    ["[%*d] [%-*d]", [4, 1, 3, 2], "[   1] [2  ]"],
    ["%hhd %hd %zu", [257, 65537, 10], "1 1 10"],
    ["%lu", [18446744073709551615n], "18446744073709551615"],
    ["Hello2: arg1 %p, arg2 %p, arg3 %p", [1, 2, 3], "Hello2: arg1 0x1, arg2 0x2, arg3 0x3"],
  ])("%s", (fmt, args, expected) => {
    expect(formatC(fmt, args)).toBe(expected);
  });

  it("names the missing argument and bad arguments", () => {
    expect(() => formatC("%d %d", [1])).toThrow(
      /printf: format "%d %d" needs an argument for %d \(argument 3 is missing\)/,
    );
    expect(() => formatC("%d", [1.5])).toThrow(/printf: %d needs an integer argument, got 1.5/);
    expect(() => formatC("%d", [Number.NaN])).toThrow(/got NaN/);
    expect(() => formatC("%q", [1])).toThrow(/unsupported conversion/);
  });

  it("agrees with BigInt arithmetic for %lu and %lx on any 64-bit word", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }), (w) => {
        const u = BigInt.asUintN(64, w);
        expect(formatC("%lu %lx %ld", [w, w, w])).toBe(`${u} ${u.toString(16)} ${BigInt.asIntN(64, w)}`);
      }),
    );
  });
});
