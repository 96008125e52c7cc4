/**
 * The one interface the server's storage code talks to, with an implementation per backend
 * (`sqlite_client.ts`, `postgres_client.ts`). Queries are written once, in the SQL both
 * backends share, with PostgreSQL-style numbered parameters (`$1`, `$2`, ...).
 *
 * @module
 */

/** A value bound to a query parameter or read from a column. */
export type SqlValue = string | number | null;

/** Which database a client talks to. */
export type Backend = "sqlite" | "postgres";

/** A connection (or pool) to one database. */
export interface SqlClient {
  /** The backend, for `/health` and the few statements that differ. */
  readonly backend: Backend;
  /** Runs a query and returns its rows. Integer columns come back as JS numbers. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs several `;`-separated statements without parameters (migrations). */
  script(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Statements inside must go through the `tx` it receives.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` only if this process holds the backend's exclusive maintenance lock (one server
   * of several prunes at a time); returns `undefined` when another holds it.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/**
 * Thrown when the database cannot be reached (PostgreSQL stopped or restarting). The server
 * answers 503 with `Retry-After`, so chalk's report cache sends the reports again later.
 */
export class StoreUnavailableError extends Error {
  /** Builds the error with the driver's reason. */
  constructor(reason: string) {
    super(`database unavailable: ${reason}`);
    this.name = "StoreUnavailableError";
  }
}
