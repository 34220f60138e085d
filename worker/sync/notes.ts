import type { Lang } from "../../shared/errors";
import type { ObjectStatus } from "../../shared/sync";
import type { Services } from "../services";

/**
 * Notes a badge shows beside its state. For on-account and layby sales: a payment recorded on the
 * invoice in QBO rather than in the POS ("paid in QBO: apply it in the POS"). The drift check
 * (sync/drift.ts) finds those payments and keeps them in KV, so a page view costs no QBO read.
 */
export const paidInQboKey = (tenantId: string, saleId: string) => `qbo-paid:${tenantId}:${saleId}`;

const WORDS: Record<Lang, (amount: string) => string> = {
  en: (amount) => `Paid in QuickBooks Online (${amount}): apply this payment to the sale in the POS.`,
  fr: (amount) => `Payé dans QuickBooks En ligne (${amount}) : appliquez ce paiement à la vente dans le POS.`,
};

export async function paidInQboNotes(s: Services, tenantId: string, statuses: ObjectStatus[], lang: Lang): Promise<void> {
  const sales = statuses.filter((x) => x.kind === "sale" && x.state === "posted");
  await Promise.all(
    sales.map(async (status) => {
      const amount = await s.kv.get(paidInQboKey(tenantId, status.posId));
      if (amount) status.notes = [...(status.notes ?? []), WORDS[lang](amount)];
    }),
  );
}
