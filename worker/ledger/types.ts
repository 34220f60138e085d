import type { About, ErrorCode } from "../../shared/errors";
import type { Mappings } from "../../shared/mappings";
import type { Customer, PosCategory, PosOutlet, PosPaymentType, PosTax, Supplier } from "../../shared/domain/pos";
import type { QboDocumentDraft, QboRefs } from "../../shared/domain/qbo";
import type { ObjectKind } from "../../shared/sync";

/** Everything the ledger needs besides the POS object itself. Plain data; the engine loads it. */
export interface LedgerContext {
  tenantId: string;
  mappings: Mappings;
  mappingVersion: number;
  /** Live company: accounts, items (with income/expense/asset accounts), tax codes (with rates), classes, departments */
  refs: QboRefs;
  /** Names for labels and reasons (deleted ones included) */
  paymentTypes: PosPaymentType[];
  /** POS taxes with their rates (rate as a decimal fraction string, e.g. "0.09975") */
  taxes: PosTax[];
  categories: PosCategory[];
  outlets: PosOutlet[];
  /**
   * The posting revision of objects the POS does not version itself (closures, sale payments,
   * gift-card and store-credit transactions): "1" unless the engine re-posts changed content
   * (DESIGN §2). Sales and purchase orders use the POS's own version.
   */
  revision?: string;
}

/** Why an object cannot post: `detail` in English; `about`, when set, the same as data each language words. */
export type Blocker = { code: ErrorCode; detail: string; mappingKey?: string; about?: About };

export type PostingResult = { ok: true; plan: PostingPlan } | { ok: false; blockers: Blocker[] };

/**
 * One row of the preview's line-up: the POS's figure against what the documents post.
 * `line` names the kind: net_sales, tax, gift_cards, store_credit, rounding, payment, bill_products,
 * bill_charge, invoice_lines, invoice_tax, sale_payment, expiry, store_credit_issue, account_credit — all of which
 * are 0 when the posting is right — and tax_override, which is informational: posMinor is the POS tax
 * the documents post (overriding QBO), postedMinor what QBO's own computation would have booked.
 * diffMinor = postedMinor − posMinor.
 */
export interface VarianceRow {
  line: string;
  label: string;
  posMinor: number;
  postedMinor: number;
  diffMinor: number;
}

export interface Effect {
  /** A QBO account id, or "tax:<qboTaxRateId>" (global model), "taxcode:<qboTaxCodeId>" (US model) */
  accountId: string;
  label: string;
  /** Debit positive, credit negative */
  debitMinor: number;
}

export interface PostingNeeds {
  customer?: Customer;
  vendor?: Supplier;
  invoiceOfSaleId?: string;
}

export interface PostingPlan {
  kind: ObjectKind;
  posId: string;
  posVersion: string;
  /** tb1|tenant|kind|posId|posVersion */
  key: string;
  /** YYYY-MM-DD */
  txnDate: string;
  /** Posting order; body = exactly the JSON to POST */
  documents: QboDocumentDraft[];
  variance: VarianceRow[];
  /** Net books effect per account; sums to 0 */
  effects: Effect[];
  /** Refs the engine must resolve before sending (placeholders in the drafts until then) */
  needs: PostingNeeds;
  /** The human lines of the preview */
  summary: { label: string; amountMinor: number }[];
}

/** Placeholders for refs the engine resolves (customer / vendor lookups, the invoice of a payment). */
export const PLACEHOLDER = {
  customer: "__customer__",
  vendor: "__vendor__",
  invoice: "__invoice__",
  creditMemo: "__credit_memo__",
} as const;
