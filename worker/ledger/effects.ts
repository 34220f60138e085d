import type { Effect } from "./types";

/** Net books effect per account (Dr +, Cr −), merged across the documents of one posting. */
export class EffectSheet {
  private readonly byAccount = new Map<string, Effect>();

  add(accountId: string, label: string, debitMinor: number): void {
    const e = this.byAccount.get(accountId);
    if (e) e.debitMinor += debitMinor;
    else this.byAccount.set(accountId, { accountId, label, debitMinor });
  }

  addAll(effects: readonly Effect[]): void {
    for (const e of effects) this.add(e.accountId, e.label, e.debitMinor);
  }

  /** Accounts whose net effect is not zero, in the order first touched. */
  list(): Effect[] {
    return [...this.byAccount.values()].filter((e) => e.debitMinor !== 0).map((e) => ({ ...e }));
  }
}
