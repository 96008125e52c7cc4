/**
 * The V8 flags chalk starts with, the bundle (its sh prologue) and the `deno compile` binary
 * alike: an 8 MB young generation that never grows.
 *
 * A full-path start allocates ~7 MB, so it fits without a scavenge (V8 would start at 1 MB and
 * scavenge three times). Left to grow, V8 took the young generation to ~30 MB over a walk of many
 * files, and every page first touched costs a fault (~15 µs per 4 KiB here: 100 MB touched once
 * took ~390 ms), which a young generation that is reused instead of grown does not pay again
 * (docs/architecture.md, "A young generation that fits a start").
 */
export const CHALK_V8_FLAGS = "--min-semi-space-size=8,--max-semi-space-size=8";
