import type { ObjectKind } from "../../shared/sync";
import { type Lang, translators } from "../../shared/i18n/translate";

/**
 * The daily digest's words, in English and French. The Worker alone says them (in an email), so they
 * live beside the digest; French carries every key (its type says so).
 */
const en = {
  "subject.one": "Tillbridge: 1 item needs your attention",
  "subject.many": "Tillbridge: {n} items need your attention",
  "intro.one": "1 item from {store} will not reach QuickBooks Online without you.",
  "intro.many": "{n} items from {store} will not reach QuickBooks Online without you.",
  counts: "{blocked} waiting for a fix, {failed} failed and to be retried, {rejected} refused.",
  "state.blocked": "Waiting for a fix",
  "state.failed": "Failed, will be retried",
  "state.rejected": "Refused",
  todo: "What to do:",
  more: "…and {n} more in the list.",
  open: "Open the list in Tillbridge settings",
  openAt: "Open the list in Tillbridge settings: {link}",
  openHint: "Open it in the browser where the Tillbridge extension is installed.",
  since: "Since {when}",
  footer:
    "You receive this email because the daily digest is on in Tillbridge settings (Needs attention). Turn it off there.",
  "kind.closure": "Register closure",
  "kind.purchase_order": "Purchase order",
  "kind.sale": "Sale",
  "kind.sale_payment": "Payment on a sale",
  "kind.gift_card_expiry": "Gift-card expiry",
  "kind.store_credit_issue": "Store credit issued",
  "kind.account_credit": "Credit applied to an invoice",
  "kind.supplier_return": "Supplier return",
  "kind.stocktake": "Stocktake",
  "kind.stock_adjustment": "Stock adjustment",
  "kind.stock_transfer": "Stock transfer",
} satisfies Record<string, string>;

export type DigestKey = keyof typeof en;

const fr: Record<DigestKey, string> = {
  "subject.one": "Tillbridge : 1 élément demande votre attention",
  "subject.many": "Tillbridge : {n} éléments demandent votre attention",
  "intro.one": "1 élément de {store} n'arrivera pas dans QuickBooks En ligne sans vous.",
  "intro.many": "{n} éléments de {store} n'arriveront pas dans QuickBooks En ligne sans vous.",
  counts: "{blocked} en attente d'une correction, {failed} en échec et à réessayer, {rejected} refusés.",
  "state.blocked": "En attente d'une correction",
  "state.failed": "En échec, sera réessayé",
  "state.rejected": "Refusé",
  todo: "Que faire :",
  more: "…et {n} autres dans la liste.",
  open: "Ouvrir la liste dans les réglages de Tillbridge",
  openAt: "Ouvrir la liste dans les réglages de Tillbridge : {link}",
  openHint: "Ouvrez-la dans le navigateur où l'extension Tillbridge est installée.",
  since: "Depuis le {when}",
  footer:
    "Vous recevez ce courriel parce que le résumé quotidien est activé dans les réglages de Tillbridge (À traiter). Désactivez-le à cet endroit.",
  "kind.closure": "Fermeture de caisse",
  "kind.purchase_order": "Bon de commande",
  "kind.sale": "Vente",
  "kind.sale_payment": "Paiement sur une vente",
  "kind.gift_card_expiry": "Expiration de carte-cadeau",
  "kind.store_credit_issue": "Crédit en magasin émis",
  "kind.account_credit": "Crédit appliqué à une facture",
  "kind.supplier_return": "Retour au fournisseur",
  "kind.stocktake": "Inventaire physique",
  "kind.stock_adjustment": "Ajustement de stock",
  "kind.stock_transfer": "Transfert entre points de vente",
};

export const DIGEST_WORDS: Record<Lang, Record<DigestKey, string>> = { en, fr };
export const digestWords = translators<DigestKey>(DIGEST_WORDS);
export const kindKey = (kind: ObjectKind): DigestKey => `kind.${kind}`;
