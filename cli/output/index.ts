/**
 * Output. `table` and `wide` are for people (fit the terminal, colours only on a terminal); `json`,
 * `jsonl`, `csv` and `yaml` are for scripts: the fields of `RECORD_FIELDS` (or `--fields`), in that
 * order, never coloured.
 */
export { chunkWriter, csvCell, formatJob, type JobListWriter, jobListWriter, type ListFormat, MACHINE_FORMATS, type MachineFormat, plainJob, writeJobList } from "./formats";
export { fitColumns, renderJobDetail, renderJobTable, SHORT_ID_LENGTH, truncateEnd, truncateStatus, wrapWords } from "./table";
export { colorEnabled, type Colors, colorsFor, outputWidth, paintPhase, relativeAge, runTime, safeText, shortTime } from "./terminal";
