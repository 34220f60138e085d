import preact from "@preact/preset-vite";
import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

export default defineConfig({
  plugins: [WxtVitest(), preact()],
  test: {
    name: "ext",
    environment: "happy-dom",
    include: ["ext/**/*.test.{ts,tsx}"],
    // A test's time limit is a guard against a hang, never a speed check: on a loaded 2-core machine with a
    // test file per core, compute-heavy tests take several times their idle duration (vitest's default is 5 s).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
