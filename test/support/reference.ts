import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

/**
 * The workspace's reference material, `../shared/reference` beside the repository (Intuit's QBO XSD,
 * Lightspeed's OpenAPI document). It is not part of the repository: a clone made anywhere else does
 * not have it. Checks that read it go through `describeWithReference`, so they run wherever it exists
 * and, where it does not, step aside with a one-line notice and their names marked as skipped —
 * never a failure, never a silent pass. `TILLBRIDGE_REQUIRE_REFERENCE=1` turns its absence into an
 * error (for a machine that is supposed to have it).
 */
export const REFERENCE_DIR = fileURLToPath(new URL("../../../shared/reference/", import.meta.url));

/** The absolute path of `../shared/reference/<rel>`. */
export const referencePath = (rel: string): string => join(REFERENCE_DIR, rel);

export const hasReference = (rel: string): boolean => existsSync(referencePath(rel));

/** `describe` for checks that read `../shared/reference/<rel>` (put their `beforeAll` inside `fn`). */
export function describeWithReference(rel: string, name: string, fn: () => void): void {
  if (hasReference(rel)) {
    describe(name, fn);
    return;
  }
  const why = `../shared/reference/${rel} is absent (a clone outside the workspace)`;
  if (process.env.TILLBRIDGE_REQUIRE_REFERENCE === "1") throw new Error(`${why}, and TILLBRIDGE_REQUIRE_REFERENCE=1`);
  console.warn(`notice: "${name}" steps aside: ${why}`);
  describe.skip(`${name} (skipped: ${why})`, fn);
}
