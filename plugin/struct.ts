/**
 * A direct protobuf encoder for `google.protobuf.Struct`, for large Invoke results: google-protobuf's
 * `Struct.fromJavaScript` + `serializeBinary` spend seconds on a 20,000-job result (millions of
 * message objects); this writes the same wire bytes straight from the JSON value. Wire format:
 * Struct { map<string, Value> fields = 1 }; Value { null 1 | number 2 (double) | string 3 | bool 4 |
 * struct 5 | list 6 }; ListValue { repeated Value values = 1 }.
 */

const LEN = 2;
const VARINT = 0;
const I64 = 1;

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

const tag = (field: number, wire: number) => varint(field * 8 + wire);

function lengthDelimited(field: number, body: Buffer[]): Buffer[] {
  const size = body.reduce((s, b) => s + b.length, 0);
  return [tag(field, LEN), varint(size), ...body];
}

function value(v: unknown): Buffer[] {
  if (v === null || v === undefined) return [tag(1, VARINT), varint(0)];
  if (typeof v === "number") {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleLE(v);
    return [tag(2, I64), b];
  }
  if (typeof v === "string") return lengthDelimited(3, [Buffer.from(v, "utf8")]);
  if (typeof v === "boolean") return [tag(4, VARINT), varint(v ? 1 : 0)];
  if (Array.isArray(v)) return lengthDelimited(6, [Buffer.concat(v.flatMap((e) => lengthDelimited(1, [Buffer.concat(value(e))])))]);
  if (typeof v === "object") return lengthDelimited(5, [encodeStruct(v as Record<string, unknown>)]);
  throw new TypeError(`a Struct cannot hold a ${typeof v}`);
}

/** The bytes of a Struct holding `obj` (a JSON value: undefined fields are left out). */
export function encodeStruct(obj: Record<string, unknown>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    const entry = [...lengthDelimited(1, [Buffer.from(k, "utf8")]), ...lengthDelimited(2, [Buffer.concat(value(v))])];
    parts.push(...lengthDelimited(1, [Buffer.concat(entry)]));
  }
  return Buffer.concat(parts);
}

/** The bytes of an `InvokeResponse` whose `return` (field 1) is `result` and that has no failures. */
export function encodeInvokeReturn(result: Record<string, unknown>): Buffer {
  return Buffer.concat(lengthDelimited(1, [encodeStruct(result)]));
}
