import { defaultActivity, defaultInventory, type SandboxDefaults } from "../defaults";
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
  /** Generated days carry inventory activity (seed/inventory.ts); default per `defaults`. */
  inventory?: boolean | undefined;
  /** What the trading days contain; default per `defaults` (defaults.ts). */
  activity?: Partial<Record<StoreProfile, Activity>> | undefined;
  /**
   * Which defaults fill what is left out (defaults.ts). Absent = "today": the options of every state
   * saved before the switch existed. createPosSandbox applies SANDBOX_DEFAULTS.
   */
  defaults?: SandboxDefaults | undefined;
}

export function activityOf(profile: StoreProfile, o: Pick<SeedOptions, "activity" | "defaults">): Activity {
  return o.activity?.[profile] ?? defaultActivity(profile, o.defaults ?? "today");
}

export const inventoryOf = (o: Pick<SeedOptions, "inventory" | "defaults">): boolean =>
  o.inventory ?? defaultInventory(o.defaults ?? "today");

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
  initInventory(ctx, inventoryOf(o));
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
