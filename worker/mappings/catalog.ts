import type { ObjectKind } from "../../shared/sync";

/**
 * Every mapping Tillbridge needs, with what it blocks when missing. Per-object keys (categories,
 * payment types, taxes, outlets) are listed from the POS's own lists; the rest are fixed keys.
 */
export interface FixedMapping {
  key: string;
  label: { en: string; fr: string };
  blocks: ObjectKind[];
  required: boolean;
  /** Only for companies on the global (non-US) tax model */
  globalTaxOnly?: boolean;
}

export const FIXED_MAPPINGS: FixedMapping[] = [
  {
    key: "closureCustomerId",
    label: { en: "the customer closures are posted to", fr: "le client des fermetures de caisse" },
    blocks: ["closure"],
    required: true,
  },
  {
    key: "accounts.closureClearing",
    label: { en: "the closure clearing account", fr: "le compte d'attente des fermetures" },
    blocks: ["closure"],
    required: true,
  },
  {
    key: "items.discount",
    label: { en: "the discount item (Discounts given)", fr: "l'article des rabais accordés" },
    blocks: ["closure", "sale"],
    required: true,
  },
  {
    key: "items.giftCardLiability",
    label: { en: "the gift card liability service", fr: "le service de passif des cartes-cadeaux" },
    blocks: ["closure"],
    required: true,
  },
  {
    key: "items.storeCreditLiability",
    label: { en: "the store credit liability service", fr: "le service de passif des crédits en magasin" },
    blocks: ["closure"],
    required: true,
  },
  {
    key: "items.tillDiscrepancy",
    label: { en: "the till discrepancy (over/short) item", fr: "l'article des écarts de caisse" },
    blocks: ["closure"],
    required: true,
  },
  {
    key: "items.rounding",
    label: { en: "the rounding item", fr: "l'article d'arrondi" },
    blocks: ["closure", "sale"],
    required: true,
  },
  {
    key: "accounts.giftCardLiability",
    label: { en: "the gift card liability account", fr: "le compte de passif des cartes-cadeaux" },
    blocks: ["closure", "gift_card_expiry", "sale_payment"],
    required: true,
  },
  {
    key: "accounts.giftCardBreakage",
    label: { en: "the gift card breakage income account", fr: "le compte de revenus des cartes-cadeaux expirées" },
    blocks: ["gift_card_expiry"],
    required: true,
  },
  {
    key: "accounts.storeCreditLiability",
    label: { en: "the store credit liability account", fr: "le compte de passif des crédits en magasin" },
    blocks: ["closure", "store_credit_issue", "sale_payment"],
    required: true,
  },
  {
    key: "accounts.storeCreditExpense",
    label: { en: "the store credit expense account", fr: "le compte de charge des crédits en magasin" },
    blocks: ["store_credit_issue"],
    required: true,
  },
  {
    key: "accounts.inventoryAsset",
    label: { en: "the inventory asset account", fr: "le compte d'actif des stocks" },
    blocks: ["purchase_order"],
    required: true,
  },
  {
    key: "accounts.shipping",
    label: { en: "the shipping account (purchase orders)", fr: "le compte des frais de livraison (achats)" },
    blocks: ["purchase_order"],
    required: true,
  },
  {
    key: "accounts.purchaseDiscount",
    label: { en: "the purchase discount account", fr: "le compte des escomptes sur achats" },
    blocks: ["purchase_order"],
    required: true,
  },
  {
    key: "accounts.duties",
    label: { en: "the customs duties account", fr: "le compte des droits de douane" },
    blocks: ["purchase_order"],
    required: true,
  },
  {
    key: "accounts.accountsPayable",
    label: { en: "the accounts payable account (optional)", fr: "le compte fournisseurs (facultatif)" },
    blocks: [],
    required: false,
  },
  {
    key: "nonTaxableTaxCodeId",
    label: { en: "the tax code for untaxed lines", fr: "le code de taxe des lignes non taxées" },
    blocks: ["closure", "sale"],
    required: true,
    globalTaxOnly: true,
  },
  {
    key: "purchaseTaxCodeId",
    label: { en: "the purchase tax code for bills", fr: "le code de taxe des factures d'achat" },
    blocks: ["purchase_order"],
    required: true,
    globalTaxOnly: true,
  },
];

/** Reads a dotted key ("items.discount") of the mappings document. */
export function mappingValue(mappings: Record<string, unknown>, key: string): unknown {
  let cur: unknown = mappings;
  for (const part of key.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Writes a dotted key, creating the objects on the way. */
export function setMappingValue(mappings: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let cur = mappings;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}
