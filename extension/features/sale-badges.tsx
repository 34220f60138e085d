import type { ObjectRef } from "../../shared/sync";
import { Badge } from "../components/Badge";
import { mountUi } from "../components/mount";
import { observe } from "../content/observe";
import { isAccountSaleStatus, rowOf, rowStatus } from "../host/read";
import { saleIdOfHref } from "../host/urls";
import { defineFeature } from "./feature";
import { need } from "./report";

/**
 * A badge on the on-account and layby sales of the sales history (their QBO invoice), with notes such
 * as "paid in QBO: apply it in the POS" when a payment was recorded in QBO rather than in the POS.
 */
export default defineFeature({
  include: (page) => page.kind === "history",
  async init(signal, ctx) {
    observe(
      "saleLink",
      (links) => {
        const objects: ObjectRef[] = [];
        for (const link of links) {
          const row = rowOf(link);
          const posId = saleIdOfHref(link.getAttribute("href"));
          if (!row || !posId || !isAccountSaleStatus(rowStatus(row))) continue;
          const object: ObjectRef = { kind: "sale", posId };
          objects.push(object);
          mountUi({ after: link }, <Badge ctx={ctx} object={object} />, { signal, name: "badge" });
        }
        if (objects.length) ctx.status.want(objects);
      },
      { signal },
    );
    if (await need("saleLink", signal, ctx)) await need("statusHeader", signal, ctx);
  },
});
