import { browser } from "wxt/browser";
import type { z } from "zod";
import type { Routes, RouteName } from "../shared/api";
import type { ErrorCode } from "../shared/errors";
import type { ErrorBody, MessageOf, MessageType, Replies } from "./messaging";

/**
 * The sending side of the message contract (messaging.ts), for content scripts and extension pages.
 * Type-only imports keep the content-script bundle free of the route table's schemas; the reply comes
 * from our own background, which validated everything it received from the Worker.
 */

/** A failed call, carrying the shared ApiError body (code, plain words, what to do). */
export class ExtensionError extends Error {
  override name = "ExtensionError";
  constructor(readonly body: ErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
  get code(): ErrorCode {
    return this.body.code;
  }
}

const NO_REPLY: ErrorBody = {
  code: "internal",
  message: "The extension's background did not answer.",
  action: "Reload the page.",
  detail: "no-reply",
};

/** Send a message to the background and unwrap its reply (throws ExtensionError). */
export async function ask<T extends MessageType>(type: T, payload: MessageOf<T>): Promise<Replies[T]> {
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage({ type, ...payload });
  } catch (e) {
    throw new ExtensionError({ ...NO_REPLY, detail: e instanceof Error ? e.message : String(e) });
  }
  if (!raw || typeof raw !== "object" || !("ok" in raw)) throw new ExtensionError(NO_REPLY);
  const reply = raw as { ok: true; data: Replies[T] } | { ok: false; error: ErrorBody };
  if (!reply.ok) throw new ExtensionError(reply.error);
  return reply.data;
}

/** A typed Worker call from an extension page (options, popup), relayed by the background. */
export async function callApi<N extends RouteName>(
  route: N,
  input: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
): Promise<z.infer<(typeof Routes)[N]["response"]>> {
  return (await ask("api", { route, ...input })) as z.infer<(typeof Routes)[N]["response"]>;
}
