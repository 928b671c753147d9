/**
 * Acting as Pulumi's engine without the CLI: a fake Engine service (logs collected), a provider
 * process spawned as the engine spawns plugins (argv `[engineAddress]`, cwd = the program's
 * directory, port on the first stdout line), and a client with Pulumi's 400 MiB message limit.
 * Shared by the dynamic-provider host harness and the native plugin's conformance suite.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";

export { Struct, Empty };
export * as pb from "@pulumi/pulumi/proto/provider_pb";
export * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";

export const MAX_MESSAGE = 400 * 1024 * 1024;

export interface EngineLog {
  severity: number;
  message: string;
  urn: string;
  ephemeral: boolean;
}

export interface FakeEngine {
  address: string;
  logs: EngineLog[];
  close(): Promise<void>;
}

export async function startFakeEngine(): Promise<FakeEngine> {
  const logs: EngineLog[] = [];
  const server = new grpc.Server();
  const impl: engineRpc.IEngineServer = {
    log(call, cb) {
      const r = call.request;
      logs.push({ severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn(), ephemeral: r.getEphemeral() });
      cb(null, new Empty());
    },
    getRootResource(_call, cb) {
      cb(null, new enginePb.GetRootResourceResponse());
    },
    setRootResource(_call, cb) {
      cb(null, new enginePb.SetRootResourceResponse());
    },
    startDebugging(_call, cb) {
      cb(null, new Empty());
    },
    requirePulumiVersion(_call, cb) {
      cb(null, new enginePb.RequirePulumiVersionResponse());
    },
  };
  server.addService(engineRpc.EngineService, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

export interface ProviderProcess {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawn to the port on stdout. */
  startupMs: number;
  stderr(): string;
  /** Everything written to stdout after the port line (must stay empty: stdout is the engine's). */
  stdoutAfterPort(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a provider as the engine does and reads its port from the first stdout line. */
export async function spawnProvider(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ProviderProcess> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  let out = "";
  child.stderr!.on("data", (d) => (err += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port within 20 s; stderr: ${err}`)), 20_000);
    child.stdout!.on("data", (d) => {
      out += String(d);
      const nl = out.indexOf("\n");
      if (nl >= 0 && timer) {
        clearTimeout(timer);
        const first = out.slice(0, nl).trim();
        if (!/^\d+$/.test(first)) reject(new Error(`first stdout line is not a port: ${JSON.stringify(first)}`));
        resolve(Number(first));
      }
    });
    void exited.then(({ code }) => reject(new Error(`exited (${code}) before printing a port; stderr: ${err}`)));
  });
  const startupMs = Date.now() - started;
  return {
    child,
    port,
    startupMs,
    stderr: () => err,
    stdoutAfterPort: () => out.slice(out.indexOf("\n") + 1),
    exited,
  };
}

export type Rpc = <Req, Res>(method: string, req: Req, deadlineMs?: number) => Promise<Res>;

export function providerClient(port: number): { client: providerRpc.ResourceProviderClient; rpc: Rpc; close(): void } {
  const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": MAX_MESSAGE,
    "grpc.max_send_message_length": MAX_MESSAGE,
  });
  const rpc: Rpc = (method, req, deadlineMs = 60_000) =>
    new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!;
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (e: unknown, r: unknown) => (e ? reject(e) : resolve(r as never)));
    });
  return { client, rpc, close: () => client.close() };
}

/** A struct from plain JSON (the engine's view of property values). */
export function struct(v: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(v as never);
}
