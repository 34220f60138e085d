import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// `npm test` runs every project; `npx vitest run --project unit` (or worker, ext, e2e) runs one.
export default defineConfig({
  test: {
    // A test file per core. Vitest's default (cores - 1) ran every file one after another on a 2-core
    // machine, while most worker tests wait on workerd and D1 rather than compute.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      "test/vitest.unit.config.ts",
      "test/vitest.worker.config.ts",
      "test/vitest.ext.config.ts",
      "test/vitest.e2e.config.ts",
    ],
  },
});
