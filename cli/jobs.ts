/**
 * The CLI prints the core's `JobRecord` (provider/records.ts): one flat shape for the three services.
 */
export { RECORD_FIELDS as JOB_FIELDS, ddmRecord as fromDdm, ddsRecord as fromDds, drsRecord as fromDrs, newestFirst, type JobRecord as CliJob } from "../provider";
