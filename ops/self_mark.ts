/**
 * chalk's own mark: where the embedded configuration (`$CHALK_CONFIG`) and the
 * load count live, read with the codec that fits the running program (the
 * bundle through the source codec, the compiled binary through the ELF codec;
 * docs/decisions.md, "Self is the running artifact").
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { readBundleMarkSync } from "./bundle_mark.ts";
import type { SelfInfo } from "./self_path.ts";
import { scanArtifact, type ScannedArtifact } from "./scan.ts";

/** The implementation name chalk-ts writes into its own mark. */
export const IMPLEMENTATION_NAME = "chalk-ts";

/** What `chalk dump` prints when no configuration was loaded. */
export const DEFAULT_CONFIG_TEXT =
  "# The default config is empty. Please see chalk documentation for examples.\n";

/** The running program as an artifact (the caller closes its file), or undefined when it cannot be read as one. */
export function scanSelf(self: SelfInfo): ScannedArtifact | undefined {
  try {
    return scanArtifact(self.path, true);
  } catch {
    return undefined;
  }
}

/**
 * Marks already read, by path, with the identity of the file they were read
 * from: a run asks more than once (the configuration, then the signing key).
 * A bundle's mark is read from its end (ops/bundle_mark.ts); a compiled binary's
 * is found by its codec. `chalk load` replaces the file (a new inode), so it is
 * read again.
 */
const readMarks = new Map<string, { identity: string; mark: MarkDict | undefined }>();

function fileIdentity(path: string): string | undefined {
  try {
    const info = Deno.statSync(path);
    return `${info.dev}:${info.ino}:${info.size}:${info.mtime?.getTime()}`;
  } catch {
    return undefined;
  }
}

/** The mark inside the running program, if any (callers read it, never change it). */
export function selfMark(self: SelfInfo): MarkDict | undefined {
  if (self.kind === "source") return undefined;
  const identity = fileIdentity(self.path);
  const known = readMarks.get(self.path);
  if (identity !== undefined && known?.identity === identity) return known.mark;
  let mark: MarkDict | undefined;
  const atEnd = self.kind === "bundle" ? readBundleMarkSync(self.path) : undefined;
  if (atEnd) mark = atEnd.mark;
  else {
    const scanned = scanSelf(self);
    scanned?.file.close();
    mark = scanned?.found?.mark;
  }
  if (identity !== undefined) readMarks.set(self.path, { identity, mark });
  return mark;
}

/** The embedded configuration text, or undefined for the default configuration. */
export function embeddedConfig(mark: MarkDict | undefined): string | undefined {
  const text = mark?.get("$CHALK_CONFIG");
  return typeof text === "string" ? text : undefined;
}
