/**
 * How the emulator writes its replies, where the reference allows more than one shape. The
 * defaults speak the whole reference (local offsets, Huawei Cloud's `job_action`, `error_msg` only on
 * failed DRS jobs as in OTC's example); a test switches one shape on or off to see the client read it.
 */

export interface ShapeOptions {
  /**
   * UTC offsets DDM and DDS times are written with, one per job (chosen by its id). The references
   * show `+0000`, `+0100` (Central European time) and `+0800` (Beijing). Default all three.
   */
  timeOffsets?: string[];
  /** Huawei Cloud's `job_action` object on DRS jobs and children. Default true. */
  drsJobAction?: boolean;
  /**
   * How an empty optional text is sent: `""` (DDM's and DDS's examples), `null` (as Huawei's SDK
   * models allow any field to be), or left out. Applies to DDM `fail_reason`, `database_name`,
   * `process`; DDS `progress`, `fail_reason`; DRS `description`. Default `""`.
   */
  emptyText?: "empty" | "null" | "omit";
  /** DRS `error_msg` on jobs that have not failed: left out (OTC's example; default) or `""`. */
  drsErrorMsgWhenEmpty?: "omit" | "empty";
}

export interface ResolvedShapes {
  timeOffsets: readonly string[];
  drsJobAction: boolean;
  emptyText: "empty" | "null" | "omit";
  drsErrorMsgWhenEmpty: "omit" | "empty";
}

const OFFSET = /^[+-](0\d|1[0-4])[0-5]\d$/;

export function resolveShapes(opts: ShapeOptions = {}): ResolvedShapes {
  const timeOffsets = opts.timeOffsets ?? ["+0000", "+0100", "+0800"];
  if (!Array.isArray(timeOffsets) || timeOffsets.length === 0 || !timeOffsets.every((o) => OFFSET.test(o))) {
    throw new TypeError(`shapes.timeOffsets must be a non-empty list of offsets like "+0100", got ${JSON.stringify(timeOffsets)}`);
  }
  const emptyText = opts.emptyText ?? "empty";
  if (!["empty", "null", "omit"].includes(emptyText)) throw new TypeError(`shapes.emptyText must be empty, null or omit, got ${String(emptyText)}`);
  const drsErrorMsgWhenEmpty = opts.drsErrorMsgWhenEmpty ?? "omit";
  if (!["omit", "empty"].includes(drsErrorMsgWhenEmpty)) throw new TypeError(`shapes.drsErrorMsgWhenEmpty must be omit or empty, got ${String(drsErrorMsgWhenEmpty)}`);
  return { timeOffsets: [...timeOffsets], drsJobAction: opts.drsJobAction ?? true, emptyText, drsErrorMsgWhenEmpty };
}

export const DEFAULT_SHAPES: ResolvedShapes = resolveShapes();

/** A small stable hash of a job id, to spread shapes over jobs deterministically. */
export function idHash(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  return h >>> 0;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** `ms` as wall time at `offset` (`+0800`), written `yyyy-mm-ddThh:mm:ss+0800` as DDM and DDS do. */
export function offsetTimeAt(ms: number, offset: string): string {
  const sign = offset[0] === "-" ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const d = new Date(ms + minutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${offset}`;
}

/** The offset a job's times are written with. */
export function offsetFor(id: string, shapes: ResolvedShapes): string {
  return shapes.timeOffsets[idHash(id) % shapes.timeOffsets.length]!;
}

/** Sets an optional text field on a reply object the way `emptyText` says. */
export function putText(target: Record<string, unknown>, key: string, value: string, shapes: ResolvedShapes): void {
  if (value !== "" || shapes.emptyText === "empty") target[key] = value;
  else if (shapes.emptyText === "null") target[key] = null;
}
