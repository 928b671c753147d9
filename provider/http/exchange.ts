/**
 * One HTTP request and its whole response, read through undici's dispatch interface: the body's
 * chunks are counted and kept as they arrive and decoded once, with no response stream, async
 * iterator or per-request abort wiring in between (what `undici.request` adds, and what a listing
 * pays per page). Bounded: a body announced or growing past `maxBytes` aborts the request.
 */
import type { Dispatcher } from "undici";

export interface Exchanged {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as UTF-8 text ("" when empty). */
  text: string;
}

export interface ExchangeOptions {
  dispatcher: Dispatcher;
  url: URL;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Aborts the request; the promise rejects with the signal's reason. */
  signal: AbortSignal;
  /** undici's own header and body timeouts (the attempt's timer is the signal). */
  timeoutMs: number;
  maxBytes: number;
  /** The error to reject with when the body is too large. */
  tooLarge: () => Error;
}

export function exchange(o: ExchangeOptions): Promise<Exchanged> {
  return new Promise<Exchanged>((resolve, reject) => {
    let abortRequest: ((reason: Error) => void) | undefined;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error: unknown, value?: Exchanged): void => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener("abort", onAbort);
      if (value) resolve(value);
      else reject(error);
    };
    /** Ends the request with `error` (what the caller sees), whatever undici reports after. */
    const fail = (error: Error): void => {
      settle(error);
      abortRequest?.(error);
    };
    const onAbort = (): void => fail(o.signal.reason as Error);
    if (o.signal.aborted) return reject(o.signal.reason);
    o.signal.addEventListener("abort", onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        abortRequest = (reason) => controller.abort(reason);
        if (settled) controller.abort(new Error("request ended before it was sent"));
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        if (settled) return;
        status = statusCode;
        headers = responseHeaders;
        if (Number(responseHeaders["content-length"]) > o.maxBytes) fail(o.tooLarge());
      },
      onResponseData(_controller, chunk) {
        if (settled) return;
        size += chunk.length;
        if (size > o.maxBytes) return fail(o.tooLarge());
        chunks.push(chunk);
      },
      onResponseEnd() {
        const text = size === 0 ? "" : chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, size).toString("utf8");
        settle(undefined, { status, headers, text });
      },
      onResponseError(_controller, error) {
        settle(error);
      },
    };
    try {
      o.dispatcher.dispatch(
        {
          origin: o.url.origin,
          path: o.url.pathname + o.url.search,
          method: o.method,
          headers: o.headers,
          body: o.body,
          headersTimeout: o.timeoutMs,
          bodyTimeout: o.timeoutMs,
        },
        handler,
      );
    } catch (e) {
      settle(e);
    }
  });
}
