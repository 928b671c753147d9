/**
 * `SeenIds` against a Set of every id, over sequences that keep its one contract (an id comes with
 * the same key, or without one, on every read): arbitrary orders, ties, empty and odd keys, keyless
 * items, lookups of ids never added. Written by a review of the change that introduced it.
 */
import fc from "fast-check";
import { SeenIds } from "../../provider/seen-ids";
import { runs, useSeed } from "./seed";

useSeed();

/** Keys from a tiny alphabet (many ties, "" included, prefixes of each other), or no key at all. */
const smallKey = fc.option(fc.string({ unit: fc.constantFrom("0", "1", "2", "\u0000", "\uffff", "\ud83d", "a"), maxLength: 3 }), { nil: undefined, freq: 6 });
/** Unicode keys (surrogates, code-unit order vs code-point order). */
const wideKey = fc.option(fc.string({ unit: "binary", maxLength: 3 }), { nil: undefined, freq: 6 });
/** Realistic ISO keys, descending-ish with ties. */
const isoKey = fc.integer({ min: 0, max: 400 }).map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString());

function check(ids: string[], keyOf: Map<string, string | undefined>, seq: number[], probes: number[]): boolean {
  const s = new SeenIds();
  const set = new Set<string>();
  let p = 0;
  for (const i of seq) {
    const id = ids[i % ids.length]!;
    const key = keyOf.get(id);
    // A probe of an arbitrary id before the add (has() must agree too).
    const probe = ids[probes[p++ % Math.max(1, probes.length)]! % ids.length]!;
    if (probes.length && s.has(probe, keyOf.get(probe)) !== set.has(probe)) return false;
    if (s.has(id, key) !== set.has(id)) return false;
    if (s.add(id, key) !== !set.has(id)) return false;
    set.add(id);
    if (s.size !== set.size) return false;
  }
  for (const id of ids) if (s.has(id, keyOf.get(id)) !== set.has(id)) return false;
  return true;
}

function property(keyArb: fc.Arbitrary<string | undefined>, maxIds: number, maxLen: number) {
  return fc.property(
    fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: maxIds, size: "max" }).chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.array(keyArb, { minLength: ids.length, maxLength: ids.length }),
        fc.array(fc.nat(ids.length - 1), { maxLength: maxLen, size: "max" }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
      ),
    ),
    ([ids, keys, seq, probes, sortFirst]) => {
      const keyOf = new Map(ids.map((id, i) => [id, keys[i]]));
      let order = seq;
      if (sortFirst) {
        // All ids newest first (ties in arbitrary order), then the random sequence.
        const idx = ids.map((_, i) => i).sort((a, b) => {
          const ka = keys[a] ?? "";
          const kb = keys[b] ?? "";
          return ka < kb ? 1 : ka > kb ? -1 : 0;
        });
        order = [...idx, ...seq];
      }
      return check(ids, keyOf, order, probes);
    },
  );
}

describe("SeenIds agrees with a Set (property)", () => {
  it("tiny keys, ties, empty keys, keyless items", () => {
    fc.assert(property(smallKey, 40, 120), { numRuns: runs(1000) });
  });
  it("unicode keys", () => {
    fc.assert(property(wideKey, 40, 120), { numRuns: runs(1000) });
  });
  it("many ids across many blocks, ISO keys with ties", () => {
    fc.assert(property(isoKey, 300, 700), { numRuns: runs(100) });
  });
  it("ISO keys with some keyless", () => {
    fc.assert(property(fc.option(isoKey, { nil: undefined, freq: 10 }), 200, 500), { numRuns: runs(100) });
  });
});
