/**
 * The report cache: a report a sink could not deliver is kept in a JSON-lines
 * file and re-sent on a later run to the same-named sink config subscribed to
 * the same topic.
 *
 * Entries are claimed: when a run is about to retry the entries of a
 * (topic, sink) pair it moves them, under the lock, from the file into its
 * own journal (`<cache>.claimed.<host>.<pid>`), so a concurrent run cannot
 * send them too. The journal always holds what the run still owes (claimed
 * and new entries); at the end of reporting it is merged back into the file
 * (under the lock, temp file + rename) and removed. While it owes anything a
 * run holds an OS lock on its journal's lease (`<journal>.lock`); a run that
 * dies leaves its journal behind, the kernel frees the lease, and the next run
 * adopts the journal. No pid decides it, so runs in containers sharing the
 * folder never adopt a live run's journal. Concurrent runs neither lose nor
 * duplicate entries; a crash can at worst re-send what was delivered just
 * before it, never lose anything.
 */
import { basename, dirname, isAbsolute, join, resolve } from "../internal/posix_path.ts";
import type { SinkLog } from "./sink.ts";
import { LockTimeoutError, releaseLockFile, tryLockFile, withFileLock } from "./_file_lock.ts";
import { expandHome } from "./expand_home.ts";
import { errorMessage, osErrorReason } from "../internal/errors.ts";
import { writeOrphaned } from "./_orphaned_output.ts";
import { DEFAULT_REPORT_CACHE_PATH } from "../internal/state_dir.ts";

/** One line of the cache file: a message and the sinks still owed it. */
export interface CacheEntry {
  readonly message: string;
  readonly topic: string;
  readonly sinks: string[];
}

/** Where the cache lives and how long to wait for its lock. */
export interface ReportCacheOptions {
  /** `report_cache_location`; default `chalk-reports.jsonl` in the state folder. */
  readonly path?: string;
  /** `report_cache_lock_timeout_sec` in ms; default 15 s. */
  readonly lockTimeoutMs?: number;
}

/** The default `report_cache_location`. */
export const DEFAULT_REPORT_CACHE = DEFAULT_REPORT_CACHE_PATH;

/** Formats one cache line exactly as chalk does. */
export function cacheLine(entry: CacheEntry): string {
  const sinks = entry.sinks.map((s) => JSON.stringify(s)).join(", ");
  return `{ "$message" : ${JSON.stringify(entry.message)}, "$topic" : ${
    JSON.stringify(entry.topic)
  }, "$sinks" : [${sinks}] }`;
}

/** Parses one cache line; undefined when it is not a cache entry. */
export function parseCacheLine(line: string): CacheEntry | undefined {
  try {
    const v = JSON.parse(line);
    if (
      typeof v?.["$message"] === "string" && typeof v["$topic"] === "string" &&
      Array.isArray(v["$sinks"]) && v["$sinks"].every((s: unknown) => typeof s === "string")
    ) {
      return { message: v["$message"], topic: v["$topic"], sinks: [...v["$sinks"]] };
    }
  } catch {
    // not JSON: kept verbatim by the caller
  }
  return undefined;
}

/**
 * Joins published messages (each a JSON array, as reporting wraps reports)
 * into one array: `[ <first elements>, <second elements>, ... ]`.
 *
 * @example
 * ```ts
 * combineMessages(['[ {"a":1} ]\n', '[ {"b":2} ]\n']); // '[ {"a":1}, {"b":2} ]\n'
 * ```
 */
export function combineMessages(messages: readonly string[]): string {
  const inner = messages.map((m) => {
    const t = m.trim();
    return t.startsWith("[") && t.endsWith("]") ? t.slice(1, -1).trim() : t;
  }).filter((t) => t !== "");
  return `[ ${inner.join(", ")} ]\n`;
}

/** A dead run's journal being adopted, with its lease held. */
interface Orphan {
  journal: string;
  lease: Deno.FsFile;
}

interface CacheFile {
  entries: CacheEntry[];
  /** Lines that are not entries, kept verbatim so nothing is ever dropped. */
  foreign: string[];
}

function addOwed(entries: CacheEntry[], message: string, topic: string, sink: string): void {
  const same = entries.find((e) => e.message === message && e.topic === topic);
  if (!same) entries.push({ message, topic, sinks: [sink] });
  else if (!same.sinks.includes(sink)) same.sinks.push(sink);
}

/** What {@linkcode ReportCache.finish} did with the reports this run could not deliver. */
export type CacheOutcome = "none" | "kept" | "lost";

/** The report cache of one run. */
export class ReportCache {
  readonly path: string;
  readonly #journal: string;
  readonly #lockTimeoutMs: number;
  readonly #log: SinkLog;
  /** Claimed and new entries this run still owes. */
  readonly #owed: CacheEntry[] = [];
  #journalWrite: Promise<void> = Promise.resolve();
  /** Held while this run may owe anything: a journal whose lease is free is an orphan. */
  #lease: Deno.FsFile | undefined;
  #claimed = 0;
  #flushed = 0;
  #leftover = 0;
  #touched = false;
  #scanned = false;
  #disabled = false;
  #finished = false;

