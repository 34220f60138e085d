import { z } from "zod";
import type { LiabilitiesResponse, LiabilityRow } from "../../shared/api";
import { parseMinor } from "../../shared/money";
import { getMappings } from "../db/mappings";
import { getTenant } from "../db/tenants";
import { businessDate } from "../ledger";
import { PosClient } from "../pos/client";
import { cents } from "../pos/mappers/exact";
import { readObject } from "../pos/read";
import { loadReference } from "../pos/reference";
import { RawGiftCard, RawStoreCreditCustomer } from "../pos/schemas";
import { postedInPeriod, waitingInPeriod } from "../db/sync-items";
import { openQboPort, type QboPort } from "../qbo/port";
import type { Services } from "../services";
import { isVoided, type QboDoc, readDocs, viewOf } from "./doc-lines";

/**
 * The gift-card and store-credit liability roll-forward (SPEC §3.8): opening + issued − redeemed −
 * expired (± other movements) = closing, from the POS's own transactions, beside what Tillbridge
 * posted to the liability account in the same period (read back from QBO) and the account's
 * balance in QBO now against the POS's balance now. Every figure in cents, liabilities positive.
 */

type Which = "gift_card" | "store_credit";
type Movement = "issued" | "redeemed" | "expired" | "other";

interface PosTxn {
  date: string;
  amountMinor: number; // signed: onto the card / credit positive
  movement: Movement;
}

const GIFT_CARD_MOVES: Record<string, Movement> = {
  ACTIVATION: "issued",
  RELOADING: "issued",
  REDEEMING: "redeemed",
  REVERSING: "redeemed", // undoes a redemption
  EXPIRING: "expired",
};
const STORE_CREDIT_MOVES: Record<string, Movement> = { ISSUE: "issued", REDEMPTION: "redeemed" };

const POSTED_KINDS = ["closure", "sale", "sale_payment", "gift_card_expiry", "store_credit_issue"];
const SALES_FORMS = new Set(["SalesReceipt", "RefundReceipt", "Invoice", "CreditMemo"]);
const Settings = z.object({ syncFrom: z.string().optional() }).passthrough();
const AccountRow = z
  .object({ Id: z.string(), Name: z.string(), CurrentBalance: z.union([z.number(), z.string()]).optional() })
  .passthrough();

async function posTransactions(
  s: Services,
  tenantId: string,
): Promise<{ timeZone: string; txns: Record<Which, PosTxn[]>; balanceNow: Record<Which, number> }> {
  const client = PosClient.forTenant(s, tenantId);
  const ref = await loadReference(s, tenantId, client);
  const timeZone = ref.retailer.timeZone ?? ref.outlets[0]?.timeZone ?? "UTC";
  const txns: Record<Which, PosTxn[]> = { gift_card: [], store_credit: [] };
  const balanceNow: Record<Which, number> = { gift_card: 0, store_credit: 0 };
  const day = (instant: string) => businessDate(instant, timeZone);

  for (const raw of await client.giftCards()) {
    const card = readObject(RawGiftCard, raw, "gift card");
    let sum = 0;
    for (const t of card.gift_card_transactions ?? []) {
      const amountMinor = cents(t.amount);
      sum += amountMinor;
      txns.gift_card.push({
        date: day(t.created_at),
        amountMinor,
        movement: GIFT_CARD_MOVES[t.type.toUpperCase()] ?? "other",
      });
    }
    balanceNow.gift_card += card.balance != null ? cents(card.balance) : sum;
  }
  const body = await client.get("/store_credits", { page_size: 1000 });
  const list = Array.isArray(body) ? body : z.object({ data: z.array(z.unknown()) }).parse(body).data;
  for (const raw of list) {
    const credit = readObject(RawStoreCreditCustomer, raw, "store credit customer");
    let sum = 0;
    for (const t of credit.store_credit_transactions ?? []) {
      const amountMinor = cents(t.amount);
      sum += amountMinor;
      txns.store_credit.push({
        date: day(t.created_at),
        amountMinor,
        movement: STORE_CREDIT_MOVES[t.type.toUpperCase()] ?? "other",
      });
    }
    balanceNow.store_credit += credit.balance != null ? cents(credit.balance) : sum;
  }
  return { timeZone, txns, balanceNow };
}

function rollForward(txns: PosTxn[], from: string, to: string, balanceNowMinor: number): LiabilityRow["pos"] {
  const out = {
    openingMinor: 0,
    issuedMinor: 0,
    redeemedMinor: 0,
    expiredMinor: 0,
    otherMinor: 0,
    closingMinor: 0,
    balanceNowMinor,
  };
  for (const t of txns) {
    if (t.date < from) out.openingMinor += t.amountMinor;
    else if (t.date <= to) {
      if (t.movement === "issued") out.issuedMinor += t.amountMinor;
      else if (t.movement === "redeemed") out.redeemedMinor -= t.amountMinor;
      else if (t.movement === "expired") out.expiredMinor -= t.amountMinor;
      else out.otherMinor += t.amountMinor;
    }
  }
  out.closingMinor = out.openingMinor + out.issuedMinor - out.redeemedMinor - out.expiredMinor + out.otherMinor;
  return out;
}

