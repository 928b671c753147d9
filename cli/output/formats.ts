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

/** What `jobListWriter` writes: a machine format, or `ids` (`-q`: one id a line). */
export type ListFormat = MachineFormat | "ids";

/**
 * A list written as its jobs arrive (a page at a time), never held whole: `json` an array (opened by the
 * first jobs, closed by `end`), `jsonl` one object a line, `csv` rows under a header, `yaml` a sequence,
 * `ids` one id a line. `end` must be called once, also after a failure, so a JSON array that was begun is
 * closed; an empty list prints `[]` or the CSV header. The bytes are the same whether the jobs came in
 * one call or many.
 */
export interface JobListWriter {
  write(jobs: readonly JobRecord[]): Promise<void> | void;
  /** `failed`: the listing broke off; a list already begun is still closed, an empty one not printed. */
  end(failed?: boolean): Promise<void> | void;
  /** Jobs written so far. */
  readonly count: number;
}

export function jobListWriter(io: Io, format: ListFormat, opts: FormatOptions = {}): JobListWriter {
  const fields = opts.fields?.length ? opts.fields : RECORD_FIELDS;
  const out = chunkWriter(io.stdout);
  // `yaml` is loaded only for -o yaml, when the first jobs come.
  let toYaml: ((value: unknown) => string) | undefined;
  let count = 0;
  let ended = false;
  const csvHeader = () => (format === "csv" && opts.headers !== false ? `${fields.join(",")}\n` : "");
  // Records are built with exactly RECORD_FIELDS, in order (and `problems` only when there are any;
  // tests/cli/output.test.ts holds the record builders to that): with every field wanted, a record
  // is its own JSON object, with no copy per job.
  const allFields = fields === RECORD_FIELDS;
  const json = (j: JobRecord): string => JSON.stringify(allFields && j.problems === undefined ? j : plainJob(j, fields));
  const render = (part: readonly JobRecord[], first: boolean): string => {
    switch (format) {
      case "json": {
        let text = first ? "[\n  " : ",\n  ";
        for (let i = 0; i < part.length; i++) text += (i ? ",\n  " : "") + json(part[i]!);
        return text;
      }
      case "jsonl": {
        let text = "";
        for (const j of part) text += `${json(j)}\n`;
        return text;
      }
      case "csv":
        return `${first ? csvHeader() : ""}${part.map((j) => `${csvLine(j, fields)}\n`).join("")}`;
      case "yaml":
        return toYaml!(part.map((j) => plainJob(j, fields)));
      case "ids":
        return part.map((j) => `${j.id}\n`).join("");
    }
  };
  return {
    get count() {
      return count;
    },
    async write(jobs) {
      if (ended) throw new Error("jobListWriter: write after end");
      if (format === "yaml" && !toYaml) toYaml = (await import("yaml")).stringify;
      // Chunks of at most 500 jobs: a held list of a million is written without becoming one string.
      for (let i = 0; i < jobs.length; i += CHUNK) {
        const part = jobs.length <= CHUNK ? jobs : jobs.slice(i, i + CHUNK);
        const text = render(part, count === 0);
        count += part.length;
        await out.write(text);
      }
    },
    async end(failed = false) {
      if (ended) return;
      ended = true;
      // A listing that failed before its first job prints nothing (not an empty list that looks complete).
      if (failed && !count) return;
      if (format === "json") await out.write(count ? "\n]\n" : "[]\n");
      else if (format === "yaml" && !count) await out.write("[]\n");
      else if (format === "csv" && !count && csvHeader()) await out.write(csvHeader());
    },
  };
}

const CHUNK = 500;

/** Writes `jobs` as a list in `format`: `json` an array, `jsonl` one object a line, `csv` rows, `yaml` a sequence. */
export async function writeJobList(io: Io, format: ListFormat, jobs: readonly JobRecord[], opts: FormatOptions = {}): Promise<void> {
  const writer = jobListWriter(io, format, opts);
  await writer.write(jobs);
  await writer.end();
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
