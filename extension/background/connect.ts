import type { WorkerClient } from "../api/client";
import { WorkerError } from "../api/client";
import { describeError, ErrorCode, type Lang } from "../../shared/errors";
import { pendingConnectItem, sessionItem } from "./store";

/**
 * The connect flows (ARCHITECTURE "Connect"). POS: a random nonce stays here, its SHA-256 goes to
 * the Worker with the start; the Worker sends the browser back to connected.html#code=…, and only
 * the holder of the nonce can exchange that code for a session. QBO: the Worker returns the browser
 * to connected.html#qbo=connected (or #qbo=error&code=…).
 */

/** A pending POS connect older than this is ignored (the authorize page was abandoned). */
export const PENDING_TTL_MS = 15 * 60_000;

export interface ConnectDeps {
  client: WorkerClient;
  /** The extension page the Worker sends the browser back to */
  returnTo: string;
  openTab: (url: string) => Promise<unknown>;
  lang: () => Lang;
  now?: () => Date;
  random?: (bytes: Uint8Array) => Uint8Array;
}

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fail(code: ErrorCode, detail: string | undefined, lang: Lang): WorkerError {
  const words = describeError(code, detail, lang);
  return new WorkerError({ code, message: words.message, action: words.action, ...(detail ? { detail } : {}) }, 0);
}

export function createConnectFlows(deps: ConnectDeps) {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? ((b: Uint8Array) => crypto.getRandomValues(b));

  return {
    async connectPos(): Promise<{ authorizeUrl: string }> {
      const nonce = base64url(random(new Uint8Array(32)));
      await pendingConnectItem.setValue({ nonce, startedAt: now().toISOString() });
      const { authorizeUrl } = await deps.client.call("posStart", {
        body: { returnTo: deps.returnTo, nonceHash: await sha256Hex(nonce) },
      });
      await deps.openTab(authorizeUrl);
      return { authorizeUrl };
    },

    async connectQbo(): Promise<{ authorizeUrl: string }> {
      const { authorizeUrl } = await deps.client.call("qboConnect", { body: { returnTo: deps.returnTo } });
      await deps.openTab(authorizeUrl);
      return { authorizeUrl };
    },

    /** Called by connected.html with its location.hash. */
    async complete(hash: string): Promise<{ system: "pos" | "qbo"; storeName?: string }> {
      const params = new URLSearchParams(hash.replace(/^#/, ""));
      const errorCode =
        params.get("error") ?? (params.get("qbo") === "error" ? (params.get("code") ?? "oauth_denied") : null);
      if (errorCode) {
        const code = ErrorCode.safeParse(errorCode);
        throw fail(
          code.success ? code.data : "oauth_denied",
          code.success ? (params.get("detail") ?? undefined) : errorCode,
          deps.lang(),
        );
      }
      if (params.get("qbo") === "connected") return { system: "qbo" };
      const code = params.get("code");
      if (!code) throw fail("oauth_state_invalid", undefined, deps.lang());
      const pending = await pendingConnectItem.getValue();
      if (!pending || now().getTime() - Date.parse(pending.startedAt) > PENDING_TTL_MS)
        throw fail("oauth_state_invalid", undefined, deps.lang());
      const session = await deps.client.call("sessionExchange", {
        body: { code, nonce: pending.nonce, reviewFirst: true },
      });
      await pendingConnectItem.setValue(null);
      await sessionItem.setValue({
        token: session.session,
        tenantId: session.tenantId,
        storeName: session.storeName,
        expiresAt: session.expiresAt,
      });
      return { system: "pos", storeName: session.storeName };
    },

    async disconnect(system: "pos" | "qbo"): Promise<{ ok: true }> {
      if (system === "qbo") {
        await deps.client.call("qboDisconnect");
        return { ok: true };
      }
      try {
        await deps.client.call("posDisconnect");
      } catch (e) {
        // An already-dead session still means "disconnected" here; anything else is worth telling.
        if (!(e instanceof WorkerError && e.body.code === "unauthorized")) throw e;
      }
      await sessionItem.setValue(null);
      return { ok: true };
    },
  };
}
export type ConnectFlows = ReturnType<typeof createConnectFlows>;
