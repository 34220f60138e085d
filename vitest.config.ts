import { defineConfig } from "vitest/config";

// `npm test` runs every project; `npx vitest run --project unit` (or worker, ext, e2e) runs one.
export default defineConfig({
  test: {
    projects: [
      "test/vitest.unit.config.ts",
      "test/vitest.worker.config.ts",
      "test/vitest.ext.config.ts",
      "test/vitest.e2e.config.ts",
    ],
  },
});
