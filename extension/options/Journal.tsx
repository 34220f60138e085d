import type { PreviewResponse } from "../../shared/api";
import { formatCents, useUi } from "./context";

type PreviewDocument = PreviewResponse["documents"][number];

const ENTITY_WORDS = {
  SalesReceipt: "doc.SalesReceipt",
  RefundReceipt: "doc.RefundReceipt",
  JournalEntry: "doc.JournalEntry",
  Invoice: "doc.Invoice",
  Payment: "doc.Payment",
  Bill: "doc.Bill",
  CreditMemo: "doc.CreditMemo",
} as const;

/**
 * One document as a bookkeeper reads it: a table of accounts with their debit and credit, the totals
 * (equal: it balances), and QBO's request body only under "technical" (issue 17.1's preview).
 */
export function JournalTable({ doc }: { doc: PreviewDocument }) {
  const { t } = useUi();
  const title = doc.entity in ENTITY_WORDS ? t(ENTITY_WORDS[doc.entity as keyof typeof ENTITY_WORDS]) : doc.entity;
  const j = doc.journal;
  return (
    <div class="journal" data-testid="journal" data-entity={doc.entity}>
      <h4>
        {title} {doc.docNumber ?? ""}
      </h4>
      {j ? (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t("journal.account")}</th>
              <th scope="col">{t("journal.memo")}</th>
              <th scope="col" class="num">
                {t("journal.debit")}
              </th>
              <th scope="col" class="num">
                {t("journal.credit")}
              </th>
            </tr>
          </thead>
          <tbody>
            {j.lines.map((l) => (
              <tr data-testid="journal-line">
                <td>{l.account}</td>
                <td class="muted">{l.memo}</td>
                <td class="num">{l.debitMinor ? formatCents(l.debitMinor) : ""}</td>
                <td class="num">{l.creditMinor ? formatCents(l.creditMinor) : ""}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t("journal.total")}
                {j.debitMinor === j.creditMinor ? <span class="muted"> · {t("journal.balanced")}</span> : null}
              </th>
              <td class="num" data-testid="journal-debits">
                {formatCents(j.debitMinor)}
              </td>
              <td class="num" data-testid="journal-credits">
                {formatCents(j.creditMinor)}
              </td>
            </tr>
          </tfoot>
        </table>
      ) : (
        <p class="muted">{t("journal.none")}</p>
      )}
      <details>
        <summary>{t("journal.raw")}</summary>
        <pre>{JSON.stringify(doc.body, null, 2)}</pre>
      </details>
    </div>
  );
}
