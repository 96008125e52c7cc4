/**
 * Report keys from `docker inspect` output: `_IMAGE_*` for images,
 * `_INSTANCE_*` for containers, `_REPO_TAGS` and `_REPO_DIGESTS` from the
 * image's repository tags and digests. Pure.
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { parseImageRef } from "./image_ref.ts";

/** A JSON value as a mark value: integers as bigint, objects as Maps. */
export function jsonToMarkValue(v: unknown): MarkValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map(jsonToMarkValue);
  const m: MarkDict = new Map();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, jsonToMarkValue(x));
  return m;
}

function at(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === "" ||
    (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

/** Strips a `sha256:` prefix. */
export function bareDigest(id: string): string {
  return id.startsWith("sha256:") ? id.slice("sha256:".length) : id;
}

const IMAGE_FIELDS: readonly (readonly [string, string])[] = [
  ["_IMAGE_COMMENT", "Comment"],
  ["_IMAGE_CREATION_DATETIME", "Created"],
  ["_IMAGE_DOCKER_VERSION", "DockerVersion"],
  ["_IMAGE_AUTHOR", "Author"],
  ["_IMAGE_ARCHITECTURE", "Architecture"],
  ["_IMAGE_VARIANT", "Variant"],
  ["_IMAGE_OS", "Os"],
  ["_IMAGE_OS_VERSION", "OsVersion"],
  ["_IMAGE_SIZE", "Size"],
  ["_IMAGE_ROOT_FS_TYPE", "RootFS.Type"],
  ["_IMAGE_ROOT_FS_LAYERS", "RootFS.Layers"],
  ["_IMAGE_HOSTNAME", "Config.Hostname"],
  ["_IMAGE_DOMAINNAME", "Config.Domainname"],
  ["_IMAGE_USER", "Config.User"],
  ["_IMAGE_EXPOSED_PORTS", "Config.ExposedPorts"],
  ["_IMAGE_ENV", "Config.Env"],
  ["_IMAGE_CMD", "Config.Cmd"],
  ["_IMAGE_HEALTHCHECK_TEST", "Config.Healthcheck.Test"],
  ["_IMAGE_HEALTHCHECK_RETRIES", "Config.Healthcheck.Retries"],
  ["_IMAGE_WORKINGDIR", "Config.WorkingDir"],
  ["_IMAGE_ENTRYPOINT", "Config.Entrypoint"],
  ["_IMAGE_NETWORK_DISABLED", "Config.NetworkDisabled"],
  ["_IMAGE_MAC_ADDR", "Config.MacAddress"],
  ["_IMAGE_ONBUILD", "Config.OnBuild"],
  ["_IMAGE_LABELS", "Config.Labels"],
  ["_IMAGE_STOP_SIGNAL", "Config.StopSignal"],
  ["_IMAGE_SHELL", "Config.Shell"],
];

const CONTAINER_FIELDS: readonly (readonly [string, string])[] = [
  ["_INSTANCE_CREATION_DATETIME", "Created"],
  ["_INSTANCE_ENTRYPOINT_PATH", "Path"],
  ["_INSTANCE_ENTRYPOINT_ARGS", "Args"],
  ["_INSTANCE_RESOLVE_CONF_PATH", "ResolvConfPath"],
  ["_INSTANCE_HOSTNAME_PATH", "HostnamePath"],
  ["_INSTANCE_HOSTS_PATH", "HostsPath"],
  ["_INSTANCE_LOG_PATH", "LogPath"],
  ["_INSTANCE_STATUS", "State.Status"],
  ["_INSTANCE_PID", "State.Pid"],
  ["_INSTANCE_RESTART_COUNT", "RestartCount"],
  ["_INSTANCE_DRIVER", "Driver"],
  ["_INSTANCE_PLATFORM", "Platform"],
  ["_INSTANCE_MOUNT_LABEL", "MountLabel"],
  ["_INSTANCE_PROCESS_LABEL", "ProcessLabel"],
  ["_INSTANCE_NETWORK_MODE", "HostConfig.NetworkMode"],
  ["_INSTANCE_IS_PRIVILEGED", "HostConfig.Privileged"],
  ["_INSTANCE_READONLY_ROOT_FS", "HostConfig.ReadonlyRootfs"],
  ["_INSTANCE_RUNTIME", "HostConfig.Runtime"],
  ["_INSTANCE_ADDED_CAPS", "HostConfig.CapAdd"],
  ["_INSTANCE_DROPPED_CAPS", "HostConfig.CapDrop"],
  ["_INSTANCE_CGROUP", "HostConfig.Cgroup"],
  ["_INSTANCE_MOUNTS", "Mounts"],
  ["_INSTANCE_HOSTNAME", "Config.Hostname"],
  ["_INSTANCE_DOMAINNAME", "Config.Domainname"],
  ["_INSTANCE_USER", "Config.User"],
  ["_INSTANCE_ENV", "Config.Env"],
  ["_INSTANCE_HAS_TTY", "Config.Tty"],
  ["_INSTANCE_CMD", "Config.Cmd"],
  ["_INSTANCE_CONFIG_IMAGE", "Config.Image"],
  ["_INSTANCE_WORKING_DIR", "Config.WorkingDir"],
  ["_INSTANCE_ENTRYPOINT", "Config.Entrypoint"],
  ["_INSTANCE_LABELS", "Config.Labels"],
];

function copyFields(inspect: unknown, fields: typeof IMAGE_FIELDS, out: MarkDict): void {
  for (const [key, path] of fields) {
    const v = at(inspect, path);
    if (!empty(v)) out.set(key, jsonToMarkValue(v));
  }
}

/**
 * `_REPO_TAGS` (`{registry: {repo: {tag: digest}}}`) and `_REPO_DIGESTS`
 * (`{registry: {repo: [digest]}}`) from an image's RepoTags / RepoDigests.
 * A tag whose repository has a registry digest maps to it; a tag known only
 * locally maps to the image id.
 */
export function repoKeys(inspect: unknown): MarkDict {
  const out: MarkDict = new Map();
  const digests: MarkDict = new Map();
  const byRepo = new Map<string, string>();
  for (const d of (at(inspect, "RepoDigests") as string[] | undefined) ?? []) {
    const ref = parseImageRef(d);
    if (!ref.digest) continue;
    byRepo.set(`${ref.registry}/${ref.repo}`, ref.digest);
    const reg = (digests.get(ref.registry) as MarkDict | undefined) ?? new Map();
    const list = (reg.get(ref.repo) as MarkValue[] | undefined) ?? [];
    list.push(bareDigest(ref.digest));
    reg.set(ref.repo, list);
    digests.set(ref.registry, reg);
  }
  const id = String(at(inspect, "Id") ?? "");
  const tags: MarkDict = new Map();
  for (const t of (at(inspect, "RepoTags") as string[] | undefined) ?? []) {
    const ref = parseImageRef(t);
    if (!ref.tag) continue;
    const reg = (tags.get(ref.registry) as MarkDict | undefined) ?? new Map();
    const repo = (reg.get(ref.repo) as MarkDict | undefined) ?? new Map();
    repo.set(ref.tag, bareDigest(byRepo.get(`${ref.registry}/${ref.repo}`) ?? id));
    reg.set(ref.repo, repo);
    tags.set(ref.registry, reg);
  }
  if (tags.size > 0) out.set("_REPO_TAGS", tags);
  if (digests.size > 0) out.set("_REPO_DIGESTS", digests);
  return out;
}

/** Run-time keys of an image: `_CURRENT_HASH`, `_IMAGE_ID`, `_IMAGE_CONFIG_DIGEST`, `_IMAGE_*`, repos. */
export function imageKeys(inspect: unknown): MarkDict {
  const out: MarkDict = new Map();
  const id = bareDigest(String(at(inspect, "Id") ?? ""));
  out.set("_CURRENT_HASH", id);
  out.set("_IMAGE_ID", id);
  out.set("_IMAGE_CONFIG_DIGEST", id);
  copyFields(inspect, IMAGE_FIELDS, out);
  for (const [k, v] of repoKeys(inspect)) out.set(k, v);
  return out;
}

/** Run-time keys of a container: `_CURRENT_HASH` (container id), `_INSTANCE_*`. */
export function containerKeys(inspect: unknown): MarkDict {
  const out: MarkDict = new Map();
  const id = String(at(inspect, "Id") ?? "");
  out.set("_CURRENT_HASH", id);
  out.set("_INSTANCE_CONTAINER_ID", id);
  const name = at(inspect, "Name");
  if (typeof name === "string" && name !== "") out.set("_INSTANCE_NAME", name.replace(/^\//, ""));
  const image = at(inspect, "Image");
  if (typeof image === "string") out.set("_INSTANCE_IMAGE_ID", bareDigest(image));
  copyFields(inspect, CONTAINER_FIELDS, out);
  return out;
}

/** True when an image's history shows the `COPY ... /chalk.json` step chalk adds. */
export function historyHasChalkCopy(createdBy: readonly string[]): boolean {
  return createdBy.some((line) => line.includes("COPY") && line.includes("/chalk.json"));
}
