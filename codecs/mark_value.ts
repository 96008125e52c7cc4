/**
 * The values a chalk mark can hold. Ints are `bigint` (int64, never
 * rounded), floats are `number`, so the int/float distinction survives a
 * read-write cycle and METADATA_HASH stays stable.
 * Dicts are `Map`s because member order is part of the on-disk format.
 */
export type MarkValue =
  | string
  | bigint
  | number
  | boolean
  | null
  | MarkValue[]
  | MarkDict;

/** An ordered JSON object as found in (or written to) a chalk mark. */
export type MarkDict = Map<string, MarkValue>;

// Both constants are built at run time: chalk's own bundle is marked through the source
// codec, which takes the first mark-shaped text in a file; a literal here would be that text.
/** The 16 ASCII bytes that identify every chalk mark. */
export const MAGIC: string = ["dadfed", "abbadabbed"].join("");

/** The placeholder left where a mark cannot be removed cleanly. */
export const EMPTY_MARK: string = ['{ "MAGIC" : "', MAGIC, '" }'].join("");

/** True when `v` is an ordered dict (a JSON object). */
export function isMarkDict(v: MarkValue | undefined): v is MarkDict {
  return v instanceof Map;
}
