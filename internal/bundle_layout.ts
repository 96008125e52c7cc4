/**
 * How the single-file bundle ends (scripts/build.ts writes it): its JavaScript, then the line
 * {@link PROGRAM_END}; `chalk load` appends the bundle's own mark after it, on one line that
 * starts with {@link MARK_LINE_START}. The sh prologue reads that last line to know whether a
 * configuration is embedded, and chalk reads its own mark from it (ops/bundle_mark.ts).
 *
 * @module
 */

/** The bundle's last line when it carries no mark (a mark is appended after it). */
export const PROGRAM_END = "// chalk-ts: end of program";

/** How every chalk mark line of a bundle starts (codecs/mark_json.ts's spacing). */
export const MARK_LINE_START = '// { "MAGIC" : "';
