/**
 * The one message the background sends to open back-office tabs: a setting that decides what their
 * badges show changed (a connection, the mappings, the language). Their features start again, so a
 * closure healed by a mapping fix turns green without anyone clicking. No imports: the content
 * script bundles this file.
 */
export const SETTINGS_CHANGED = "tillbridge:settingsChanged";

export const isSettingsChanged = (message: unknown): boolean =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === SETTINGS_CHANGED;
