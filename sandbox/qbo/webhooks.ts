/**
 * Intuit's webhooks (qbo-api-notes §7): entity change notifications POSTed to the app's endpoint, the raw
 * body signed in `intuit-signature` = base64(HMAC-SHA256(body, verifier token)), in the legacy format
 * (`{"eventNotifications":[{realmId, dataChangeEvent:{entities:[{name,id,operation,lastUpdated}]}}]}`) or
 * the CloudEvents one (a JSON array of `{specversion, id, source, type: "qbo.<entity>.<created|…>.v1",
 * time, intuitentityid, intuitaccountid, data}`). Changes of a company are gathered for `aggregationMs`
 * (production aggregates over 1, 3 or 5 minutes; 0 sends what one request changed together) and delivered
 * one notification at a time per company: the next waits until the receiver acknowledged (2xx) the one
 * before or it was given up. A failed delivery is retried after Intuit's delays (10 s, 20 s, 30 s, 5 min,
 * 20 min, 2 h, 4 h, 6 h, then every 6 h), compressible for tests; waits go through an injectable sleep.
 */
import type { Change, ChangeOperation } from "./changes";
import { randomToken } from "./state";

export type Deliver = (url: string, init: RequestInit) => Promise<Response>;

export interface QboWebhookOptions {
  /** The app's webhook endpoint */
  url: string;
  /** The app's verifier token (not the client secret) */
  verifierToken: string;
  /** Default "legacy" */
  format?: "legacy" | "cloudevents" | undefined;
  /** How a delivery is sent; default globalThis.fetch */
  deliver?: Deliver | undefined;
  /** How long changes of a company are gathered before a notification goes out; default 0 */
  aggregationMs?: number | undefined;
  /** Waits before each retry; default Intuit's schedule (RETRY_SCHEDULE_MS) */
  retryDelaysMs?: number[] | undefined;
  /** Only companies connected to this OAuth client are notified; default: any connected company */
  clientId?: string | undefined;
}

/** Intuit's retry schedule: 10 s, 20 s, 30 s, 5 min, 20 min, 2 h, 4 h, 6 h, then every 6 h (four more). */
export const RETRY_SCHEDULE_MS = [
  10_000, 20_000, 30_000, 300_000, 1_200_000, 7_200_000, 14_400_000, 21_600_000, 21_600_000, 21_600_000, 21_600_000,
  21_600_000,
];

/** The entities Intuit notifies (configure-webhooks); Preferences only on Update. */
export const NOTIFIED_ENTITIES = new Set([
  "Account",
  "Bill",
  "Class",
  "CreditMemo",
  "Customer",
  "Department",
  "Deposit",
  "Employee",
  "Invoice",
  "Item",
  "JournalEntry",
  "Payment",
  "PaymentMethod",
  "Preferences",
  "RefundReceipt",
  "SalesReceipt",
  "Term",
  "Vendor",
  "VendorCredit",
]);

export interface WebhookAttempt {
  deliveryId: string;
  realmId: string;
  url: string;
  format: "legacy" | "cloudevents";
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  /** The raw body sent (what the signature covers) */
  body: string;
  signature: string;
  changes: Change[];
}

export interface WebhookRuntime {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Whether the company is connected (to the given app, if any) */
  connected: (realmId: string, clientId?: string) => boolean;
  /** Sends deliveries when the configuration has no `deliver` of its own (one set over HTTP); default fetch */
  deliver?: Deliver | undefined;
}

