import preact from "@preact/preset-vite";
import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

export default defineConfig({
  plugins: [WxtVitest(), preact()],
  test: {
    name: "ext",
    environment: "happy-dom",
    include: ["ext/**/*.test.{ts,tsx}"],
  },
});
