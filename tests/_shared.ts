/**
 * Where the tests find the specification's material that lives beside the repository
 * (`../shared`: the con4m corpus, `spec/keys.tsv`), and how tests that read it skip when a
 * clone has no `../shared` beside it. The project's own fixtures (`fixtures/con4m/`,
 * `config/base/`) cover the same ground and always run.
 *
 * @module
 */

import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** The repository root. */
export const REPO_ROOT: string = path.resolve(import.meta.dirname!, "..");
/** `../shared` beside the repository. */
export const SHARED_DIR: string = path.resolve(REPO_ROOT, "../shared");
/** The con4m conformance corpus (read in place, never copied). */
export const CORPUS_DIR: string = path.join(SHARED_DIR, "con4m-corpus");
/** {@linkcode CORPUS_DIR} as a folder URL, to resolve corpus paths against. */
export const CORPUS_URL: URL = pathToFileURL(`${CORPUS_DIR}/`);
/** The specification's table of keys. */
export const KEYS_TSV: string = path.join(SHARED_DIR, "spec/keys.tsv");

function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** True when the corpus is beside the repository. */
export const HAVE_CORPUS: boolean = exists(path.join(CORPUS_DIR, "INDEX.md"));
/** True when keys.tsv is beside the repository. */
export const HAVE_KEYS_TSV: boolean = exists(KEYS_TSV);

/** Options of {@linkcode sharedTest}. */
export interface SharedTestOptions {
  /** Which part of `../shared` the test reads. */
  needs: "corpus" | "keys.tsv";
  /** Passed on to Deno.test. */
  sanitizeOps?: boolean;
  /** Passed on to Deno.test. */
  sanitizeResources?: boolean;
}

/**
 * `Deno.test` for a test that reads `../shared`: without it the test is ignored, and its
 * name says why, e.g. `… [skipped: no ../shared/con4m-corpus beside the repository]`.
 */
export function sharedTest(
  name: string,
  opts: SharedTestOptions,
  fn: () => void | Promise<void>,
): void {
  const present = opts.needs === "corpus" ? HAVE_CORPUS : HAVE_KEYS_TSV;
  const what = opts.needs === "corpus" ? "con4m-corpus" : "spec/keys.tsv";
  Deno.test({
    name: present ? name : `${name} [skipped: no ../shared/${what} beside the repository]`,
    ignore: !present,
    sanitizeOps: opts.sanitizeOps,
    sanitizeResources: opts.sanitizeResources,
    fn,
  });
}
