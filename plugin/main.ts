/**
 * `pulumi-resource-otcjobs <engine-address>`: started by the engine in the program's directory. The
 * first stdout line is the port, and nothing else is ever written to stdout. The environment holds
 * the decrypted stack config (`PULUMI_CONFIG`): it is never logged.
 */
import * as grpc from "@grpc/grpc-js";
import { MAX_MESSAGE_BYTES, OtcJobsProvider, serviceDefinition } from "./server";
import { PLUGIN_VERSION } from "./version";

export async function main(argv: string[]): Promise<void> {
  // The engine may add `--logtostderr`, `-v=N`, `--tracing <endpoint>`; the address is the first other argument.
  const positional = argv.filter((a, i) => !a.startsWith("-") && argv[i - 1] !== "--tracing");
  const provider = new OtcJobsProvider({ version: PLUGIN_VERSION, engineAddress: positional[0], env: process.env });
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(serviceDefinition(), provider.handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  process.stdout.write(`${port}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // In-flight gates end (aborted), then the server drains; a stuck client is cut after 2 s.
    const force = setTimeout(() => server.forceShutdown(), 2000);
    force.unref();
    void provider.shutdown().then(() =>
      server.tryShutdown(() => {
        clearTimeout(force);
        process.exit(0);
      }),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  watchParent(stop);
}

/**
 * Ends the plugin when the engine that started it is gone (killed, crashed): the engine never gets
 * to stop it then, and an orphan would hold its port and its gates forever. Re-parenting changes
 * `process.ppid` (it is read afresh each time); unref'd, so the check never keeps the process alive.
 */
export function watchParent(stop: () => void, everyMs = 1000): NodeJS.Timeout {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent || !alive(parent)) {
      clearInterval(timer);
      stop();
    }
  }, everyMs);
  timer.unref();
  return timer;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

