import { useEffect, useRef, useState } from "preact/hooks";
import type { z } from "zod";
import type { MappingOptions, MappingsDocument, SuggestionsResponse, UnmappedResponse } from "../../../shared/api";
import { type Mappings, withMapping } from "../../../shared/mappings";
import { callApi } from "../../ask";
import type { OptionsTranslate as Translate } from "../../i18n/options";
import { errorText } from "../context";
import { useSettingsChanged } from "../live";

export type Suggestion = z.infer<typeof SuggestionsResponse>["suggestions"][number];
export type Notice = { kind: "ok" | "error"; text: string };

/** What the mappings section holds: the saved document, the person's draft, both systems' lists. */
export interface EditorState {
  doc: MappingsDocument | null;
  draft: Mappings | null;
  options: MappingOptions | null;
  unmapped: UnmappedResponse["missing"];
  suggestions: Suggestion[];
  busy: "load" | "reload" | "save" | "create" | null;
  notice: Notice | null;
  /** The Worker's refusal of a save, per mapping key ("accounts.closureClearing"), in plain words */
  fieldErrors: Record<string, string>;
}

export interface Editor extends EditorState {
  reload: () => void;
  save: () => void;
  createStandard: () => void;
  /** Sets one mapping key on the draft (undefined unmaps it); a change that would be invalid is ignored */
  change: (key: string, value: unknown) => void;
}

interface Ctx {
  get: () => EditorState;
  patch: (p: Partial<EditorState>) => void;
  t: Translate;
}

const INITIAL: EditorState = {
  doc: null,
  draft: null,
  options: null,
  unmapped: [],
  suggestions: [],
  busy: "load",
  notice: null,
  fieldErrors: {},
};

/** A refused save's fields ("mappings.paymentTypes.pt-1.accountId") by mapping key ("paymentTypes.pt-1.accountId"). */
function fieldErrorsOf(e: unknown): Record<string, string> {
  const fields = (e as { body?: { fields?: Record<string, string> } } | null)?.body?.fields ?? {};
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([k]) => k.startsWith("mappings."))
      .map(([k, v]) => [k.slice("mappings.".length), v]),
  );
}

/** The error of a mapping key, or of a part of it (a payment type's account). */
export function fieldError(errors: Record<string, string>, key: string): string | undefined {
  return errors[key] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1];
}

/** The unmapped list and the suggestions: best effort (the section works without them). */
async function loadSide(ctx: Ctx): Promise<void> {
  const [u, s] = await Promise.all([
    callApi("unmapped").catch(() => ({ missing: [] })),
    callApi("suggestions").catch(() => ({ suggestions: [] })),
  ]);
  ctx.patch({ unmapped: u.missing, suggestions: s.suggestions });
}

/** Loads the lists (and, unless reloading, the saved mappings); false when it failed and said so. */
async function load(ctx: Ctx, reload = false): Promise<boolean> {
  ctx.patch({ busy: reload ? "reload" : "load", notice: null });
  try {
    // A reload refreshes the QBO lists only: the document and the person's draft stay as they are
    // (the document may have just changed, e.g. right after "create the standard accounts").
    const [d, options] = await Promise.all([
      reload ? Promise.resolve(null) : callApi("getMappings"),
      callApi("mappingOptions", reload ? { query: { reload: "1" } } : {}),
    ]);
    ctx.patch(d ? { doc: d, draft: d.mappings, options } : { options });
    await loadSide(ctx);
    return true;
  } catch (e) {
    ctx.patch({ notice: { kind: "error", text: errorText(e) } });
    return false;
  } finally {
    ctx.patch({ busy: null });
  }
}

/** Saves with the version the draft started from, so two people editing at once cannot overwrite each other. */
async function save(ctx: Ctx): Promise<void> {
  const { doc, draft } = ctx.get();
  if (!doc || !draft) return;
  ctx.patch({ busy: "save", notice: null, fieldErrors: {} });
  try {
    const saved = await callApi("saveMappings", { body: { version: doc.version, mappings: draft } });
    ctx.patch({
      doc: saved,
      draft: saved.mappings,
      notice: { kind: "ok", text: ctx.t("map.saved", { version: saved.version }) },
    });
    await loadSide(ctx);
  } catch (e) {
    if ((e as { code?: string }).code === "conflict") {
      // Keep the person's draft; tell them which version is now saved.
      const current = await callApi("getMappings").catch(() => null);
      ctx.patch({ notice: { kind: "error", text: ctx.t("map.conflict", { version: current?.version ?? "?" }) } });
    } else {
      const fieldErrors = fieldErrorsOf(e);
      const n = Object.keys(fieldErrors).length;
      // named fields: plain words here, each problem beside its field
      ctx.patch({
        fieldErrors,
        notice: {
          kind: "error",
          text: n === 1 ? ctx.t("map.fieldRefused") : n ? ctx.t("map.fieldsRefused", { n }) : errorText(e),
        },
      });
    }
  } finally {
    ctx.patch({ busy: null });
  }
}

async function createStandard(ctx: Ctx): Promise<void> {
  ctx.patch({ busy: "create", notice: null });
  try {
    const r = await callApi("createStandard");
    ctx.patch({ doc: r.mappings, draft: r.mappings.mappings });
    // The new accounts and items must appear in the drop-downs; the notice comes after (load clears it).
    if (!(await load(ctx, true))) return;
    const names = (xs: { name: string }[]) => xs.map((x) => x.name).join(", ") || "—";
    const text = ctx.t("map.created", { created: names(r.created), existing: names(r.existing) });
    ctx.patch({ notice: { kind: "ok", text } });
  } catch (e) {
    ctx.patch({ notice: { kind: "error", text: errorText(e) }, busy: null });
  }
}

/** The mappings section's state and what the person can do with it. */
export function useMappingsEditor(t: Translate): Editor {
  const [state, setState] = useState<EditorState>(INITIAL);
  const latest = useRef(state);
  latest.current = state;
  const ctx: Ctx = { get: () => latest.current, patch: (p) => setState((s) => ({ ...s, ...p })), t };
  useEffect(() => void load(ctx), []);
  // QBO connected again (in another tab): the lists come back live and the choices editable
  useSettingsChanged(() => {
    if (latest.current.options?.offline) void load(ctx, true);
  });
  const change = (key: string, value: unknown) =>
    setState((s) => {
      const draft = s.draft && withMapping(s.draft, key, value);
      if (!draft) return s;
      // a changed field's refusal no longer applies
      const fieldErrors = Object.fromEntries(
        Object.entries(s.fieldErrors).filter(([k]) => k !== key && !k.startsWith(`${key}.`)),
      );
      return { ...s, draft, fieldErrors };
    });
  return {
    ...state,
    reload: () => void load(ctx, true),
    save: () => void save(ctx),
    createStandard: () => void createStandard(ctx),
    change,
  };
}
