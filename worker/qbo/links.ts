/**
 * Deep links into the QBO web app: `${QBO_APP_URL}/<entity lowercase>?txnId=<id>`, QBO's own URL
 * shape (e.g. https://app.qbo.intuit.com/app/salesreceipt?txnId=12), which the local sandbox serves
 * under the same path. With `realmId`, `&realm=<id>` names the company: the sandbox serves two, and
 * QBO ignores parameters it does not know. Pure, so the extension's badge link and the Worker agree.
 */
export function qboDocUrl(env: { QBO_APP_URL: string }, entity: string, id: string, realmId?: string): string {
  if (!/^[A-Za-z]+$/.test(entity)) throw new Error(`not a QBO entity: ${entity}`);
  const realm = realmId ? `&realm=${encodeURIComponent(realmId)}` : "";
  return `${env.QBO_APP_URL.replace(/\/+$/, "")}/${entity.toLowerCase()}?txnId=${encodeURIComponent(id)}${realm}`;
}
