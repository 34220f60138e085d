import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { createBackground } from "../background";

declare const __TILLBRIDGE_WORKER_URL__: string;

export default defineBackground(() => {
  // Keep storage (where the session lives) away from content scripts where the browser allows it.
  const local = browser.storage.local as unknown as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  void local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => undefined);

  const { handle } = createBackground({ workerUrl: __TILLBRIDGE_WORKER_URL__, toolbarCount: true });
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void handle(message, sender).then(sendResponse);
    return true; // answers asynchronously
  });
});
