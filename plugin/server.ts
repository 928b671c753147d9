/**
 * The `otcjobs` ResourceProvider service: the five functions (Invoke) and `otcjobs:index:JobGate`
 * (Check, Diff, Create, Read, Update, Delete) over gRPC, plus the engine's plumbing (Handshake,
 * GetPluginInfo, GetSchema, CheckConfig, Configure, Cancel, Attach). Our own service rather than
 * `@pulumi/pulumi/provider`'s `main()`, which drops Configure's arguments and lacks Handshake and
 * CheckConfig. The core (zod, undici) loads on the first call, so the port is printed quickly.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { Client } from "../provider/client";
import type { Settings } from "../provider/config";
import { encodeInvokeReturn } from "./struct";
import { containsSecret, containsUnknown, fromStruct, isWrappedSecret, type Plain, toStruct, unwrapSecrets, wrapFields, wrapSecret } from "./wire";

/**
 * The service definition, with Invoke's response serializer also taking the bytes of a response
 * already encoded (a large result, written by ./struct without building message objects).
 */
export function serviceDefinition(): grpc.ServiceDefinition {
  const base = providerRpc.ResourceProviderService;
  return {
    ...base,
    invoke: {
      ...base.invoke,
      responseSerialize: (r: pb.InvokeResponse | Buffer) => (Buffer.isBuffer(r) ? r : Buffer.from(r.serializeBinary())),
    },
  } as grpc.ServiceDefinition;
}

export const GATE_TYPE = "otcjobs:index:JobGate";
/** Pulumi's own limit; a 20,000-job result is about 8 MB, twice gRPC's default. */
export const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** The core, loaded on first use (zod and undici cost ~100 ms; the engine waits for the port). */
function core() {
  return {
    functions: require("../provider/functions/table") as typeof import("../provider/functions/table"),
    gate: require("../provider/gate") as typeof import("../provider/gate"),
    config: require("../provider/config") as typeof import("../provider/config"),
    client: require("../provider/client") as typeof import("../provider/client"),
    errors: require("../provider/errors") as typeof import("../provider/errors"),
    pluginConfig: require("./config") as typeof import("./config"),
    schema: require("./schema") as typeof import("./schema"),
    redact: (require("../provider/http/responseErrors") as typeof import("../provider/http/responseErrors")).redact,
  };
}

type Callback<T> = grpc.sendUnaryData<T>;

function failure(property: string, reason: string): pb.CheckFailure {
  const f = new pb.CheckFailure();
  f.setProperty(property);
  f.setReason(reason);
  return f;
}

function grpcError(e: unknown, code = grpc.status.UNKNOWN): grpc.ServiceError {
  const message = e instanceof Error ? e.message : String(e);
  return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() }) as grpc.ServiceError;
}

function typeOfUrn(urn: string): string {
  // urn:pulumi:<stack>::<project>::<qualified type>::<name>; the last segment of the type is ours.
  const type = urn.split("::")[2] ?? "";
  return type.split("$").at(-1) ?? type;
}


/** Every text inside the engine's secret wrappers: what no message of ours may quote. */
function secretTexts(v: unknown, inSecret = false): string[] {
  if (isWrappedSecret(v)) return secretTexts(v.value, true);
  if (typeof v === "string") return inSecret ? [v] : [];
  if (typeof v === "number") return inSecret ? [String(v)] : [];
  if (Array.isArray(v)) return v.flatMap((e) => secretTexts(e, inSecret));
  if (v && typeof v === "object") return Object.values(v).flatMap((e) => secretTexts(e, inSecret));
  return [];
}

function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets.length ? core().redact(text, secrets) : text;
}

/**
 * A gate's state, with `jobs` wrapped as a secret when a selecting input is (the engine no longer
 * re-marks outputs once a provider accepts secrets): secret `jobIds` stay secret in `jobs[].id`.
 */
function secretState(inputs: Plain, outs: import("../provider/gate").GateOutputs): Plain {
  const { gate } = core();
  const state = gate.gateState(inputs, outs) as Plain;
  const secretSelection = gate.SELECTING_GATE_INPUTS.some((k) => containsSecret(inputs[k]));
  return secretSelection ? { ...state, jobs: wrapSecret(state.jobs) } : state;
}

