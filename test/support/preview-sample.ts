import type { PreviewResponse } from "../../shared/api";

/**
 * A closure's preview as the Worker answers it (shared/api.ts PreviewResponse): one sales receipt as
 * balanced debits and credits, tied out, and a blocker. For the stand-in Workers of the browser and
 * happy-dom tests; the real one is proved by test/worker/setup/go-live.test.ts.
 */
export function previewSample(posId: string, blockers: PreviewResponse["blockers"] = []): PreviewResponse {
  return {
    kind: "closure",
    posId,
    state: "blocked",
    txnDate: "2026-12-07",
    documents: [
      {
        part: "sales",
        entity: "SalesReceipt",
        docNumber: "Z31-S",
        body: { Line: [] },
        journal: {
          lines: [
            {
              account: "Tillbridge closure clearing",
              accountId: "20",
              memo: "Total",
              debitMinor: 11_500,
              creditMinor: 0,
            },
            { account: "Sales", accountId: "40", memo: "Sales – Clothing", debitMinor: 0, creditMinor: 10_000 },
            { account: "Tax payable: GST (5 %)", accountId: null, memo: "GST", debitMinor: 0, creditMinor: 1_500 },
          ],
          debitMinor: 11_500,
          creditMinor: 11_500,
        },
      },
    ],
    summary: [],
    variance: [{ line: "takings", label: "Takings", posMinor: 11_500, postedMinor: 11_500, diffMinor: 0 }],
    blockers,
    posted: [],
  };
}
