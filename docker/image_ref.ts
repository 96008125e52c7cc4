/**
 * Docker image references (`registry/repo:tag@digest`) split the way the
 * docker CLI normalizes them: a first component with `.`, `:` or equal to
 * `localhost` is a registry, else the registry is `docker.io` and a
 * one-component repository gets `library/`. Pure.
 */

/** The parts of an image reference. */
export interface ImageRef {
  registry: string;
  repo: string;
  tag?: string;
  digest?: string;
}

/** Default registry of unqualified names. */
export const DEFAULT_REGISTRY = "docker.io";

/**
 * Splits an image reference.
 *
 * @example
 * ```ts
 * parseImageRef("127.0.0.1:5000/team/app:v1");
 * // { registry: "127.0.0.1:5000", repo: "team/app", tag: "v1" }
 * ```
 */
export function parseImageRef(text: string): ImageRef {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  let registry = DEFAULT_REGISTRY;
  let repo = rest;
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    repo = rest.slice(slash + 1);
  } else if (slash < 0) {
    repo = `library/${rest}`;
  }
  return { registry, repo, tag, digest };
}
