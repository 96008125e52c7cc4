/**
 * Sink parameters checked as a configuration layer loads (exit 2 with the layer's file and
 * line), not first when a run creates the sink: con4m's schema checks which parameters a sink
 * type takes and that the required ones are there, and this runs the sinks' own checks of the
 * values (an http(s) or s3 `uri`, a rotating log's `max` of at least 1 KiB, a positive
 * `disable_after_errors`, a `pinned_cert` with an https `uri`, an `auth` naming a complete
 * `auth_config`, ...), which a run would otherwise meet only as "sink disabled" with the report
 * lost for that sink. Only the sinks the configuration delivers to are checked
 * (config/sink_use.ts): one defined but never used fails, in one line, the run that uses it.
 * Messages use con4m's `When checking` form so that they are placed like schema errors.
 *
 * @module
 */
import { Con4mError } from "../con4m/errors.ts";
import type { Con4mRuntime } from "../con4m/runtime.ts";
import { SinkParamError, validateSinkParams } from "../sinks/sink_params.ts";
import { sinkConfigOf } from "./sink_config_of.ts";

/** The parameter problems of the sinks named in `inUse` (empty when none). */
export function sinkProblems(rt: Con4mRuntime, inUse: ReadonlySet<string>): Con4mError[] {
  const errors: Con4mError[] = [];
  for (const name of rt.sectionNames("sink_config")) {
    if (!inUse.has(name)) continue;
    try {
      validateSinkParams(sinkConfigOf(rt, name));
    } catch (e) {
      if (!(e instanceof SinkParamError)) throw e;
      errors.push(
        new Con4mError("validate", `When checking sink_config.${name}: '${e.field}' ${e.reason}`),
      );
    }
  }
  return errors;
}
