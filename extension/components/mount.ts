import { render, type VNode } from "preact";
import { BADGE_CSS } from "./styles";

let shared: CSSStyleSheet | null | undefined;
/** One parsed stylesheet adopted by every badge's shadow root (hundreds on a page), where supported. */
function sheet(): CSSStyleSheet | null {
  if (shared !== undefined) return shared;
  try {
    shared = new CSSStyleSheet();
    shared.replaceSync(BADGE_CSS);
  } catch {
    shared = null;
  }
  return shared;
}

/** Gives a shadow root the badges' styles: the one shared sheet where supported, else a <style>. */
export function adoptBadgeStyles(shadow: ShadowRoot): void {
  const css = sheet();
  if (css && "adoptedStyleSheets" in shadow) shadow.adoptedStyleSheets = [css];
  else {
    const style = document.createElement("style");
    style.textContent = BADGE_CSS;
    shadow.append(style);
  }
}

/**
 * Puts a Preact UI into the host page inside its own shadow root, so the back office's styles do not
 * reach it and ours do not leak out. Everything is removed when `signal` aborts.
 */
export function mountUi(
  place: { after: Element } | { append: Element },
  ui: VNode,
  opts: { signal: AbortSignal; name: string },
): HTMLElement | null {
  if (opts.signal.aborted) return null;
  const host = document.createElement("span");
  host.dataset.tillbridge = opts.name;
  host.style.display = "inline-block";
  host.style.verticalAlign = "middle";
  host.style.marginInlineStart = "6px";
  const shadow = host.attachShadow({ mode: "open" });
  const root = document.createElement("span");
  adoptBadgeStyles(shadow);
  shadow.append(root);
  if ("after" in place) place.after.after(host);
  else place.append.append(host);
  render(ui, root);
  opts.signal.addEventListener(
    "abort",
    () => {
      render(null, root);
      host.remove();
    },
    { once: true },
  );
  return host;
}