export async function intuitSignature(verifierToken: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(verifierToken),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  let binary = "";
  for (const b of mac) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** "2026-11-28T15:00:00-00:00" → "2026-11-28T15:00:00.000Z"-style instant, as Date understands both. */
const iso = (qboTime: string) => new Date(Date.parse(qboTime)).toISOString();

/** Intuit's legacy `lastUpdated`: "2015-10-05T14:42:19-0700" (an offset without a colon). */
const legacyTime = (qboTime: string) => `${iso(qboTime).slice(0, 19)}-0000`;

const VERB: Record<ChangeOperation, string> = {
  Create: "created",
  Update: "updated",
  Delete: "deleted",
  Void: "voided",
  Merge: "merged",
};

function uuid(): string {
  const h = randomToken(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function notificationBody(format: "legacy" | "cloudevents", realmId: string, changes: Change[]): string {
  if (format === "legacy") {
    const entities = changes.map((c) => ({
      name: c.entity,
      id: c.id,
      operation: c.operation,
      lastUpdated: legacyTime(c.at),
    }));
    return JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities } }] });
  }
  return JSON.stringify(
    changes.map((c) => ({
      specversion: "1.0",
      id: uuid(),
      source: `intuit.${btoa(realmId).replace(/=+$/, "")}`,
      type: `qbo.${c.entity.toLowerCase()}.${VERB[c.operation]}.v1`,
      datacontenttype: "application/json",
      time: iso(c.at),
      intuitentityid: c.id,
      intuitaccountid: realmId,
      data: {},
    })),
  );
}

export class QboWebhooks {
  readonly log: WebhookAttempt[] = [];
  private options: QboWebhookOptions | undefined;
  private readonly buffers = new Map<string, Change[]>();
  /** realm → the tail of its delivery chain (one notification at a time per company) */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private seq = 0;

  constructor(private readonly rt: WebhookRuntime) {}

  configure(options: QboWebhookOptions | undefined): void {
    this.options = options ? { ...options } : undefined;
  }

  configured(): Omit<QboWebhookOptions, "verifierToken" | "deliver"> | undefined {
    if (!this.options) return undefined;
    const { verifierToken: _t, deliver: _d, ...rest } = this.options;
    return rest;
  }

  /** A change happened: gather it for its company's next notification. */
  emit(change: Change): void {
    const o = this.options;
    if (!o || !NOTIFIED_ENTITIES.has(change.entity)) return;
    if (change.entity === "Preferences" && change.operation !== "Update") return;
    if (!this.rt.connected(change.realmId, o.clientId)) return;
    const buffer = this.buffers.get(change.realmId);
    if (buffer) {
      buffer.push(change);
      return;
    }
    this.buffers.set(change.realmId, [change]);
    this.track(this.gather(change.realmId, o));
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async gather(realmId: string, o: QboWebhookOptions): Promise<void> {
    // Aggregation 0 still waits a turn, so everything one request (a batch) changed goes together.
    await (o.aggregationMs ? this.rt.sleep(o.aggregationMs) : Promise.resolve());
    const changes = this.buffers.get(realmId) ?? [];
    this.buffers.delete(realmId);
    const previous = this.chains.get(realmId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(realmId, changes, o));
    this.chains.set(realmId, next);
    await next;
  }

  private async deliver(realmId: string, changes: Change[], o: QboWebhookOptions): Promise<void> {
    const format = o.format ?? "legacy";
    const body = notificationBody(format, realmId, changes);
    const signature = await intuitSignature(o.verifierToken, body);
    const deliveryId = `w${++this.seq}`;
    const headers = {
      "content-type": "application/json",
      "intuit-signature": signature,
      "intuit-created-time": this.rt.now().toISOString(),
      "intuit-t-id": uuid(),
      "intuit-notification-schema-version": "0.1",
      "user-agent": "intuit_notification_server/0.1",
    };
    const delays = o.retryDelaysMs ?? RETRY_SCHEDULE_MS;
    const send = o.deliver ?? this.rt.deliver ?? ((url: string, init: RequestInit) => fetch(url, init));
    for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await send(o.url, { method: "POST", headers, body });
        status = res.status;
        await res.body?.cancel();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const at = this.rt.now().toISOString();
      this.log.push({ deliveryId, realmId, url: o.url, format, attempt, at, status, error, body, signature, changes });
      if (status !== null && status >= 200 && status < 300) return;
      if (attempt <= delays.length) await this.rt.sleep(delays[attempt - 1]!);
    }
  }

  /** Resolves once every notification gathered so far is delivered or given up (with its retries). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  reset(): void {
    this.buffers.clear();
    this.log.length = 0;
  }
}
