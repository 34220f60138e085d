/**
 * Stands in for zod in the content-script bundle only (wxt.config.ts aliases it there). The content
 * script imports shared/ for words and badge tones, and shared/ builds its schemas at module level;
 * the content script itself never validates (the background does, ask.ts has no zod), so the schemas
 * can be inert. This keeps the injected bundle small. Using a schema here fails loudly, never silently.
 */
const refuse = () => {
  throw new Error("zod is not bundled in the content script: validate in the background");
};
const REFUSED = new Set(["parse", "safeParse", "parseAsync", "safeParseAsync", "decode", "encode"]);
const inert: object = new Proxy(() => {}, {
  get: (_t, prop) =>
    typeof prop === "string" && REFUSED.has(prop) ? refuse : prop === Symbol.toPrimitive ? undefined : inert,
  apply: () => inert,
  construct: () => inert,
});
export const z = inert;
export default inert;
