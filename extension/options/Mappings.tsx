import { useEffect, useState } from "preact/hooks";
import type { MappingOptions, MappingsDocument, UnmappedResponse } from "../../shared/api";
import type { Mappings as MappingsT } from "../../shared/mappings";
import type { ObjectKind } from "../../shared/sync";
import { callApi } from "../ask";
import type { MessageKey } from "../i18n";
import { errorText, useUi } from "./context";
import { fieldId, getAt, setAt } from "./mapping-keys";
import { Select } from "./Select";

type Suggestion = { mappingKey: string; value: unknown; label: string; why: string };

const ITEM_KEYS = ["discount", "giftCardLiability", "storeCreditLiability", "tillDiscrepancy", "rounding"] as const;
const ACCOUNT_KEYS = [
  "closureClearing",
  "giftCardLiability",
  "giftCardBreakage",
  "storeCreditLiability",
  "storeCreditExpense",
  "inventoryAsset",
  "shipping",
  "purchaseDiscount",
  "duties",
  "accountsPayable",
] as const;
const ROLES = ["deposit", "gift_card", "store_credit", "on_account"] as const;

/**
 * The mappings (SPEC §2): every POS thing to its QBO thing, as drop-downs of the live lists, with
 * suggestions, "create the standard accounts and items", the unmapped list, and a save that uses the
 * document's version so two people editing at once cannot overwrite each other silently.
 */
