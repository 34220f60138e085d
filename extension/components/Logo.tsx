/** The QuickBooks mark as a plain circle + "qb", coloured by the badge's tone. */
export function QboLogo({ tone }: { tone: "green" | "grey" | "red" }) {
  const fill = tone === "green" ? "#2ca01c" : tone === "red" ? "#d52b1e" : "#8d9096";
  return (
    <svg class="tb-logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="16" fill={fill} />
      <text
        x="16"
        y="21"
        text-anchor="middle"
        font-family="Arial, sans-serif"
        font-weight="700"
        font-size="14"
        fill="#fff"
      >
        qb
      </text>
    </svg>
  );
}

export function Spinner() {
  return <span class="tb-spin" role="progressbar" aria-busy="true" />;
}
