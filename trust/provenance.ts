/**
 * The statement chalk signs for an image (docs/trust.md, "Image
 * attestations"): an in-toto Statement v1 whose subject is the image
 * manifest digest and whose predicate is SLSA Provenance v1, built from the
 * image's chalk mark (repository, commit, branch, build) and what the build or
 * push knows beyond it (the Dockerfile, the platform).
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";

/** in-toto Statement v1. */
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** SLSA Provenance v1. */
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
/** The build type chalk records: a `docker build` wrapped by chalk-ts. */
export const CHALK_BUILD_TYPE = "https://github.com/crashappsec/chalk/docker-build@v1";

/** What the statement is about: the pushed image. */
export interface ImageSubject {
  /** Repository without tag or digest, e.g. `127.0.0.1:5000/app`. */
  name: string;
  /** Hex SHA-256 of the image manifest. */
  sha256: string;
}

/** Facts of the signing run that are not in the mark. */
export interface ProvenanceRun {
  /** chalk-ts's version. */
  chalkVersion: string;
  /** The host that ran the build (used when there is no CI build URI). */
  hostname: string;
  /** When the statement is made. */
  finishedOn: Date;
  /**
   * The build's or push's report keys: where the mark's template leaves a parameter out
   * (DOCKERFILE_PATH and DOCKER_PLATFORM are not in `mark_default`), it is taken from here.
   * The mark's own values win.
   */
  known?: MarkDict;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function text(mark: MarkDict, key: string): string | undefined {
  const v = mark.get(key);
  return typeof v === "string" && v !== "" ? v : undefined;
}

function toJson(v: MarkValue): Json {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toJson(x)]));
  if (Array.isArray(v)) return v.map(toJson);
  return v as Json;
}

function defined(entries: Record<string, Json | undefined>): Record<string, Json> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Record<
    string,
    Json
  >;
}

function asRfc3339(mark: MarkDict): string | undefined {
  const ms = mark.get("TIMESTAMP_WHEN_CHALKED");
  if (typeof ms === "bigint" || typeof ms === "number") return new Date(Number(ms)).toISOString();
  return undefined;
}

/**
 * ORIGIN_URI as a URI: URLs as they are, scp-style `git@host:path` as
 * `ssh://git@host/path`; anything else (chalk's `local`) is no URI at all.
 */
function gitUri(origin: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(origin)) return origin;
  const scp = /^([^@/\s]+@)?([^:/\s]+):(?!\/)(\S+)$/.exec(origin);
  return scp ? `ssh://${scp[1] ?? ""}${scp[2]}/${scp[3]}` : undefined;
}

/** The source the image was built from, as a SLSA resolved dependency. */
function sourceDependency(mark: MarkDict): Record<string, Json> | undefined {
  const commit = text(mark, "COMMIT_ID");
  const origin = text(mark, "ORIGIN_URI");
  if (commit === undefined && origin === undefined) return undefined;
  const ref = text(mark, "TAG")
    ? `refs/tags/${text(mark, "TAG")}`
    : text(mark, "BRANCH")
    ? `refs/heads/${text(mark, "BRANCH")}`
    : undefined;
  const repo = origin === undefined ? undefined : gitUri(origin);
  const uri = repo === undefined ? undefined : `git+${repo}${ref === undefined ? "" : `@${ref}`}`;
  return defined({
    uri,
    digest: commit === undefined ? undefined : { gitCommit: commit },
    name: uri === undefined ? "source" : undefined,
  });
}

/** `os/architecture[/variant]` of an inspected image (a push knows no DOCKER_PLATFORM). */
function imagePlatform(facts: MarkDict): string | undefined {
  const os = text(facts, "_IMAGE_OS");
  const arch = text(facts, "_IMAGE_ARCHITECTURE");
  if (os === undefined || arch === undefined) return undefined;
  const variant = text(facts, "_IMAGE_VARIANT");
  return `${os}/${arch}${variant === undefined ? "" : `/${variant}`}`;
}

/** The in-toto Statement v1 with SLSA Provenance v1 for `subject` built as `mark` says. */
export function provenanceStatement(
  subject: ImageSubject,
  mark: MarkDict,
  run: ProvenanceRun,
): Record<string, Json> {
  const facts: MarkDict = new Map([...(run.known ?? []), ...mark]);
  const source = sourceDependency(facts);
  // A CI build names itself; otherwise the builder is this host running chalk-ts.
  const builder = text(facts, "BUILD_URI") ??
    `urn:chalk-ts:host:${encodeURIComponent(run.hostname)}`;
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: subject.name, digest: { sha256: subject.sha256 } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: CHALK_BUILD_TYPE,
        externalParameters: defined({
          repository: text(facts, "ORIGIN_URI"),
          branch: text(facts, "BRANCH"),
          tag: text(facts, "TAG"),
          commit: text(facts, "COMMIT_ID"),
          dockerfile: text(facts, "DOCKERFILE_PATH"),
          tags: facts.has("DOCKER_TAGS") ? toJson(facts.get("DOCKER_TAGS")!) : undefined,
          platform: text(facts, "DOCKER_PLATFORM") ?? imagePlatform(facts),
        }),
        internalParameters: defined({
          chalkId: text(mark, "CHALK_ID"),
          metadataId: text(mark, "METADATA_ID"),
          chalkVersion: text(mark, "CHALK_VERSION"),
        }),
        resolvedDependencies: source === undefined ? [] : [source],
      },
      runDetails: {
        builder: { id: builder, version: { "chalk-ts": run.chalkVersion } },
        metadata: defined({
          invocationId: text(facts, "BUILD_ID") ?? text(mark, "CHALK_ID"),
          startedOn: asRfc3339(mark),
          finishedOn: run.finishedOn.toISOString(),
        }),
      },
    },
  };
}

/** The METADATA_ID a statement made by chalk records, if any. */
export function statementMetadataId(statement: unknown): string | undefined {
  const id = (statement as {
    predicate?: { buildDefinition?: { internalParameters?: { metadataId?: unknown } } };
  })?.predicate?.buildDefinition?.internalParameters?.metadataId;
  return typeof id === "string" ? id : undefined;
}

/** The sha256 digests a statement names as its subjects. */
export function statementDigests(statement: unknown): string[] {
  const subject = (statement as { subject?: unknown })?.subject;
  if (!Array.isArray(subject)) return [];
  return subject.map((s) => (s as { digest?: { sha256?: unknown } })?.digest?.sha256)
    .filter((d): d is string => typeof d === "string");
}
