import { z } from "zod";

/**
 * How a normaliser refuses a payload: it throws `Unreadable` naming the field the way Tillbridge has
 * always reported it (e.g. `total_price` for either generation's spelling) and why; `canonical`
 * turns that into one zod issue, so `readObject` reports it as `pos_payload_invalid` like any type
 * error. Normalisers are plain functions over the already type-checked payload: no zod per line.
 */
export class Unreadable extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    readonly what: string,
  ) {
    super(`${path.join(".")}: ${what}`);
  }
}

/** Refuses the payload with "<path>: missing": `a ?? b ?? missing("total_price")`. */
export function missing(...path: (string | number)[]): never {
  throw new Unreadable(path, "missing");
}

/** A zod transform that runs a normaliser once the whole payload is type-checked. */
export function canonical<In, Out>(normalize: (payload: In) => Out) {
  return (payload: In, ctx: z.core.$RefinementCtx<In>): Out => {
    try {
      return normalize(payload);
    } catch (e) {
      if (!(e instanceof Unreadable)) throw e;
      ctx.addIssue({ code: "custom", path: [...e.path], message: e.what, input: payload });
      return z.NEVER;
    }
  };
}
