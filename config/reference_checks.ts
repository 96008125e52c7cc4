/**
 * Names a configuration gives that only a later run would resolve, checked
 * when `chalk load` validates a configuration (docs/configuration.md, "Where
 * configuration comes from"): every `subscribe(topic, sink)` call, made or
 * not (its branch may run only for another command), names a
 * `sink_config`, and `docker.label_template` names a mark template. Without
 * this a configuration would validate, then fail in every run it is used
 * in. Templates named by `outconf` and custom reports are checked by the
 * schema's own validators.
 *
 * @module
 */

import type { CallExpr, Program } from "../con4m/ast.ts";
import { Con4mError } from "../con4m/errors.ts";
import type { Con4mRuntime } from "../con4m/runtime.ts";

/** Every call of `name` in `program` (any depth: branches, loops, functions). */
function callsOf(program: Program, name: string): CallExpr[] {
  const found: CallExpr[] = [];
  const seen = new WeakSet<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const o = node as Record<string, unknown>;
    if (o.kind === "Call" && o.name === name) found.push(o as unknown as CallExpr);
    // Checker annotations (types, resolved targets) hold no source calls.
    for (const [k, v] of Object.entries(o)) if (k !== "target" && k !== "sig") visit(v);
  };
  visit(program.body);
  return found;
}

/**
 * The unknown sinks `program`'s `subscribe` calls name literally, and an
 * unknown label template. (A computed sink name is refused when the call
 * runs: `ChalkHostEnv.strict`.)
 */
export function referenceProblems(rt: Con4mRuntime, program: Program | undefined): Con4mError[] {
  const errors: Con4mError[] = [];
  const sinks = new Set(rt.sectionNames("sink_config"));
  for (const call of program === undefined ? [] : callsOf(program, "subscribe")) {
    const [topic, sink] = call.args;
    if (sink?.kind !== "String" || sinks.has(sink.value)) continue;
    const what = topic?.kind === "String" ? ` for topic ${topic.value}` : "";
    errors.push(
      new Con4mError(
        "validate",
        `subscribe${what}: no sink_config named '${sink.value}'`,
        call.pos,
      ),
    );
  }
  const label = rt.findString("docker.label_template");
  if (label !== undefined && label !== "" && !rt.hasSection(`mark_template.${label}`)) {
    errors.push(
      new Con4mError(
        "validate",
        `When checking docker: 'label_template': no mark_template named '${label}'`,
      ),
    );
  }
  return errors;
}
