import type { Message } from "../messaging";

/**
 * The number on the toolbar icon: how many objects need attention (blocked, failed, rejected), from
 * the Worker's /api/attention/count. Refreshed when the background starts and after what can change
 * it — at once after a person's action (send, retry, a fix, opening Needs attention), at most once a
 * minute after badge status reads (every back-office page view asks for statuses). The manifest asks
 * for `storage` only (test/e2e/hardening/bundle.test.ts), so there is no periodic alarm in the
 * stores' builds; the background sets one only where the browser grants the alarms API.
 */

export interface AttentionBadgeDeps {
  /** The count, or null when not signed in */
  count: () => Promise<number | null>;
  setText: (text: string) => Promise<void>;
  setColor: (color: string) => Promise<void>;
  setTitle: (title: string) => Promise<void>;
  /** The icon's tooltip with the count, in the person's language */
  title: (n: number) => Promise<string>;
  now: () => number;
}

/** Status reads refresh the count at most this often */
export const STATUS_REFRESH_MS = 60_000;
/** The alarm's period */
export const ALARM_MINUTES = 5;
export const ALARM_NAME = "tillbridge:attention";
/** A red with white text at 5.9:1 */
const RED = "#b3261e";

/** "99+" past 99: the icon has room for three or four characters. */
export const badgeText = (n: number | null): string => (!n ? "" : n > 99 ? "99+" : String(n));

/** After which messages the count may have changed, and whether at once. */
export function refreshAfter(msg: Message): "now" | "soon" | null {
  switch (msg.type) {
    case "send":
    case "retry":
    case "resolve":
    case "counted":
    case "completeConnect":
    case "disconnect":
      return "now";
    case "status":
      return "soon";
    case "api":
      return ["retry", "send", "resolve", "retryAll", "saveMappings", "createStandard", "attention", "goLive"].includes(
        msg.route,
      )
        ? "now"
        : null;
    default:
      return null;
  }
}

export function createAttentionBadge(deps: AttentionBadgeDeps) {
  let last = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | null = null;
  let again = false;
  const run = async () => {
    last = deps.now();
    let n: number | null;
    try {
      n = await deps.count();
    } catch {
      return; // keep the last number: the Worker may be briefly away
    }
    await deps.setColor(RED);
    await deps.setText(badgeText(n));
    await deps.setTitle(await deps.title(n ?? 0));
  };
  return {
    /** `soon`: skipped when the last refresh is recent. Concurrent calls share one request. */
    async refresh(when: "now" | "soon" = "now"): Promise<void> {
      if (when === "soon" && deps.now() - last < STATUS_REFRESH_MS) return;
      if (running) {
        // a change made while a count was on its way: count once more after it
        if (when === "now") again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await run();
        } while (again);
      })().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
