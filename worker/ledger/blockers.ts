import type { About, ErrorCode } from "../../shared/errors";
import type { Blocker } from "./types";

/** Collects every reason an object cannot post yet, once each, in the order found. */
export class Blockers {
  private readonly list: Blocker[] = [];
  private readonly seen = new Set<string>();

  /** `detail` is the English words; `about`, when the site knows its thing, the same as data for any language. */
  add(code: ErrorCode, detail: string, mappingKey?: string, about?: About): void {
    const id = `${code}\u0000${detail}\u0000${mappingKey ?? ""}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({
      code,
      detail,
      ...(mappingKey === undefined ? {} : { mappingKey }),
      ...(about === undefined ? {} : { about }),
    });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** How many reasons so far: a check compares it before and after to know whether it found any. */
  get count(): number {
    return this.list.length;
  }

  all(): Blocker[] {
    return [...this.list];
  }
}
