/**
 * The progress line of a long scan and the closing summary line of
 * insert, extract and delete (README.md, "Output"). The progress line is
 * drawn on stderr only when stderr is a terminal, after the scan has run
 * for a second, at most ten times a second; stdout (the JSON report) never
 * sees it. The summary line is an `info:` line once the reports are out.
 *
 * @module
 */
import { clearStatus, showStatus } from "../internal/status_line.ts";
import { stderrTakesEscapes } from "../internal/terminal.ts";

/** What a scan did, file by file. */
export interface ScanCounts {
  /** Artifacts the operation acted on (chalked, extracted, deleted). */
  done: number;
  /** Artifacts it left as they were (unmarked, a configured chalk). */
  unchanged: number;
  /** Files that are not artifacts. */
  skipped: number;
  /** Files that could not be read or written, and named paths that are not there. */
  failed: number;
}

const DELAY_MS = 1000;
const EVERY_MS = 100;
const VERB: Record<string, string> = { insert: "chalked", extract: "extracted", delete: "deleted" };

/** Counts a scan and, on a terminal, shows how far it is. */
export class ScanProgress {
  readonly counts: ScanCounts = { done: 0, unchanged: 0, skipped: 0, failed: 0 };
  readonly #command: string;
  readonly #started: number;
  readonly #draw: boolean;
  readonly #delayMs: number;
  #last = -Infinity;

  /** `draw`: show the line (default: when stderr is a terminal); `delayMs`: not before. */
  constructor(
    command: string,
    options: { draw?: boolean; delayMs?: number } = {},
  ) {
    this.#command = command;
    this.#started = performance.now();
    // Not on a dumb terminal: it would show the `ESC[K` that takes the line away as text.
    this.#draw = options.draw ?? stderrTakesEscapes();
    this.#delayMs = options.delayMs ?? DELAY_MS;
  }

  /** Counts one file; redraws the line when it is due. */
  count(kind: keyof ScanCounts): void {
    this.counts[kind]++;
    if (!this.#draw) return;
    const now = performance.now();
    if (now - this.#started < this.#delayMs || now - this.#last < EVERY_MS) return;
    this.#last = now;
    const c = this.counts;
    const files = c.done + c.unchanged + c.skipped + c.failed;
    showStatus(
      `${this.#command}: ${files} files, ${c.done} ${VERB[this.#command] ?? "done"} ` +
        `(${((now - this.#started) / 1000).toFixed(1)} s)`,
    );
  }

  /** Takes the progress line away. */
  stop(): void {
    if (this.#draw) clearStatus();
  }

  /** `items`, with the progress line taken away however the loop over them ends. */
  async *track<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* items;
    } finally {
      this.stop();
    }
  }
}

/** The closing line: `insert: 3 chalked, 1 unchanged, 12 skipped in 0.42 s`. */
export function summaryLine(command: string, counts: ScanCounts, elapsedMs: number): string {
  const parts = [
    `${counts.done} ${VERB[command] ?? "done"}`,
    `${counts.unchanged} unchanged`,
    `${counts.skipped} skipped`,
  ];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  return `${command}: ${parts.join(", ")} in ${(elapsedMs / 1000).toFixed(2)} s`;
}
