import { useEffect } from "preact/hooks";
import { browser } from "wxt/browser";
import { isSettingsChanged } from "../broadcast";

/**
 * Runs `onChange` when the background says settings changed (a connection made in another tab, the
 * mappings saved elsewhere, the language): the page follows without a reload.
 */
export function useSettingsChanged(onChange: () => void): void {
  useEffect(() => {
    const listener = (message: unknown) => {
      if (isSettingsChanged(message)) onChange();
    };
    browser.runtime.onMessage.addListener(listener);
    return () => browser.runtime.onMessage.removeListener(listener);
  }, []);
}
