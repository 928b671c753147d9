/**
 * Canonical forms of the URL parts that the APIG "SDK-HMAC-SHA256" signature covers
 * (api-spec §8). Everything here works on bytes: text is read as UTF-8, percent-escapes are
 * decoded to the bytes they stand for, and the result is percent-encoded again with one fixed
 * rule, so that however a URL was escaped on the way in (WHATWG `URL` leaves `'`, `(`, `:`... as
 * they are; a caller may write `%c3%bc` or `%C3%BC`), the canonical text is the same, nothing is
 * encoded twice, and malformed escapes or invalid UTF-8 cannot make the signer throw.
 */

const HEX = "0123456789ABCDEF";

/** RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`), the only bytes left unescaped. */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x7e // ~
  );
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
}

/** Percent-encodes bytes: unreserved bytes stay, every other byte becomes `%XY` (uppercase hex). */
export function percentEncodeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return out;
}

/** RFC 3986 encoding of text as UTF-8 (space is `%20`, never `+`). */
export function percentEncode(text: string): string {
  return percentEncodeBytes(Buffer.from(text, "utf8"));
}

/**
 * Decodes `%XY` escapes (either hex case) to the bytes they stand for. A `%` not followed by two
 * hex digits is kept as a literal `%` byte. With `plusAsSpace`, `+` is read as a space (the
 * `application/x-www-form-urlencoded` rule that query strings follow).
 */
export function percentDecodeBytes(text: string, plusAsSpace: boolean): Buffer {
  const input = Buffer.from(text, "utf8");
  const out = Buffer.alloc(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte === 0x25) {
      const high = hexValue(input[i + 1]);
      const low = hexValue(input[i + 2]);
      if (high >= 0 && low >= 0) {
        out[length++] = (high << 4) | low;
        i += 2;
        continue;
      }
    }
    out[length++] = plusAsSpace && byte === 0x2b ? 0x20 : byte;
  }
  return out.subarray(0, length);
}

/**
 * CanonicalURI: each `/`-separated segment of the path is decoded and RFC 3986-encoded again (so
 * `/a b/ü`, `/a%20b/%C3%BC` and `/a%20b/%c3%bc` all become `/a%20b/%C3%BC`, and an encoded slash
 * `%2F` inside a segment stays `%2F`); a `/` is appended when the path does not end with one. The
 * trailing slash exists only in the signature: the request itself goes out with the path unchanged.
 * `+` in a path is a literal plus (`%2B`), not a space.
 */
export function canonicalUri(pathname: string): string {
  const path = pathname === "" ? "/" : pathname;
  const encoded = path
    .split("/")
    .map((segment) => percentEncodeBytes(percentDecodeBytes(segment, false)))
    .join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/** One decoded query parameter (raw bytes of name and value). */
interface QueryPair {
  name: Buffer;
  value: Buffer;
}

/**
 * CanonicalQueryString of a URL's `search` (with or without the leading `?`).
 *
 * Parsing follows the WHATWG `URLSearchParams` rules, which are what any code that builds a URL
 * with `url.searchParams` produces: pairs split on `&` (empty pieces skipped), name and value
 * split on the first `=` (a bare `name` has an empty value), `+` means a space, `%XY` escapes
 * are decoded. So `q=a+b` and `q=a%20b` both sign as `q=a%20b`, while a literal plus (sent as
 * `%2B`) signs as `%2B`.
 *
 * Pairs are sorted by the decoded name, then by the decoded value, comparing UTF-8 bytes (that is
 * Unicode code point order, as Go's `sort.Strings` and Python's `sorted` do), and only then
 * encoded: sorting raw rather than encoded text is what the Huawei SDK signers do, and it matters
 * (`1` sorts before `@` raw, but `%40` sorts before `1` encoded). Every pair is emitted as
 * `name=value`, including empty values; repeated names give one pair per value.
 */
export function canonicalQueryString(search: string): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return "";
  const pairs: QueryPair[] = [];
  for (const piece of query.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    const rawName = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? "" : piece.slice(eq + 1);
    pairs.push({ name: percentDecodeBytes(rawName, true), value: percentDecodeBytes(rawValue, true) });
  }
  pairs.sort((a, b) => Buffer.compare(a.name, b.name) || Buffer.compare(a.value, b.value));
  return pairs.map((p) => `${percentEncodeBytes(p.name)}=${percentEncodeBytes(p.value)}`).join("&");
}

/**
 * A header value as signed: leading and trailing spaces and tabs removed (HTTP drops them on
 * the wire, RFC 9110 §5.5, so the gateway never sees them). Inner whitespace is kept.
 */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, "");
}
