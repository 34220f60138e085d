import { TillbridgeError } from "../../shared/errors";

/**
 * One HTTP exchange with the POS, bounded by a timeout. An in-process fetch (tests, the sandbox)
 * may ignore the abort signal, so a timer is raced as well. No retries here.
 */

export interface PosHttpDeps {
  fetch: typeof fetch;
  now: () => Date;
}

export interface PosAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

export async function exchange(
  deps: PosHttpDeps,
  url: string,
  init: RequestInit,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<PosAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const what = `${init.method ?? "GET"} ${new URL(url).pathname}`;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TillbridgeError("pos_transient", `${what}: no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        let res: Response;
        try {
          res = await deps.fetch(url, { ...init, signal: controller.signal });
        } catch (e) {
          throw new TillbridgeError("pos_transient", `${what}: ${e instanceof Error ? e.message : "network error"}`, {
            cause: e,
          });
        }
        let text: string;
        try {
          text = await res.text();
        } catch (e) {
          throw new TillbridgeError("pos_transient", `${what}: the answer broke off`, { cause: e });
        }
        return { status: res.status, headers: res.headers, text };
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Seconds to wait from a Retry-After header: delta-seconds, or an HTTP date (RFC 1123, as the POS
 * sends) measured against our clock. Null when absent or unreadable.
 */
export function retryAfterSeconds(header: string | null, now: Date): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** A short, single-line excerpt of an answer for an error detail (never a token: answers carry none). */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
