import type { ObjectRef } from "../../shared/sync";
import type { BadgeRow } from "../components/board";
import { observe } from "../content/observe";
import { detailStatus, isCompletedCount, rowName, rowOf, rowStatus } from "../host/read";
import { countIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * "Send to QuickBooks Online" on completed stocktakes (SPEC §4.5): on each Completed row of
 * Inventory > Inventory counts and on a completed count's page. Once sent, the button is the
 * count's badge, whose popover links the journal entry of its gains and losses.
 */
export default defineFeature({
  include: (page) => page.kind === "counts" || (page.kind === "count" && !!page.id),
  async init(signal, ctx) {
    if (ctx.page.kind === "count" && ctx.page.id) {
      const object: ObjectRef = { kind: "stocktake", posId: ctx.page.id };
      if (!(await need("detailStatus", signal, ctx))) return;
      if (!isCompletedCount(detailStatus())) return;
      const title = await need("pageTitle", signal, ctx);
      if (!title) return;
      ctx.status.want([object]);
      ctx.badges.add([{ object, place: { after: title }, sendable: true }]);
      return;
    }
    observe(
      "countLink",
      (links) => {
        const rows: BadgeRow[] = [];
        for (const link of links) {
          const row = rowOf(link);
          const posId = countIdOfHref(link.getAttribute("href"));
          if (!row || !posId || !isCompletedCount(rowStatus(row))) continue;
          rows.push({
            object: { kind: "stocktake", posId },
            place: { after: link },
            name: rowName(null, link),
            sendable: true,
          });
        }
        if (!rows.length) return;
        ctx.status.want(rows.map((r) => r.object));
        ctx.badges.add(rows);
      },
      { signal },
    );
    if (await need("countLink", signal, ctx)) await need("statusHeader", signal, ctx);
  },
});
