import type { MappingOptions } from "../../../shared/api";
import { type Mappings, mappingValue } from "../../../shared/mappings";
import { useUi } from "../context";
import { fieldId } from "../mapping-keys";
import type { QboThing } from "../../../shared/errors";
import type { OptionsKey, OptionsTranslate } from "../../i18n/options";
import { Select } from "../Select";
import { fieldError, type Suggestion } from "./editor";

/** What every mapping field reads and writes: the draft, the live lists, the suggestions. */
export interface Editing {
  draft: Mappings;
  options: MappingOptions;
  suggestions: readonly Suggestion[];
  change: (key: string, value: unknown) => void;
  /** A refused save's problems by mapping key */
  fieldErrors: Record<string, string>;
}

/** A QBO type in the page's language ("Other Current Asset" → "Autres actifs à court terme"). */
export function typeName(t: OptionsTranslate, type: string): string {
  const key = `qbo.type.${type}`;
  const words = t(key as OptionsKey);
  return words === key ? type : words;
}

/** The drop-down choices of each QBO list, with the human type name shown beside each name. */
export function pickerOptions(q: MappingOptions["qbo"], t: OptionsTranslate) {
  return {
    accounts: q.accounts.map((a) => ({ ...a, detail: typeName(t, a.accountType), qboType: a.accountType })),
    items: q.items.map((i) => ({ ...i, detail: typeName(t, i.type), qboType: i.type })),
    taxCodes: q.taxCodes,
    customers: q.customers,
    classes: q.classes,
    departments: q.departments,
  };
}
export type Pickers = ReturnType<typeof pickerOptions>;

/** The suggestion for a key, while it is unmapped. */
export function suggestionFor(edit: Editing, key: string): Suggestion | undefined {
  return mappingValue(edit.draft, key) === undefined ? edit.suggestions.find((s) => s.mappingKey === key) : undefined;
}

/** One mapping picked from a QBO list, with its suggestion. */
export function Field(props: {
  edit: Editing;
  mappingKey: string;
  label: string;
  help?: string;
  options: Pickers[keyof Pickers];
  entity?: QboThing;
  allowedTypes?: readonly string[] | undefined;
}) {
  const { edit, mappingKey } = props;
  return (
    <div class="row">
      <Select
        id={fieldId(mappingKey)}
        label={props.label}
        {...(props.help ? { help: props.help } : {})}
        value={mappingValue(edit.draft, mappingKey) as string | undefined}
        options={props.options}
        {...(props.entity ? { entity: props.entity } : {})}
        {...(props.allowedTypes ? { allowedTypes: props.allowedTypes } : {})}
        error={fieldError(edit.fieldErrors, mappingKey)}
        onChange={(v) => edit.change(mappingKey, v)}
      />
      <Suggest edit={edit} mappingKey={mappingKey} />
    </div>
  );
}

export function Suggest({ edit, mappingKey }: { edit: Editing; mappingKey: string }) {
  const { t } = useUi();
  const suggestion = suggestionFor(edit, mappingKey);
  if (!suggestion) return null;
  return (
    <span class="suggestion" data-testid="suggestion">
      {t("map.suggested", { label: suggestion.label, why: suggestion.why })}{" "}
      <button type="button" class="link" onClick={() => edit.change(suggestion.mappingKey, suggestion.value)}>
        {t("map.useSuggestion")}
      </button>
    </span>
  );
}
