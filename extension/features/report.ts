import { waitFor } from "../content/observe";
import type { SelectorName } from "../host/selectors";
import { SELECTOR_TIMEOUT_MS, type FeatureContext } from "./feature";

/** Waits for what a feature needs; when it never comes, reports the selector (the page is left alone). */
export async function need(
  name: SelectorName,
  signal: AbortSignal,
  ctx: FeatureContext,
  timeoutMs = SELECTOR_TIMEOUT_MS,
): Promise<Element | null> {
  const found = await waitFor(name, { signal, timeoutMs });
  if (!found && !signal.aborted) ctx.report(name);
  return found;
}
