/**
 * Compile `con4m/grammar.ne` into `con4m/grammar.generated.ts` with the nearley compiler.
 * Run with `deno task grammar`; `tests/con4m/parser_test.ts` checks that the checked-in file
 * is up to date by compiling in memory and comparing.
 *
 * @module
 */

import nearley from "nearley";
import compile from "nearley/lib/compile.js";
import generate from "nearley/lib/generate.js";
import bootstrapped from "nearley/lib/nearley-language-bootstrapped.js";

/** Path of the grammar source, relative to this file. */
export const GRAMMAR_SOURCE: URL = new URL("../con4m/grammar.ne", import.meta.url);
/** Path of the compiled grammar, relative to this file. */
export const GRAMMAR_OUTPUT: URL = new URL("../con4m/grammar.generated.ts", import.meta.url);

/** Error raised when the nearley grammar source does not compile. */
export class GrammarBuildError extends Error {
  /** Wrap a nearley compiler failure. */
  constructor(reason: string) {
    super(`con4m/grammar.ne: ${reason}`);
    this.name = "GrammarBuildError";
  }
}

/**
 * Compile nearley grammar text to the TypeScript module text (deterministic for a given
 * input and nearley version).
 */
export function compileGrammar(source: string): string {
  const parser = new nearley.Parser(nearley.Grammar.fromCompiled(bootstrapped));
  try {
    parser.feed(source);
  } catch (e) {
    throw new GrammarBuildError((e as Error).message.split("\n")[0]);
  }
  // The nearley meta-grammar is itself ambiguous; nearleyc takes the first parse too.
  if (parser.results.length === 0) throw new GrammarBuildError("unexpected end of grammar");
  const compiled = compile(parser.results[0], { args: ["grammar.ne"], version: "2.20.1" });
  const header = "// deno-fmt-ignore-file\n// deno-lint-ignore-file\n" +
    "// Generated from con4m/grammar.ne by `deno task grammar`. Do not edit.\n";
  return header + generate(compiled, "grammar");
}

if (import.meta.main) {
  const out = compileGrammar(await Deno.readTextFile(GRAMMAR_SOURCE));
  await Deno.writeTextFile(GRAMMAR_OUTPUT, out);
  console.log(`wrote ${GRAMMAR_OUTPUT.pathname} (${out.length} bytes)`);
}
