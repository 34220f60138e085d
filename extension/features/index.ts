import type { Feature, FeatureDefinition } from "./feature";

/**
 * Every feature file in this folder, registered the same way: `export default defineFeature(...)`.
 * Adding a feature is adding a file; nothing else needs editing.
 */
const modules = import.meta.glob<{ default: FeatureDefinition }>("./*.tsx", { eager: true });

export const FEATURES: readonly Feature[] = Object.entries(modules)
  .map(([path, mod]) => ({ id: path.replace(/^\.\//, "").replace(/\.tsx$/, ""), ...mod.default }))
  // a plain comparison: localeCompare's first call loads the collator, 10–25 ms on every page (issue 18.1)
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
