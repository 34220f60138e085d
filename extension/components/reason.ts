import { describeError, type Lang } from "../../shared/errors";
import type { ObjectStatus } from "../../shared/sync";
import type { Translate } from "../i18n";
import type { ErrorBody, Section } from "../messaging";

const SECTIONS: readonly string[] = ["connections", "mappings", "closures", "audit", "backfill"] satisfies Section[];

/**
 * A failed object's reason in the page's language (shared/errors.ts words), with where to fix it.
 * What it is about (`about`) is worded in that language when the Worker sent it; else its `detail`.
 */
export function reasonWords(
  reason: NonNullable<ObjectStatus["reason"]> | ErrorBody,
  lang: Lang,
): { message: string; action: string; fixAt?: Section } {
  const words = describeError(reason.code, reason.detail, lang, reason.about);
  const raw = ("fixAt" in reason ? reason.fixAt : undefined) ?? words.fixAt;
  const section = raw?.split(/[#./]/)[0];
  return {
    message: words.message || reason.message,
    action: words.action || reason.action,
    ...(section && SECTIONS.includes(section) ? { fixAt: section as Section } : {}),
  };
}

/** "in 40 s", "in 3 min" */
export function whenText(iso: string | undefined, t: Translate, now = Date.now()): string {
  if (!iso) return t("when.later");
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return t("when.later");
  if (ms <= 1_000) return t("when.now");
  if (ms < 90_000) return t("when.inSeconds", { n: Math.ceil(ms / 1000) });
  return t("when.inMinutes", { n: Math.ceil(ms / 60_000) });
}
