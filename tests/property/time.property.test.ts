/** Round trips of the window and time helpers in provider/time.ts, for any input fast-check finds. */
import fc from "fast-check";
import { InvalidArgumentError } from "../../provider/errors";
import {
  formatDuration,
  formatIsoSeconds,
  MS_PER_DAY,
  normalizeApiTime,
  parseApiTime,
  parseApiTimeSlow,
  parseDuration,
  resolveTime,
  resolveWindow,
  type WindowRules,
} from "../../provider/time";
import { runs, useSeed } from "./seed";

useSeed();

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Epoch ms from 2001 to 2200: inside what `resolveTime` accepts as milliseconds and what ISO years show. */
const epochMs = fc.integer({ min: 1e12, max: 7_258_118_400_000 });
const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, "0");

/** `t` as the clouds write it: wall time at `offsetMin` from UTC, with the offset in `style`. */
function cloudTime(t: number, offsetMin: number, style: "+hhmm" | "+hh:mm" | "none" | "Z", sep: "T" | " ", fraction: boolean): string {
  const local = new Date(t + offsetMin * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction ? `.${pad(local.getUTCMilliseconds(), 3)}` : ""}`;
  const sign = offsetMin < 0 ? "-" : "+";
  const zone =
    style === "none" ? "" : style === "Z" ? "Z" : `${sign}${pad(Math.trunc(Math.abs(offsetMin) / 60))}${style === "+hh:mm" ? ":" : ""}${pad(Math.abs(offsetMin) % 60)}`;
  return `${date}${sep}${time}${zone}`;
}

describe("durations", () => {
  it("formatDuration reads back through parseDuration, for any whole number of ms", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 45 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
      { numRuns: runs(1000) },
    );
  });

  it("a duration in any unit parses to its ms, and re-formats to an equal duration in the largest exact unit", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(...(Object.keys(UNIT_MS) as Array<keyof typeof UNIT_MS>)), fc.constantFrom("", " "), (n, unit, space) => {
        const ms = parseDuration(`${n}${space}${unit}`);
        expect(ms).toBe(n * UNIT_MS[unit]);
        const formatted = formatDuration(ms!);
        expect(parseDuration(formatted)).toBe(ms);
        // The largest exact unit: no larger unit divides it (w is the largest formatDuration uses).
        const units = Object.keys(UNIT_MS) as Array<keyof typeof UNIT_MS>;
        const [, value, u] = /^(\d+)(ms|s|m|h|d|w)$/.exec(formatted)! as unknown as [string, string, keyof typeof UNIT_MS];
        for (const bigger of units.slice(units.indexOf(u) + 1)) {
          expect(ms! < UNIT_MS[bigger] || ms! % UNIT_MS[bigger] !== 0).toBe(true);
        }
        expect(Number(value) * UNIT_MS[u]).toBe(ms);
      }),
      { numRuns: runs(500) },
    );
  });

  it("a duration counts back from now in resolveTime", () => {
    fc.assert(
      fc.property(epochMs, fc.nat({ max: 60 * MS_PER_DAY }), (now, ms) => {
        expect(resolveTime("startTime", formatDuration(ms), now)).toBe(now - ms);
      }),
    );
  });
});

describe("time formats", () => {
  it("formatIsoSeconds is whole-second ISO UTC that Date.parse reads back", () => {
    fc.assert(
      fc.property(epochMs, (t) => {
        const s = formatIsoSeconds(t);
        expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(Date.parse(s)).toBe(Math.floor(t / 1000) * 1000);
      }),
      { numRuns: runs(500) },
    );
  });

  it("normalizeApiTime reads every cloud spelling of an instant as the same ISO UTC time", () => {
    fc.assert(
      fc.property(
        epochMs,
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        fc.constantFrom("+hhmm" as const, "+hh:mm" as const, "Z" as const, "none" as const),
        fc.constantFrom("T" as const, " " as const),
        fc.boolean(),
        (t, offsetMin, style, sep, fraction) => {
          const offset = style === "Z" || style === "none" ? 0 : offsetMin;
          const raw = cloudTime(t, offset, style, sep, fraction);
          const instant = fraction ? t : Math.floor(t / 1000) * 1000;
          expect(normalizeApiTime(raw)).toBe(new Date(instant).toISOString());
        },
      ),
      { numRuns: runs(1000) },
    );
  });

  it("normalizeApiTime never throws, returns its input or ISO UTC, and is idempotent", () => {
    const timeish = fc.oneof(
      fc.string(),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([+-]\d{2}:?\d{2}|Z)?$/),
      fc.stringMatching(/^\d{10,15}$/),
    );
    fc.assert(
      fc.property(timeish, (raw) => {
        const once = normalizeApiTime(raw);
        expect(once === raw || ISO_UTC.test(once)).toBe(true);
        expect(normalizeApiTime(once)).toBe(once);
      }),
      { numRuns: runs(2000) },
    );
  });
});

describe("windows", () => {
  const DDM: WindowRules = { service: "DDM", maxAgeMs: 30 * MS_PER_DAY, defaultStart: "7d" };
  const DDS: WindowRules = { service: "DDS", maxSpanMs: 30 * MS_PER_DAY, defaultStart: "7d", granularityMs: 1000 };
  /** now, and a window ending up to 5 days before it and spanning up to 30 days. */
  const window = fc.record({
    now: epochMs,
    endBack: fc.nat({ max: 5 * MS_PER_DAY }),
    span: fc.integer({ min: 1_000, max: 24 * MS_PER_DAY }),
  });

  it.each([
    ["DDM", DDM],
    ["DDS", DDS],
  ])("%s: a Date, epoch ms and the ISO string of the same times give the same window, and the window reads back as itself", (_s, rules) => {
    fc.assert(
      fc.property(window, ({ now, endBack, span }) => {
        const end = now - endBack;
        const start = end - span;
        const asMs = resolveWindow({ startTime: start, endTime: end }, rules, now);
        const asDate = resolveWindow({ startTime: new Date(start), endTime: new Date(end) }, rules, now);
        const asIso = resolveWindow({ startTime: new Date(start).toISOString(), endTime: new Date(end).toISOString() }, rules, now);
        expect(asDate).toEqual(asMs);
        expect(asIso).toEqual(asMs);
        // Feeding the resolved window back in changes nothing (no drift from rounding or clamping).
        expect(resolveWindow({ startTime: asMs.window.start, endTime: asMs.window.end }, rules, now)).toEqual(asMs);
        expect(Date.parse(asMs.window.start)).toBe(asMs.startMs);
        expect(Date.parse(asMs.window.end)).toBe(asMs.endMs);
        expect(asMs.startMs).toBeLessThan(asMs.endMs);
      }),
      { numRuns: runs(500) },
    );
  });

  it("DDM: a start past retention fails naming startTime, and the start the message suggests is accepted", () => {
    fc.assert(
      fc.property(epochMs, fc.integer({ min: 1_000, max: 300 * MS_PER_DAY }), (now, tooFar) => {
        const start = now - DDM.maxAgeMs! - tooFar;
        let err: unknown;
        try {
          resolveWindow({ startTime: start }, DDM, now);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect(err).toMatchObject({ argument: "startTime", rule: "retention" });
        const suggested = /move startTime after (\S+)$/.exec((err as Error).message)![1]!;
        const w = resolveWindow({ startTime: Date.parse(suggested) + 1_000 }, DDM, now);
        expect(w.startMs).toBeGreaterThanOrEqual(now - DDM.maxAgeMs!);
      }),
      { numRuns: runs(300) },
    );
  });

  it("DDS: a span over 30 days fails naming startTime, and the start the message suggests is accepted", () => {
    fc.assert(
      fc.property(window, fc.integer({ min: 1_000, max: 60 * MS_PER_DAY }), ({ now, endBack }, over) => {
        const end = now - endBack;
        const start = end - DDS.maxSpanMs! - over;
        let err: unknown;
        try {
          resolveWindow({ startTime: start, endTime: end }, DDS, now);
        } catch (e) {
          err = e;
        }
        expect(err).toMatchObject({ name: "InvalidArgumentError", argument: "startTime", rule: "span" });
        const suggested = /move startTime after (\S+)$/.exec((err as Error).message)![1]!;
        const w = resolveWindow({ startTime: Date.parse(suggested) + 1_000, endTime: end }, DDS, now);
        expect(w.endMs - w.startMs).toBeLessThanOrEqual(DDS.maxSpanMs!);
      }),
      { numRuns: runs(300) },
    );
  });

  it("an end at or before the start fails naming startTime (rule: order)", () => {
    fc.assert(
      fc.property(epochMs, fc.nat({ max: 5 * MS_PER_DAY }), fc.nat({ max: MS_PER_DAY }), (now, endBack, behind) => {
        const end = now - endBack;
        expect(() => resolveWindow({ startTime: end + behind, endTime: end }, DDM, now)).toThrow(
          expect.objectContaining({ argument: "startTime", rule: "order" }),
        );
      }),
    );
  });
});

describe("parseApiTime: the fast path and the slow path agree", () => {
  const field = (max: number) => fc.integer({ min: 0, max }).map((n) => pad(n));
  it("on any yyyy-mm-dd hh:mm:ss in the two fast forms, real or impossible", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).map((y) => pad(y, 4)),
        field(19), field(39), field(29), field(69), field(69),
        fc.constantFrom("T+0000", " "),
        (y, mo, d, h, mi, s, form) => {
          const raw = form === " " ? `${y}-${mo}-${d} ${h}:${mi}:${s}` : `${y}-${mo}-${d}T${h}:${mi}:${s}+0000`;
          const fast = parseApiTime(raw);
          expect(fast).toBe(parseApiTimeSlow(raw));
          // Real exactly when the fields survive a round trip through the calendar.
          const at = new Date(0);
          at.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
          at.setUTCHours(Number(h), Number(mi), Number(s));
          const real = at.toISOString().slice(0, 19) === `${y}-${mo}-${d}T${h}:${mi}:${s}`;
          expect(fast !== undefined).toBe(real);
        },
      ),
      { numRuns: runs(2000) },
    );
  });
  it("with any offset (+hhmm, -hh:mm, Z, none), shifting across days, months, years and leap days", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 99, 100, 1999, 2000, 2023, 2024, 2100, 9999).map((y) => pad(y, 4)),
        fc.constantFrom(1, 2, 3, 12, 13).map((n) => pad(n)),
        fc.constantFrom(1, 28, 29, 30, 31).map((n) => pad(n)),
        field(24), field(60), field(60),
        fc.oneof(
          fc.constantFrom("", "Z", "+0000", "-0000", "+2400", "+0060", "+08", "+08:0", "x0100"),
          fc.tuple(fc.constantFrom("+", "-"), field(23), field(59), fc.boolean()).map(([s, h, m, colon]) => `${s}${h}${colon ? ":" : ""}${m}`),
        ),
        fc.constantFrom("T", " "),
        (y, mo, d, h, mi, s, zone, sep) => {
          const raw = `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${zone}`;
          expect(parseApiTime(raw)).toBe(parseApiTimeSlow(raw));
        },
      ),
      { numRuns: runs(3000) },
    );
  });
});
