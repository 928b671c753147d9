/**
 * The transport's retry gate (`CallContext.beforeRetry`, which a listing's window uses to hold a
 * throttled page's retry until it has a slot), over real HTTP on loopback, plus the exchange's
 * bounded body read with several chunks.
 */
import { createClient } from "../../provider";
import { OtcApiError } from "../../provider/errors";
import { json, scriptedServer } from "../helpers/scripted-server";

const projectId = "0123456789abcdef0123456789abcdef";

describe("retry gate", () => {
  it("is awaited once per retry, after the backoff, and the retry then goes out", async () => {
    let n = 0;
    const server = await scriptedServer((_req, res) => (n++ === 0 ? json(res, 503, { error_code: "SYS.0503", error_msg: "busy" }) : json(res, 200, { ok: true })));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { baseDelayMs: 1 } });
    const order: string[] = [];
    const call = client.newCall("ddm", "ListJobs");
    try {
      const res = await client.send(
        { method: "GET", url: client.url("ddm", "/v3/x/jobs") },
        {
          ...call,
          onAttempt: (a) => order.push(`attempt ${a.status}`),
          beforeRetry: async () => {
            order.push(`gate (${server.requests.length} sent)`);
          },
        },
      );
      expect(res.json).toEqual({ ok: true });
      expect(order).toEqual(["attempt 503", "gate (1 sent)", "attempt 200"]);
    } finally {
      call.dispose();
      await client.close();
      await server.close();
    }
  });

  it("a gate that refuses ends the call with the last attempt's error, and nothing more is sent", async () => {
    const server = await scriptedServer((_req, res) => json(res, 503, { error_code: "SYS.0503", error_msg: "busy" }));
    const client = createClient({ projectId, token: "t", endpoint: server.url, retry: { baseDelayMs: 1 } });
    const call = client.newCall("ddm", "ListJobs");
    try {
      const sent = client.send({ method: "GET", url: client.url("ddm", "/v3/x/jobs") }, { ...call, beforeRetry: () => Promise.reject(new Error("listing ended")) });
      await expect(sent).rejects.toBeInstanceOf(OtcApiError);
      await expect(sent).rejects.toMatchObject({ status: 503, attempts: 1 });
      expect(server.requests).toHaveLength(1);
    } finally {
      call.dispose();
      await client.close();
      await server.close();
    }
  });
});

describe("exchange", () => {
  it("a body in many chunks is read whole, and one byte over maxResponseBytes is refused", async () => {
    const body = JSON.stringify({ jobs: Array.from({ length: 400 }, (_, i) => ({ id: `job-${i}`, text: "x".repeat(100) })) });
    const server = await scriptedServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // Chunked, no Content-Length: only the running count can stop it.
      const text = req.url.includes("big") ? `${body} ` : body;
      for (let i = 0; i < text.length; i += 1000) res.write(text.slice(i, i + 1000));
      res.end();
    });
    const client = createClient({ projectId, token: "t", endpoint: server.url, maxResponseBytes: Buffer.byteLength(body) });
    const call = client.newCall("ddm", "ListJobs");
    try {
      const ok = await client.send({ method: "GET", url: client.url("ddm", "/ok") }, call);
      expect((ok.json as { jobs: unknown[] }).jobs).toHaveLength(400);
      await expect(client.send({ method: "GET", url: client.url("ddm", "/big") }, call)).rejects.toMatchObject({ name: "ResponseTooLargeError" });
    } finally {
      call.dispose();
      await client.close();
      await server.close();
    }
  });
});
