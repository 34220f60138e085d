import { TillbridgeError } from "../../shared/errors";
import type { AppEnv } from "../env";

/** Pages of the extension only (e.g. chrome-extension://<id>/options.html): never an open redirect. */
export function checkReturnTo(env: Pick<AppEnv, "EXTENSION_ORIGINS">, returnTo: string): string {
  const refuse = (why: string) => new TillbridgeError("bad_request", "body: returnTo", { fields: { returnTo: why } });
  let url: URL;
  try {
    url = new URL(returnTo);
  } catch {
    throw refuse("must be a URL");
  }
  // URL.origin is "null" for extension schemes: compare scheme and host ourselves.
  const origin = `${url.protocol}//${url.host}`;
  if (!env.EXTENSION_ORIGINS.includes(origin)) throw refuse("must be a page of the Tillbridge extension");
  if (url.username || url.password || url.hash) throw refuse("must not carry credentials or a #fragment");
  if (!/^\/[A-Za-z0-9_\-/]*\.html$/.test(url.pathname)) throw refuse("must be an .html page of the extension");
  return `${origin}${url.pathname}${url.search}`;
}
