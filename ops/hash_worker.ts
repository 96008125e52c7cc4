/**
 * SHA-256 of plans on a second thread. A large artifact needs two or three
 * hashes that share no prefix (HASH and the file's own hash differ from the
 * ELF header on): each is a full pass of SHA-256 over the file, so one of
 * them runs in a worker while `ops/hash_pass.ts` does the others. The worker
 * opens the file itself and checks that it is the same file.
 *
 * @module
 */
import type { ContentPlan } from "../codecs/plan.ts";

/** The worker's whole program: hash each plan (ranges and bytes only) of one file. */
const WORKER_SOURCE = `
import { createHash } from "node:crypto";
self.onmessage = ({ data }) => {
  try {
    const file = Deno.openSync(data.path, { read: true });
    try {
      const info = file.statSync();
      if (info.dev !== data.dev || info.ino !== data.ino || info.size !== data.size) {
        throw new Error("the file changed");
      }
      const buffer = new Uint8Array(1 << 20);
      const digests = {};
      for (const [name, plan] of data.plans) {
        const hash = createHash("sha256");
        for (const piece of plan) {
          if (piece instanceof Uint8Array) { hash.update(piece); continue; }
          for (let pos = piece.from; pos < piece.to;) {
            file.seekSync(pos, Deno.SeekMode.Start);
            const n = file.readSync(buffer.subarray(0, Math.min(buffer.length, piece.to - pos)));
            if (!n) throw new Error("the file shrank");
            hash.update(buffer.subarray(0, n));
            pos += n;
          }
        }
        digests[name] = hash.digest("hex");
      }
      self.postMessage({ digests });
    } finally {
      file.close();
    }
  } catch (e) {
    self.postMessage({ error: String(e && e.message || e) });
  }
};
`;

/**
 * From this many bytes to hash on, a second thread pays for its start: `new Worker` blocks the
 * main thread ~33 ms, about what hashing 55 MB costs. Measured whole commands (alternating
 * medians): at 48 MB the worker lost 19 ms (insert) and 34 ms (extract); at 100 MB insert gained
 * 14 ms and extract broke even.
 */
export const WORKER_WORTH = 96 * 1024 * 1024;

/** The file the plans refer to, as opened (`fstat`). */
export interface HashedFile {
  path: string;
  info: Deno.FileInfo;
}

/**
 * Starts hashing `plans` (no slots) of `file` on another thread; the promise
 * gives hex digests by name, or undefined when the worker could not do it
 * (the caller then hashes on its own thread).
 */
export function hashInWorker(
  file: HashedFile,
  plans: Record<string, ContentPlan>,
): Promise<Record<string, string> | undefined> {
  if (navigator.hardwareConcurrency < 2) return Promise.resolve(undefined);
  let worker: Worker;
  try {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    worker = new Worker(url, { type: "module" });
    URL.revokeObjectURL(url);
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const done = (digests: Record<string, string> | undefined) => {
      worker.terminate();
      resolve(digests);
    };
    worker.onmessage = (e) => done(e.data.digests);
    worker.onerror = (e) => {
      e.preventDefault();
      done(undefined);
    };
    worker.postMessage({
      path: file.path,
      dev: file.info.dev,
      ino: file.info.ino,
      size: file.info.size,
      plans: Object.entries(plans),
    });
  });
}
