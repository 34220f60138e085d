/**
 * WebCrypto helpers: random tokens, SHA-256, constant-time comparison, HMAC, and AES-GCM encryption
 * of tokens at rest with a key ring (`TOKEN_KEYS` = "kid:base64key,..."; the first key encrypts, any
 * listed key decrypts, so keys can be rotated without losing connections).
 */

const enc = new TextEncoder();
const dec = new TextDecoder();

export function toBase64Url(bytes: Uint8Array<ArrayBuffer>): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array<ArrayBuffer>): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** A random token of `bytes` bytes (default 32 = 256 bits), base64url. */
export function randomToken(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return toBase64Url(buf);
}

export async function sha256Hex(text: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const data = typeof text === "string" ? enc.encode(text) : text;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export async function hmacSha256(
  key: string | Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer> | string,
): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey(
    "raw",
    typeof key === "string" ? enc.encode(key) : key,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, typeof data === "string" ? enc.encode(data) : data));
}

interface RingKey {
  id: string;
  key: CryptoKey;
}

const ringCache = new Map<string, Promise<RingKey[]>>();

function keyRing(spec: string): Promise<RingKey[]> {
  let ring = ringCache.get(spec);
  if (!ring) {
    ring = Promise.all(
      spec
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean)
        .map(async (entry) => {
          const [id, b64] = entry.split(":") as [string, string];
          const raw = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
          if (raw.length !== 32) throw new Error(`TOKEN_KEYS entry ${id} is not a 32-byte key`);
          return { id, key: await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) };
        }),
    );
    ringCache.set(spec, ring);
  }
  return ring;
}

/**
 * Encrypts a secret: "v1.<kid>.<iv>.<ciphertext>" (base64url). `aad` binds the ciphertext to its
 * owner (e.g. "qbo:<tenant>"), so a token copied to another row does not decrypt.
 */
export async function encryptSecret(keys: string, plaintext: string, aad: string): Promise<string> {
  const [current] = await keyRing(keys);
  if (!current) throw new Error("TOKEN_KEYS is empty");
  const iv = new Uint8Array(12);
  crypto.getRandomValues(iv);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: enc.encode(aad) },
      current.key,
      enc.encode(plaintext),
    ),
  );
  return `v1.${current.id}.${toBase64Url(iv)}.${toBase64Url(ct)}`;
}

export async function decryptSecret(keys: string, sealed: string, aad: string): Promise<string> {
  const [v, kid, ivText, ctText] = sealed.split(".");
  if (v !== "v1" || !kid || !ivText || !ctText) throw new Error("not a sealed secret");
  const ring = await keyRing(keys);
  const entry = ring.find((k) => k.id === kid);
  if (!entry) throw new Error(`no key ${kid} in TOKEN_KEYS (was it rotated out?)`);
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64Url(ivText), additionalData: enc.encode(aad) },
    entry.key,
    fromBase64Url(ctText),
  );
  return dec.decode(pt);
}

/** The id of the key that currently encrypts. */
export async function currentKeyId(keys: string): Promise<string> {
  const [current] = await keyRing(keys);
  return current!.id;
}
