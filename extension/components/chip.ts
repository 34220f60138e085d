import type { ObjectRef } from "../../shared/sync";
import type { ChipView } from "./badge-view";
import { adoptBadgeStyles } from "./mount";

/**
 * A row's badge as plain DOM (hundreds a page: no virtual DOM, no render root each): a host span
 * beside the row's link with a shadow root (the back office's styles stay out, ours in) holding one
 * button. The button is the same element whatever the state, so focus stays on it through a send or
 * a retry; only its words, tone and spinner are painted.
 */

export type Place = { after: Element } | { append: Element };

export interface Chip {
  host: HTMLElement;
  shadow: ShadowRoot;
  /** data-testid="tillbridge-badge": state, tone and object as data attributes */
  wrap: HTMLElement;
  button: HTMLButtonElement;
  icon: HTMLElement;
  label: HTMLElement;
  /** The popover (created on first open) */
  pop?: HTMLElement;
  painted?: ChipView;
}

let template: HTMLElement | undefined;
/** One parsed subtree, cloned per row (cheaper than building each). */
function chipTemplate(): HTMLElement {
  if (template) return template;
  const wrap = document.createElement("span");
  wrap.dataset.testid = "tillbridge-badge";
  const button = document.createElement("button");
  button.type = "button";
  const icon = document.createElement("span");
  icon.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "tb-label";
  const who = document.createElement("span");
  who.className = "tb-sr";
  button.append(icon, label, who);
  wrap.append(button);
  template = wrap;
  return wrap;
}

/**
 * Builds a row's chip, not yet in the page (`place` says where it will go). `who` names the row for
 * screen readers ("closure Caisse 1 #10"), so 500 buttons reading "In QuickBooks Online" differ.
 */
export function createChip(object: ObjectRef, who: string | undefined): Chip {
  const host = document.createElement("span");
  host.setAttribute("data-tillbridge", "badge");
  host.setAttribute("style", HOST_STYLE);
  const shadow = host.attachShadow({ mode: "open" });
  adoptBadgeStyles(shadow);
  const wrap = chipTemplate().cloneNode(true) as HTMLElement;
  wrap.setAttribute("data-object", `${object.kind}:${object.posId}`);
  const button = wrap.firstElementChild as HTMLButtonElement;
  const icon = button.firstElementChild as HTMLElement;
  const label = icon.nextElementSibling as HTMLElement;
  if (who) (label.nextElementSibling as HTMLElement).textContent = ` — ${who}`;
  shadow.append(wrap);
  return { host, shadow, wrap, button, icon, label };
}

/** The host's own box, inline (the page's styles cannot reach inside the shadow root, nor undo this). */
const HOST_STYLE = "display:inline-block;vertical-align:middle;margin-inline-start:6px";

/** Puts a built chip into the page (the one write per row). */
export function placeChip(chip: Chip, place: Place): void {
  if ("after" in place) place.after.after(chip.host);
  else place.append.append(chip.host);
}

const same = (a: ChipView | undefined, b: ChipView) =>
  !!a &&
  a.state === b.state &&
  a.tone === b.tone &&
  a.label === b.label &&
  a.spinning === b.spinning &&
  a.control === b.control;

/** Paints a view on the chip, touching only what changed. */
export function paintChip(chip: Chip, view: ChipView): void {
  if (same(chip.painted, view)) return;
  const { wrap, button, icon, label } = chip;
  wrap.className = `tb tb-${view.tone}`;
  wrap.dataset.state = view.state;
  wrap.dataset.tone = view.tone;
  const send = view.control === "send";
  button.className = send ? "tb-btn" : "tb-chip";
  button.dataset.testid = send ? "tillbridge-send" : "tillbridge-chip";
  if (send) {
    button.removeAttribute("aria-haspopup");
    button.removeAttribute("aria-expanded");
  } else {
    button.setAttribute("aria-haspopup", "dialog");
    if (!button.hasAttribute("aria-expanded")) button.setAttribute("aria-expanded", "false");
  }
  // busy, not disabled: a disabled button drops the focus the person had on it
  const busy = view.state === "sending" || view.state === "retrying";
  if (busy) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
  icon.className = view.spinning ? "tb-ic tb-spin" : "tb-ic";
  label.textContent = view.label;
  chip.painted = view;
}
