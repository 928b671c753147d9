/** The HTTP layer: below credentials (auth/ builds on it), above undici. */
export { attemptSignal, type CallContext, DeadlineReached, linkedSignal, type LinkedSignal, newCallContext, sleep } from "./call";
export { createDispatcher, type PoolOptions } from "./pool";
export { redact, readErrorBody, REDACTED, serverText } from "./responseErrors";
export { backoffDelay, DEFAULT_RETRY, parseRetryAfter, RETRYABLE_STATUS, type RetryPolicy } from "./retry";
export { DEFAULT_MAX_RESPONSE_BYTES, type RequestLogEvent, type RequestLogger, Transport, type TransportOptions } from "./transport";
export type { ApiRequest, ApiResponse, Authenticator, OutgoingRequest } from "./types";