export interface ProviderState {
  version: string;
  engineAddress?: string;
  env: Record<string, string | undefined>;
}

export class OtcJobsProvider {
  private settings: Settings | undefined;
  private readonly clients = new Map<string, Client>();
  private readonly running = new Set<AbortController>();
  private engine: engineRpc.EngineClient | undefined;

  constructor(private readonly state: ProviderState) {}

  /** The handlers, typed against the service definition. */
  handlers(): providerRpc.IResourceProviderServer {
    return {
      handshake: this.handshake,
      parameterize: this.parameterize,
      getSchema: this.getSchema,
      checkConfig: this.checkConfig,
      diffConfig: this.diffConfig,
      configure: this.configure,
      invoke: this.invoke,
      call: this.call,
      check: this.check,
      diff: this.diff,
      create: this.create,
      read: this.read,
      list: this.list,
      update: this.update,
      delete: this.delete,
      construct: this.construct,
      cancel: this.cancel,
      getPluginInfo: this.getPluginInfo,
      attach: this.attach,
      getMapping: this.getMapping,
      getMappings: this.getMappings,
    };
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  handshake = (call: grpc.ServerUnaryCall<pb.ProviderHandshakeRequest, pb.ProviderHandshakeResponse>, cb: Callback<pb.ProviderHandshakeResponse>) => {
    if (call.request.getEngineAddress()) this.setEngine(call.request.getEngineAddress());
    const res = new pb.ProviderHandshakeResponse();
    res.setAcceptSecrets(true);
    res.setAcceptResources(true);
    res.setAcceptOutputs(false);
    cb(null, res);
  };

  getPluginInfo = (_call: grpc.ServerUnaryCall<Empty, pluginPb.PluginInfo>, cb: Callback<pluginPb.PluginInfo>) => {
    const info = new pluginPb.PluginInfo();
    info.setVersion(this.state.version);
    cb(null, info);
  };

  getSchema = (call: grpc.ServerUnaryCall<pb.GetSchemaRequest, pb.GetSchemaResponse>, cb: Callback<pb.GetSchemaResponse>) => {
    const res = new pb.GetSchemaResponse();
    if (call.request.getVersion() > 0) return cb(grpcError(`schema version ${call.request.getVersion()} is not served`, grpc.status.INVALID_ARGUMENT));
    res.setSchema(JSON.stringify(core().schema.buildSchema(this.state.version)));
    cb(null, res);
  };

  checkConfig = (call: grpc.ServerUnaryCall<pb.CheckRequest, pb.CheckResponse>, cb: Callback<pb.CheckResponse>) => {
    const { inputs, failures } = core().pluginConfig.checkConfig(fromStruct(call.request.getNews()));
    const res = new pb.CheckResponse();
    res.setInputs(toStruct(inputs));
    res.setFailuresList(failures.map((f) => failure(f.property, f.reason)));
    cb(null, res);
  };

  diffConfig = (call: grpc.ServerUnaryCall<pb.DiffRequest, pb.DiffResponse>, cb: Callback<pb.DiffResponse>) => {
    const olds = JSON.stringify(unwrapSecrets(fromStruct(call.request.getOldInputs() ?? call.request.getOlds())));
    const news = fromStruct(call.request.getNews());
    const res = new pb.DiffResponse();
    res.setChanges(containsUnknown(news) || olds !== JSON.stringify(unwrapSecrets(news)) ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE);
    cb(null, res);
  };

  configure = (call: grpc.ServerUnaryCall<pb.ConfigureRequest, pb.ConfigureResponse>, cb: Callback<pb.ConfigureResponse>) => {
    try {
      const c = core().pluginConfig;
      const variables = new Map(call.request.getVariablesMap().entries());
      // Stack config from the request first; PULUMI_CONFIG (the same config, set at launch) fills gaps.
      this.settings = { ...c.settingsFromEnvironment(this.state.env), ...c.settingsFromConfigure(fromStruct(call.request.getArgs()), variables) };
      void this.closeClients();
      const res = new pb.ConfigureResponse();
      res.setAcceptsecrets(true);
      // Create and Update get `preview: true` in previews; they answer without waiting (see gatePreviewState).
      res.setSupportspreview(true);
      res.setAcceptresources(true);
      res.setAcceptoutputs(false);
      cb(null, res);
    } catch (e) {
      cb(grpcError(e, grpc.status.INVALID_ARGUMENT));
    }
  };

  cancel = (_call: grpc.ServerUnaryCall<Empty, Empty>, cb: Callback<Empty>) => {
    this.abortAll("canceled by the engine");
    cb(null, new Empty());
  };

  attach = (call: grpc.ServerUnaryCall<pluginPb.PluginAttach, Empty>, cb: Callback<Empty>) => {
    this.setEngine(call.request.getAddress());
    cb(null, new Empty());
  };

  getMapping = (_call: grpc.ServerUnaryCall<pb.GetMappingRequest, pb.GetMappingResponse>, cb: Callback<pb.GetMappingResponse>) => cb(null, new pb.GetMappingResponse());
  getMappings = (_call: grpc.ServerUnaryCall<pb.GetMappingsRequest, pb.GetMappingsResponse>, cb: Callback<pb.GetMappingsResponse>) => cb(null, new pb.GetMappingsResponse());
  parameterize = (_call: unknown, cb: Callback<pb.ParameterizeResponse>) => cb(grpcError("otcjobs takes no parameters", grpc.status.UNIMPLEMENTED));
  construct = (_call: unknown, cb: Callback<pb.ConstructResponse>) => cb(grpcError("otcjobs has no component resources", grpc.status.UNIMPLEMENTED));
  call = (_call: unknown, cb: Callback<pb.CallResponse>) => cb(grpcError("otcjobs has no methods", grpc.status.UNIMPLEMENTED));
  list = (call: grpc.ServerWritableStream<pb.ListRequest, pb.ListResponse>) => call.emit("error", grpcError("List is not supported", grpc.status.UNIMPLEMENTED));

  // ---- functions -----------------------------------------------------------------------------------

  invoke = (call: grpc.ServerUnaryCall<pb.InvokeRequest, pb.InvokeResponse>, cb: Callback<pb.InvokeResponse>) => {
    void this.track(async (signal) => {
      const { functions, errors } = core();
      const fn = functions.functionByToken(call.request.getTok());
      if (!fn) throw grpcError(`unknown function ${call.request.getTok()}; otcjobs serves ${functions.FUNCTIONS.map((f) => f.token).join(", ")}`, grpc.status.NOT_FOUND);
      const res = new pb.InvokeResponse();
      const raw = fromStruct(call.request.getArgs());
      // An unknown argument (preview): the result is unknown too, and nothing is sent.
      if (containsUnknown(raw)) return res;
      const secret = containsSecret(raw);
      const args = unwrapSecrets(raw);
      const failures = functions.checkFunctionArgs(fn as never, args);
      if (failures.length) {
        res.setFailuresList(failures.map((f) => failure(f.property, f.reason)));
        return res;
      }
      try {
        const result: unknown = await functions.runFunction(fn as never, this.client(), args, signal);
        const plain = JSON.parse(JSON.stringify(result)) as Plain;
        // Encoded directly (see ./struct): google-protobuf takes seconds on a 20,000-job result.
        return encodeInvokeReturn(secret ? wrapFields(plain) : plain) as unknown as pb.InvokeResponse;
      } catch (e) {
        if (e instanceof errors.InvalidArgumentError) res.setFailuresList([failure(e.argument, e.detail)]);
        else throw e;
      }
      return res;
    }, cb, secretTexts(fromStruct(call.request.getArgs())));
  };

  // ---- JobGate -------------------------------------------------------------------------------------

  check = (call: grpc.ServerUnaryCall<pb.CheckRequest, pb.CheckResponse>, cb: Callback<pb.CheckResponse>) => {
    if (!this.isGate(call.request.getUrn(), cb)) return;
    const news = call.request.getNews();
    const res = new pb.CheckResponse();
    // The inputs go back as they came: unknowns stay unknown, secrets stay wrapped.
    res.setInputs(news ?? toStruct({}));
    res.setFailuresList(core().gate.checkGateInputs(fromStruct(news)).map((f) => failure(f.property, f.reason)));
    cb(null, res);
  };

  diff = (call: grpc.ServerUnaryCall<pb.DiffRequest, pb.DiffResponse>, cb: Callback<pb.DiffResponse>) => {
    if (!this.isGate(call.request.getUrn(), cb)) return;
    const oldInputs = fromStruct(call.request.getOldInputs());
    const olds = Object.keys(oldInputs).length ? oldInputs : fromStruct(call.request.getOlds());
    const d = core().gate.diffGateInputs(olds, fromStruct(call.request.getNews()));
    const res = new pb.DiffResponse();
    res.setChanges(d.changes ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE);
    res.setReplacesList(d.replaces);
    res.setDiffsList(d.changed);
    res.setHasdetaileddiff(true);
    const detailed = res.getDetaileddiffMap();
    for (const key of d.changed) {
      const p = new pb.PropertyDiff();
      p.setKind(d.replaces.includes(key) ? pb.PropertyDiff.Kind.UPDATE_REPLACE : pb.PropertyDiff.Kind.UPDATE);
      p.setInputdiff(true);
      detailed.set(key, p);
    }
    res.setDeletebeforereplace(false);
    cb(null, res);
  };

  create = (call: grpc.ServerUnaryCall<pb.CreateRequest, pb.CreateResponse>, cb: Callback<pb.CreateResponse>) => {
    if (!this.isGate(call.request.getUrn(), cb)) return;
    void this.track(async (signal) => {
      const props = fromStruct(call.request.getProperties());
      const { gate } = core();
      if (call.request.getPreview()) {
        // No id in a preview (the engine assigns none); inputs as given, outputs unknown, no request.
        const res = new pb.CreateResponse();
        res.setProperties(toStruct(gate.gatePreviewState(props)));
        return res;
      }
      const outs = await this.runGate(props, call.request.getUrn(), call.request.getTimeout(), signal);
      const res = new pb.CreateResponse();
      res.setId(gate.gateId(gate.parseGateInputs(props)));
      res.setProperties(toStruct(secretState(props, outs)));
      return res;
    }, cb, secretTexts(fromStruct(call.request.getProperties())));
  };

  update = (call: grpc.ServerUnaryCall<pb.UpdateRequest, pb.UpdateResponse>, cb: Callback<pb.UpdateResponse>) => {
    if (!this.isGate(call.request.getUrn(), cb)) return;
    void this.track(async (signal) => {
      const news = fromStruct(call.request.getNews());
      if (call.request.getPreview()) {
        const res = new pb.UpdateResponse();
        res.setProperties(toStruct(core().gate.gatePreviewState(news)));
        return res;
      }
      const outs = await this.runGate(news, call.request.getUrn(), call.request.getTimeout(), signal);
      const res = new pb.UpdateResponse();
      res.setProperties(toStruct(secretState(news, outs)));
      return res;
    }, cb, secretTexts(fromStruct(call.request.getNews())));
  };

  read = (call: grpc.ServerUnaryCall<pb.ReadRequest, pb.ReadResponse>, cb: Callback<pb.ReadResponse>) => {
    if (!this.isGate(call.request.getUrn(), cb)) return;
    void this.track(async (signal) => {
      const { gate, errors } = core();
      const id = call.request.getId();
      const inputs = fromStruct(call.request.getInputs());
      const props = fromStruct(call.request.getProperties());
      // refresh sends the state; `pulumi import` and `JobGate.get` send only the id, which must name the jobs.
      const imported = Object.keys(inputs).length || Object.keys(props).length ? undefined : gate.selectionOfId(id);
      const selection: Plain = imported ?? (Object.keys(inputs).length ? inputs : props);
      if (!imported && !Object.keys(selection).length) {
        throw new errors.InvalidArgumentError("id", "JobGate", `${JSON.stringify(id)} names no jobs: import a gate as <service>:<job-id>[,<job-id>...], e.g. ddm:92370d30-3ddc-4e05-b8ab-51662d824318`);
      }
      const res = new pb.ReadResponse();
      res.setId(id);
      const plain = Object.fromEntries(Object.entries(selection).filter(([k]) => (gate.GATE_INPUT_KEYS as readonly string[]).includes(k)));
      const outs = await gate.readGate(plain, { stackConfig: this.settings, env: this.state.env, signal });
      res.setProperties(toStruct(secretState(selection, outs)));
      if (imported) res.setInputs(toStruct(imported));
      else if (Object.keys(inputs).length) res.setInputs(call.request.getInputs());
      return res;
    }, cb, secretTexts({ ...fromStruct(call.request.getInputs()), ...fromStruct(call.request.getProperties()) }));
  };

  delete = (call: grpc.ServerUnaryCall<pb.DeleteRequest, Empty>, cb: Callback<Empty>) => {
    if (!this.isGate(call.request.getUrn(), cb)) return;
    // A gate only reads: nothing to remove in the cloud.
    cb(null, new Empty());
  };

  // ---- helpers -------------------------------------------------------------------------------------

  private isGate(urn: string, cb: Callback<never>): boolean {
    const type = typeOfUrn(urn);
    if (urn && type !== GATE_TYPE) {
      cb(grpcError(`unknown resource type ${type}; otcjobs serves ${GATE_TYPE}`, grpc.status.INVALID_ARGUMENT));
      return false;
    }
    return true;
  }

  private async runGate(inputs: Plain, urn: string, timeoutSeconds: number, signal: AbortSignal) {
    const { gate, errors } = core();
    // The operation's own timeout (customTimeouts) ends the wait too; own timer, not AbortSignal.timeout.
    const local = new AbortController();
    const onAbort = () => local.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const timer = timeoutSeconds > 0 ? setTimeout(() => local.abort(`the operation's timeout of ${timeoutSeconds} s passed`), timeoutSeconds * 1000) : undefined;
    try {
      return await gate.runGate(inputs, { stackConfig: this.settings, env: this.state.env, signal: local.signal, onProgress: (line) => this.log(urn, redactSecrets(line, secretTexts(inputs))) });
    } catch (e) {
      if (local.signal.aborted && !(e instanceof errors.OtcJobsError && e.code !== "OTCJOBS_ABORTED")) {
        throw new errors.AbortedError(`JobGate (${String(local.signal.reason)})`, e);
      }
      throw e;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Runs one call with an AbortSignal that Cancel and shutdown fire. Its error reaches the engine
   * (and the user's terminal) with the call's secret arguments redacted.
   */
  private async track<T>(work: (signal: AbortSignal) => Promise<T>, cb: Callback<T>, secrets: readonly string[] = []): Promise<void> {
    const controller = new AbortController();
    this.running.add(controller);
    try {
      cb(null, await work(controller.signal));
    } catch (e) {
      const err = (e as grpc.ServiceError).code !== undefined && typeof (e as grpc.ServiceError).code === "number" ? (e as grpc.ServiceError) : grpcError(e);
      if (secrets.length) err.message = err.details = redactSecrets(err.details ?? err.message, secrets);
      cb(err);
    } finally {
      this.running.delete(controller);
    }
  }

  private client(): Client {
    const { config, client } = core();
    const options = config.resolveConfig({ pulumi: this.settings, env: this.state.env }).clientOptions();
    const key = JSON.stringify(options);
    let c = this.clients.get(key);
    if (!c) {
      c = new client.Client(options);
      this.clients.set(key, c);
    }
    return c;
  }

  private setEngine(address: string): void {
    if (!address || address === this.state.engineAddress) return;
    this.engine?.close();
    this.engine = undefined;
    this.state.engineAddress = address;
  }

  /** An ephemeral progress line on the resource, shown live by `pulumi up`. Best effort. */
  private log(urn: string, message: string): void {
    if (!this.state.engineAddress) return;
    this.engine ??= new engineRpc.EngineClient(this.state.engineAddress, grpc.credentials.createInsecure());
    const req = new enginePb.LogRequest();
    req.setSeverity(enginePb.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(urn);
    req.setEphemeral(true);
    this.engine.log(req, () => undefined);
  }

  abortAll(reason: string): void {
    for (const c of this.running) c.abort(reason);
  }

  async closeClients(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close().catch(() => undefined)));
  }

  async shutdown(): Promise<void> {
    this.abortAll("the plugin is shutting down");
    this.engine?.close();
    await this.closeClients();
  }
}
