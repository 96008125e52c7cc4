/**
 * A delivery failure that says whether trying again could help: a 4xx other
 * than 429 or a bad redirect is permanent (the sink is disabled at once);
 * network errors, 5xx and 429 are transient.
 */
import { SinkError } from "./sink.ts";

/** A failed delivery of one message by a network sink. */
export class SinkDeliveryError extends SinkError {
  constructor(sinkName: string, message: string, readonly permanent: boolean) {
    super(sinkName, message);
    this.name = "SinkDeliveryError";
  }
}
