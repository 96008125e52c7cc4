/**
 * The keyspec `normalized_order` of every key that has an explicit one (as
 * in `config/base/keyspecs.c4m`). Every other key sorts at
 * {@link DEFAULT_KEY_ORDER}.
 *
 * @module
 */

/** Nim `high(int)` = 2^63 − 1, the largest order (SIGNATURE). */
export const MAX_KEY_ORDER: bigint = (1n << 63n) - 1n;

/** The order of keys without an explicit one: 2^62 (`default_key_priority`). */
export const DEFAULT_KEY_ORDER: bigint = 1n << 62n;

const EXPLICIT_ORDERS: ReadonlyMap<string, bigint> = new Map<string, bigint>([
  // chalk-time keys
  ["MAGIC", 0n],
  ["CHALK_ID", 1n],
  ["CHALK_VERSION", 2n],
  ["TIMESTAMP_WHEN_CHALKED", 3n],
  ["DATE_CHALKED", 4n],
  ["TIME_CHALKED", 5n],
  ["TZ_OFFSET_WHEN_CHALKED", 6n],
  ["DATETIME_WHEN_CHALKED", 7n],
  ["ERR_INFO", MAX_KEY_ORDER - 500n],
  ["SIGNING", MAX_KEY_ORDER - 400n],
  ["METADATA_HASH", MAX_KEY_ORDER - 300n],
  ["METADATA_ID", MAX_KEY_ORDER - 200n],
  ["SIGNATURE", MAX_KEY_ORDER],
  // report keys
  ["_OPERATION", 0n],
  ["_TIMESTAMP", 1n],
  ["_DATE", 2n],
  ["_TIME", 3n],
  ["_TZ_OFFSET", 4n],
  ["_DATETIME", 5n],
  ["_CHALKS", 6n],
  ["_COLLECTED_ARTIFACTS", 7n],
  ["_OP_CHALK_COUNT", MAX_KEY_ORDER - 100n],
  ["_OP_UNMARKED_COUNT", MAX_KEY_ORDER - 90n],
  ["_ERR_INFO", MAX_KEY_ORDER - 500n],
]);

/**
 * The `normalized_order` of `key`: its explicit keyspec order, else 2^62.
 *
 * @example
 * ```ts
 * keyOrder("MAGIC"); // 0n
 * keyOrder("ARTIFACT_TYPE"); // 4611686018427387904n
 * ```
 */
export function keyOrder(key: string): bigint {
  return EXPLICIT_ORDERS.get(key) ?? DEFAULT_KEY_ORDER;
}