/** What Tillbridge's postings dated in the period did to each liability account, read back from QBO. */
async function posted(
  s: Services,
  tenantId: string,
  from: string,
  to: string,
  accounts: Record<Which, string | undefined>,
  port: Pick<QboPort, "readDocuments">,
  incomeOf: (itemId: string) => string | undefined,
) {
  const empty = () => ({ issuedMinor: 0, redeemedMinor: 0, expiredMinor: 0, netMinor: 0, documents: 0, waiting: 0 });
  const out: Record<Which, LiabilityRow["posted"]> = { gift_card: empty(), store_credit: empty() };
  const results = await postedInPeriod(s.db, tenantId, POSTED_KINDS, from, to);
  out.gift_card.waiting = out.store_credit.waiting = await waitingInPeriod(s.db, tenantId, POSTED_KINDS, from, to);

  // Payments land in deposit or clearing accounts only: their liability side is a journal entry
  const Docs = z.array(z.object({ entity: z.string(), id: z.string() }));
  const docs = results
    .flatMap((r) => Docs.parse(JSON.parse(r.docs_json)).map((d) => ({ kind: r.kind, ...d })))
    .filter((d) => d.entity !== "Payment");
  const byEntity = new Map<string, string[]>();
  for (const d of docs) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d.id]);
  const read = new Map<string, QboDoc>();
  for (const [entity, ids] of byEntity)
    for (const [id, doc] of await readDocs(port, entity, ids)) read.set(`${entity}:${id}`, doc);

  for (const d of docs) {
    const raw = read.get(`${d.entity}:${d.id}`);
    if (!raw) continue;
    const view = viewOf(d.entity, raw);
    const form = SALES_FORMS.has(d.entity);
    for (const which of ["gift_card", "store_credit"] as const) {
      const account = accounts[which];
      if (!account) continue;
      let touched = false;
      for (const l of view.lines) {
        const [head = ""] = l.ref.split("|");
        const [type, id = ""] = head.split(":");
        const target = type === "item" ? incomeOf(id) : type === "account" ? id : undefined;
        if (target !== account || l.amountMinor === 0) continue;
        // sales forms are signed as the customer's side (positive credits the line's account); journals debit-positive
        const up = form ? l.amountMinor : -l.amountMinor;
        touched = true;
        const o = out[which];
        o.netMinor += up;
        if (d.kind === "gift_card_expiry") o.expiredMinor -= up;
        else if (up > 0) o.issuedMinor += up;
        else o.redeemedMinor -= up;
      }
      if (touched && !isVoided(raw)) out[which].documents++;
    }
  }
  return out;
}

export async function liabilityReport(
  s: Services,
  tenantId: string,
  from: string,
  to: string,
): Promise<LiabilitiesResponse> {
  const [{ mappings }, tenant, pos] = await Promise.all([
    getMappings(s.db, tenantId),
    getTenant(s.db, tenantId),
    posTransactions(s, tenantId),
  ]);
  const accounts: Record<Which, string | undefined> = {
    gift_card: mappings.accounts.giftCardLiability,
    store_credit: mappings.accounts.storeCreditLiability,
  };
  const port = await openQboPort(s, tenantId);
  const refs = await port.refs();
  const incomeOf = (itemId: string) => refs.items.find((i) => i.id === itemId)?.incomeAccountId ?? undefined;
  const postedBy = await posted(s, tenantId, from, to, accounts, port, incomeOf);
  const ids = Object.values(accounts).filter((x): x is string => Boolean(x));
  const balances = ids.length ? (await port.readDocuments("Account", ids)).map((r) => AccountRow.parse(r)) : [];
  const asOf = s.now().toISOString();

  const liabilities = (["gift_card", "store_credit"] as const).map((which): LiabilityRow => {
    const account = accounts[which];
    const row = balances.find((b) => b.Id === account);
    const p = rollForward(pos.txns[which], from, to, pos.balanceNow[which]);
    const t = postedBy[which];
    const qboBalance = row?.CurrentBalance !== undefined ? parseMinor(row.CurrentBalance) : null;
    const diff = (line: string, label: string, posMinor: number, otherMinor: number) => ({
      line,
      label,
      posMinor,
      otherMinor,
      diffMinor: otherMinor - posMinor,
    });
    return {
      liability: which,
      account: account
        ? { id: account, name: row?.Name ?? refs.accounts.find((a) => a.id === account)?.name ?? account }
        : null,
      pos: p,
      posted: t,
      qbo: { balanceMinor: qboBalance, asOf },
      differences: [
        diff("issued", "Issued: posted by Tillbridge vs the POS", p.issuedMinor, t.issuedMinor),
        diff("redeemed", "Redeemed: posted by Tillbridge vs the POS", p.redeemedMinor, t.redeemedMinor),
        diff("expired", "Expired: posted by Tillbridge vs the POS", p.expiredMinor, t.expiredMinor),
        ...(qboBalance === null
          ? []
          : [diff("balance", "Balance now: the QuickBooks Online account vs the POS", p.balanceNowMinor, qboBalance)]),
      ],
    };
  });
  const syncFrom = Settings.parse(JSON.parse(tenant?.settings_json ?? "{}")).syncFrom ?? null;
  return { from, to, timeZone: pos.timeZone, syncFrom, liabilities };
}
