/** Generated files are what their generators write (grammar and base snapshot have their own tests). */
import { existsSync } from "node:fs";
import { assert } from "../_assert.ts";
import { KEYS_TSV, KEYSPECS_PATH, keyspecsText } from "../../scripts/gen_keyspecs.ts";

const haveSpec = existsSync(KEYS_TSV);

Deno.test({
  name: haveSpec
    ? "config/base/keyspecs.c4m is what `deno task keyspecs` writes from keys.tsv"
    : "config/base/keyspecs.c4m freshness: skipped, ../shared/spec/keys.tsv is not beside the repository",
  ignore: !haveSpec,
  fn: () => {
    const committed = Deno.readTextFileSync(KEYSPECS_PATH);
    assert(
      committed === keyspecsText(Deno.readTextFileSync(KEYS_TSV)),
      "config/base/keyspecs.c4m is stale: run `deno task keyspecs` then `deno task base-config`",
    );
  },
});
