import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import { mountUi } from "../components/mount";
import { readCountedTotals } from "../host/read";
import { defineFeature } from "./feature";
import { need } from "./report";

/** Sent when the Worker has no counted totals for the closure: it never saw it, or it waits for them. */
export function needsCounted(s: ObjectStatus): boolean {
  return s.state === "unknown" || (s.state === "blocked" && s.reason?.code === "needs_counted_totals");
}

/**
 * On a closure summary page, reads the counted total per payment type and hands them to the Worker
 * (Routes.counted) when it lacks them — the closures whose webhook never came (pos-api-notes §1.5).
 */
export default defineFeature({
  include: (page) => page.kind === "closure" && !!page.id,
  async init(signal, ctx) {
    const closureId = ctx.page.id;
    const { signedIn, t } = await ctx.prefs;
    if (!closureId || !signedIn || signal.aborted) return;
    const table = await need("closurePaymentsTable", signal, ctx);
    if (!table) return;
    const object: ObjectRef = { kind: "closure", posId: closureId };
    ctx.status.want([object]);
    const status = await new Promise<ObjectStatus | null>((resolve) => {
      const off = ctx.status.subscribe(object, (e) => {
        if ("loading" in e) return;
        queueMicrotask(() => off());
        resolve("status" in e ? e.status : null);
      });
      signal.addEventListener("abort", () => resolve(null), { once: true });
    });
    if (!status || signal.aborted || !needsCounted(status)) return;
    const payments = readCountedTotals(table);
    if (!payments) return; // nothing counted on the page yet
    await ctx.counted(closureId, payments);
    if (signal.aborted) return;
    mountUi(
      { after: table },
      <span class="tb tb-grey" data-testid="tillbridge-counted">
        {t("counted.sent")}
      </span>,
      { signal, name: "counted" },
    );
    await ctx.status.refresh([object]);
  },
});
