import { defineConfig } from "vitest/config";

// Paths are relative to this file's folder (test/), which vitest uses as the project's root.
export default defineConfig({
  test: {
    name: "unit",
    environment: "node",
    include: ["unit/**/*.test.ts"],
    // A test's time limit is a guard against a hang, never a speed check: on a loaded 2-core machine with a
    // test file per core, compute-heavy tests take several times their idle duration (vitest's default is 5 s).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
