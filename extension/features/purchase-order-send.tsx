import type { ObjectRef } from "../../shared/sync";
import type { BadgeRow } from "../components/board";
import { observe } from "../content/observe";
import { actionCell, detailStatus, isReceivedStatus, rowName, rowOf, rowStatus } from "../host/read";
import { consignmentIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * "Send to QuickBooks Online" on received purchase orders: on each Received row of Inventory >
 * Stock control and on a received order's page. Once sent, the same button is the order's badge,
 * whose popover links every Bill it became.
 */
export default defineFeature({
  include: (page) => page.kind === "consignments" || (page.kind === "consignment" && !!page.id),
  async init(signal, ctx) {
    if (ctx.page.kind === "consignment" && ctx.page.id) {
      const object: ObjectRef = { kind: "purchase_order", posId: ctx.page.id };
      if (!(await need("detailStatus", signal, ctx))) return;
      if (!isReceivedStatus(detailStatus())) return;
      const title = await need("pageTitle", signal, ctx);
      if (!title) return;
      ctx.status.want([object]);
      ctx.badges.add([{ object, place: { after: title }, sendable: true }]);
      return;
    }
    observe(
      "consignmentLink",
      (links) => {
        const rows: BadgeRow[] = [];
        for (const link of links) {
          const row = rowOf(link);
          const posId = consignmentIdOfHref(link.getAttribute("href"));
          if (!row || !posId || !isReceivedStatus(rowStatus(row))) continue;
          const cell = actionCell(row);
          rows.push({
            object: { kind: "purchase_order", posId },
            place: cell ? { append: cell } : { after: link },
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
    if (await need("consignmentLink", signal, ctx)) await need("statusHeader", signal, ctx);
  },
});
