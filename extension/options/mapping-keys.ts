/** The element id of a mapping's field, so the unmapped list, previews and badges can point at it. */
export const fieldId = (key: string) => `map-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
