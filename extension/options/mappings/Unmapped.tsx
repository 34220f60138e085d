import type { UnmappedResponse } from "../../../shared/api";
import { useUi } from "../context";
import { fieldId } from "../mapping-keys";

/** What is not mapped yet (the Worker words it in the page's language), each linked to its field. */
export function Unmapped({ missing }: { missing: UnmappedResponse["missing"] }) {
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
                ? ` · ${t("unmapped.blocks", { kinds: m.blocks.map((k) => t(`kind.${k}`)).join(", ") })}`
                : ""}
              {m.blockedCount ? ` · ${t("unmapped.waiting", { n: m.blockedCount })}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
