import { anyConsignmentJson, inventoryJson } from "./api/serialize-inventory";
import { productJson } from "./api/serialize";
import { saleJson } from "./api/serialize-sale";
import type { AuthState } from "./oauth";
import { closureRecord } from "./ops/registers";
import { levelOf } from "./ops/stock";
import { must, PosSandboxError, type Ctx, type Hooks } from "./store";
import type { StoreState } from "./types";
import { WebhookDispatcher, type Deliver } from "./webhooks";

/**
 * The sandbox's live state: the stores, OAuth grants, injected faults, rate-limit windows and the
 * webhook dispatcher, plus the clock. Route modules and control operations all work through it.
 */

export type FaultKind = "http500" | "http429" | "malformed" | "truncated";

export interface Fault {
  /** Applies to API calls whose path contains this text (any call when absent). */
  path?: string | undefined;
  kind: FaultKind;
  remaining: number;
}

export interface RuntimeOptions {
  now: () => Date;
  clients: { clientId: string; clientSecret: string }[];
  deliver: Deliver;
  signing: boolean;
  retryDelaysMs: number[];
  autoApprove: boolean;
  accessTokenTtlSeconds: number;
  baseUrl: string;
}

export class Runtime {
  stores: Record<string, StoreState> = {};
  auth: AuthState = { codes: {}, tokens: {} };
  faults: Fault[] = [];
  windows: Record<string, { start: number; count: number }> = {};
  readonly webhooks: WebhookDispatcher;
  autoApprove: boolean;
  accessTokenTtlSeconds: number;
  readonly baseUrl: string;
  private clock: () => Date;
  private readonly clients: Map<string, string>;

  constructor(o: RuntimeOptions) {
    this.clock = o.now;
    this.clients = new Map(o.clients.map((c) => [c.clientId, c.clientSecret]));
    this.autoApprove = o.autoApprove;
    this.accessTokenTtlSeconds = o.accessTokenTtlSeconds;
    this.baseUrl = o.baseUrl.replace(/\/$/, "");
    this.webhooks = new WebhookDispatcher({
      deliver: o.deliver,
      signing: o.signing,
      retryDelaysMs: o.retryDelaysMs,
      secretOf: (id) => this.clients.get(id),
      now: () => this.now(),
    });
  }

  now(): Date {
    return this.clock();
  }

  setClock(now: () => Date): void {
    this.clock = now;
  }

  clientSecret(clientId: string): string | undefined {
    return this.clients.get(clientId);
  }

  prefixes(): string[] {
    return Object.keys(this.stores);
  }

  hasStore(prefix: string): boolean {
    return Object.hasOwn(this.stores, prefix);
  }

  store(prefix: string): StoreState {
    if (!this.hasStore(prefix)) throw new PosSandboxError(404, `no store "${prefix}"`);
    return this.stores[prefix]!;
  }

  /** The context operations run in: changes are announced to the store's webhooks. */
  ctx(prefix: string): Ctx {
    return { store: this.store(prefix), hooks: this.hooks, now: () => this.now() };
  }

  readonly hooks: Hooks = {
    saleChanged: (store, saleId) =>
      this.webhooks.emit(store, "sale.update", saleJson(store, must(store.sales[saleId], "sale"))),
    registerClosed: (store, sequenceId) =>
      this.webhooks.emit(store, "register_closure.create", closurePayload(store, sequenceId)),
    consignmentReceived: (store, id) => this.webhooks.emit(store, "consignment.receive", anyConsignmentJson(store, id)),
    consignmentSent: (store, id) => this.webhooks.emit(store, "consignment.send", anyConsignmentJson(store, id)),
    inventoryChanged: (store, productId, outletId) =>
      this.webhooks.emit(store, "inventory.update", inventoryJson(levelOf(store, productId, outletId))),
    productChanged: (store, productId) =>
      this.webhooks.emit(store, "product.update", productJson(store, must(store.products[productId], "product"))),
  };

  /** 300 × registers + 50 requests per 300 s per store (or the store's override). */
  rateLimit(store: StoreState): number {
    return store.config.rateLimitOverride ?? 300 * Object.keys(store.registers).length + 50;
  }

  takeFault(path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.path || path.includes(f.path)));
    if (fault) fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }
}

/** The `register_closure.create` payload (the working convention in the notes), money as strings. */
export function closurePayload(store: StoreState, sequenceId: string) {
  const rec = closureRecord(store, must(store.sequences[sequenceId], "closure"));
  return {
    id: rec.id,
    register_id: rec.registerId,
    outlet_id: rec.outletId,
    sequence_number: rec.sequenceNumber,
    register_open_time: rec.openedAt,
    register_close_time: rec.closedAt,
    payments: rec.payments.map((p) => ({
      retailer_payment_type_id: p.payment_type_id,
      name: p.name,
      expected: p.expected,
      counted: p.counted ?? p.expected,
    })),
  };
}
