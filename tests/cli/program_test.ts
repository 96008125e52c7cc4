/**
 * cli/program.ts defines only the command a run names (COMMAND_WORDS); the table must name every
 * command of the whole tree (but `completions`, whose script lists the tree) by its name and
 * aliases, and each entry must define exactly that command.
 */
import { assert, assertEquals } from "../_assert.ts";
import { buildProgram, COMMAND_WORDS } from "../../cli/program.ts";

Deno.test("COMMAND_WORDS names every command of the tree and defines just that command", () => {
  const whole = buildProgram(() => {});
  const words = new Set<string>();
  for (const c of whole.commands) {
    if (c.name() === "completions") continue;
    for (const word of [c.name(), ...c.aliases()]) {
      words.add(word);
      const define = COMMAND_WORDS.get(word);
      assert(define !== undefined, `no entry for ${word}`);
      const alone = buildProgram(() => {}, define);
      assertEquals(alone.commands.map((x) => x.name()), [c.name()], word);
    }
  }
  assertEquals([...COMMAND_WORDS.keys()].sort(), [...words].sort());
});
