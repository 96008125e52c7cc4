/**
 * Retention: reports older than their kind's window (by the time the server received them) are
 * deleted, with the chalk rows and mentions they carry, a thousand at a time so that ingest is
 * never blocked for long. With several servers on one database only one prunes at a time.
 *
 * @module
 */

import { addToCounter, type ChalkStore, HOUR_MS, placeholders } from "./chalk_store.ts";

/** How long reports of each operation are kept, in ms (operations not listed: forever). */
export type RetentionWindows = ReadonlyMap<string, number>;

const BATCH = 1000;

/**
 * The window after which a workload's sighting is dropped: the longer of exec and heartbeat.
 * An operation without a window keeps its reports forever, so its sightings stay too.
 */
function sightingWindow(windows: RetentionWindows): number | undefined {
  const [exec, heartbeat] = [windows.get("exec"), windows.get("heartbeat")];
  return exec === undefined || heartbeat === undefined ? undefined : Math.max(exec, heartbeat);
}

/** Deletes what has aged out at `now`; returns the number of reports deleted per operation. */
export async function pruneReports(
  store: ChalkStore,
  windows: RetentionWindows,
  now = Date.now(),
): Promise<Map<string, number>> {
  const deleted = new Map<string, number>();
  const result = await store.sql.exclusive("retention", async () => {
    for (const [operation, window] of windows) {
      for (;;) {
        const ids = (await store.sql.all<{ id: number }>(
          `SELECT id FROM reports WHERE operation = $1 AND received_ms < $2
           ORDER BY received_ms LIMIT ${BATCH}`,
          [operation, now - window],
        )).map((r) => r.id);
        if (ids.length === 0) break;
        const n = await store.sql.transaction(async (tx) => {
          const list = placeholders(ids.length);
          const hours = operation !== "exec" ? [] : await tx.all<{ hour: number; n: number }>(
            `SELECT COALESCE(timestamp_ms, received_ms) / ${HOUR_MS} AS hour, COUNT(*) AS n
             FROM reports WHERE id IN (${list})
             GROUP BY COALESCE(timestamp_ms, received_ms) / ${HOUR_MS}`,
            ids,
          );
          const chalks = await tx.run(`DELETE FROM chalks WHERE report_id IN (${list})`, ids);
          await tx.run(`DELETE FROM report_chalks WHERE report_id IN (${list})`, ids);
          const reports = await tx.run(`DELETE FROM reports WHERE id IN (${list})`, ids);
          await addToCounter(tx, "chalks", -chalks);
          await addToCounter(tx, `op:${operation}`, -reports);
          for (const { hour, n } of hours) await addToCounter(tx, `hour:${hour}`, -n);
          if (chalks > 0) {
            // Built commits are a summary of chalk rows: recount the ones that lost some.
            await tx.run(
              `UPDATE commits SET chalks = (SELECT COUNT(*) FROM chalks c
                 WHERE c.origin_uri = commits.origin_uri AND c.commit_id = commits.commit_id)`,
            );
            await tx.run("DELETE FROM commits WHERE chalks = 0");
          }
          return reports;
        });
        deleted.set(operation, (deleted.get(operation) ?? 0) + n);
        if (ids.length < BATCH) break;
      }
    }
    const window = sightingWindow(windows);
    if (window !== undefined) {
      // In a transaction: on SQLite's shared connection a bare statement could join (and roll
      // back with) a request's open transaction.
      await store.sql.transaction((tx) =>
        tx.run("DELETE FROM sightings WHERE last_seen_ms < $1", [now - window])
      );
    }
    return deleted;
  });
  return result ?? deleted;
}

/** `30s`, `15m`, `12h`, `7d` → ms. */
export function parseDuration(text: string): number | null {
  const m = /^([0-9]{1,9})(s|m|h|d)$/.exec(text.trim());
  if (m === null) return null;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}
