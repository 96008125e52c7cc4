/** Sink types by name: the one place that maps `sink: "<type>"` to code. */
import { consoleSink } from "./console.ts";
import { fileSink } from "./file_sink.ts";
import { type Sink, type SinkConfig, SinkError, type SinkLog } from "./sink.ts";

type SinkFactory = (config: SinkConfig, log: SinkLog) => Sink;

const FACTORIES: Record<string, SinkFactory> = {
  stdout: () => consoleSink("stdout"),
  stderr: () => consoleSink("stderr"),
  file: fileSink,
};

/** The sink types chalk-ts can deliver to. */
export const SINK_TYPES: readonly string[] = Object.keys(FACTORIES);

/** Instantiates the sink a config names. */
export function createSink(config: SinkConfig, log: SinkLog): Sink {
  const factory = FACTORIES[config.sink];
  if (!factory) throw new SinkError(config.name, `unknown sink type '${config.sink}'`);
  return factory(config, log);
}
