/**
 * `npm run emulator` (node dist/emulator/main.js [flags]): the same command as `otc-jobs emulator`,
 * with the same flags, banner and `--print-env`, so the two never drift.
 */
import { main as cli } from "../cli/main";

if (require.main === module) {
  cli(["emulator", ...process.argv.slice(2)]).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`emulator: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
