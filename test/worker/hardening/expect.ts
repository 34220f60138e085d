import { expect } from "vitest";
import { ApiError, describeError, type ErrorCode } from "../../../shared/errors";

/**
 * What every refused request must answer: the status its code carries, the shared error body (code,
 * the plain words a person reads, what to do, the request id to quote), and the named field when
 * one is at fault — never a stack, a token or a raw exception.
 */
export interface Refusal {
  status: number;
  code: ErrorCode;
  /** The words a person reads */
  words: RegExp;
  /** A field the error must name */
  field?: string;
}

export function expectRefusal(
  res: { status: number; body: unknown; headers: Headers },
  want: Refusal,
): ApiError["error"] {
  const parsed = ApiError.safeParse(res.body);
  expect(parsed.success, `an ApiError body, got ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
  const error = parsed.data!.error;
  expect({ status: res.status, code: error.code }).toEqual({ status: want.status, code: want.code });
  expect(error.message).toMatch(want.words);
  // the words are the vocabulary's own, filled with the detail: one source for badge and API
  expect(error.message).toBe(describeError(want.code, error.detail, "en").message);
  expect(error.action.length).toBeGreaterThan(10);
  expect(error.requestId).toBe(res.headers.get("x-request-id"));
  if (want.field) expect(Object.keys(error.fields ?? {}), `fields of ${JSON.stringify(error)}`).toContain(want.field);
  expect(JSON.stringify(error)).not.toMatch(/\bat [\w$.]+ \(|node_modules|tbs_[A-Za-z0-9_-]{20}/);
  return error;
}
