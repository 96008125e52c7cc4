/** Sink types by name: the one place that maps `sink: "<type>"` to code. */
import { consoleSink } from "./console.ts";
import { fileSink } from "./file_sink.ts";
import { postSink } from "./post.ts";
import { presignSink } from "./presign.ts";
import { rotatingLogSink } from "./rotating_log.ts";
import { s3Sink } from "./s3.ts";
import { type Sink, type SinkConfig, SinkError, type SinkLog } from "./sink.ts";
import { UNIMPLEMENTED_SINK_TYPES, validateSinkParams } from "./sink_params.ts";

type SinkFactory = (config: SinkConfig, log: SinkLog) => Sink;

const FACTORIES: Record<string, SinkFactory> = {
  stdout: () => consoleSink("stdout"),
  stderr: () => consoleSink("stderr"),
  file: fileSink,
  rotating_log: rotatingLogSink,
  post: postSink,
  presign: presignSink,
  s3: s3Sink,
};

/** The sink types chalk-ts can deliver to. */
export const SINK_TYPES: readonly string[] = Object.keys(FACTORIES);

/** Instantiates the sink a config names, after checking its parameters. */
export function createSink(config: SinkConfig, log: SinkLog): Sink {
  if (UNIMPLEMENTED_SINK_TYPES.has(config.sink)) {
    throw new SinkError(config.name, `chalk-ts does not implement the ${config.sink} sink`);
  }
  const factory = FACTORIES[config.sink];
  if (!factory) throw new SinkError(config.name, `unknown sink type '${config.sink}'`);
  validateSinkParams(config);
  return factory(config, log);
}
