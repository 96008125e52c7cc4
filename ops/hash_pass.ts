/**
 * Several SHA-256 digests of content plans over one artifact, in one read
 * pass: the plans' ranges are read once, in file order, through one reused
 * buffer, and each chunk feeds every hash that needs it. Plans that start
 * alike share their common prefix: it is hashed once and the SHA-256 state
 * copied where they part (a deleted ELF mark's content and its HASH share
 * everything before the `.chalk.free` section).
 *
 * A plan may hold slots (the mark text, the HASH digest). Its hash stops at
 * an empty slot; {@link HashPass.fill} gives the value and the next
 * {@link HashPass.run} goes on from there. Inflated ranges (zip members) are
 * read and inflated where the plan reaches them.
 *
 * @module
 */
import { inflateRange } from "../codecs/inflate.ts";
import {
  type ContentPlan,
  isInflated,
  isRange,
  isSlot,
  type Piece,
  planLength,
  type Slot,
  slotValue,
  type SlotValues,
} from "../codecs/plan.ts";
import { toHex } from "../internal/hex.ts";
import { JS_SHA256_LIMIT, newSha256, type Sha256Hash } from "../internal/sha256.ts";

/**
 * Plans from this size up to {@link ONE_SHOT_UNTIL} are hashed whole by
 * WebCrypto (Rust, on Deno's thread pool: the plans of one pass side by
 * side) when the caller can wait. A fresh process runs the TypeScript hash
 * interpreted at first, ~3 MB/s over its first tens of kilobytes (a 140 KB
 * ELF's two hashes cost ~16 ms of a 150 ms extract), and libcrypto costs
 * ~6 ms to open; WebCrypto's digests of that ELF cost ~1 ms. Below this
 * size the TypeScript hash, once warm (the many small scripts of a folder),
 * answers without a thread hop.
 */
export const ONE_SHOT_FROM = 8 * 1024;
/**
 * From this size on plans stream: memory does not grow with the artifact, and
 * libcrypto's hash (a fresh process's WebCrypto runs at ~300 MB/s, two 1 MB
 * digests ~7 ms, as libcrypto with its opening) wins from here.
 */
export const ONE_SHOT_UNTIL = JS_SHA256_LIMIT;

/** Where the bytes of the plans' ranges come from (see `FileView.chunk`). */
export interface ChunkSource {
  /** Up to `max` bytes at `offset`, at least one while `offset` is before the end. */
  chunk(offset: number, max?: number): Uint8Array;
}

/** A prefix tree of plans: `pieces` are hashed once, then each child goes on from a copy. */
interface Node {
  pieces: Piece[];
  children: Node[];
  /** Names of the plans that end exactly here. */
  ends: string[];
}

/** A hash on its way through one node. */
interface Cursor {
  node: Node;
  hash: Sha256Hash;
  /** Index of the current piece in `node.pieces`, and bytes of it already hashed. */
  piece: number;
  done: number;
}

function pieceLength(p: Piece): number {
  if (p instanceof Uint8Array) return p.length;
  if (isInflated(p)) return p.inflate.size;
  return isRange(p) ? p.to - p.from : 0;
}

function isEmpty(p: Piece): boolean {
  return !isSlot(p) && pieceLength(p) === 0;
}

