import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import type { ask } from "../../extension/ask";

export const FIXTURES = join(__dirname, "../../extension/host/fixtures");
/** Every saved page, those of a folder (the stock pages of issue 15: "inventory/…") named with it. */
export const fixtureNames = () =>
  readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
    .map((f) => f.replaceAll("\\", "/"))
    .filter((f) => f.endsWith(".html"));
export const fixtureHtml = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

/** A fixture as its own document (for selector counts). */
export function fixtureDoc(name: string): Document {
  return new DOMParser().parseFromString(fixtureHtml(name), "text/html");
}

/** Puts a fixture's body into the test page (scripts never run). */
export function showFixture(name: string): void {
  const m = /<body[^>]*>([\s\S]*)<\/body>/i.exec(fixtureHtml(name));
  document.body.innerHTML = m?.[1] ?? "";
}

export const REPLICA = "http://127.0.0.1:8789/demo";

/** Every badge / button mounted by the extension, with its shadow content. */
export function mounts(name?: string): { host: HTMLElement; root: ShadowRoot }[] {
  return [...document.querySelectorAll<HTMLElement>(name ? `[data-tillbridge="${name}"]` : "[data-tillbridge]")].map(
    (host) => ({ host, root: host.shadowRoot! }),
  );
}
export const inShadow = (testid: string) =>
  mounts().flatMap(({ root }) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)]);

export function status(ref: ObjectRef, over: Partial<ObjectStatus> = {}): ObjectStatus {
  return { ...ref, state: "unknown", docs: [], attempts: 0, ...over };
}

type Messenger = typeof ask;
export interface FakeBackground {
  messenger: Messenger;
  calls: { type: string; payload: Record<string, unknown> }[];
  statusOf: (ref: ObjectRef) => ObjectStatus;
}

/** A stand-in for the background: answers `status` from `statusOf`, records every message. */
export function fakeBackground(
  opts: {
    statusOf?: (ref: ObjectRef) => ObjectStatus;
    on?: Partial<Record<string, (payload: never) => unknown>>;
    signedIn?: boolean;
  } = {},
): FakeBackground {
  const calls: FakeBackground["calls"] = [];
  const statusOf = opts.statusOf ?? ((ref: ObjectRef) => status(ref));
  const messenger = vi.fn(async (type: string, payload: Record<string, unknown>) => {
    calls.push({ type, payload });
    const custom = opts.on?.[type];
    if (custom) return custom(payload as never);
    switch (type) {
      case "prefs":
        return { lang: "en", signedIn: opts.signedIn ?? true };
      case "status":
        return { objects: (payload.objects as ObjectRef[]).map(statusOf) };
      case "selectorReport":
        return { stored: 1 };
      default:
        return { ok: true };
    }
  }) as unknown as Messenger;
  return { messenger, calls, statusOf };
}

/** Lets observers, microtasks and promise chains settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

/** A badge's words as the row shows them (without the screen-reader name). */
export const labelOf = (badge: Element) => badge.querySelector(".tb-label")?.textContent ?? "";

/** Opens a badge's popover by clicking its chip (it renders at once); the popover element. */
export function openPopover(badge: HTMLElement): HTMLElement {
  badge.querySelector<HTMLButtonElement>("button")!.click();
  const pop = badge.querySelector<HTMLElement>('[data-testid="tillbridge-popover"]');
  if (!pop) throw new Error("no popover opened");
  return pop;
}

/** The element that has focus, looking into shadow roots. */
export function deepActive(): Element | null {
  let at: Element | null = document.activeElement;
  while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement;
  return at;
}
