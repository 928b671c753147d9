/**
 * The zod schema of a throttle config, in a module of its own that no public declaration imports:
 * the emulator's `.d.ts` files name no zod type.
 */
import { z } from "zod";

export const throttleConfigSchema = z.strictObject({
  requestsPerSecond: z.number().positive().max(1_000_000),
  burst: z.number().int().min(1).max(1_000_000).optional(),
  retryAfter: z.boolean().optional(),
});
