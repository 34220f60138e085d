import { z } from "zod";

const Id = z.union([z.string(), z.number()]).transform(String);
const Ref = z.object({ value: Id, name: z.string().optional() }).passthrough();
const Amount = z.union([z.number(), z.string()]);
const Linked = z.object({ TxnId: Id, TxnType: z.string() }).passthrough();
const Taxed = z.object({ TaxCodeRef: Ref.optional(), ClassRef: Ref.optional() }).passthrough();

const Line = z
  .object({
    Amount: Amount.optional(),
    Description: z.string().optional(),
    DetailType: z.string().optional(),
    SalesItemLineDetail: Taxed.extend({ ItemRef: Ref.optional() }).optional(),
    DiscountLineDetail: z.object({ DiscountAccountRef: Ref.optional() }).passthrough().optional(),
    JournalEntryLineDetail: z
      .object({
        PostingType: z.string(),
        AccountRef: Ref,
        ClassRef: Ref.optional(),
        Entity: z.object({ Type: z.string().optional(), EntityRef: Ref.optional() }).passthrough().optional(),
      })
      .passthrough()
      .optional(),
    AccountBasedExpenseLineDetail: Taxed.extend({ AccountRef: Ref }).optional(),
    ItemBasedExpenseLineDetail: Taxed.extend({ ItemRef: Ref }).optional(),
    LinkedTxn: z.array(Linked).optional(),
  })
  .passthrough();

/**
 * The fields of a QBO transaction Tillbridge reads back (Intuit's names; everything else passes
 * through). Pure, with no Worker types, so Node-side tests and views use it too.
 */
export const QboDoc = z
  .object({
    Id: Id.optional(),
    SyncToken: Id.optional(),
    DocNumber: z.string().optional(),
    TxnDate: z.string().optional(),
    PrivateNote: z.string().optional(),
    TxnStatus: z.string().optional(),
    TotalAmt: Amount.optional(),
    CustomerRef: Ref.optional(),
    VendorRef: Ref.optional(),
    DepositToAccountRef: Ref.optional(),
    Line: z.array(Line).default([]),
    LinkedTxn: z.array(Linked).optional(),
    TxnTaxDetail: z
      .object({
        TxnTaxCodeRef: Ref.optional(),
        TotalTax: Amount.optional(),
        TaxLine: z
          .array(
            z
              .object({
                Amount: Amount.optional(),
                TaxLineDetail: z.object({ TaxRateRef: Ref }).passthrough().optional(),
              })
              .passthrough(),
          )
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type QboDoc = z.infer<typeof QboDoc>;
