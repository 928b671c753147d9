/**
 * Machine formats of `JobRecord`s (`json`, `jsonl`, `csv`, `yaml`), written in chunks as they are
 * made, with the stream's back-pressure honoured: a million jobs never become one string.
 */
import type { JobRecord, RecordField } from "../../provider/records";
import { RECORD_FIELDS } from "../../provider/records";
import type { Io } from "../context";

export const MACHINE_FORMATS = ["json", "jsonl", "csv", "yaml"] as const;
export type MachineFormat = (typeof MACHINE_FORMATS)[number];

/** Plain objects with exactly `fields` (default `RECORD_FIELDS`), in order. */
export function plainJob(job: JobRecord, fields: readonly RecordField[] = RECORD_FIELDS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) out[f] = job[f];
  return out;
}

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab
 * or carriage return first) gets a leading `'`: server text must not become `=cmd|...`.
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) || /^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(job: JobRecord, fields: readonly RecordField[]): string {
  return fields.map((f) => csvCell(job[f])).join(",");
}

export interface FormatOptions {
  fields?: readonly RecordField[];
  /** csv: no header row. */
  headers?: boolean;
}

/** A writer that waits for `drain` when the stream's buffer is full. */
export function chunkWriter(out: Io["stdout"]): { write(text: string): Promise<void> | void } {
  return {
    write(text: string) {
      const stream = out as NodeJS.WritableStream & { writableNeedDrain?: boolean };
      if (stream.write(text) || typeof stream.once !== "function") return;
      return new Promise<void>((resolve) => stream.once("drain", () => resolve()));
    },
  };
}

/** Writes `jobs` as a list in `format`: `json` an array, `jsonl` one object a line, `csv` rows, `yaml` a sequence. */
export async function writeJobList(io: Io, format: MachineFormat, jobs: readonly JobRecord[], opts: FormatOptions = {}): Promise<void> {
  const fields = opts.fields?.length ? opts.fields : RECORD_FIELDS;
  const out = chunkWriter(io.stdout);
  const CHUNK = 500;
  const toYaml = format === "yaml" ? (await import("yaml")).stringify : undefined;
  if (format === "json") await out.write(jobs.length ? "[\n" : "[]\n");
  if (format === "csv" && opts.headers !== false) await out.write(`${fields.join(",")}\n`);
  if (format === "yaml" && !jobs.length) await out.write("[]\n");
  for (let i = 0; i < jobs.length; i += CHUNK) {
    const part = jobs.slice(i, i + CHUNK);
    let text: string;
    switch (format) {
      case "json":
        text = part.map((j, k) => `  ${JSON.stringify(plainJob(j, fields))}${i + k === jobs.length - 1 ? "\n]\n" : ",\n"}`).join("");
        break;
      case "jsonl":
        text = part.map((j) => `${JSON.stringify(plainJob(j, fields))}\n`).join("");
        break;
      case "csv":
        text = part.map((j) => `${csvLine(j, fields)}\n`).join("");
        break;
      case "yaml":
        text = toYaml!(part.map((j) => plainJob(j, fields)));
        break;
    }
    await out.write(text);
  }
}

/** One job in `format`: `json`/`yaml` an object, `jsonl` one line, `csv` a header and a row. */
export async function formatJob(format: MachineFormat, job: JobRecord, opts: FormatOptions = {}): Promise<string> {
  const fields = opts.fields?.length ? opts.fields : RECORD_FIELDS;
  switch (format) {
    case "json":
      return `${JSON.stringify(plainJob(job, fields), null, 2)}\n`;
    case "jsonl":
      return `${JSON.stringify(plainJob(job, fields))}\n`;
    case "csv":
      return `${opts.headers === false ? "" : `${fields.join(",")}\n`}${csvLine(job, fields)}\n`;
    case "yaml":
      return (await import("yaml")).stringify(plainJob(job, fields));
  }
}
