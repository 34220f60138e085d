import { Hono } from "hono";
import { apiRoutes, posError } from "./api/index";
import {
  categoryJson,
  giftCardJson,
  outletJson,
  paymentTypeJson,
  productJson,
  registerJson,
  taxJson,
} from "./api/serialize";
import { lspayTransactionJson } from "./api/serialize-lspay";
import { saleJson } from "./api/serialize-sale";
import { deliveryJson } from "./api/serialize-stock";
import { controlRoutes } from "./control";
import { closureFigures, type ClosureFigures } from "./figures";
import { type InventorySandbox, inventorySandbox } from "./inventory-sandbox";
import { oauthRoutes, revokeStoreGrants, type AuthState } from "./oauth";
import { expireGiftCard, issueStoreCreditManually } from "./ops/liabilities";
import { receivePurchaseOrder, type ReceiveSpec } from "./ops/purchasing";
import { closeRegister, closureRecord, closures, openRegister } from "./ops/registers";
import { cancelLayby, type CancelLaybySpec } from "./ops/layby";
import {
  addCategory,
  addOutlet,
  addPaymentType,
  addProduct,
  addRegister,
  addTax,
  type NewOutlet,
  type NewPaymentType,
  type NewProduct,
  type NewTax,
} from "./ops/reference";
import { returnSale, type ReturnSpec } from "./ops/returns";
import { addSale, payOnAccount, voidLine, voidSale, type AccountPaymentSpec, type SaleSpec } from "./ops/sales";
import { toCents } from "./ops/settle";
import { Runtime, type Fault, type FaultKind } from "./runtime";
import { SANDBOX_DEFAULTS, type SandboxDefaults } from "./defaults";
import { advanceTrading, inventoryOf, seedStore, type SeedOptions } from "./seed/index";
import { ensureInventory } from "./seed/inventory";
import { must, PosSandboxError } from "./store";
import { parseInstant } from "./time";
import type { Activity, ClosureRecord, StoreState } from "./types";
import type { DeliveryAttempt } from "./webhooks";

/**
 * The Retail POS sandbox: a stand-in for Lightspeed Retail X-Series API 2026-07 with its OAuth,
 * webhooks and seeded demo stores, as one runtime-agnostic Hono app (workerd in tests, Node under
 * `npm start`). URL layout: API `/<domain_prefix>/api/2026-07/...`, token `/<domain_prefix>/api/1.0/token`,
 * authorize `/connect`, control `/_sandbox/...` (never part of the POS surface).
 */

export type { ClosureFigures } from "./figures";
export { SANDBOX_DEFAULTS, type SandboxDefaults } from "./defaults";
export type { InventorySandbox, StocktakeSpec } from "./inventory-sandbox";
export type { AccountPaymentSpec, SaleLineSpec, SaleSpec } from "./ops/sales";
export type { ReturnSpec } from "./ops/returns";
export type { ReceiveSpec } from "./ops/purchasing";
export type { PaymentSpec } from "./ops/settle";
export type { Activity, ClosureRecord, StoreState } from "./types";
export type { CancelLaybySpec } from "./ops/layby";
export type { CustomChargeSpec } from "./ops/charges";
export type { NewOutlet, NewPaymentType, NewProduct, NewTax } from "./ops/reference";
export type { DeliveryAttempt } from "./webhooks";
export type { FaultKind } from "./runtime";
export { saleJson } from "./api/serialize-sale";
export { hmacHex } from "./webhooks";

/** ca: Québec (`demo`), us: Brooklyn (`demo-us`), au: Sydney (`demo-au`), uk: London (`demo-uk`). */
export type StorePreset = "ca" | "us" | "au" | "uk";
export type SaleJson = ReturnType<typeof saleJson>;

