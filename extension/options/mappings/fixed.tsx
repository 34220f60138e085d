import { appliesTo, FIXED_ENTRIES, type FixedEntry, type FixedPath } from "../../../shared/mapping-catalog";
import { mappingValue } from "../../../shared/mappings";
import type { OptionsKey as MessageKey } from "../../i18n/options";
import { useUi } from "../context";
import { fieldId } from "../mapping-keys";
import { type Editing, Field, type Pickers } from "./fields";

/**
 * The catalog's fixed mappings, a fieldset per kind: products/services, accounts, then the rest (tax
 * codes, the closure customer, switches). Those a company does not use (the global-tax ones on a US
 * company) are not shown.
 */
const SECTIONS: { legend: MessageKey; kinds: readonly FixedEntry["kind"][] }[] = [
  { legend: "map.items", kinds: ["item"] },
  { legend: "map.accounts", kinds: ["account"] },
  { legend: "map.other", kinds: ["taxCode", "customer", "switch"] },
];

type Entry = { path: FixedPath } & FixedEntry;

export function FixedSections({ edit, pickers }: { edit: Editing; pickers: Pickers }) {
  const { t } = useUi();
  const globalTax = edit.options.qbo.country !== "US";
  return (
    <>
      {SECTIONS.map((section) => (
        <fieldset key={section.legend}>
          <legend>{t(section.legend)}</legend>
          {FIXED_ENTRIES.filter((e) => section.kinds.includes(e.kind) && appliesTo(e, globalTax)).map((e) => (
            <FixedField key={e.path} edit={edit} entry={e} pickers={pickers} />
          ))}
        </fieldset>
      ))}
    </>
  );
}

const LISTS = { account: "accounts", item: "items", taxCode: "taxCodes", customer: "customers" } as const;

function FixedField({ edit, entry, pickers }: { edit: Editing; entry: Entry; pickers: Pickers }) {
  const { t } = useUi();
  const label = t(`mapping.${entry.path}.label`);
  const help = t(`mapping.${entry.path}.help`);
  if (entry.kind === "switch") return <Switch edit={edit} path={entry.path} label={label} help={help} />;
  const allowedTypes =
    entry.kind === "account" ? entry.accountTypes : entry.kind === "item" ? entry.itemTypes : undefined;
  return (
    <Field
      edit={edit}
      mappingKey={entry.path}
      label={label}
      help={help}
      options={pickers[LISTS[entry.kind]]}
      entity={entry.kind}
      allowedTypes={allowedTypes}
    />
  );
}

function Switch(props: { edit: Editing; path: FixedPath; label: string; help: string }) {
  const { edit, path } = props;
  return (
    <label class="check" title={props.help}>
      <input
        type="checkbox"
        id={fieldId(path)}
        data-testid={fieldId(path)}
        checked={mappingValue(edit.draft, path) === true}
        onChange={(e) => edit.change(path, (e.currentTarget as HTMLInputElement).checked)}
      />
      {props.label}
    </label>
  );
}
