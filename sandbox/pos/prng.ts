/**
 * A small seeded PRNG (sfc32, seeded through splitmix32). Its whole state is four uint32 numbers kept
 * in the store's JSON state, so generation is deterministic, survives exportState/importState, and
 * continues identically after an import. Floats here only pick things; money never goes through them.
 */

export interface PrngState {
  a: number;
  b: number;
  c: number;
  d: number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seedPrng(seed: number): PrngState {
  const next = splitmix32(seed);
  const state = { a: next(), b: next(), c: next(), d: next() };
  const rng = new Prng(state);
  for (let i = 0; i < 12; i++) rng.u32(); // sfc32 wants a few rounds before its output is well mixed
  return state;
}

export class Prng {
  constructor(readonly state: PrngState) {}

  u32(): number {
    const s = this.state;
    const t = (((s.a + s.b) >>> 0) + s.d) >>> 0;
    s.d = (s.d + 1) >>> 0;
    s.a = (s.b ^ (s.b >>> 9)) >>> 0;
    s.b = (s.c + (s.c << 3)) >>> 0;
    s.c = ((s.c << 21) | (s.c >>> 11)) >>> 0;
    s.c = (s.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.float() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** An RFC 4122 version-4-shaped UUID drawn from this stream (deterministic, not secret). */
  uuid(): string {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    const w = [this.u32(), this.u32(), this.u32(), this.u32()];
    w[1] = ((w[1]! & 0xffff0fff) | 0x00004000) >>> 0;
    w[2] = ((w[2]! & 0x3fffffff) | 0x80000000) >>> 0;
    const s = w.map(hex).join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
  }

  /** A string of digits, e.g. a gift-card number. */
  digits(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += String(this.int(0, 9));
    return out;
  }
}
