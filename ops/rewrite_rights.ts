/**
 * Whether chalk may rewrite a file, and keeping its owner, group and mode
 * when it does. chalk replaces files (a temporary file renamed over them), so
 * a folder it may write would let it "mark" a file it may not: it refuses
 * those, and refuses to finish a rewrite whose result would not keep the
 * original's owner, group and mode. See docs/files.md.
 *
 * @module
 */
/** What a rewrite must keep. */
export interface Ownership {
  mode: number;
  uid: number | null;
  gid: number | null;
}

/** chalk declined to rewrite a file: not an error, a skip with its reason. */
export class RewriteRefused extends Error {
  /** Builds the refusal; the message is `<path>: <reason>`. */
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = "RewriteRefused";
  }
}

let uid: number | null | undefined;

function myUid(): number | null {
  return uid === undefined ? (uid = Deno.uid()) : uid;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/**
 * Why this process must not rewrite a file with these facts, or undefined.
 * Root may write any file in place; anyone else only their own files with
 * the owner's write bit set (a copy of someone else's file would be theirs).
 */
export function rewriteRefusal(info: Ownership): string | undefined {
  const me = myUid();
  if (me === null || me === 0 || info.uid === null) return undefined;
  if (info.uid !== me) {
    return `owned by uid ${info.uid}; a rewritten copy would belong to uid ${me}`;
  }
  if ((info.mode & 0o200) === 0) return `read-only (mode ${octal(info.mode)})`;
  return undefined;
}

/** Throws {@link RewriteRefused} when this process must not rewrite the file at `path`. */
export function assertRewritable(path: string, info: Ownership): void {
  const reason = rewriteRefusal(info);
  if (reason) throw new RewriteRefused(path, reason);
}

/**
 * Gives `temp` the owner, group and mode of `original`; returns why that
 * could not be done exactly, or undefined.
 *
 * Self-contained (no imports, no helpers of this module): `ops/write_behind.ts` runs its source
 * on a second thread.
 */
export function keepOwnership(
  temp: { path: string; file: Deno.FsFile; info?: Deno.FileInfo },
  original: Ownership,
): string | undefined {
  const now = temp.info ?? temp.file.statSync();
  const wantUid = original.uid ?? now.uid;
  const wantGid = original.gid ?? now.gid;
  const changedOwner = now.uid !== wantUid || now.gid !== wantGid;
  if (changedOwner) {
    try {
      Deno.chownSync(
        temp.path,
        now.uid === wantUid ? null : wantUid,
        now.gid === wantGid ? null : wantGid,
      );
    } catch { /* checked below */ }
  }
  // After chown, which clears the set-id bits. A temporary file created with the mode it needs
  // (`createTemp`) and kept by its owner needs no chmod.
  if (changedOwner || ((now.mode ?? 0) & 0o7777) !== (original.mode & 0o7777)) {
    Deno.chmodSync(temp.path, original.mode & 0o7777);
  }
  // The owner of a file sets any plain mode exactly; set-id bits and owners are checked.
  if (!changedOwner && (original.mode & 0o7000) === 0) return undefined;
  const got = temp.file.statSync();
  if (got.uid !== wantUid) return `cannot keep its owner (uid ${wantUid})`;
  if (got.gid !== wantGid) return `cannot keep its group (gid ${wantGid})`;
  if (((got.mode ?? 0) & 0o7777) !== (original.mode & 0o7777)) {
    return `cannot keep its mode (0${(original.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}
