/**
 * S3 URIs and object names: `s3://bucket/dir/name` yields keys
 * `dir/<unix ms>-<26 base32v chars>[-<extra>]-name`.
 */
import { base32v } from "../codecs/base32v.ts";

/** The parts of an `s3://bucket/path` URI. */
export interface S3Location {
  readonly bucket: string;
  /** Directory part of the path, empty or ending in `/`. */
  readonly dir: string;
  /** Last path segment, used as the object name suffix. */
  readonly name: string;
}

/** Splits an `s3://` URI; undefined when it is not of that form. */
export function parseS3Uri(uri: string): S3Location | undefined {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m || m[2] === "" || m[2].endsWith("/")) return undefined;
  const path = m[2];
  const cut = path.lastIndexOf("/") + 1;
  return { bucket: m[1], dir: path.slice(0, cut), name: path.slice(cut) };
}

/**
 * The key of one uploaded report.
 *
 * @example
 * ```ts
 * s3ObjectKey({ bucket: "b", dir: "r/", name: "x.json" }, "", 1700000000000, new Uint8Array(16));
 * // "r/1700000000000-00000000000000000000000000-x.json"
 * ```
 */
export function s3ObjectKey(
  location: S3Location,
  extra: string,
  unixMs: number,
  random: Uint8Array,
): string {
  const parts = [String(unixMs), base32v(random)];
  if (extra !== "") parts.push(extra);
  parts.push(location.name);
  return location.dir + parts.join("-");
}

/** A fresh key using the clock and 16 random bytes. */
export function newS3ObjectKey(location: S3Location, extra: string): string {
  return s3ObjectKey(location, extra, Date.now(), crypto.getRandomValues(new Uint8Array(16)));
}
