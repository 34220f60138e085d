import { defineContentScript } from "wxt/utils/define-content-script";

// The back office of the Retail POS, and the local replica served by the POS sandbox.
export default defineContentScript({
  matches: ["https://*.retail.lightspeed.app/*", "http://127.0.0.1/*", "http://localhost/*"],
  runAt: "document_idle",
  main(ctx) {
    document.documentElement.dataset.tillbridge = "ready";
    ctx.onInvalidated(() => {
      delete document.documentElement.dataset.tillbridge;
    });
  },
});