/** How many leading bytes two pieces have in common (Infinity: the same slot or inflated range). */
function common(a: Piece, b: Piece): number {
  if (isSlot(a) || isSlot(b)) return isSlot(a) && isSlot(b) && a.slot === b.slot ? Infinity : 0;
  if (isInflated(a) || isInflated(b)) {
    return isInflated(a) && isInflated(b) && a.from === b.from && a.to === b.to ? Infinity : 0;
  }
  if (isRange(a) || isRange(b)) {
    return isRange(a) && isRange(b) && a.from === b.from
      ? Math.min(a.to - a.from, b.to - b.from)
      : 0;
  }
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** [the first `n` bytes of p, the rest]. */
function split(p: Piece, n: number): [Piece, Piece] {
  if (p instanceof Uint8Array) return [p.subarray(0, n), p.subarray(n)];
  const r = p as { from: number; to: number };
  return [{ from: r.from, to: r.from + n }, { from: r.from + n, to: r.to }];
}

/** Adds the plan `pieces` named `name` to the tree under `root`, sharing common prefixes. */
function addPlan(root: Node, pieces: Piece[], name: string): void {
  let node = root;
  const rest = pieces.filter((p) => !isEmpty(p));
  for (;;) {
    let i = 0;
    while (i < node.pieces.length && rest.length > 0) {
      const c = common(node.pieces[i], rest[0]);
      if (c === 0) break;
      if (c === Infinity) {
        i++;
        rest.shift();
        continue;
      }
      const own = node.pieces[i];
      if (c < pieceLength(own)) node.pieces.splice(i, 1, ...split(own, c));
      if (c < pieceLength(rest[0])) rest[0] = split(rest[0], c)[1];
      else rest.shift();
      i++;
    }
    if (i < node.pieces.length) {
      // The plan leaves this node's pieces at i: the node's tail becomes a child.
      const tail: Node = {
        pieces: node.pieces.splice(i),
        children: node.children,
        ends: node.ends,
      };
      node.children = [tail];
      node.ends = [];
    }
    if (rest.length === 0) {
      node.ends.push(name);
      return;
    }
    const next = node.children.find((child) => common(child.pieces[0], rest[0]) > 0);
    if (!next) {
      node.children.push({ pieces: rest, children: [], ends: [name] });
      return;
    }
    node = next;
  }
}

/** SHA-256 digests of named plans over one artifact (see the module documentation). */
export class HashPass {
  readonly #source: ChunkSource;
  readonly #root: Node = { pieces: [], children: [], ends: [] };
  readonly #digests = new Map<string, Uint8Array>();
  readonly #slots: SlotValues = {};
  /** The plans as added, for the one-shot road (see {@link ONE_SHOT_FROM}). */
  readonly #plans = new Map<string, ContentPlan>();
  /** Set at the first run: hash each plan whole (async runs only) or stream them through the tree. */
  #oneShot: boolean | undefined;
  /** The longest plan's bytes, slots aside (they hold a mark or a digest): picks the SHA-256. */
  #longest = 0;
  #cursors: Cursor[] | undefined;

  /** A pass reading the plans' ranges from `source`. */
  constructor(source: ChunkSource) {
    this.#source = source;
  }

  /** Adds a plan to hash (before the first {@link run}). */
  add(name: string, plan: ContentPlan): this {
    if (this.#oneShot !== undefined) throw new Error("HashPass: plans must be added before run()");
    addPlan(this.#root, [...plan], name);
    this.#plans.set(name, plan);
    this.#longest = Math.max(this.#longest, plan.reduce((n, p) => n + pieceLength(p), 0));
    return this;
  }

  /** Gives the bytes of slots; hashes waiting at them go on at the next {@link run}. */
  fill(values: SlotValues): this {
    Object.assign(this.#slots, values);
    return this;
  }

  /** Hashes every plan as far as it can go: to its end, or to a slot not filled yet. */
  run(): this {
    if (this.#oneShot) {
      for (const [name, bytes] of this.#readyPlans()) {
        this.#digests.set(name, newSha256(bytes.length).update(bytes).digest());
      }
      return this;
    }
    this.#oneShot = false;
    for (let step = this.#step(); step; step = this.#step()) {
      for (const [hash, bytes] of step) hash.update(bytes);
    }
    return this;
  }

  /**
   * {@link run}, with the hashes that read the same chunk running side by
   * side: one on this thread, the others on Deno's blocking-call threads
   * (libcrypto's hash only; others run here, as in {@link run}). For large
   * artifacts whose hashes share few bytes (HASH and the file's own hash
   * differ from the ELF header on). Plans of a small artifact are hashed
   * whole by WebCrypto, each as soon as its slots are filled (see
   * {@link ONE_SHOT_FROM}); later runs, of either kind, hash the rest.
   */
  async runParallel(): Promise<this> {
    this.#oneShot ??= this.#longest >= ONE_SHOT_FROM && this.#longest < ONE_SHOT_UNTIL;
    if (this.#oneShot) {
      const ready = this.#readyPlans();
      const digests = await Promise.all(
        ready.map(([, bytes]) => crypto.subtle.digest("SHA-256", bytes)),
      );
      ready.forEach(([name], i) => this.#digests.set(name, new Uint8Array(digests[i])));
      return this;
    }
    for (let step = this.#step(); step; step = this.#step()) {
      const [[hash, bytes], ...others] = step;
      const elsewhere = others.map(([h, b]) => h.updateOnThread?.(b) ?? h.update(b));
      hash.update(bytes);
      await Promise.all(elsewhere);
    }
    return this;
  }

  /**
   * Moves every cursor to its next range (finishing the plans that end), then
   * reads the next chunk: the updates it owes, each hash with its bytes; undefined
   * when no hash reads any more. The chunk stays valid until the next call.
   */
  #step(): [Sha256Hash, Uint8Array][] | undefined {
    this.#cursors ??= [{ node: this.#root, hash: newSha256(this.#longest), piece: 0, done: 0 }];
    this.#cursors = this.#cursors.flatMap((c) => this.#advance(c));
    const reading = this.#cursors.filter((c) => isRange(c.node.pieces[c.piece]));
    if (reading.length === 0) return undefined;
    const at = Math.min(...reading.map((c) => this.#position(c)));
    const chunk = this.#source.chunk(at);
    if (chunk.length === 0) throw new RangeError(`HashPass: a plan reads past the end (${at})`);
    const end = at + chunk.length;
    const updates: [Sha256Hash, Uint8Array][] = [];
    for (const c of reading) {
      const pos = this.#position(c);
      if (pos >= end) continue;
      const range = c.node.pieces[c.piece] as { from: number; to: number };
      const take = Math.min(range.to, end) - pos;
      updates.push([c.hash, chunk.subarray(pos - at, pos - at + take)]);
      c.done += take;
      if (c.done === range.to - range.from) {
        c.piece++;
        c.done = 0;
      }
    }
    return updates;
  }

  /** The raw digest of plan `name`; throws while it is not finished. */
  digest(name: string): Uint8Array {
    const d = this.#digests.get(name);
    if (!d) throw new Error(`HashPass: plan '${name}' is not hashed yet`);
    return d;
  }

  /** The lower-case hex digest of plan `name`. */
  hex(name: string): string {
    return toHex(this.digest(name));
  }

  /** The plans not hashed yet whose slots are all filled, each gathered into one buffer. */
  #readyPlans(): [string, Uint8Array<ArrayBuffer>][] {
    const ready: [string, Uint8Array<ArrayBuffer>][] = [];
    for (const [name, plan] of this.#plans) {
      if (this.#digests.has(name) || plan.some((p) => isSlot(p) && !this.#slotValue(p))) continue;
      ready.push([name, this.#gather(plan)]);
    }
    return ready;
  }

  /** The bytes of a plan whose slots are filled, in one new buffer. */
  #gather(plan: ContentPlan): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(planLength(plan, this.#slots));
    let length = 0;
    const put = (bytes: Uint8Array) => {
      if (length + bytes.length > out.length) {
        throw new RangeError("HashPass: a plan outgrew its length");
      }
      out.set(bytes, length);
      length += bytes.length;
    };
    const read = (offset: number, max?: number) => this.#source.chunk(offset, max);
    for (const p of plan) {
      if (isRange(p)) {
        for (let at = p.from; at < p.to;) {
          const chunk = read(at, p.to - at);
          if (chunk.length === 0) {
            throw new RangeError(`HashPass: a plan reads past the end (${at})`);
          }
          const take = chunk.subarray(0, p.to - at);
          put(take);
          at += take.length;
        }
      } else if (isInflated(p)) {
        inflateRange(p, read, put);
      } else {
        put(isSlot(p) ? this.#slotValue(p)! : p);
      }
    }
    return out;
  }

  /** The file offset the cursor's current range piece needs next. */
  #position(c: Cursor): number {
    return (c.node.pieces[c.piece] as { from: number }).from + c.done;
  }

  /**
   * Feeds the cursor's bytes and filled slots up to its next range (or empty
   * slot); at the end of its node, records the plans ending there and returns
   * one cursor per child.
   */
  #advance(c: Cursor): Cursor[] {
    const pieces = c.node.pieces;
    while (c.piece < pieces.length) {
      const p = pieces[c.piece];
      if (isRange(p)) return [c];
      if (isSlot(p)) {
        const value = this.#slotValue(p);
        if (!value) return [c];
        c.hash.update(value);
      } else if (isInflated(p)) {
        inflateRange(p, (offset, max) => this.#source.chunk(offset, max), (b) => c.hash.update(b));
      } else {
        c.hash.update(p);
      }
      c.piece++;
    }
    const { children, ends } = c.node;
    ends.forEach((name, i) => {
      const last = i === ends.length - 1 && children.length === 0;
      this.#digests.set(name, (last ? c.hash : c.hash.copy()).digest());
    });
    return children.flatMap((node, i) => {
      const hash = i === children.length - 1 ? c.hash : c.hash.copy();
      return this.#advance({ node, hash, piece: 0, done: 0 });
    });
  }

  #slotValue(s: Slot): Uint8Array | undefined {
    return slotValue(s, this.#slots);
  }
}
