import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { TillbridgeError } from "../../shared/errors";
import type { AppContext } from "../app";
import { sha256Hex, timingSafeEqual } from "../lib/crypto";

/**
 * The operator's routes (/ops/*) and the detailed health answer need the OPS_TOKEN secret as a
 * bearer token. It is not part of the merchant's world: no session opens them, and without the
 * secret (or with one shorter than 32 characters) they do not exist.
 */
export const OPS_TOKEN_MIN_LENGTH = 32;

const OpsEnv = z.object({ OPS_TOKEN: z.string().optional() });

export function opsToken(rawEnv: unknown): string | null {
  const parsed = OpsEnv.safeParse(rawEnv);
  const token = parsed.success ? parsed.data.OPS_TOKEN?.trim() : undefined;
  return token && token.length >= OPS_TOKEN_MIN_LENGTH ? token : null;
}

/** Whether the request carries the operator's token (compared as SHA-256 digests, in constant time). */
export async function isOperator(c: Context<AppContext>): Promise<boolean> {
  const token = opsToken(c.env);
  const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token || !given) return false;
  return timingSafeEqual(await sha256Hex(given), await sha256Hex(token));
}

export const requireOperator = createMiddleware<AppContext>(async (c, next) => {
  if (!opsToken(c.env))
    throw new TillbridgeError("not_found", "operator routes are off until the OPS_TOKEN secret is set");
  if (!(await isOperator(c))) throw new TillbridgeError("unauthorized", "operator token missing or wrong");
  c.header("cache-control", "no-store");
  await next();
});
