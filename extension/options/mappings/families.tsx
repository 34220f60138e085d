import type { FunctionComponent } from "preact";
import { type FamilyEntry, type FamilyName, PAYMENT_ROLES } from "../../../shared/mapping-catalog";
import type { PaymentTypeMapping } from "../../../shared/mappings";
import { useUi } from "../context";
import { fieldId } from "../mapping-keys";
import { Select } from "../Select";
import { fieldError } from "./editor";
import { type Editing, Field, type Pickers, Suggest } from "./fields";

/**
 * One fieldset per family of the catalog (categories, payment types, POS taxes, outlets): a row per
 * POS object, drawn by the component for what the family maps each object to.
 */
interface RowsProps {
  edit: Editing;
  entry: { path: FamilyName } & FamilyEntry;
  pickers: Pickers;
}

export function FamilySection(props: RowsProps) {
  const { t } = useUi();
  const Rows = props.entry.path === "adjustmentTypes" ? AdjustmentTypeRows : ROWS[props.entry.picks];
  return (
    <fieldset>
      <legend>{t(`mapping.${props.entry.path}.label`)}</legend>
      <p class="section-help">{t(`mapping.${props.entry.path}.help`)}</p>
      <Rows {...props} />
    </fieldset>
  );
}

function CategoryRows({ edit, entry, pickers }: RowsProps) {
  return (
    <>
      {edit.options.pos.categories.map((c) => (
        <Field
          key={c.id}
          edit={edit}
          mappingKey={`categories.${c.id}`}
          label={c.name}
          options={pickers.items}
          entity="item"
          allowedTypes={entry.itemTypes}
        />
      ))}
    </>
  );
}

/** The POS lists no charge types: a row per type already mapped or one a closure waits on (suggested). */
function AdjustmentTypeRows({ edit, pickers }: RowsProps) {
  const keys = new Set(Object.keys(edit.draft.adjustmentTypes).map((type) => `adjustmentTypes.${type}`));
  for (const s of edit.suggestions) if (s.mappingKey.startsWith("adjustmentTypes.")) keys.add(s.mappingKey);
  return (
    <>
      {[...keys].sort().map((key) => (
        <Field
          key={key}
          edit={edit}
          mappingKey={key}
          label={key.slice("adjustmentTypes.".length)}
          options={pickers.items}
        />
      ))}
    </>
  );
}

function PaymentTypeRows({ edit, entry, pickers }: RowsProps) {
  const types = entry.accountTypes ?? [];
  const deposit = pickers.accounts.filter((a) => types.includes(a.accountType));
  return (
    <>
      {edit.options.pos.paymentTypes.map((p) => (
        <PaymentTypeRow
          key={p.id}
          edit={edit}
          paymentType={p}
          deposit={deposit}
          choices={pickers.accounts}
          allowedTypes={deposit.length ? types : undefined}
        />
      ))}
    </>
  );
}

/** A payment type's role, and for money, the account it lands in. */
function PaymentTypeRow(props: {
  edit: Editing;
  paymentType: { id: string; name: string; deleted: boolean };
  /** Accounts of the types money can land in; the first is the default */
  deposit: Pickers["accounts"];
  /** Every account: the drop-down offers those of `allowedTypes` (all when the company has none of them) */
  choices: Pickers["accounts"];
  /** The account types money can land in, when the company has some */
  allowedTypes?: readonly string[] | undefined;
}) {
  const { t } = useUi();
  const { edit, paymentType: p, deposit } = props;
  const key = `paymentTypes.${p.id}`;
  const current = edit.draft.paymentTypes[p.id];
  const pick = (role: string) => {
    const accountId = current?.role === "deposit" ? current.accountId : (deposit[0]?.id ?? "");
    const next: PaymentTypeMapping | undefined = !role
      ? undefined
      : role === "deposit"
        ? { role, accountId }
        : ({ role } as PaymentTypeMapping);
    edit.change(key, next);
  };
  return (
    <div class="row">
      <label class="field" for={fieldId(key)}>
        <span class="field-label">
          {p.name} {p.deleted ? t("map.deleted") : ""}
        </span>
        <select
          id={fieldId(key)}
          data-testid={fieldId(key)}
          value={current?.role ?? ""}
          onChange={(e) => pick((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{t("map.choose")}</option>
          {PAYMENT_ROLES.map((r) => (
            <option value={r}>{t(`map.role.${r}`)}</option>
          ))}
        </select>
      </label>
      {current?.role === "deposit" ? (
        <Select
          id={`${fieldId(key)}-account`}
          label={t("map.role.deposit")}
          value={current.accountId}
          options={props.choices}
          entity="account"
          {...(props.allowedTypes ? { allowedTypes: props.allowedTypes } : {})}
          error={fieldError(edit.fieldErrors, key)}
          onChange={(v) => edit.change(key, v ? { role: "deposit", accountId: v } : undefined)}
        />
      ) : null}
      <Suggest edit={edit} mappingKey={key} />
    </div>
  );
}

function TaxRows({ edit, pickers }: RowsProps) {
  const { t } = useUi();
  return (
    <>
      {edit.options.pos.taxes.map((tax) => {
        const key = `taxes.${tax.id}`;
        const current = edit.draft.taxes[tax.id] ?? {};
        return (
          <div class="row" key={tax.id}>
            <Select
              id={fieldId(key)}
              label={tax.name}
              value={current.taxCodeId}
              options={pickers.taxCodes}
              entity="taxCode"
              error={fieldError(edit.fieldErrors, key)}
              onChange={(v) => edit.change(key, { ...current, taxCodeId: v })}
            />
            {edit.options.qbo.country === "US" ? (
              <label class="check">
                <input
                  type="checkbox"
                  checked={current.taxable ?? false}
                  onChange={(e) =>
                    edit.change(key, { ...current, taxable: (e.currentTarget as HTMLInputElement).checked })
                  }
                />
                {t("map.taxable")}
              </label>
            ) : null}
            <Suggest edit={edit} mappingKey={key} />
          </div>
        );
      })}
    </>
  );
}

function OutletRows({ edit, pickers }: RowsProps) {
  const { t } = useUi();
  return (
    <>
      {edit.options.pos.outlets.map((o) => {
        const key = `outlets.${o.id}`;
        const current = edit.draft.outlets[o.id] ?? {};
        return (
          <div class="row" key={o.id}>
            <span class="field-label">{o.name}</span>
            <Select
              id={`${fieldId(key)}-class`}
              label={t("map.class")}
              value={current.classId}
              options={pickers.classes}
              entity="class"
              emptyLabel={t("map.none")}
              onChange={(v) => edit.change(key, { ...current, classId: v })}
            />
            <Select
              id={`${fieldId(key)}-location`}
              label={t("map.location")}
              value={current.departmentId}
              options={pickers.departments}
              entity="location"
              emptyLabel={t("map.none")}
              onChange={(v) => edit.change(key, { ...current, departmentId: v })}
            />
          </div>
        );
      })}
    </>
  );
}

const ROWS: { [P in FamilyEntry["picks"]]: FunctionComponent<RowsProps> } = {
  item: CategoryRows,
  paymentRole: PaymentTypeRows,
  taxCode: TaxRows,
  classAndLocation: OutletRows,
};
