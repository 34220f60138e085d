import { isoZ } from "./time";
import type { StoreState } from "./types";

/**
 * Webhook deliveries the way the notes describe the POS's: POST, application/x-www-form-urlencoded,
 * the form field `payload` holding the JSON object, plus `domain_prefix` and `type`. When signing is
 * on, `X-Signature: signature=<hex HMAC-SHA256 of the raw body>, algorithm=HMAC-SHA256`, keyed by the
 * client secret of the app that registered the webhook. A failed attempt (network error or non-2xx)
 * is retried after each of `retryDelaysMs`. Every attempt lands in the log; `dropNext` loses the next
 * deliveries on purpose (webhooks are hints, not a guarantee).
 */

export type Deliver = (url: string, init: RequestInit) => Promise<Response>;

export interface DeliveryAttempt {
  deliveryId: string;
  prefix: string;
  webhookId: string;
  type: string;
  url: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  dropped: boolean;
  /** The raw form body sent (what the signature covers). */
  body: string;
  signature: string | null;
  payload: unknown;
}

export interface DispatcherOptions {
  deliver: Deliver;
  signing: boolean;
  retryDelaysMs: number[];
  secretOf: (clientId: string) => string | undefined;
  now: () => Date;
}

export async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

export class WebhookDispatcher {
  readonly log: DeliveryAttempt[] = [];
  dropNext = 0;
  private readonly pending = new Set<Promise<void>>();
  private seq = 0;

  constructor(private readonly o: DispatcherOptions) {}

  setOptions(patch: Partial<DispatcherOptions>): void {
    Object.assign(this.o, patch);
  }

  /** Sends `payload` to every active webhook of `type` on the store; returns at once. */
  emit(store: StoreState, type: string, payload: unknown): void {
    for (const hook of Object.values(store.webhooks)) {
      if (!hook.active || hook.type !== type) continue;
      const body = new URLSearchParams({
        payload: JSON.stringify(payload),
        domain_prefix: store.prefix,
        type,
      }).toString();
      const base = {
        deliveryId: `d${++this.seq}`,
        prefix: store.prefix,
        webhookId: hook.id,
        type,
        url: hook.url,
        body,
        payload,
      };
      if (this.dropNext > 0) {
        this.dropNext--;
        this.log.push({
          ...base,
          attempt: 0,
          at: isoZ(this.o.now()),
          status: null,
          error: "dropped by the sandbox",
          dropped: true,
          signature: null,
        });
        continue;
      }
      const job = this.deliver(base, hook.clientId).finally(() => this.pending.delete(job));
      this.pending.add(job);
    }
  }

  private async deliver(
    base: Omit<DeliveryAttempt, "attempt" | "at" | "status" | "error" | "dropped" | "signature">,
    clientId: string,
  ): Promise<void> {
    const secret = this.o.secretOf(clientId);
    const signature = this.o.signing && secret ? await hmacHex(secret, base.body) : null;
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": "Retail-POS-Sandbox-Webhooks/1.0",
    };
    if (signature) headers["x-signature"] = `signature=${signature}, algorithm=HMAC-SHA256`;
    for (let attempt = 1; attempt <= this.o.retryDelaysMs.length + 1; attempt++) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await this.o.deliver(base.url, { method: "POST", headers, body: base.body });
        status = res.status;
        await res.body?.cancel();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      this.log.push({ ...base, attempt, at: isoZ(this.o.now()), status, error, dropped: false, signature });
      if (status !== null && status >= 200 && status < 300) return;
      if (attempt <= this.o.retryDelaysMs.length) await sleep(this.o.retryDelaysMs[attempt - 1]!);
    }
  }

  /** Resolves once every delivery (and its retries) so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
