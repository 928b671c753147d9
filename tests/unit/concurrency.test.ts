import { adaptiveLimit, fixedLimit, isOverload } from "../../provider/concurrency";

describe("adaptive concurrency (AIMD)", () => {
  it("doubles per round trip in slow start, up to its cap", () => {
    const w = adaptiveLimit({ initial: 2, max: 10 });
    expect(w.limit).toBe(2);
    for (let i = 0; i < 2; i++) w.finish(w.start(), true);
    expect(w.limit).toBe(4);
    for (let i = 0; i < 4; i++) w.finish(w.start(), true);
    expect(w.limit).toBe(8);
    for (let i = 0; i < 20; i++) w.finish(w.start(), true);
    expect(w.limit).toBe(10);
    expect(w.peak).toBe(10);
  });

  it("halves once per round trip on overload, then grows by one per round trip", () => {
    const w = adaptiveLimit({ initial: 8, max: 32 });
    const inFlight = Array.from({ length: 8 }, () => w.start());
    // Every page of the old window is throttled: one cut, not eight.
    for (const t of inFlight) w.overload(t);
    expect(w.limit).toBe(4);
    expect(w.decreases).toBe(1);
    for (const t of inFlight) w.finish(t, false);
    expect(w.limit).toBe(4);
    // Congestion avoidance: each clean page adds 1/window, so about one window of pages adds one.
    for (let i = 0; i < 5; i++) w.finish(w.start(), true);
    expect(w.limit).toBe(5);
    // A page started after the cut that is throttled cuts again.
    w.overload(w.start());
    expect(w.limit).toBe(2);
    expect(w.decreases).toBe(2);
  });

  it("widens to the pages the total promises (up to withTotal), once, and not after a cut", () => {
    const w = adaptiveLimit({ initial: 8, withTotal: 32, max: 64 });
    w.knowTotal(100);
    expect(w.limit).toBe(32);
    const few = adaptiveLimit({ initial: 8, withTotal: 32, max: 64 });
    few.knowTotal(12);
    expect(few.limit).toBe(12);
    const cut = adaptiveLimit({ initial: 8, withTotal: 32, max: 64 });
    cut.overload(cut.start());
    cut.knowTotal(100);
    expect(cut.limit).toBe(4);
    const fixed = fixedLimit(3);
    fixed.knowTotal(100);
    expect(fixed.limit).toBe(3);
  });

  it("never drops below one page", () => {
    const w = adaptiveLimit({ initial: 1, max: 4 });
    for (let i = 0; i < 5; i++) w.overload(w.start());
    expect(w.limit).toBe(1);
  });

  it("holds new pages for a Retry-After, in both modes", () => {
    for (const w of [adaptiveLimit(), fixedLimit(3)]) {
      expect(w.holdMs(Date.now())).toBe(0);
      w.overload(w.start(), 1_000);
      expect(w.holdMs(Date.now())).toBeGreaterThan(900);
      expect(w.holdMs(Date.now() + 1_000)).toBe(0);
    }
  });

  it("a fixed limit stays exactly where the caller put it", () => {
    const w = fixedLimit(64);
    for (let i = 0; i < 10; i++) w.overload(w.start());
    expect(w.limit).toBe(64);
  });

  it("reads 429, APIGW.0308 and 5xx as overload, nothing else", () => {
    expect([429, 500, 502, 503, 504].every((status) => isOverload({ status }))).toBe(true);
    expect(isOverload({ status: 400, apiCode: "APIGW.0308" })).toBe(true);
    expect([0, 200, 400, 401, 404].some((status) => isOverload({ status }))).toBe(false);
  });
});
