import { silentHooks, type Ctx, type Hooks } from "../store";
import type { Activity, StoreProfile, StoreState } from "../types";
import { enableLoyalty, buildStore } from "./catalog";
import { seedHistory } from "./history";
import { initInventory } from "./inventory";
import { tradeDay } from "./trading";

/**
 * The seeded demo stores. Deterministic: the seed alone decides everything (no Math.random, no clock),
 * so the same options give byte-identical state.
 */

export interface SeedOptions {
  seed: number;
  days: number;
  startDate: string;
  /** Generated days carry inventory activity (seed/inventory.ts); default false. */
  inventory?: boolean | undefined;
  /** What the trading days contain; default "full" for AU and UK, "classic" for CA and US. */
  activity?: Partial<Record<StoreProfile, Activity>> | undefined;
}

export function activityOf(profile: StoreProfile, o: Pick<SeedOptions, "activity">): Activity {
  return o.activity?.[profile] ?? (profile === "au" || profile === "uk" ? "full" : "classic");
}

/** Generation must never read the sandbox clock: every operation it runs is given its own time. */
const noClock = (): Date => {
  throw new Error("the demo-store generator must not read the clock");
};

export function seedStore(profile: StoreProfile, o: SeedOptions): StoreState {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.startDate)) throw new Error(`startDate must be YYYY-MM-DD, got "${o.startDate}"`);
  const store = buildStore(profile, o.seed, o.startDate);
  if (activityOf(profile, o) === "full") {
    store.config.activity = "full";
    enableLoyalty(store);
  }
  const ctx: Ctx = { store, hooks: silentHooks, now: noClock };
  initInventory(ctx, o.inventory ?? false);
  seedHistory(store);
  for (let i = 0; i < o.days; i++) tradeDay(ctx);
  return store;
}

/** Generates the store's next trading day(s) after the seeded ones; changes reach the hooks (webhooks). */
export function advanceTrading(store: StoreState, hooks: Hooks, days = 1): void {
  for (const r of Object.values(store.registers)) {
    if (r.isOpen) throw new Error(`register ${r.name} is open: close it before advancing a day`);
  }
  const ctx: Ctx = { store, hooks, now: noClock };
  for (let i = 0; i < days; i++) tradeDay(ctx);
}
