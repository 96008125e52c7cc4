/**
 * The entry of the built program, the bundle and the `deno compile` binary alike
 * (`scripts/build.ts`): it only starts chalk. It has no exports and no top-level `await`, as
 * the bundle's format requires (docs/architecture.md, "Start-up").
 *
 * @module
 */
import { runMain } from "./main.ts";

// Not from the bundle's top level: V8 records source positions lazily, and the first Error
// created (also one thrown and caught, such as a missing file's) with the top level on the
// stack re-parses the whole one-megabyte bundle for them, ~15 ms of every start.
queueMicrotask(runMain);
