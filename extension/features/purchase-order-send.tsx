import type { ObjectRef } from "../../shared/sync";
import { mountUi } from "../components/mount";
import { SendButton } from "../components/SendButton";
import { observe } from "../content/observe";
import { detailStatus, isReceivedStatus, rowOf, rowStatus } from "../host/read";
import { consignmentIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * "Send to QuickBooks Online" on received purchase orders: on each Received row of Inventory >
 * Stock control and on a received order's page; "View on QuickBooks Online" once the Bill exists.
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
      mountUi({ after: title }, <SendButton ctx={ctx} object={object} />, { signal, name: "send" });
      return;
    }
    observe(
      "consignmentLink",
      (links) => {
        const objects: ObjectRef[] = [];
        for (const link of links) {
          const row = rowOf(link);
          const posId = consignmentIdOfHref(link.getAttribute("href"));
          if (!row || !posId || !isReceivedStatus(rowStatus(row))) continue;
          const object: ObjectRef = { kind: "purchase_order", posId };
          objects.push(object);
          const cell = row.lastElementChild;
          mountUi(cell ? { append: cell } : { after: link }, <SendButton ctx={ctx} object={object} />, {
            signal,
            name: "send",
          });
        }
        if (objects.length) ctx.status.want(objects);
      },
      { signal },
    );
    if (await need("consignmentLink", signal, ctx)) await need("statusHeader", signal, ctx);
  },
});
