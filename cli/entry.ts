/**
 * The entry of the built program, the bundle and the `deno compile` binary alike
 * (`scripts/build.ts`): it only starts chalk. It has no exports and no top-level `await`, as
 * the bundle's format requires (docs/architecture.md, "Start-up").
 *
 * @module
 */
import { runMain } from "./main.ts";

runMain();
