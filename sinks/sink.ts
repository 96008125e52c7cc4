/**
 * What every sink shares: its configuration (a `sink_config` section) and
 * the small interface the publishing hub drives.
 */

/** A configured output: a `sink_config NAME { ... }` (docs/configuration.md). */
export interface SinkConfig {
  readonly name: string;
  /** The sink type: `stdout`, `stderr`, `file`, ... */
  readonly sink: string;
  readonly enabled: boolean;
  /** Filters applied in order before delivery (`pretty_json`, `fix_new_line`). */
  readonly filters: readonly string[];
  /** Type-specific parameters (`filename`, `uri`, ...). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Logged instead of the generic `Write` event after a successful write. */
  readonly onWriteMsg?: string;
  /**
   * What `params.auth` (post, presign) resolves to: the `Authorization` header of the
   * `auth_config` it names, or why there is none. The configuration resolves it, since it holds
   * the `auth_config` sections.
   */
  readonly auth?: { readonly header: string } | { readonly problem: string };
}

/** Where sinks send their one-line progress and failure messages. */
export interface SinkLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A live sink instance, created lazily on first publish. */
export interface Sink {
  /** Delivers one message; throws `SinkError` when it could not. */
  deliver(message: string): Promise<void>;
  /** Releases files or connections at the end of the run. */
  close?(): Promise<void>;
}

/** A delivery failure, with a reason a person can act on. */
export class SinkError extends Error {
  constructor(readonly sinkName: string, message: string) {
    super(message);
    this.name = "SinkError";
  }
}
