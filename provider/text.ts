/**
 * Text from a server, fit to show: C0 and C1 control characters (terminal escape sequences among
 * them, and newlines) become spaces, so a job name or an error message cannot clear a screen, move
 * a cursor, retitle a window or forge a log line. Imports nothing: the CLI loads it at start.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, " ");
}
