import type { Services } from "../services";

/**
 * What the POS side tells the rest of Tillbridge. The webhook and counted-totals routes call these
 * after answering (in waitUntil); the lead wires them to the sync engine. Each receives the
 * request's services last, so an implementation can use D1, the clock and the log.
 */
export interface PosHooks {
  /** A `register_closure.create` webhook recorded (or re-announced) this closure. */
  onClosureAnnounced(tenantId: string, closureId: string, s: Services): Promise<void>;
  /** Any other webhook: a hint that this POS object changed (re-read it from the API). */
  onPosChange(tenantId: string, type: string, id: string, s: Services): Promise<void>;
  /** The extension supplied counted totals for a closure whose webhook never came. */
  onCountedTotals(tenantId: string, closureId: string, s: Services): Promise<void>;
}

export const logOnlyHooks: PosHooks = {
  onClosureAnnounced: async (tenantId, closureId, s) =>
    s.log.info("pos closure announced", { tenant: tenantId, closureId }),
  onPosChange: async (tenantId, type, id, s) => s.log.debug("pos object changed", { tenant: tenantId, type, id }),
  onCountedTotals: async (tenantId, closureId, s) =>
    s.log.info("pos counted totals received", { tenant: tenantId, closureId }),
};

export function withDefaults(hooks: Partial<PosHooks> | undefined): PosHooks {
  return { ...logOnlyHooks, ...hooks };
}
