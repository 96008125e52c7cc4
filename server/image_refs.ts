/**
 * The names a person knows a container image by (`app:1.2`, `registry:5000/team/app:latest`),
 * read from a chalk's docker keys: the tags asked for at build time (`DOCKER_TAGS`), the tags
 * docker reported (`_REPO_TAGS`, `{registry: {repo: {tag: digest}}}`), and the image named on
 * a push or extract (`_OP_ARTIFACT_PATH` of a `Docker Image`).
 *
 * @module
 */

import { rawMember, type RawObject, rawStringMember } from "./raw_json.ts";

const DEFAULT_REGISTRY = "docker.io";

/** `docker.io/library/app:1` → `app:1`, as docker prints it; other registries are kept. */
export function shortImageRef(ref: string): string {
  const m = /^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/(.+)$/.exec(ref);
  if (m === null) return ref;
  return m[1].replace(/^library\/(?=[^/]+$)/, "");
}

function joinRef(registry: string, repo: string, tag: string): string {
  const name = registry === DEFAULT_REGISTRY ? repo : `${registry}/${repo}`;
  return shortImageRef(`${registry === DEFAULT_REGISTRY ? "docker.io/" : ""}${name}:${tag}`);
}

function isImageId(text: string): boolean {
  return /^(sha256:)?[0-9a-f]{12,64}$/.test(text);
}

/** Every image name and tag a chalk carries, each once, build-time tags first. */
export function imageRefs(chalk: RawObject): string[] {
  const refs: string[] = [];
  const add = (ref: string): void => {
    const short = shortImageRef(ref.trim());
    if (short !== "" && !isImageId(short) && !refs.includes(short)) refs.push(short);
  };
  const tags = rawMember(chalk, "DOCKER_TAGS");
  if (tags?.kind === "array") {
    for (const t of tags.items) if (t.kind === "string") add(t.value);
  }
  const repoTags = rawMember(chalk, "_REPO_TAGS");
  if (repoTags?.kind === "object") {
    for (const registry of repoTags.members) {
      if (registry.value.kind !== "object") continue;
      for (const repo of registry.value.members) {
        if (repo.value.kind !== "object") continue;
        for (const tag of repo.value.members) add(joinRef(registry.key, repo.key, tag.key));
      }
    }
  }
  const type = rawStringMember(chalk, "ARTIFACT_TYPE") ??
    rawStringMember(chalk, "_OP_ARTIFACT_TYPE");
  const path = rawStringMember(chalk, "_OP_ARTIFACT_PATH");
  if (type === "Docker Image" && path !== undefined) add(path);
  return refs;
}
