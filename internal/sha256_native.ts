/**
 * SHA-256 from the system's OpenSSL `libcrypto`, called through Deno's FFI,
 * as the original Chalk hashes (it links OpenSSL). Deno's own SHA-256
 * (`node:crypto`) runs at ~1.5 GB/s here and costs ~35 ms to load with the
 * node layer; libcrypto uses the CPU's SHA instructions (~2 GB/s and more)
 * and opens in ~6 ms (`dlopen`). Where no libcrypto can be opened (a
 * minimal container, another OS), {@link nativeSha256} gives undefined and
 * `internal/sha256.ts` falls back to `node:crypto`.
 *
 * The low-level `SHA256_*` calls keep their state in a plain struct
 * (`SHA256_CTX`: eight state words, a bit count, a 64-byte block, two
 * counters; no pointers), so the state lives in a JavaScript buffer that the
 * garbage collector frees, and a copy of the hash is a copy of those bytes.
 *
 * @module
 */
import type { Sha256Hash } from "./sha256.ts";

/** `sizeof(SHA256_CTX)`: 8 + 2 + 16 + 2 32-bit words. */
const CTX_BYTES = 112;

/** Names tried in order: OpenSSL 3, then 1.1, then the unversioned development link. */
const LIBRARIES = ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"];

const SYMBOLS = {
  SHA256_Init: { parameters: ["buffer"], result: "i32" },
  SHA256_Update: { parameters: ["buffer", "buffer", "usize"], result: "i32" },
  SHA256_Final: { parameters: ["buffer", "buffer"], result: "i32" },
  /** The same function on Deno's blocking-call threads: hashes run side by side. */
  SHA256_UpdateOnThread: {
    name: "SHA256_Update",
    parameters: ["buffer", "buffer", "usize"],
    result: "i32",
    nonblocking: true,
  },
} as const;

type Library = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let library: Library | null | undefined;

function open(): Library | null {
  if (library !== undefined) return library;
  library = null;
  if (Deno.build.os !== "linux" || Deno.env.get("CHALK_TS_NO_LIBCRYPTO") === "1") return null;
  for (const name of LIBRARIES) {
    try {
      library = Deno.dlopen(name, SYMBOLS).symbols;
      break;
    } catch {
      // Not installed under this name (or FFI not allowed): try the next, then node:crypto.
    }
  }
  return library;
}

/** The SHA-256 state of libcrypto, in a buffer of ours. */
export class NativeSha256 implements Sha256Hash {
  readonly #lib: Library;
  readonly #ctx: Uint8Array<ArrayBuffer>;

  constructor(lib: Library, ctx?: Uint8Array<ArrayBuffer>) {
    this.#lib = lib;
    if (ctx) {
      this.#ctx = ctx;
    } else {
      this.#ctx = new Uint8Array(CTX_BYTES);
      if (lib.SHA256_Init(this.#ctx) !== 1) throw new Error("libcrypto: SHA256_Init failed");
    }
  }

  update(bytes: Uint8Array): this {
    if (bytes.length > 0) {
      this.#lib.SHA256_Update(this.#ctx, bytes as BufferSource, BigInt(bytes.length));
    }
    return this;
  }

  /**
   * Adds `bytes` on one of Deno's blocking-call threads, so that several hashes
   * run at once. Until the promise settles, neither `bytes` nor this hash may be
   * touched.
   */
  async updateOnThread(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    await this.#lib.SHA256_UpdateOnThread(this.#ctx, bytes as BufferSource, BigInt(bytes.length));
  }

  copy(): NativeSha256 {
    return new NativeSha256(this.#lib, this.#ctx.slice());
  }

  digest(): Uint8Array {
    const out = new Uint8Array(32);
    this.#lib.SHA256_Final(out, this.#ctx);
    return out;
  }
}

/** True when libcrypto's SHA-256 is at hand (opens it at the first call). */
export function hasNativeSha256(): boolean {
  return open() !== null;
}

/** A fresh libcrypto SHA-256, or undefined when libcrypto cannot be opened here. */
export function nativeSha256(): NativeSha256 | undefined {
  const lib = open();
  return lib ? new NativeSha256(lib) : undefined;
}
