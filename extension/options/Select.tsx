import type { Option } from "../../shared/api";
import { useUi } from "./context";

/** A labelled drop-down of live options; "" means unmapped. Inactive choices stay visible when chosen. */
export function Select(props: {
  id: string;
  label: string;
  /** A line under the label saying what the choice does */
  help?: string;
  value: string | undefined;
  options: readonly (Option & { deleted?: boolean | undefined; detail?: string | undefined })[];
  onChange: (value: string | undefined) => void;
  emptyLabel?: string;
}) {
  const { t } = useUi();
  const shown = props.options.filter((o) => o.active !== false || o.id === props.value);
  const known = props.value === undefined || props.value === "" || shown.some((o) => o.id === props.value);
  return (
    <label class="field" for={props.id}>
      <span class="field-label">{props.label}</span>
      {props.help ? <small class="field-help">{props.help}</small> : null}
      <select
        id={props.id}
        data-testid={props.id}
        value={props.value ?? ""}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value || undefined)}
      >
        <option value="">{props.emptyLabel ?? t("map.choose")}</option>
        {!known ? <option value={props.value}>{props.value}</option> : null}
        {shown.map((o) => (
          <option value={o.id} key={o.id}>
            {o.name}
            {o.detail ? ` (${o.detail})` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
