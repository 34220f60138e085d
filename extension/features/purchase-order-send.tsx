import type { ObjectRef } from "../../shared/sync";
import type { BadgeRow } from "../components/board";
import { observe } from "../content/observe";
import {
  actionCell,
  consignmentKind,
  detailStatus,
  detailType,
  rowName,
  rowOf,
  rowStatus,
  rowType,
} from "../host/read";
import { consignmentIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * "Send to QuickBooks Online" on received purchase orders: on each Received row of Inventory >
 * Stock control and on a received order's page. Once sent, the same button is the order's badge,
 * whose popover links every Bill it became. The same for the other stock control documents (SPEC
 * §4.5): a sent supplier return (its vendor credit) and a received transfer (its journal), told
 * apart by the row's (or page's) Type.
 */
export default defineFeature({
  include: (page) => page.kind === "consignments" || (page.kind === "consignment" && !!page.id),
  async init(signal, ctx) {
    if (ctx.page.kind === "consignment" && ctx.page.id) {
      if (!(await need("detailStatus", signal, ctx))) return;
      const kind = consignmentKind(detailType(), detailStatus());
      if (!kind) return;
      const object: ObjectRef = { kind, posId: ctx.page.id };
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
          const kind = row && consignmentKind(rowType(row), rowStatus(row));
          if (!row || !posId || !kind) continue;
          const cell = actionCell(row);
          rows.push({
            object: { kind, posId },
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