  constructor(log: SinkLog, options: ReportCacheOptions = {}) {
    const raw = expandHome(options.path ?? DEFAULT_REPORT_CACHE);
    this.path = isAbsolute(raw) ? raw : resolve(Deno.cwd(), raw);
    // Unique across hosts and pid namespaces sharing the folder (two containers' pid 1).
    this.#journal = `${this.path}.claimed.${crypto.randomUUID()}`;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 15_000;
    this.#log = log;
  }

  /** False once the cache was found unusable (read-only filesystem, ...). */
  get enabled(): boolean {
    return !this.#disabled;
  }

  async #read(path: string): Promise<CacheFile> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return { entries: [], foreign: [] };
      throw e;
    }
    const file: CacheFile = { entries: [], foreign: [] };
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const entry = parseCacheLine(line);
      if (entry) entry.sinks.forEach((s) => addOwed(file.entries, entry.message, entry.topic, s));
      else file.foreign.push(line);
    }
    return file;
  }

  async #write(path: string, file: CacheFile): Promise<void> {
    const lines = [
      ...file.entries.filter((e) => e.sinks.length > 0).map(cacheLine),
      ...file.foreign,
    ];
    if (lines.length === 0) {
      await Deno.remove(path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
      return;
    }
    await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
    try {
      await Deno.writeTextFile(temp, lines.join("\n") + "\n", { mode: 0o600 });
      await Deno.rename(temp, path);
    } finally {
      await Deno.remove(temp).catch(() => {});
    }
  }

  /** Rewrites this run's journal with what it owes now (best effort). */
  #saveJournal(): Promise<void> {
    const snapshot: CacheFile = {
      entries: this.#owed.map((e) => ({ ...e, sinks: [...e.sinks] })),
      foreign: [],
    };
    this.#journalWrite = this.#journalWrite.then(async () => {
      // The lease exists before the journal, so no one can mistake a new journal for an orphan.
      this.#lease ??= await tryLockFile(`${this.#journal}.lock`).catch(() => undefined);
      await this.#write(this.#journal, snapshot).catch(() => {});
    });
    return this.#journalWrite;
  }

  /** Other runs' journals in the cache's folder, alive or not. */
  async #journals(): Promise<string[]> {
    const prefix = `${basename(this.path)}.claimed.`;
    const found: string[] = [];
    try {
      for await (const entry of Deno.readDir(dirname(this.path))) {
        const name = entry.name;
        if (!entry.isFile || !name.startsWith(prefix) || /\.(lock|tmp)$/.test(name)) continue;
        const path = join(dirname(this.path), name);
        if (path !== this.#journal) found.push(path);
      }
    } catch {
      // no directory yet: nothing to adopt
    }
    return found;
  }

  /**
   * Merges the journals of runs that are gone (their lease is free) into `file`; returns them,
   * their leases held, for `#release` after the write.
   */
  async #adopt(file: CacheFile): Promise<Orphan[]> {
    const orphans: Orphan[] = [];
    for (const journal of await this.#journals()) {
      const lease = await tryLockFile(`${journal}.lock`);
      if (lease === undefined) continue;
      orphans.push({ journal, lease });
      const left = await this.#read(journal);
      for (const e of left.entries) {
        e.sinks.forEach((s) => addOwed(file.entries, e.message, e.topic, s));
      }
      file.foreign.push(...left.foreign);
    }
    return orphans;
  }

  /** Lets go of adopted journals: removed once their entries are in the cache file, else kept. */
  async #release(orphans: readonly Orphan[], merged: boolean): Promise<void> {
    for (const { journal, lease } of orphans) {
      if (merged) await Deno.remove(journal).catch(() => {});
      if (merged) await releaseLockFile(`${journal}.lock`, lease);
      else lease.close();
    }
  }

  /**
   * Runs `body` on the cache file with the orphaned journals merged in (the caller holds the
   * cache lock); `body` writes the file, after which the orphans are removed.
   */
  async #withAdopted(body: (file: CacheFile, adopted: number) => Promise<void>): Promise<void> {
    const file = await this.#read(this.path);
    const adopted = await this.#adopt(file);
    let merged = false;
    try {
      await body(file, adopted.length);
      merged = true;
    } finally {
      await this.#release(adopted, merged);
    }
  }

  /** Moves the entries owed to `sinks` on `topic` from `file` into this run's journal. */
  async #take(
    file: CacheFile,
    adopted: number,
    topic: string,
    sinks: readonly string[],
  ): Promise<void> {
    let taken = 0;
    for (const entry of file.entries) {
      if (entry.topic !== topic) continue;
      for (const sink of sinks.filter((s) => entry.sinks.includes(s))) {
        addOwed(this.#owed, entry.message, topic, sink);
        taken++;
      }
      entry.sinks.splice(0, entry.sinks.length, ...entry.sinks.filter((s) => !sinks.includes(s)));
    }
    this.#leftover = file.entries.filter((e) => e.sinks.length > 0).length;
    if (taken > 0) {
      // Journal first: a crash between the two writes duplicates, never loses.
      await this.#saveJournal();
      this.#claimed += taken;
    }
    if (taken > 0 || adopted > 0) await this.#write(this.path, file);
  }

  #disable(e: unknown): void {
    this.#disabled = true;
    // The cache file named once, with the reason alone (not Deno's "...: readfile '<path>'").
    this.#log.warn(`report cache disabled: ${this.path}: ${osErrorReason(e)}`);
  }

  /**
   * The messages owed to each of `sinks` on `topic`, oldest first, moving
   * them from the file into this run's journal so no concurrent run resends them.
   */
  async claim(topic: string, sinks: readonly string[]): Promise<Map<string, string[]>> {
    if (!this.#disabled && sinks.length > 0) {
      try {
        const journals = this.#scanned ? [] : await this.#journals();
        this.#scanned = true;
        if (journals.length === 0) await Deno.stat(this.path);
        await withFileLock(
          this.path,
          this.#lockTimeoutMs,
          () => this.#withAdopted((file, adopted) => this.#take(file, adopted, topic, sinks)),
        );
      } catch (e) {
        if (e instanceof LockTimeoutError) this.#log.warn(`report cache not read: ${e.message}`);
        else if (!(e instanceof Deno.errors.NotFound)) this.#disable(e);
      }
    }
    const owed = new Map<string, string[]>();
    for (const sink of sinks) {
      const messages = this.#owed.filter((e) => e.topic === topic && e.sinks.includes(sink))
        .map((e) => e.message);
      if (messages.length > 0) owed.set(sink, messages);
    }
    return owed;
  }

  /** Records that `sink` received `messages` (formerly owed) on `topic`. */
  async delivered(topic: string, sink: string, messages: readonly string[]): Promise<void> {
    let changed = false;
    for (const entry of this.#owed) {
      if (entry.topic !== topic || !messages.includes(entry.message)) continue;
      const i = entry.sinks.indexOf(sink);
      if (i >= 0) {
        entry.sinks.splice(i, 1);
        this.#flushed++;
        changed = true;
      }
    }
    if (changed) await this.#saveJournal();
  }

  /** Records that `sink` still owes `message` on `topic`. */
  async add(topic: string, sink: string, message: string): Promise<void> {
    addOwed(this.#owed, message, topic, sink);
    this.#touched = true;
    await this.#saveJournal();
  }

  /** Number of (message, sink) deliveries still owed by this run. */
  get pending(): number {
    return this.#owed.reduce((n, e) => n + e.sinks.length, 0);
  }

  /**
   * End of reporting: merges what is still owed into the file, or deletes
   * the file when nothing is left, then drops the journal. Runs once.
   */
  async finish(): Promise<CacheOutcome> {
    if (this.#finished) return "none";
    this.#finished = true;
    await this.#journalWrite;
    const owed = this.#owed.filter((e) => e.sinks.length > 0);
    if (this.#claimed === 0 && !this.#touched) {
      if (this.#leftover > 0) this.#warnUnretried(this.#leftover);
      return "none";
    }
    const pendingMessages = owed.length;
    if (this.#disabled) {
      if (pendingMessages === 0) return "none";
      this.#recover(owed, "the report cache is disabled");
      return "lost";
    }
    let left = 0;
    try {
      // The state folder may not exist yet; the lock file lives beside the cache.
      await Deno.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await withFileLock(this.path, this.#lockTimeoutMs, () =>
        this.#withAdopted(async (file) => {
          for (const entry of owed) {
            for (const sink of entry.sinks) {
              addOwed(file.entries, entry.message, entry.topic, sink);
            }
          }
          left = file.entries.filter((e) => e.sinks.length > 0).length + file.foreign.length;
          await this.#write(this.path, file);
          await Deno.remove(this.#journal).catch(() => {});
        }));
      if (this.#lease) await releaseLockFile(`${this.#journal}.lock`, this.#lease);
    } catch (e) {
      // The journal keeps what is owed; a later run adopts it once this process is gone.
      this.#recover(owed, errorMessage(e));
      return pendingMessages > 0 ? "lost" : "none";
    }
    // The hub says which sink failed and that its report waits here, one line each.
    if (pendingMessages > 0) return "kept";
    if (left === 0) this.#log.info("Reporting cache was successfully flushed.");
    else if (this.#flushed === 0) this.#warnUnretried(left);
    return "none";
  }

  #warnUnretried(count: number): void {
    this.#log.warn(
      `${this.path} holds ${count} cached reports; they are only sent when an identically ` +
        "named sink config is subscribed to the same topic",
    );
  }

  #recover(owed: readonly CacheEntry[], why: string): void {
    const lines = owed.map(cacheLine).join("\n");
    const text = `chalk: could not write the report cache ${this.path} (${why}).\n` +
      `These unpublished reports would be lost; save them to retry later:\n${lines}\n`;
    this.#log.error(`report cache not written: ${why}`);
    writeOrphaned(text);
  }
}
