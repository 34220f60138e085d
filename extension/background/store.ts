import { storage } from "wxt/utils/storage";
import type { Lang } from "../../shared/errors";
import type { SelectorReport } from "../messaging";

/**
 * Everything the extension keeps, declared once, typed and versioned. Only the background reads
 * or writes these: content scripts ask the background (messaging.ts), and the background asks the
 * browser to keep storage.local away from content scripts where it can (see background.ts).
 */

export interface StoredSession {
  token: string;
  tenantId: string;
  storeName: string;
  expiresAt: string;
}

/** The Worker session (Authorization: Bearer). Never sent to a content script or a page. */
export const sessionItem = storage.defineItem<StoredSession | null>("local:session", { fallback: null, version: 1 });

/** A POS connect flow under way: the nonce whose hash went to /auth/pos/start. */
export interface PendingConnect {
  nonce: string;
  startedAt: string;
}
export const pendingConnectItem = storage.defineItem<PendingConnect | null>("local:pendingPosConnect", {
  fallback: null,
  version: 1,
});

/** The person's choice of language; null follows the browser's UI language. */
export const langItem = storage.defineItem<Lang | null>("local:uiLang", { fallback: null, version: 1 });

/** Back-office selectors that stopped matching (newest first, deduplicated), shown in the popup. */
export const selectorReportsItem = storage.defineItem<SelectorReport[]>("local:selectorReports", {
  fallback: [],
  version: 1,
});
export const MAX_SELECTOR_REPORTS = 30;
