/**
 * What every CI system module provides: how to recognise the system and
 * how its environment variables map to `BUILD_*` keys and checkout facts.
 *
 * @module
 */

/** Environment variables as a plain record. */
export type CiEnv = Readonly<Record<string, string | undefined>>;

/** What the CI system says about the checkout it built (used where git cannot tell). */
export interface CiCheckout {
  /** The commit the job built. */
  readonly commit?: string;
  /** The branch name (no `refs/heads/`), when the job built a branch. */
  readonly branch?: string;
  /** The repository URL, without credentials. */
  readonly originUri?: string;
  /** The folder holding the checkout. */
  readonly workspace?: string;
}

/** One CI build as chalk reports it. */
export interface CiBuild {
  /** Short name of the system (`github`, `gitlab`, ...). */
  readonly system: string;
  /** `BUILD_*` keys (without the run-time `_`), only those with a value. */
  readonly keys: Map<string, string | string[]>;
  readonly checkout: CiCheckout;
}

/** A CI system chalk recognises. */
export interface CiSystem {
  readonly name: string;
  /** True when the system's own marker variable is set. */
  detect(env: CiEnv): boolean;
  read(env: CiEnv): CiBuild;
}

/** Collects `BUILD_*` keys, skipping empty values. */
export class BuildKeys {
  readonly keys = new Map<string, string | string[]>();

  /** Sets `BUILD_<name>` when `value` is a non-empty string. */
  set(name: string, value: string | undefined): this {
    if (value !== undefined && value !== "") this.keys.set(`BUILD_${name}`, value);
    return this;
  }

  /** Sets `BUILD_CONTACT` to the non-empty, distinct names given. */
  contact(...names: (string | undefined)[]): this {
    const list = [...new Set(names.filter((n): n is string => !!n))];
    if (list.length > 0) this.keys.set("BUILD_CONTACT", list);
    return this;
  }
}

/** The first non-empty value. */
export function firstOf(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== "");
}

/** `url` without a trailing `/`. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** `refs/tags/TAG` when a tag was built, else `refs/heads/BRANCH`, else undefined. */
export function refOf(tag: string | undefined, branch: string | undefined): string | undefined {
  if (tag) return `refs/tags/${tag}`;
  return branch ? `refs/heads/${branch}` : undefined;
}

/** `refs/heads/x` → `x`; other refs undefined; a bare name stays. */
export function branchOfRef(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  return ref.startsWith("refs/") ? undefined : ref;
}

/**
 * A repository URL without user info (CI clone URLs may carry job tokens).
 * Everything up to the last `@` of the authority goes: a password may hold
 * an `@` of its own, and cutting at the first one left its tail in reports.
 */
export function withoutCredentials(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1");
}
