import { browser } from "wxt/browser";
import { defineContentScript } from "wxt/utils/define-content-script";
import { isSettingsChanged } from "../broadcast";
import { runFeatures } from "../content/run";
import { FEATURES } from "../features";

// The back office of the Retail POS, and the local replica served by the POS sandbox.
export default defineContentScript({
  matches: ["https://*.retail.lightspeed.app/*", "http://127.0.0.1/*", "http://localhost/*"],
  // As soon as the DOM is parsed (not after the page's load): badges are drawn by an observer anyway.
  runAt: "document_end",
  main(ctx) {
    // One instance per page: an updated extension's new script takes over from the invalidated one.
    document.documentElement.dataset.tillbridge = "ready";
    ctx.onInvalidated(() => {
      delete document.documentElement.dataset.tillbridge;
    });
    runFeatures({
      features: FEATURES,
      signal: ctx.signal,
      url: () => location.href,
      onNavigate: (cb) => ctx.addEventListener(window, "wxt:locationchange", (e) => cb(e.newUrl.href)),
      onSettingsChanged: (cb) => {
        const listener = (message: unknown) => {
          if (isSettingsChanged(message)) cb();
        };
        browser.runtime.onMessage.addListener(listener);
        ctx.signal.addEventListener("abort", () => browser.runtime.onMessage.removeListener(listener), { once: true });
      },
    });
  },
});
