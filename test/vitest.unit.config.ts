import { defineConfig } from "vitest/config";

// Paths are relative to this file's folder (test/), which vitest uses as the project's root.
export default defineConfig({
  test: {
    name: "unit",
    environment: "node",
    include: ["unit/**/*.test.ts"],
  },
});
