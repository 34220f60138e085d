import type { Lang } from "../../shared/errors";
import type { BadgeBoard } from "../components/board";
import type { ObjectRef, ObjectStatus } from "../../shared/sync";
import type { StatusStore } from "../content/status-store";
import type { BackOfficePage } from "../host/urls";
import type { SelectorName } from "../host/selectors";
import type { Translate } from "../i18n";
import type { Section } from "../messaging";

/**
 * The shape every injected feature has (one per file in this folder; the file name is its id). A
 * feature says on which pages it runs and does its work in `init`, bound to `signal`: when the page
 * navigates or the extension is updated, the signal aborts and everything it added goes away.
 */
/** The person's language, and whether the extension holds a session (badges then say "connect"). */
export interface PagePrefs {
  lang: Lang;
  t: Translate;
  signedIn: boolean;
}

export interface FeatureContext {
  page: BackOfficePage;
  status: StatusStore;
  /** Asked once per page, alongside the features' first look at it (never before it: speed, issue 18.1) */
  prefs: Promise<PagePrefs>;
  /** The background's actions on an object */
  send(ref: ObjectRef): Promise<ObjectStatus>;
  retry(ref: ObjectRef): Promise<ObjectStatus>;
  /**
   * A person's choice for an item waiting on one: post a closed period's item on the first open day.
   * `txnDate` is the day its documents will carry (null: the books opened meanwhile, its own dates).
   */
  resolve(ref: ObjectRef, action: "post_in_open_period"): Promise<{ object: ObjectStatus; txnDate: string | null }>;
  counted(closureId: string, payments: { name: string; countedMinor: number }[]): Promise<void>;
  /** Opens the settings at a section; `backfillFrom` (YYYY-MM-DD) prefills the backfill's start */
  openOptions(section?: Section, params?: { backfillFrom?: string }): void;
  /** The page's badges (one board per page, shared by its features; made on first use) */
  readonly badges: BadgeBoard;
  /** A selector that found nothing where it should have */
  report(selector: SelectorName): void;
}

export interface FeatureDefinition {
  include: (page: BackOfficePage) => boolean;
  init: (signal: AbortSignal, ctx: FeatureContext) => void | Promise<void>;
}

export interface Feature extends FeatureDefinition {
  id: string;
}

export function defineFeature(def: FeatureDefinition): FeatureDefinition {
  return def;
}

/** How long a feature waits for the element it needs before reporting the selector as broken. */
export const SELECTOR_TIMEOUT_MS = 4_000;
