import type { FamilyName, FixedPath } from "../mapping-catalog";

/**
 * The words both programs say, in English, in two parts: `reasons` (error reasons and what they are
 * about: what a badge says, so the content script bundles only these) and `settings` (the mapping
 * catalog's labels and help, why a mapping is suggested). `fr.ts` carries every key (its types say
 * so, and test/ext/i18n.test.ts checks the values). `{name}` placeholders are filled by the
 * translator (./translate.ts). The extension's own words are in extension/i18n.
 */
export const reasons = {
  // ---- error reasons (shared/errors.ts): a title with {detail}, and what to do ----
  "error.bad_request.title": "The request is not valid: {detail}",
  "error.bad_request.action": "Correct the fields named and try again.",
  "error.unauthorized.title": "You are not signed in to Tillbridge.",
  "error.unauthorized.action": "Open Tillbridge settings and connect your store again.",
  "error.forbidden.title": "This belongs to another store.",
  "error.forbidden.action": "Sign in with the store that owns it.",
  "error.not_found.title": "Not found: {detail}",
  "error.not_found.action": "Check the link or reload the page.",
  "error.conflict.title": "This changed while you were working: {detail}",
  "error.conflict.action": "Reload and try again.",
  "error.payload_too_large.title": "The request is too large.",
  "error.payload_too_large.action": "Send less data at once.",
  "error.unsupported_media_type.title": "The request must be sent as {detail}.",
  "error.unsupported_media_type.action": "Send it with the right content type.",
  "error.rate_limited.title": "Too many requests.",
  "error.rate_limited.action": "Wait a minute and try again.",
  "error.tenant_moving.title": "Tillbridge is moving this store's data to another database.",
  "error.tenant_moving.action": "Nothing is lost; try again in a minute.",
  "error.internal.title": "Something went wrong in Tillbridge (reference {detail}).",
  "error.internal.action": "It will be retried; if it persists, contact support with the reference.",
  "error.oauth_state_invalid.title": "This connection link has expired or was already used.",
  "error.oauth_state_invalid.action": "Start the connection again from Tillbridge settings.",
  "error.oauth_denied.title": "The connection was not authorised ({detail}).",
  "error.oauth_denied.action": "Start the connection again and approve access.",
  "error.qbo_not_connected.title": "QuickBooks Online is not connected.",
  "error.qbo_not_connected.action":
    "Connect to QuickBooks in Tillbridge settings; waiting items will then be sent by themselves.",
  "error.pos_not_connected.title": "The Retail POS is not connected.",
  "error.pos_not_connected.action": "Connect your store in Tillbridge settings.",
  "error.qbo_needs_reconnect.title": "The QuickBooks Online connection has ended ({detail}).",
  "error.qbo_needs_reconnect.action":
    "Reconnect to QuickBooks in Tillbridge settings; waiting items will then be sent by themselves.",
  "error.pos_needs_reconnect.title": "The Retail POS connection has ended ({detail}).",
  "error.pos_needs_reconnect.action": "Reconnect your store in Tillbridge settings.",
  "error.qbo_token_expired.title": "The QuickBooks Online access token expired.",
  "error.qbo_token_expired.action": "Tillbridge refreshes it by itself.",
  "error.webhook_signature_invalid.title": "The webhook signature does not match.",
  "error.webhook_signature_invalid.action": "Check the webhook secret configured for this store.",
  "error.needs_mapping.title": "{detail} is not mapped.",
  "error.needs_mapping.action": "Map it in Tillbridge settings; this will then be sent by itself.",
  "error.needs_counted_totals.title": "The counted totals of this closure are not known yet.",
  "error.needs_counted_totals.action":
    "Open this closure's summary page in the back office once; Tillbridge reads the counted totals from it.",
  "error.closed_period.title": "The books are closed on {detail} in QuickBooks Online.",
  "error.closed_period.action":
    "Move the closing date in QuickBooks Online, or choose to post into the first open day.",
  "error.waiting_for.title": "Waiting for {detail} to be posted first.",
  "error.waiting_for.action": "Nothing to do: this is sent right after it.",
  "error.credit_applied.title":
    "A credit on account that Tillbridge applied is linked to this document ({detail}), and a re-send cannot apply it again yet.",
  "error.credit_applied.action":
    "In QuickBooks Online, delete the payment that applies the credit; then re-send this object, and re-send the credit after it.",
  "error.not_live.title":
    "Tillbridge is not live yet for this store: nothing goes to QuickBooks Online before you say so.",
  "error.not_live.action": "Check the preview of the first closure in Tillbridge's setup, then choose Go live.",
  "error.unsupported_event.title": "Tillbridge cannot post this yet: {detail}",
  "error.unsupported_event.action": "Record it by hand in QuickBooks Online, then mark it as handled.",
  "error.pos_throttled.title": "The Retail POS asked Tillbridge to slow down.",
  "error.pos_throttled.action": "Nothing to do: it will be retried shortly.",
  "error.pos_transient.title": "The Retail POS did not answer properly ({detail}).",
  "error.pos_transient.action": "Nothing to do: it will be retried.",
  "error.pos_payload_invalid.title": "The Retail POS sent data Tillbridge cannot read: {detail}",
  "error.pos_payload_invalid.action": "Check this object in the back office; contact support if it looks right.",
  "error.pos_not_found.title": "The Retail POS no longer has this object ({detail}).",
  "error.pos_not_found.action": "It may have been deleted; nothing will be posted.",
  "error.pos_not_read_yet.title": "Tillbridge has not read this from the Retail POS yet ({detail}).",
  "error.pos_not_read_yet.action":
    "It is read when the POS announces it or at the next check, within a minute; look again then.",
  "error.qbo_throttled.title": "QuickBooks Online asked Tillbridge to slow down.",
  "error.qbo_throttled.action": "Nothing to do: it will be sent within a minute or two.",
  "error.qbo_transient.title": "QuickBooks Online did not answer properly ({detail}).",
  "error.qbo_transient.action": "Nothing to do: Tillbridge checks whether it was recorded and retries.",
  "error.qbo_stale_object.title": "The document changed in QuickBooks Online while Tillbridge was updating it.",
  "error.qbo_stale_object.action": "Nothing to do: Tillbridge re-reads it and retries.",
  "error.qbo_duplicate_name.title": "QuickBooks Online already has a customer, vendor or employee named {detail}.",
  "error.qbo_duplicate_name.action": "Rename one of them in QuickBooks Online, then retry.",
  "error.qbo_duplicate_doc_number.title": "QuickBooks Online already has document number {detail}.",
  "error.qbo_duplicate_doc_number.action": "Nothing to do: Tillbridge looks it up and adopts it if it is this posting.",
  "error.qbo_invalid_reference.title": "Something mapped is inactive or deleted in QuickBooks Online: {detail}",
  "error.qbo_invalid_reference.action":
    "Reactivate it in QuickBooks Online or choose another in Tillbridge settings; this will then be sent by itself.",
  "error.qbo_validation.title": "QuickBooks Online refused this: {detail}",
  "error.qbo_validation.action": "Correct what QuickBooks Online names, then retry.",
  "error.qbo_subscription_lapsed.title": "The QuickBooks Online subscription is not active.",
  "error.qbo_subscription_lapsed.action":
    "Renew the subscription in QuickBooks Online; waiting items will then be sent by themselves.",
  "error.qbo_forbidden.title": "QuickBooks Online refused access ({detail}).",
  "error.qbo_forbidden.action":
    "Reconnect with a QuickBooks Online administrator, or check that the app keys match the company's environment.",

  // ---- what a reason is about (About in shared/errors.ts) ----
  "about.problem": "{thing}: {problem}",
  "about.optional": "{thing} (optional)",
  "list.separator": "; ",
  "list.or": " or ",
  "list.more": "and {n} more",
  "problem.gone.account": "QBO account {id} no longer exists",
  "problem.gone.item": "QBO product/service {id} no longer exists",
  "problem.gone.taxCode": "QBO tax code {id} no longer exists",
  "problem.gone.class": "QBO class {id} does not exist",
  "problem.gone.location": "QBO location {id} does not exist",
  "problem.gone.customer": "QBO customer {id} no longer exists",
  "problem.inactive.account": "QBO account '{name}' is inactive",
  "problem.inactive.item": "QBO product/service '{name}' is inactive",
  "problem.inactive.taxCode": "QBO tax code '{name}' is inactive",
  "problem.inactive.class": "QBO class '{name}' is inactive",
  "problem.inactive.location": "QBO location '{name}' is inactive",
  "problem.inactive.customer": "QBO customer '{name}' is inactive",
  "problem.wrongType.account": "QBO account '{name}' is of type {type}; it must be {allowed}",
  "problem.wrongType.item": "QBO product/service '{name}' is of type {type}; it must be {allowed}",
  "problem.chargesTax": "QBO tax code '{name}' charges tax",
  "problem.noIncomeAccount": "QBO product/service '{name}' has no income account",
  "problem.postsElsewhere": "QBO product/service '{name}' posts to '{postsTo}', not to {account} '{accountName}'",

  // ---- QBO account and item types, as QuickBooks Online names them ----
  "qbo.type.Bank": "Bank",
  "qbo.type.Other Current Asset": "Other Current Asset",
  "qbo.type.Fixed Asset": "Fixed Asset",
  "qbo.type.Other Asset": "Other Asset",
  "qbo.type.Accounts Receivable": "Accounts Receivable",
  "qbo.type.Equity": "Equity",
  "qbo.type.Expense": "Expense",
  "qbo.type.Other Expense": "Other Expense",
  "qbo.type.Cost of Goods Sold": "Cost of Goods Sold",
  "qbo.type.Accounts Payable": "Accounts Payable",
  "qbo.type.Credit Card": "Credit Card",
  "qbo.type.Long Term Liability": "Long Term Liability",
  "qbo.type.Other Current Liability": "Other Current Liability",
  "qbo.type.Income": "Income",
  "qbo.type.Other Income": "Other Income",
  "qbo.type.Service": "Service",
  "qbo.type.NonInventory": "NonInventory",
  "qbo.type.Inventory": "Inventory",
  "qbo.type.Category": "Category",
  "qbo.type.Group": "Group",
  "qbo.type.Bundle": "Bundle",

  // ---- each mapping of the catalog (shared/mapping-catalog.ts) as a sentence names it ----
  "mapping.categories.thing": "category '{name}'",
  "mapping.categories.thingDeleted": "category '{name}' (deleted)",
  "mapping.paymentTypes.thing": "payment type '{name}'",
  "mapping.paymentTypes.thingDeleted": "payment type '{name}' (deleted)",
  "mapping.taxes.thing": "POS tax '{name}'",
  "mapping.taxes.thingDeleted": "POS tax '{name}' (deleted)",
  "mapping.outlets.thing": "outlet '{name}'",
  "mapping.outlets.thingDeleted": "outlet '{name}' (deleted)",
  "mapping.adjustmentTypes.thing": "the POS charge type '{name}'",
  "mapping.adjustmentTypes.thingDeleted": "the POS charge type '{name}' (no longer used)",
  "mapping.items.discount.thing": "the discount item",
  "mapping.items.giftCardLiability.thing": "the gift card liability service",
  "mapping.items.storeCreditLiability.thing": "the store credit liability service",
  "mapping.items.tillDiscrepancy.thing": "the till discrepancy item",
  "mapping.items.rounding.thing": "the rounding item",
  "mapping.items.tips.thing": "the tips service",
  "mapping.items.surcharge.thing": "the surcharge and fee item",
  "mapping.items.customCharge.thing": "the custom charge item",
  "mapping.accounts.closureClearing.thing": "the closure clearing account",
  "mapping.accounts.giftCardLiability.thing": "the gift card liability account",
  "mapping.accounts.giftCardBreakage.thing": "the gift card breakage income account",
  "mapping.accounts.storeCreditLiability.thing": "the store credit liability account",
  "mapping.accounts.storeCreditExpense.thing": "the store credit expense account",
  "mapping.accounts.tipsPayable.thing": "the tips payable account",
  "mapping.accounts.loyalty.thing": "the loyalty redemptions account",
  "mapping.accounts.inventoryAsset.thing": "the inventory asset account",
  "mapping.accounts.shipping.thing": "the shipping account",
  "mapping.accounts.purchaseDiscount.thing": "the purchase discount account",
  "mapping.accounts.duties.thing": "the customs duties account",
  "mapping.accounts.accountsPayable.thing": "the accounts payable account",
  "mapping.accounts.cogs.thing": "the cost of goods sold account",
  "mapping.shrinkage.default.thing": "the default shrinkage account",
  "mapping.shrinkage.stocktake.thing": "the stocktake shrinkage account",
  "mapping.shrinkage.damage.thing": "the damage shrinkage account",
  "mapping.shrinkage.expiry.thing": "the expiry shrinkage account",
  "mapping.shrinkage.internalUse.thing": "the internal use account",
  "mapping.shrinkage.theft.thing": "the theft shrinkage account",
  "mapping.shrinkage.donation.thing": "the donations account",
  "mapping.shrinkage.stockFound.thing": "the stock found account",
  "mapping.shrinkage.sampleForSale.thing": "the samples returned to sale account",
  "mapping.shrinkage.custom.thing": "the custom reasons account",
  "mapping.options.postCogs.thing": "posting cost of goods sold",
  "mapping.options.cogsPerCategory.thing": "cost of goods sold per category",
  "mapping.nonTaxableTaxCodeId.thing": "the non-taxable tax code",
  "mapping.purchaseTaxCodeId.thing": "the purchase tax code",
  "mapping.closureCustomerId.thing": "the closure customer",
  "mapping.options.autoSendPurchaseOrders.thing": "sending received purchase orders without a click",
} as const;