export interface PosSandboxOptions {
  now?: () => Date;
  /** Default ["ca"]; "us" adds `demo-us`, "au" the Australian `demo-au`, "uk" the UK `demo-uk`. */
  stores?: StorePreset[];
  /**
   * Which defaults fill `activity` and `inventory` when they are left out (defaults.ts): "today" (SPEC
   * §4's activity in au and uk only, no inventory activity) or "next" (both everywhere). Default
   * SANDBOX_DEFAULTS, the one switch the lead flips.
   */
  defaults?: SandboxDefaults;
  /**
   * What each store's generated days contain: "full" adds SPEC §4's activity (tips, surcharges, fees,
   * custom charges, loyalty, voids, exchanges, returns on account, cancelled laybys). Default per
   * `defaults`: today "full" for au and uk, "classic" for ca and us (their days stay what they were,
   * byte for byte); next "full" everywhere.
   */
  activity?: Partial<Record<StorePreset, Activity>>;
  /** PRNG seed of the demo stores (default 42). */
  seed?: number;
  /** Days of generated trading (default 30). */
  days?: number;
  /** First trading day, local (default "2026-10-01"). */
  startDate?: string;
  /**
   * Generated days carry inventory activity: restocks, supplier returns, stocktakes, stock adjustments,
   * transfers between outlets, a service product (seed/inventory.ts). Default per `defaults`: today
   * false, next true.
   */
  inventory?: boolean;
  clients?: { clientId: string; clientSecret: string }[];
  deliverWebhook?: (url: string, init: RequestInit) => Promise<Response>;
  /** Sign webhook deliveries with the registering app's client secret (default true). */
  webhookSigning?: boolean;
  /** Waits before each retry of a failed delivery (default [250, 1000, 4000] ms: 4 attempts). */
  webhookRetryDelaysMs?: number[];
  /** The consent page redirects at once (to `domain_prefix` if given on /connect, else the first store). */
  autoApprove?: boolean;
  /** Access-token lifetime in seconds (default 86400). */
  accessTokenTtlSeconds?: number;
  baseUrl?: string;
}

export const DEFAULT_CLIENTS = [
  { clientId: "tillbridge-local-pos", clientSecret: "local-pos-secret" },
  { clientId: "tillbridge-test-pos", clientSecret: "test-pos-secret" },
];

export interface PosSandbox {
  app: Hono;
  fetch(req: Request): Promise<Response>;
  /** Direct access to a store's raw records (the back-office replica and tests read these). */
  store(prefix: string): StoreState;
  prefixes(): string[];
  /** The sandbox's own figures for a closure, from its raw records (see figures.ts). */
  closureFigures(prefix: string, closureId: string): ClosureFigures;
  closures(prefix: string): ClosureRecord[];
  /** Opens the register; returns the new (open) sequence, whose id is the closure-to-be. */
  openRegister(prefix: string, registerId: string, at?: Date | string): ClosureRecord;
  addSale(prefix: string, spec: SaleSpec): SaleJson;
  closeRegister(
    prefix: string,
    registerId: string,
    counted?: Record<string, string>,
    at?: Date | string,
  ): ClosureRecord;
  voidSale(prefix: string, saleId: string, at?: Date | string): SaleJson;
  returnSale(prefix: string, saleId: string, spec: ReturnSpec): SaleJson;
  payOnAccount(prefix: string, saleId: string, spec: AccountPaymentSpec): SaleJson;
  receivePurchaseOrder(prefix: string, purchaseOrderId: string, spec?: ReceiveSpec): ReturnType<typeof deliveryJson>;
  /** Cancels a pending layby: cancelling lines, the deposit refunded (or kept as store credit). */
  cancelLayby(prefix: string, saleId: string, spec: CancelLaybySpec): SaleJson;
  /** Voids one line of a pending on-account or layby sale (`status: VOIDED`). */
  voidLine(prefix: string, saleId: string, lineId: string, at?: Date | string): SaleJson;
  /** The Lightspeed Payments transaction (tenders) behind a payment, by transaction or payment id. */
  lspayTransaction(prefix: string, id: string): ReturnType<typeof lspayTransactionJson>;
  /** Reference data added after connecting (no webhook but a new product's `product.update`). */
  addPaymentType(prefix: string, spec: NewPaymentType, at?: Date | string): ReturnType<typeof paymentTypeJson>;
  addTax(prefix: string, spec: NewTax): ReturnType<typeof taxJson>;
  addCategory(
    prefix: string,
    spec: { name: string; parentId?: string | null | undefined },
  ): ReturnType<typeof categoryJson>;
  addProduct(prefix: string, spec: NewProduct, at?: Date | string): ReturnType<typeof productJson>;
  addOutlet(
    prefix: string,
    spec: NewOutlet,
  ): { outlet: ReturnType<typeof outletJson>; registers: ReturnType<typeof registerJson>[] };
  addRegister(
    prefix: string,
    spec: { outletId: string; name: string; invoicePrefix?: string | undefined },
  ): ReturnType<typeof registerJson>;
  expireGiftCard(prefix: string, number: string, at?: Date | string): ReturnType<typeof giftCardJson>;
  /** A manual store-credit ISSUE (no sale), `amount` in dollars ("15.00"). */
  issueStoreCredit(
    prefix: string,
    customerId: string,
    amount: string,
    notes?: string,
    at?: Date | string,
  ): { id: string; amount: number; sale_id: null };
  /** Inventory: supplier returns, transfers, stocktakes, adjustments and their figures (inventory-sandbox.ts). */
  inventory: InventorySandbox;
  /** Generates the next `days` trading days (registers must be closed); webhooks fire. */
  advanceDay(prefix: string, days?: number): void;
  /** The merchant uninstalls: every token of the store (optionally of one client) is revoked. */
  revokeGrants(prefix: string, clientId?: string): number;
  injectFault(fault: { path?: string | undefined; kind: FaultKind; count?: number | undefined }): void;
  clearFaults(): void;
  /** Overrides the store's requests-per-300 s limit (null = 300 × registers + 50). */
  setRateLimit(prefix: string, limit: number | null): void;
  dropNextWebhooks(count?: number): void;
  webhookDeliveries(): DeliveryAttempt[];
  /** Resolves when every webhook delivery so far (with retries) is done. */
  flushWebhooks(): Promise<void>;
  setClock(now: () => Date): void;
  now(): Date;
  exportState(): string;
  importState(state: string): void;
  reset(): void;
}