export function MappingsSection() {
  const { t } = useUi();
  const [doc, setDoc] = useState<MappingsDocument | null>(null);
  const [draft, setDraft] = useState<MappingsT | null>(null);
  const [options, setOptions] = useState<MappingOptions | null>(null);
  const [unmapped, setUnmapped] = useState<UnmappedResponse["missing"]>([]);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [busy, setBusy] = useState<string | null>("load");
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const loadSide = async () => {
    const [u, s] = await Promise.all([
      callApi("unmapped").catch(() => ({ missing: [] })),
      callApi("suggestions").catch(() => ({ suggestions: [] })),
    ]);
    setUnmapped(u.missing);
    setSuggestions(s.suggestions);
  };

  /** Loads the lists (and, unless reloading, the saved mappings); false when it failed and said so. */
  const load = async (reload = false): Promise<boolean> => {
    setBusy(reload ? "reload" : "load");
    setNotice(null);
    try {
      // A reload refreshes the QBO lists only: the document and the person's draft stay as they are
      // (this render's `doc` may already be stale, e.g. right after "create the standard accounts").
      const [d, o] = await Promise.all([
        reload ? Promise.resolve(null) : callApi("getMappings"),
        callApi("mappingOptions", reload ? { query: { reload: "1" } } : {}),
      ]);
      if (d) {
        setDoc(d);
        setDraft(d.mappings);
      }
      setOptions(o);
      await loadSide();
      return true;
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
      return false;
    } finally {
      setBusy(null);
    }
  };
  useEffect(() => void load(), []);

  const change = (key: string, value: unknown) => {
    if (!draft) return;
    const next = setAt(draft, key, value);
    if (next) setDraft(next);
  };

  const save = async () => {
    if (!doc || !draft) return;
    setBusy("save");
    setNotice(null);
    try {
      const saved = await callApi("saveMappings", { body: { version: doc.version, mappings: draft } });
      setDoc(saved);
      setDraft(saved.mappings);
      setNotice({ kind: "ok", text: t("map.saved", { version: saved.version }) });
      await loadSide();
    } catch (e) {
      if ((e as { code?: string }).code === "conflict") {
        // Keep the person's draft; tell them which version is now saved.
        const current = await callApi("getMappings").catch(() => null);
        setNotice({ kind: "error", text: t("map.conflict", { version: current?.version ?? "?" }) });
      } else setNotice({ kind: "error", text: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const createStandard = async () => {
    setBusy("create");
    setNotice(null);
    try {
      const r = await callApi("createStandard");
      setDoc(r.mappings);
      setDraft(r.mappings.mappings);
      // The new accounts and items must appear in the drop-downs; the notice comes after (load clears it).
      if (!(await load(true))) return;
      const names = (xs: { name: string }[]) => xs.map((x) => x.name).join(", ") || "—";
      setNotice({ kind: "ok", text: t("map.created", { created: names(r.created), existing: names(r.existing) }) });
    } catch (e) {
      setNotice({ kind: "error", text: errorText(e) });
      setBusy(null);
    }
  };

  if (!draft || !options) {
    return (
      <div>
        {busy ? <p>{t("common.loading")}</p> : null}
        {notice ? (
          <p class={`notice notice-${notice.kind}`} data-testid="mappings-notice">
            {notice.text}
          </p>
        ) : null}
      </div>
    );
  }

  const q = options.qbo;
  const accounts = q.accounts.map((a) => ({ ...a, detail: a.accountSubType ?? a.accountType }));
  const depositAccounts = accounts.filter((a) => /bank|other current asset/i.test(a.accountType));
  const items = q.items.map((i) => ({ ...i, detail: i.type }));
  const suggestionFor = (key: string) =>
    getAt(draft, key) === undefined ? suggestions.find((s) => s.mappingKey === key) : undefined;
  const field = (key: string, label: string, opts: typeof accounts | typeof items | typeof q.taxCodes) => (
    <div class="row">
      <Select
        id={fieldId(key)}
        label={label}
        value={getAt(draft, key) as string | undefined}
        options={opts}
        onChange={(v) => change(key, v)}
      />
      <Suggest suggestion={suggestionFor(key)} onUse={(s) => change(s.mappingKey, s.value)} />
    </div>
  );

  return (
    <div>
      <div class="toolbar">
        <button type="button" data-testid="reload-options" disabled={!!busy} onClick={() => void load(true)}>
          {t("map.reload")}
        </button>
        <button type="button" data-testid="create-standard" disabled={!!busy} onClick={() => void createStandard()}>
          {t("map.createStandard")}
        </button>
        <span class="muted">
          {q.companyName} · {q.country}
        </span>
      </div>
      {notice ? (
        <p class={`notice notice-${notice.kind}`} data-testid="mappings-notice" role="status">
          {notice.text}
        </p>
      ) : null}

      <Unmapped missing={unmapped} />

      <fieldset>
        <legend>{t("map.categories")}</legend>
        {options.pos.categories.map((c) => field(`categories.${c.id}`, c.name, items))}
      </fieldset>

      <fieldset>
        <legend>{t("map.paymentTypes")}</legend>
        {options.pos.paymentTypes.map((p) => {
          const key = `paymentTypes.${p.id}`;
          const current = draft.paymentTypes[p.id];
          return (
            <div class="row" key={p.id}>
              <label class="field" for={fieldId(key)}>
                <span class="field-label">
                  {p.name} {p.deleted ? t("map.deleted") : ""}
                </span>
                <select
                  id={fieldId(key)}
                  data-testid={fieldId(key)}
                  value={current?.role ?? ""}
                  onChange={(e) => {
                    const role = (e.currentTarget as HTMLSelectElement).value;
                    change(
                      key,
                      !role
                        ? undefined
                        : role === "deposit"
                          ? {
                              role,
                              accountId:
                                current?.role === "deposit" ? current.accountId : (depositAccounts[0]?.id ?? ""),
                            }
                          : { role },
                    );
                  }}
                >
                  <option value="">{t("map.choose")}</option>
                  {ROLES.map((r) => (
                    <option value={r}>{t(`map.role.${r}` as MessageKey)}</option>
                  ))}
                </select>
              </label>
              {current?.role === "deposit" ? (
                <Select
                  id={`${fieldId(key)}-account`}
                  label={t("map.role.deposit")}
                  value={current.accountId}
                  options={depositAccounts.length ? depositAccounts : accounts}
                  onChange={(v) => change(key, v ? { role: "deposit", accountId: v } : undefined)}
                />
              ) : null}
              <Suggest suggestion={suggestionFor(key)} onUse={(s) => change(s.mappingKey, s.value)} />
            </div>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>{t("map.taxes")}</legend>
        {options.pos.taxes.map((tax) => {
          const key = `taxes.${tax.id}`;
          const current = draft.taxes[tax.id] ?? {};
          return (
            <div class="row" key={tax.id}>
              <Select
                id={fieldId(key)}
                label={tax.name}
                value={current.taxCodeId}
                options={q.taxCodes}
                onChange={(v) => change(key, { ...current, taxCodeId: v })}
              />
              {q.country === "US" ? (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={current.taxable ?? false}
                    onChange={(e) =>
                      change(key, { ...current, taxable: (e.currentTarget as HTMLInputElement).checked })
                    }
                  />
                  {t("map.taxable")}
                </label>
              ) : null}
              <Suggest suggestion={suggestionFor(key)} onUse={(s) => change(s.mappingKey, s.value)} />
            </div>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>{t("map.outlets")}</legend>
        {options.pos.outlets.map((o) => {
          const key = `outlets.${o.id}`;
          const current = draft.outlets[o.id] ?? {};
          return (
            <div class="row" key={o.id}>
              <span class="field-label">{o.name}</span>
              <Select
                id={`${fieldId(key)}-class`}
                label={t("map.class")}
                value={current.classId}
                options={q.classes}
                emptyLabel={t("map.none")}
                onChange={(v) => change(key, { ...current, classId: v })}
              />
              <Select
                id={`${fieldId(key)}-location`}
                label={t("map.location")}
                value={current.departmentId}
                options={q.departments}
                emptyLabel={t("map.none")}
                onChange={(v) => change(key, { ...current, departmentId: v })}
              />
            </div>
          );
        })}
      </fieldset>

      <fieldset>
        <legend>{t("map.items")}</legend>
        {ITEM_KEYS.map((k) => field(`items.${k}`, t(`map.item.${k}` as MessageKey), items))}
      </fieldset>

      <fieldset>
        <legend>{t("map.accounts")}</legend>
        {ACCOUNT_KEYS.map((k) => field(`accounts.${k}`, t(`map.account.${k}` as MessageKey), accounts))}
      </fieldset>

      <fieldset>
        <legend>{t("map.other")}</legend>
        {q.country !== "US" ? field("nonTaxableTaxCodeId", t("map.nonTaxableTaxCode"), q.taxCodes) : null}
        {field("purchaseTaxCodeId", t("map.purchaseTaxCode"), q.taxCodes)}
        {field("closureCustomerId", t("map.closureCustomer"), q.customers)}
        <label class="check">
          <input
            type="checkbox"
            data-testid="auto-send-po"
            checked={draft.options.autoSendPurchaseOrders}
            onChange={(e) =>
              change("options", {
                ...draft.options,
                autoSendPurchaseOrders: (e.currentTarget as HTMLInputElement).checked,
              })
            }
          />
          {t("map.autoSendPurchaseOrders")}
        </label>
      </fieldset>

      <div class="toolbar">
        <button type="button" class="primary" data-testid="save-mappings" disabled={!!busy} onClick={() => void save()}>
          {t("map.save")}
        </button>
        {doc ? <span class="muted">v{doc.version}</span> : null}
      </div>
    </div>
  );
}

function Suggest({ suggestion, onUse }: { suggestion: Suggestion | undefined; onUse: (s: Suggestion) => void }) {
  const { t } = useUi();
  if (!suggestion) return null;
  return (
    <span class="suggestion" data-testid="suggestion">
      {t("map.suggested", { label: suggestion.label, why: suggestion.why })}{" "}
      <button type="button" class="link" onClick={() => onUse(suggestion)}>
        {t("map.useSuggestion")}
      </button>
    </span>
  );
}

function Unmapped({ missing }: { missing: UnmappedResponse["missing"] }) {
  const { t } = useUi();
  return (
    <div class="unmapped" data-testid="unmapped">
      <h3>{t("unmapped.title")}</h3>
      {missing.length === 0 ? (
        <p class="muted">{t("unmapped.none")}</p>
      ) : (
        <ul>
          {missing.map((m) => (
            <li key={m.mappingKey}>
              <a href={`#${fieldId(m.mappingKey)}`}>{m.label}</a>
              {m.required ? <strong> · {t("unmapped.required")}</strong> : null}
              {m.blocks.length
                ? ` · ${t("unmapped.blocks", { kinds: m.blocks.map((k: ObjectKind) => t(`kind.${k}` as MessageKey)).join(", ") })}`
                : ""}
              {m.blockedCount ? ` · ${t("unmapped.waiting", { n: m.blockedCount })}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
