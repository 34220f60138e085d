import { Prng } from "./prng";
import type { StoreState } from "./types";

/**
 * Shared plumbing for operations on one store: versions, ids, look-ups that fail with the POS's own
 * status codes, and the hooks through which operations announce changes (webhooks listen there).
 */

/** An error the sandbox answers over HTTP with `status` and `{"error": message}`. */
export class PosSandboxError extends Error {
  override name = "PosSandboxError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500,
    message: string,
  ) {
    super(message);
  }
}

export interface Hooks {
  saleChanged(store: StoreState, saleId: string): void;
  registerClosed(store: StoreState, sequenceId: string): void;
  /** A purchase order or an inventory consignment (transfer) was received. */
  consignmentReceived(store: StoreState, consignmentId: string): void;
  /** A purchase order, supplier return or transfer was marked SENT. */
  consignmentSent(store: StoreState, consignmentId: string): void;
  /** A product's stock or average cost changed at an outlet. */
  inventoryChanged(store: StoreState, productId: string, outletId: string): void;
  /** A product was added or changed (`product.update`). */
  productChanged?(store: StoreState, productId: string): void;
}

export const silentHooks: Hooks = {
  saleChanged() {},
  registerClosed() {},
  consignmentReceived() {},
  consignmentSent() {},
  inventoryChanged() {},
};

/** What every operation gets: the store, the announcement hooks, and the sandbox clock. */
export interface Ctx {
  store: StoreState;
  hooks: Hooks;
  now: () => Date;
}

export function rngOf(store: StoreState): Prng {
  return new Prng(store.rng);
}

/**
 * The next version. Steps vary (1..97) so consumers cannot assume +1, as the POS warns; the step comes
 * from the counter itself, so it is deterministic and independent of the trading PRNG.
 */
export function nextVersion(store: StoreState): number {
  const step = 1 + ((Math.imul(store.versionCounter ^ 0x5bd1e995, 0x27d4eb2d) >>> 0) % 97);
  store.versionCounter += step;
  return store.versionCounter;
}

export function newId(store: StoreState): string {
  return rngOf(store).uuid();
}

export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new PosSandboxError(404, `${what} not found`);
  return value;
}

export function taxRates(store: StoreState, taxId: string) {
  return must(store.taxes[taxId], `tax ${taxId}`).rates;
}

/** All rate ids with their names, for labels in figures and webhooks. */
export function rateName(store: StoreState, rateId: string): string {
  for (const t of Object.values(store.taxes)) for (const r of t.rates) if (r.id === rateId) return r.name;
  return rateId;
}
