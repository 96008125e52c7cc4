/**
 * The codec plans carried out over bytes in memory, for tests: what chalk's
 * streaming executor (ops/) does with a file, done with `renderPlan`.
 */
import { createHash } from "node:crypto";
import { wholeView } from "../../codecs/byte_view.ts";
import { type ArtifactFacts, type Codec, CodecError } from "../../codecs/codec.ts";
import { renderPlan } from "../../codecs/plan.ts";

/** Concatenates chunks into one buffer. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** The bytes HASH covers, as chunks. */
export function hashInput(codec: Codec, bytes: Uint8Array, facts?: ArtifactFacts): Uint8Array[] {
  const view = wholeView(bytes);
  return renderPlan(codec.hashPlan(view, facts), view);
}

/** HASH, lower-case hex. */
export function hashHex(codec: Codec, bytes: Uint8Array, facts?: ArtifactFacts): string {
  const h = createHash("sha256");
  for (const c of hashInput(codec, bytes, facts)) h.update(c);
  return h.digest("hex");
}

/** The content with `markText` inserted. */
export function insertBytes(
  codec: Codec,
  bytes: Uint8Array,
  markText: string,
  facts?: ArtifactFacts,
): Uint8Array {
  const view = wholeView(bytes);
  const mark = new TextEncoder().encode(markText);
  return concat(renderPlan(codec.insertPlan(view, mark.length, facts), view, { mark }));
}

/** The content without its mark, or undefined when removing changes nothing. */
export function removeBytes(
  codec: Codec,
  bytes: Uint8Array,
  facts?: ArtifactFacts,
): Uint8Array | undefined {
  const view = wholeView(bytes);
  const plan = codec.removePlan(view, facts);
  if (!plan) return undefined;
  const hash = new Uint8Array(
    createHash("sha256").update(concat(hashInput(codec, bytes, facts))).digest(),
  );
  return concat(renderPlan(plan, view, { hash }));
}

/** The reason `fn` refuses with: it must throw a `CodecError`. */
export function refusedReason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof CodecError)) throw new Error(`not a CodecError: ${e}`);
    return e.message;
  }
  throw new Error("no CodecError thrown");
}
