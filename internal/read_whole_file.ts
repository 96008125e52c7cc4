/**
 * A whole file read into one buffer of its size. `Deno.readFile` grows its buffer as it reads:
 * in a fresh process, 1 MB (chalk's own bundle, read at every start) took ~7.5 ms that way and
 * ~0.5-4 ms into a buffer allocated once (`bench/` figures in docs/architecture.md, "Start-up").
 *
 * @module
 */

/** The bytes of the file at `path` (all of them, also when it grew since its size was read). */
export function readWholeFileSync(path: string): Uint8Array {
  using file = Deno.openSync(path, { read: true });
  let buf = new Uint8Array(file.statSync().size + 1);
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      const grown = new Uint8Array(buf.length * 2);
      grown.set(buf);
      buf = grown;
    }
    const n = file.readSync(buf.subarray(length));
    if (n === null) return buf.subarray(0, length);
    length += n;
  }
}