export const settings = {
  // ---- each mapping of the catalog (shared/mapping-catalog.ts): its field's label and help ----
  "mapping.categories.label": "Product categories → products/services",
  "mapping.categories.help": "Each category's sales post through this product/service, to its income account.",
  "mapping.paymentTypes.label": "Payment types → where the money lands",
  "mapping.paymentTypes.help":
    "Where each payment type's money lands (a bank or clearing account), or which liability it reduces. Deleted payment types still on past sales are listed too.",
  "mapping.taxes.label": "POS taxes → QuickBooks tax codes",
  "mapping.taxes.help": "The QuickBooks tax code with the same rates as each POS tax (US companies: taxable or not).",
  "mapping.outlets.label": "Outlets → classes and locations",
  "mapping.outlets.help": "Optional: the class and/or location each outlet's postings carry.",
  "mapping.adjustmentTypes.label": "Other POS charge types → products/services",
  "mapping.adjustmentTypes.help":
    "A kind of charge the POS adds to sales that Tillbridge does not know yet waits here for the product/service it posts through.",
  "mapping.items.discount.label": "Discounts given",
  "mapping.items.discount.help": "Discounts on closures and invoices post through this item, reducing sales.",
  "mapping.items.giftCardLiability.label": "Gift card liability service",
  "mapping.items.giftCardLiability.help":
    "Gift cards sold post through this service; its income account must be the gift card liability account.",
  "mapping.items.storeCreditLiability.label": "Store credit liability service",
  "mapping.items.storeCreditLiability.help":
    "Store credit issued at the till posts through this service; its income account must be the store credit liability account.",
  "mapping.items.tillDiscrepancy.label": "Till discrepancies (over/short)",
  "mapping.items.tillDiscrepancy.help":
    "The difference between counted and expected money at closing posts through this item.",
  "mapping.items.rounding.label": "Rounding",
  "mapping.items.rounding.help": "Cash rounding, and the cents left between what customers paid and sales plus tax.",
  "mapping.items.tips.label": "Tips service",
  "mapping.items.tips.help":
    "Tips are owed to staff, never income: they post through this non-taxable service, whose income account must be the tips payable account.",
  "mapping.items.surcharge.label": "Surcharges and non-cash fees",
  "mapping.items.surcharge.help":
    "Card surcharges and non-cash fees post through this item, taxed as the POS taxed them.",
  "mapping.items.customCharge.label": "Custom charges",
  "mapping.items.customCharge.help":
    "Online-store custom charges (delivery, gift wrapping…) post through this item, taxed as the POS taxed them.",
  "mapping.accounts.closureClearing.label": "Closure clearing account",
  "mapping.accounts.closureClearing.help":
    "A closure's sales land here first; its payments journal then moves each payment type's money out.",
  "mapping.accounts.giftCardLiability.label": "Gift card liability account",
  "mapping.accounts.giftCardLiability.help": "What the store owes on gift cards sold and not yet redeemed.",
  "mapping.accounts.giftCardBreakage.label": "Gift card breakage income",
  "mapping.accounts.giftCardBreakage.help": "Income when a gift card expires with a balance left.",
  "mapping.accounts.storeCreditLiability.label": "Store credit liability account",
  "mapping.accounts.storeCreditLiability.help": "What the store owes on store credit issued and not yet used.",
  "mapping.accounts.storeCreditExpense.label": "Store credit expense",
  "mapping.accounts.storeCreditExpense.help": "The cost of store credit issued by hand (not against a return).",
  "mapping.accounts.tipsPayable.label": "Tips payable account",
  "mapping.accounts.tipsPayable.help": "What the store owes its staff for tips customers paid.",
  "mapping.accounts.loyalty.label": "Loyalty redemptions account",
  "mapping.accounts.loyalty.help":
    "Loyalty payments are value the store gives away: an expense, a contra-income account, or the liability where loyalty is accrued.",
  "mapping.accounts.inventoryAsset.label": "Inventory Asset",
  "mapping.accounts.inventoryAsset.help": "Received purchase orders add their products' cost here.",
  "mapping.accounts.shipping.label": "Shipping on purchase orders",
  "mapping.accounts.shipping.help": "Freight that suppliers charge on purchase orders.",
  "mapping.accounts.purchaseDiscount.label": "Discounts on purchase orders",
  "mapping.accounts.purchaseDiscount.help": "Discounts that suppliers give on purchase orders.",
  "mapping.accounts.duties.label": "Customs duties on purchase orders",
  "mapping.accounts.duties.help": "Customs duties paid on purchase orders.",
  "mapping.accounts.accountsPayable.label": "Accounts payable",
  "mapping.accounts.accountsPayable.help":
    "Optional: bills go to the company's default accounts payable account when none is chosen.",
  "mapping.accounts.cogs.label": "Cost of goods sold",
  "mapping.accounts.cogs.help":
    "Optional: with it, each closure and on-account or layby sale takes its products' cost out of Inventory Asset into this account.",
  "mapping.shrinkage.default.label": "Inventory shrinkage (default)",
  "mapping.shrinkage.default.help":
    "Stock lost or found moves Inventory Asset against this account when its reason has none of its own.",
  "mapping.shrinkage.stocktake.label": "Stocktake gains and losses",
  "mapping.shrinkage.stocktake.help":
    "Optional: completed stocktakes' gains and losses at cost; otherwise the default shrinkage account.",
  "mapping.shrinkage.damage.label": "Stock adjustments: damage",
  "mapping.shrinkage.damage.help": "Optional: stock written off as damaged; otherwise the default shrinkage account.",
  "mapping.shrinkage.expiry.label": "Stock adjustments: expiry",
  "mapping.shrinkage.expiry.help": "Optional: stock written off as expired; otherwise the default shrinkage account.",
  "mapping.shrinkage.internalUse.label": "Stock adjustments: internal use",
  "mapping.shrinkage.internalUse.help":
    "Optional: stock the store used itself; otherwise the default shrinkage account.",
  "mapping.shrinkage.theft.label": "Stock adjustments: theft",
  "mapping.shrinkage.theft.help": "Optional: stock stolen; otherwise the default shrinkage account.",
  "mapping.shrinkage.donation.label": "Stock adjustments: donation",
  "mapping.shrinkage.donation.help": "Optional: stock given away; otherwise the default shrinkage account.",
  "mapping.shrinkage.stockFound.label": "Stock adjustments: stock found",
  "mapping.shrinkage.stockFound.help":
    "Optional: stock found again (a gain at cost); otherwise the default shrinkage account.",
  "mapping.shrinkage.sampleForSale.label": "Stock adjustments: sample for sale",
  "mapping.shrinkage.sampleForSale.help":
    "Optional: samples put back up for sale (a gain at cost); otherwise the default shrinkage account.",
  "mapping.shrinkage.custom.label": "Stock adjustments: custom reasons",
  "mapping.shrinkage.custom.help":
    "Optional: adjustments with one of the store's own reasons; otherwise the default shrinkage account.",
  "mapping.nonTaxableTaxCodeId.label": "Tax code for untaxed lines",
  "mapping.nonTaxableTaxCodeId.help":
    "Gift cards, liabilities, over/short and rounding carry no tax; QuickBooks still wants a code on each line.",
  "mapping.purchaseTaxCodeId.label": "Tax code on bills",
  "mapping.purchaseTaxCodeId.help":
    "The tax code on purchase-order bill lines, e.g. the one that claims input tax credits.",
  "mapping.closureCustomerId.label": "Customer for closure postings",
  "mapping.closureCustomerId.help": "The QuickBooks customer a closure's sales receipt is made out to.",
  "mapping.options.autoSendPurchaseOrders.label": "Send received purchase orders without a click",
  "mapping.options.autoSendPurchaseOrders.help":
    "Otherwise each received purchase order waits for its Send button in the back office.",
  "mapping.options.postCogs.label": "Post cost of goods sold",
  "mapping.options.postCogs.help":
    "Each closure and on-account or layby sale posts a journal entry at the POS's cost of the products sold, once a cost of goods sold account is chosen.",
  "mapping.options.cogsPerCategory.label": "Cost of goods sold per category",
  "mapping.options.cogsPerCategory.help":
    "Each category's cost goes to the expense account of its product/service when that is a cost of goods sold account.",

  // ---- why a mapping is suggested ----
  "suggest.giftCardRole": "a gift card payment reduces the gift card liability",
  "suggest.storeCreditRole": "a store credit payment reduces the store credit liability",
  "suggest.loyaltyRole": "a Loyalty payment is value given away, not money: it goes to the loyalty account",
  "suggest.onAccountRole": "on-account charges post as their own invoices",
  "suggest.cash": "cash goes to '{name}'",
  "suggest.card": "card and other payments wait in '{name}' until the processor's deposit",
  "suggest.sameName": "same name as '{name}'",
  "suggest.generalItem": "post through the general '{name}' item",
  "suggest.sameRates": "'{name}' has the same rates",
  "suggest.taxable": "taxable in QuickBooks Online (TAX)",
  "suggest.notTaxable": "not taxable (NON)",
  "suggest.looksLike": "'{name}' looks like {thing}",
  "suggest.matchesName": "'{name}' matches by name",
  "suggest.untaxedLines": "gift cards, liabilities and over/short carry no tax",
  "suggest.inputTaxCredits": "claims input tax credits on purchases",
  "suggest.noPurchaseRates": "no purchase tax code with rates",
  "suggest.storeCustomer": "a customer for the store's own sales",
} as const;

export type ReasonKey = keyof typeof reasons;
export type SettingKey = keyof typeof settings;
export type SharedKey = ReasonKey | SettingKey;

/** Every catalog entry has its words (the compiler names a missing one). */
type Has<K extends string, T extends Record<K, string>> = T;
export type CatalogThings = Has<
  `mapping.${FamilyName}.${"thing" | "thingDeleted"}` | `mapping.${FixedPath}.thing`,
  typeof reasons
>;
export type CatalogFields = Has<`mapping.${FamilyName | FixedPath}.${"label" | "help"}`, typeof settings>;
