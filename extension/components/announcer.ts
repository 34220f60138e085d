import type { Translate } from "../i18n";
import { adoptBadgeStyles } from "./mount";

/** Changes that land this close together are said as one message. */
export const ANNOUNCE_GATHER_MS = 150;

/**
 * The page's one polite live region (issue 17.5): state changes — "Posted", "Queued", "Failed: …" —
 * are said once for all the rows that changed together ("Posted (12)"), never once per row, and never
 * for the first drawing of a page. The region is added on first use (a page nobody acts on gets no
 * extra node) and a moment before its first words, so screen readers have seen it empty first.
 */
export class Announcer {
  private host: HTMLElement | undefined;
  private region: HTMLElement | undefined;
  private gathered: { words: string; name?: string | undefined }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flip = false;

  constructor(
    private readonly t: Translate,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(this.timer);
        this.host?.remove();
      },
      { once: true },
    );
  }

  /** Makes sure the region is in the page (call it when a person starts an action). */
  prime(): void {
    if (this.region || this.signal.aborted) return;
    const host = document.createElement("span");
    host.dataset.tillbridge = "live";
    const shadow = host.attachShadow({ mode: "open" });
    adoptBadgeStyles(shadow);
    const region = document.createElement("div");
    region.className = "tb-sr";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    region.dataset.testid = "tillbridge-live";
    shadow.append(region);
    document.body.append(host);
    this.host = host;
    this.region = region;
  }

  say(words: string, name?: string): void {
    if (this.signal.aborted) return;
    this.prime();
    this.gathered.push({ words, name });
    this.timer ??= setTimeout(() => this.flush(), ANNOUNCE_GATHER_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const said = this.compose(this.gathered);
    this.gathered = [];
    if (!said || !this.region) return;
    // the same words twice in a row must still be heard: vary them invisibly
    this.flip = !this.flip;
    this.region.textContent = this.flip ? said : `${said}\u00a0`;
  }

  private compose(items: { words: string; name?: string | undefined }[]): string {
    const [only] = items;
    if (!only) return "";
    if (items.length === 1) return only.name ? this.t("live.one", { name: only.name, words: only.words }) : only.words;
    const counts = new Map<string, number>();
    for (const { words } of items) counts.set(words, (counts.get(words) ?? 0) + 1);
    return [...counts].map(([words, n]) => (n === 1 ? words : this.t("live.many", { words, n }))).join("; ");
  }
}