const STATE_FORMAT = "tillbridge-pos-sandbox/1";

const toDate = (at: Date | string | undefined) =>
  at === undefined ? undefined : at instanceof Date ? at : parseInstant(at);

export function createPosSandbox(opts: PosSandboxOptions = {}): PosSandbox {
  let presets: StorePreset[] = [...new Set<StorePreset>(opts.stores ?? ["ca"])];
  const defaults = opts.defaults ?? SANDBOX_DEFAULTS;
  let seedOptions: SeedOptions = {
    seed: opts.seed ?? 42,
    days: opts.days ?? 30,
    startDate: opts.startDate ?? "2026-10-01",
    inventory: inventoryOf({ inventory: opts.inventory, defaults }),
    // only when given (or not today's), so the saved state of a sandbox without them is what it always was
    ...(opts.activity ? { activity: opts.activity } : {}),
    ...(defaults === "today" ? {} : { defaults }),
  };
  const rt = new Runtime({
    now: opts.now ?? (() => new Date()),
    clients: opts.clients ?? DEFAULT_CLIENTS,
    deliver: opts.deliverWebhook ?? ((url, init) => fetch(url, init)),
    signing: opts.webhookSigning ?? true,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [250, 1000, 4000],
    autoApprove: opts.autoApprove ?? false,
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 86400,
    baseUrl: opts.baseUrl ?? "http://127.0.0.1:8789",
  });

  const generate = () => {
    rt.stores = {};
    for (const preset of presets) {
      const store = seedStore(preset, seedOptions);
      rt.stores[store.prefix] = store;
    }
  };
  generate();

  const sale = (prefix: string, id: string) => saleJson(rt.store(prefix), must(rt.store(prefix).sales[id], "sale"));

  const sandbox: PosSandbox = {
    app: undefined as unknown as Hono,
    fetch: (req) => Promise.resolve(sandbox.app.fetch(req)),
    store: (prefix) => rt.store(prefix),
    prefixes: () => rt.prefixes(),
    closureFigures: (prefix, closureId) => closureFigures(rt.store(prefix), closureId),
    closures: (prefix) => closures(rt.store(prefix)),
    openRegister: (prefix, registerId, at) =>
      closureRecord(rt.store(prefix), openRegister(rt.ctx(prefix), registerId, toDate(at))),
    addSale: (prefix, spec) => sale(prefix, addSale(rt.ctx(prefix), spec).id),
    closeRegister: (prefix, registerId, counted, at) => closeRegister(rt.ctx(prefix), registerId, counted, toDate(at)),
    voidSale: (prefix, saleId, at) => sale(prefix, voidSale(rt.ctx(prefix), saleId, toDate(at)).id),
    returnSale: (prefix, saleId, spec) => sale(prefix, returnSale(rt.ctx(prefix), saleId, spec).id),
    payOnAccount: (prefix, saleId, spec) => sale(prefix, payOnAccount(rt.ctx(prefix), saleId, spec).id),
    receivePurchaseOrder: (prefix, poId, spec) => {
      const delivery = receivePurchaseOrder(rt.ctx(prefix), poId, spec);
      return deliveryJson(must(rt.store(prefix).purchaseOrders[poId], "purchase order"), delivery);
    },
    expireGiftCard: (prefix, number, at) => giftCardJson(expireGiftCard(rt.ctx(prefix), number, toDate(at))),
    cancelLayby: (prefix, saleId, spec) => sale(prefix, cancelLayby(rt.ctx(prefix), saleId, spec).id),
    voidLine: (prefix, saleId, lineId, at) => sale(prefix, voidLine(rt.ctx(prefix), saleId, lineId, toDate(at)).id),
    lspayTransaction: (prefix, id) => {
      const store = rt.store(prefix);
      const payment = Object.values(store.sales)
        .flatMap((x) => x.payments)
        .find((p) => p.lspay && (p.id === id || p.lspay.transactionId === id));
      return lspayTransactionJson(store, must(payment, "Lightspeed Payments transaction"));
    },
    addPaymentType: (prefix, spec, at) => paymentTypeJson(addPaymentType(rt.ctx(prefix), spec, toDate(at))),
    addTax: (prefix, spec) => taxJson(addTax(rt.ctx(prefix), spec)),
    addCategory: (prefix, spec) => categoryJson(rt.store(prefix), addCategory(rt.ctx(prefix), spec)),
    addProduct: (prefix, spec, at) => productJson(rt.store(prefix), addProduct(rt.ctx(prefix), spec, toDate(at))),
    addOutlet: (prefix, spec) => {
      const { outlet, registers } = addOutlet(rt.ctx(prefix), spec);
      return { outlet: outletJson(rt.store(prefix), outlet), registers: registers.map(registerJson) };
    },
    addRegister: (prefix, spec) => registerJson(addRegister(rt.ctx(prefix), spec)),
    issueStoreCredit: (prefix, customerId, amount, notes, at) => {
      const txn = issueStoreCreditManually(rt.ctx(prefix), customerId, toCents(amount, "amount"), notes, toDate(at));
      return { id: txn.id, amount: toCents(amount, "amount") / 100, sale_id: null };
    },
    inventory: inventorySandbox(rt),
    advanceDay: (prefix, days = 1) => advanceTrading(rt.store(prefix), rt.hooks, days),
    revokeGrants: (prefix, clientId) => revokeStoreGrants(rt, rt.store(prefix).prefix, clientId),
    injectFault: (f) => {
      const fault: Fault = { kind: f.kind, remaining: f.count ?? 1, ...(f.path ? { path: f.path } : {}) };
      rt.faults.push(fault);
    },
    clearFaults: () => {
      rt.faults = [];
    },
    setRateLimit: (prefix, limit) => {
      rt.store(prefix).config.rateLimitOverride = limit;
      delete rt.windows[prefix];
    },
    dropNextWebhooks: (count = 1) => {
      rt.webhooks.dropNext += count;
    },
    webhookDeliveries: () => [...rt.webhooks.log],
    flushWebhooks: () => rt.webhooks.flush(),
    setClock: (now) => rt.setClock(now),
    now: () => rt.now(),
    exportState: () =>
      JSON.stringify({ format: STATE_FORMAT, options: { presets, ...seedOptions }, stores: rt.stores, auth: rt.auth }),
    importState: (text) => {
      const parsed = JSON.parse(text) as {
        format?: string;
        options?: { presets: StorePreset[] } & typeof seedOptions;
        stores?: Record<string, StoreState>;
        auth?: AuthState;
      };
      if (parsed.format !== STATE_FORMAT || !parsed.stores || !parsed.auth || !parsed.options)
        throw new PosSandboxError(400, `not a ${STATE_FORMAT} state`);
      // reset() regenerates what was imported, not what this sandbox was created with
      const { presets: imported, ...rest } = parsed.options;
      presets = imported;
      seedOptions = rest;
      rt.stores = parsed.stores;
      for (const store of Object.values(rt.stores)) ensureInventory(store);
      rt.auth = parsed.auth;
      rt.windows = {};
    },
    reset: () => {
      generate();
      rt.auth = { codes: {}, tokens: {} };
      rt.faults = [];
      rt.windows = {};
      rt.webhooks.log.length = 0;
      rt.webhooks.dropNext = 0;
    },
  };

  const app = new Hono();
  app.onError((err) => posError(err));
  app.route("/", oauthRoutes(rt));
  app.route("/_sandbox", controlRoutes(sandbox, rt));
  app.route("/:prefix/api/2026-07", apiRoutes(rt));
  sandbox.app = app;
  return sandbox;
}
