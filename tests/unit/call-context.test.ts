/**
 * A call's deadline clock: it stops while the caller holds the call's results (pause) and restarts
 * with the time that was left (resume). Fake timers: what is checked is which timer fires, not speed.
 */
import { DeadlineReached, newCallContext } from "../../provider/http/call";

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

test("the deadline fires after deadlineMs of running time, not counting the time paused", () => {
  const call = newCallContext("ddm", "ListJobs", 1_000);
  expect(call.deadlineAt).toBe(1_001_000);
  jest.advanceTimersByTime(600);
  call.pause();
  jest.advanceTimersByTime(5_000);
  expect(call.signal.aborted).toBe(false);
  // While paused the deadline moves on with the clock: a retry in flight sees the time it has left.
  expect(call.deadlineAt - Date.now()).toBe(400);
  call.resume();
  expect(call.deadlineAt).toBe(1_006_000);
  jest.advanceTimersByTime(399);
  expect(call.signal.aborted).toBe(false);
  jest.advanceTimersByTime(1);
  expect(call.signal.aborted).toBe(true);
  expect(call.signal.reason).toBeInstanceOf(DeadlineReached);
  expect((call.signal.reason as DeadlineReached).deadlineMs).toBe(1_000);
  call.dispose();
});

test("pause and resume are idempotent, and do nothing once the call is disposed or ended", () => {
  const call = newCallContext("ddm", "ListJobs", 1_000);
  call.pause();
  call.pause();
  jest.advanceTimersByTime(2_000);
  call.resume();
  call.resume();
  jest.advanceTimersByTime(999);
  expect(call.signal.aborted).toBe(false);
  call.dispose();
  call.pause();
  call.resume();
  jest.advanceTimersByTime(10_000);
  expect(call.signal.aborted).toBe(false);
  expect(jest.getTimerCount()).toBe(0);
});
