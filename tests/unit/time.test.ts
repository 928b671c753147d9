import { InvalidArgumentError } from "../../provider/errors";
import { formatDuration, formatIsoSeconds, MS_PER_DAY, normalizeApiTime, parseApiTime, parseApiTimeSlow, parseDuration, resolveTime, resolveWindow, RETENTION_EDGE_MARGIN_MS } from "../../provider/time";

const NOW = Date.parse("2026-11-23T12:00:00Z");
const DAY = 86_400_000;

describe("resolveTime", () => {
  it("reads durations before now, ISO strings, Dates and epoch ms", () => {
    expect(resolveTime("t", "7d", NOW)).toBe(NOW - 7 * DAY);
    expect(resolveTime("t", "90m", NOW)).toBe(NOW - 90 * 60_000);
    expect(resolveTime("t", "2w", NOW)).toBe(NOW - 14 * DAY);
    expect(resolveTime("t", "2026-11-20T08:00:00Z", NOW)).toBe(Date.parse("2026-11-20T08:00:00Z"));
    expect(resolveTime("t", new Date(NOW - 5), NOW)).toBe(NOW - 5);
    expect(resolveTime("t", NOW - 1000, NOW)).toBe(NOW - 1000);
  });

  it("rejects epoch seconds with a hint to pass milliseconds", () => {
    expect(() => resolveTime("startTime", 1_763_900_000, NOW)).toThrow(
      "startTime: 1763900000 looks like epoch seconds; pass milliseconds (1763900000000) or an ISO string",
    );
  });

  it("rejects text that is neither ISO nor a duration, naming the argument", () => {
    expect(() => resolveTime("endTime", "yesterday", NOW)).toThrow(/^endTime: "yesterday" is neither an ISO-8601 time/);
    expect(() => resolveTime("endTime", new Date(NaN), NOW)).toThrow("endTime: is an invalid Date");
  });

  it("formats durations in the largest exact unit, readable back", () => {
    expect(["90m", "12h", "7d", "2w", "45s", "1500ms"].map((d) => formatDuration(parseDuration(d)!))).toEqual([
      "90m",
      "12h",
      "1w",
      "2w",
      "45s",
      "1500ms",
    ]);
    for (const ms of [1, 999, 60_000, 86_400_000 * 30]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe("resolveWindow", () => {
  const ddm = { service: "DDM", maxAgeMs: 30 * DAY, defaultStart: "7d" };

  it("defaults to the last 7 days ending now", () => {
    const w = resolveWindow({}, ddm, NOW);
    expect(w.endMs).toBe(NOW);
    expect(w.startMs).toBe(NOW - 7 * DAY);
    expect(w.window).toEqual({ start: "2026-11-16T12:00:00.000Z", end: "2026-11-23T12:00:00.000Z" });
  });

  it("refuses a start beyond the retention and says where to move it", () => {
    let err: unknown;
    try {
      resolveWindow({ startTime: "31d" }, ddm, NOW);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).argument).toBe("startTime");
    expect((err as Error).message).toBe(
      "startTime: window starts 31 days ago; DDM keeps 30d: move startTime after 2026-10-24T12:00:01Z",
    );
  });

  it("moves a start at the retention edge inward so the server's later clock accepts it", () => {
    const w = resolveWindow({ startTime: "30d" }, ddm, NOW);
    expect(w.startMs).toBe(NOW - 30 * DAY + RETENTION_EDGE_MARGIN_MS);
  });

  it("refuses end before start and a future end", () => {
    expect(() => resolveWindow({ startTime: "1d", endTime: "2d" }, ddm, NOW)).toThrow(/^startTime: must be before endTime/);
    expect(() => resolveWindow({ endTime: NOW + 3_600_000 }, ddm, NOW)).toThrow(/^endTime: is in the future/);
  });

  it("refuses a DDS span over 30 days and rounds to whole seconds", () => {
    const dds = { service: "DDS", maxSpanMs: 30 * DAY, defaultStart: "7d", granularityMs: 1000 };
    expect(() => resolveWindow({ startTime: NOW - 40 * DAY, endTime: NOW - 5 * DAY }, dds, NOW)).toThrow(
      "startTime: window spans 35.0 days; DDS accepts at most 30d: move startTime after 2026-10-19T12:00:00Z",
    );
    const w = resolveWindow({ startTime: NOW - 1500, endTime: NOW - 700 }, dds, NOW);
    expect([w.startMs % 1000, w.endMs % 1000]).toEqual([0, 0]);
    expect(formatIsoSeconds(w.startMs)).toBe("2026-11-23T11:59:59Z");
  });
});

describe("normalizeApiTime", () => {
  it("reads the clouds' time forms as UTC ISO", () => {
    expect(normalizeApiTime("2025-05-20T15:05:13+0000")).toBe("2025-05-20T15:05:13.000Z");
    expect(normalizeApiTime("2018-08-06T10:41:14+0100")).toBe("2018-08-06T09:41:14.000Z");
    expect(normalizeApiTime("2020-12-21 10:57:49")).toBe("2020-12-21T10:57:49.000Z");
    expect(normalizeApiTime("1599188556112")).toBe("2020-09-04T03:02:36.112Z");
  });

  it("reads the two common forms by slicing exactly as a Date would", () => {
    for (let t = Date.parse("2019-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 7_919_311_000) {
      const iso = new Date(t - (t % 1000)).toISOString();
      const offsetForm = `${iso.slice(0, 19)}+0000`;
      const drsForm = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
      expect(normalizeApiTime(offsetForm)).toBe(iso);
      expect(normalizeApiTime(drsForm)).toBe(iso);
    }
    expect(normalizeApiTime("2025-13-20T15:05:13+0000")).toBe("2025-13-20T15:05:13+0000");
    expect(normalizeApiTime("2025-05-20T24:05:13+0000")).toBe("2025-05-20T24:05:13+0000");
  });

  it("refuses impossible dates on the fast and the slow path alike (no rolling over into March)", () => {
    for (const raw of ["2025-02-30T10:00:00+0000", "2025-02-30 10:00:00", "2025-02-30T10:00:00+0100", "2023-02-29T00:00:00Z", "2025-04-31 00:00:00"]) {
      expect(parseApiTime(raw)).toBeUndefined();
      expect(parseApiTimeSlow(raw)).toBeUndefined();
    }
    expect(parseApiTime("2024-02-29 23:59:59")).toBe("2024-02-29T23:59:59.000Z");
    expect(parseApiTime("2024-02-29T23:59:59+0800")).toBe("2024-02-29T15:59:59.000Z");
  });

  it("passes through what it cannot read instead of failing", () => {
    expect(normalizeApiTime("")).toBe("");
    expect(normalizeApiTime("soon")).toBe("soon");
    expect(normalizeApiTime(null)).toBeUndefined();
  });
});

describe("argument times that name no real date", () => {
  it("are refused, naming the argument, instead of rolling over", () => {
    expect(() => resolveTime("startTime", "2025-02-30T00:00:00Z", Date.now())).toThrow(/^startTime: "2025-02-30T00:00:00Z" is not a real date/);
    expect(() => resolveTime("endTime", "2025-04-31", Date.now())).toThrow(/^endTime: .*is not a real date/);
    expect(resolveTime("startTime", "2024-02-29T00:00:00Z", Date.now())).toBe(Date.parse("2024-02-29T00:00:00Z"));
  });
});

describe("DDS windows (listing only the tasks of the last month)", () => {
  const NOW = Date.parse("2026-11-23T12:00:00Z");
  const dds = { service: "DDS", maxSpanMs: 30 * MS_PER_DAY, minEndAgeMs: 30 * MS_PER_DAY, defaultStart: "7d", granularityMs: 1000 };
  it("refuse a window lying wholly more than a month back, naming endTime", () => {
    expect(() => resolveWindow({ startTime: "50d", endTime: "40d" }, dds, NOW)).toThrow(/^endTime: window ends 40 days ago; DDS lists only tasks of the last 30d: move endTime after 2026-10-24T12:00:01Z/);
  });
  it("accept one that reaches into the last month", () => {
    expect(resolveWindow({ startTime: "45d", endTime: "20d" }, dds, NOW).window.end).toBe("2026-11-03T12:00:00.000Z");
  });
});
