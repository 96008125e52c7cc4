/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, for the small inputs most
 * commands hash (a mark, a script, a small ELF): loading `node:crypto` costs
 * ~13 ms at start-up, more than hashing a megabyte here. Large inputs go to
 * `node:crypto`, which uses the CPU's SHA instructions (internal/sha256.ts
 * chooses).
 *
 * @module
 */

// deno-fmt-ignore -- FIPS 180-4's table, eight to a row, is easier to check than one a line.
/** The round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The initial state: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const INITIAL = new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);

// One message schedule for every instance: compression is synchronous, and a
// fresh array per block would be garbage the hot loop has to wait for.
const W = new Int32Array(64);

/**
 * Compresses the whole 64-byte blocks of `p[pos..end)` (`end - pos` a
 * multiple of 64) into `state`. The state lives in locals for the whole run
 * of blocks: V8 keeps them in registers as int32s, which typed-array slots
 * are not.
 */
function compress(state: Int32Array, p: Uint8Array, pos: number, end: number): void {
  const w = W;
  let h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3];
  let h4 = state[4], h5 = state[5], h6 = state[6], h7 = state[7];
  while (pos < end) {
    for (let i = 0; i < 16; i++, pos += 4) {
      w[i] = (p[pos] << 24) | (p[pos + 1] << 16) | (p[pos + 2] << 8) | p[pos + 3];
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = g ^ (e & (f ^ g));
      const t1 = (h + s1 + ch + K[i] + w[i]) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) | (c & (a | b));
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + s0 + maj) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
  state[5] = h5;
  state[6] = h6;
  state[7] = h7;
}

/** A running SHA-256, shaped like the part of node's `Hash` that chalk uses. */
export class Sha256 {
  // A typed array's slice copies directly; `Int32Array.from` walks an iterator (each mark, each
  // small file hashes several times).
  readonly #state = INITIAL.slice();
  /** The start of a block that the input has not completed yet. */
  readonly #block = new Uint8Array(64);
  #buffered = 0;
  /** Bytes hashed so far (a double counts exactly up to 2^53, far past any artifact). */
  #length = 0;
  #finished = false;

  /** Adds `bytes` to the hashed input. */
  update(bytes: Uint8Array): this {
    if (this.#finished) throw new Error("Sha256: update() after digest()");
    const n = bytes.length;
    const block = this.#block;
    let pos = 0;
    this.#length += n;
    if (this.#buffered > 0) {
      let at = this.#buffered;
      while (at < 64 && pos < n) block[at++] = bytes[pos++];
      if (at < 64) {
        this.#buffered = at;
        return this;
      }
      compress(this.#state, block, 0, 64);
      this.#buffered = 0;
    }
    const whole = n - ((n - pos) % 64);
    if (whole > pos) compress(this.#state, bytes, pos, whole);
    for (pos = whole; pos < n; pos++) block[pos - whole] = bytes[pos];
    this.#buffered = n - whole;
    return this;
  }

  /** The 32-byte digest; the hash cannot be used afterwards. */
  digest(): Uint8Array {
    if (this.#finished) throw new Error("Sha256: digest() called twice");
    this.#finished = true;
    const block = this.#block;
    const state = this.#state;
    let at = this.#buffered;
    block[at++] = 0x80;
    if (at > 56) {
      block.fill(0, at);
      compress(state, block, 0, 64);
      at = 0;
    }
    block.fill(0, at, 56);
    // The length in bits, big-endian over 64 bits: scaling by 8 is exact in a
    // double, and >>> 0 keeps the low 32 bits.
    const bits = this.#length * 8;
    writeWord(block, 56, Math.floor(bits / 0x100000000));
    writeWord(block, 60, bits >>> 0);
    compress(state, block, 0, 64);
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) writeWord(out, 4 * i, state[i]);
    return out;
  }

  /** An independent hash that goes on from this one's input so far. */
  copy(): Sha256 {
    if (this.#finished) throw new Error("Sha256: copy() after digest()");
    const twin = new Sha256();
    twin.#state.set(this.#state);
    twin.#block.set(this.#block);
    twin.#buffered = this.#buffered;
    twin.#length = this.#length;
    return twin;
  }
}

function writeWord(out: Uint8Array, at: number, word: number): void {
  out[at] = word >>> 24;
  out[at + 1] = word >>> 16;
  out[at + 2] = word >>> 8;
  out[at + 3] = word;
}
