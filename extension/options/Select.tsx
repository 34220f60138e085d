import { useState } from "preact/hooks";
import type { Option } from "../../shared/api";
import { problemText, type QboThing } from "../../shared/errors";
import { useUi } from "./context";

/** Lists longer than this get a search box above them. */
export const SEARCH_FROM = 8;

export type PickerOption = Option & {
  deleted?: boolean | undefined;
  detail?: string | undefined;
  /** QBO's type of an account or item ("Bank", "Service"): what `allowedTypes` filters on */
  qboType?: string | undefined;
};

/** Lower-case, accents off: "Épargne" is found by "epar". */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/**
 * A labelled drop-down of live options; "" means unmapped. A long list gets a search box that
 * narrows it (the native select keeps the keyboard behaviour people know). With `allowedTypes`, only
 * accounts or items of those types are offered. The chosen value stays visible whatever the filters,
 * and when it is inactive, deleted or of a type the postings cannot use, the field says so in words.
 */
export function Select(props: {
  id: string;
  label: string;
  /** A line under the label saying what the choice does */
  help?: string;
  value: string | undefined;
  options: readonly PickerOption[];
  onChange: (value: string | undefined) => void;
  emptyLabel?: string;
  /** What the list holds, to word a problem with the chosen one */
  entity?: QboThing;
  /** The QBO types the postings can use (the mapping catalog's) */
  allowedTypes?: readonly string[];
  /** The Worker's refusal of this field on save, in plain words (shown in place of what the page found) */
  error?: string | undefined;
}) {
  const { t, lang } = useUi();
  const [query, setQuery] = useState("");
  const allowed = props.allowedTypes?.length ? props.allowedTypes : null;
  const chosen = props.value ? props.options.find((o) => o.id === props.value) : undefined;
  const usable = props.options.filter(
    (o) => o.active !== false && (!allowed || !o.qboType || allowed.includes(o.qboType)),
  );
  const q = fold(query.trim());
  const matching = q ? usable.filter((o) => fold(`${o.name} ${o.detail ?? ""}`).includes(q)) : usable;
  const shown = chosen && !matching.includes(chosen) ? [chosen, ...matching] : matching;
  const missing = Boolean(props.value) && !chosen;

  const found = !props.entity
    ? null
    : missing
      ? problemText({ kind: "gone", entity: props.entity, id: props.value! }, lang)
      : chosen && chosen.active === false
        ? problemText({ kind: "inactive", entity: props.entity, qboName: chosen.name }, lang)
        : chosen &&
            allowed &&
            chosen.qboType &&
            !allowed.includes(chosen.qboType) &&
            (props.entity === "account" || props.entity === "item")
          ? problemText(
              {
                kind: "wrong_type",
                entity: props.entity,
                qboName: chosen.name,
                type: chosen.qboType,
                allowed: [...allowed],
              },
              lang,
            )
          : null;
  const problem = props.error ?? found;
  const described = [props.help ? `${props.id}-help` : "", problem ? `${props.id}-problem` : ""].filter(Boolean);

  return (
    <div class="field">
      <label class="field-label" for={props.id}>
        {props.label}
      </label>
      {props.help ? (
        <small class="field-help" id={`${props.id}-help`}>
          {props.help}
        </small>
      ) : null}
      {usable.length > SEARCH_FROM ? (
        <input
          type="search"
          class="picker-search"
          data-testid={`${props.id}-search`}
          aria-label={t("map.search", { label: props.label })}
          aria-controls={props.id}
          placeholder={t("map.searchPlaceholder")}
          value={query}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            // Down arrow from the search box goes to the narrowed list
            if (e.key === "ArrowDown") {
              e.preventDefault();
              document.getElementById(props.id)?.focus();
            }
          }}
        />
      ) : null}
      <select
        id={props.id}
        data-testid={props.id}
        value={props.value ?? ""}
        aria-invalid={problem ? "true" : undefined}
        aria-describedby={described.length ? described.join(" ") : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value || undefined)}
      >
        <option value="">{props.emptyLabel ?? t("map.choose")}</option>
        {missing ? <option value={props.value}>{props.value}</option> : null}
        {shown.map((o) => (
          <option value={o.id} key={o.id}>
            {o.name}
            {o.detail ? ` (${o.detail})` : ""}
            {o.active === false ? ` ${t("map.inactive")}` : ""}
          </option>
        ))}
      </select>
      {q && matching.length === 0 ? <small class="muted">{t("map.noMatch")}</small> : null}
      {problem ? (
        <small class="field-problem" id={`${props.id}-problem`} data-testid={`${props.id}-problem`}>
          {problem.charAt(0).toUpperCase()}
          {problem.slice(1)}. {t("map.chooseAnother")}
        </small>
      ) : null}
    </div>
  );
}
