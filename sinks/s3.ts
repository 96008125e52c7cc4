/**
 * The `s3` sink: each message becomes one object, uploaded with a SigV4-signed
 * PutObject (aws4fetch). `endpoint` selects an S3-compatible store, addressed
 * path-style. Secrets never reach a message.
 */
import { AwsClient } from "aws4fetch";
import type { Sink, SinkConfig, SinkLog } from "./sink.ts";
import { sendWithRetries } from "./_http_retry.ts";
import { newS3ObjectKey, parseS3Uri, type S3Location } from "./_s3_key.ts";
import { bodyFacts } from "./_chalk_headers.ts";
import { intParam, SinkParamError, stringParam, validateSinkParams } from "./sink_params.ts";

/** Credentials and where they were found. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** `config` or `environment`, for error messages. */
  readonly source: "config" | "environment";
}

/** The region: the config's, else AWS_REGION, AWS_DEFAULT_REGION, then us-east-1. */
export function s3Region(config: SinkConfig): string {
  return stringParam(config, "region") || Deno.env.get("AWS_REGION") ||
    Deno.env.get("AWS_DEFAULT_REGION") || "us-east-1";
}

/** Credentials from the config (`uid`, `secret`, `token`) or the standard AWS variables. */
export function s3Credentials(config: SinkConfig): S3Credentials {
  const uid = stringParam(config, "uid");
  if (uid) {
    const secret = stringParam(config, "secret");
    if (!secret) throw new SinkParamError(config.name, "secret", "is required when 'uid' is set");
    return {
      accessKeyId: uid,
      secretAccessKey: secret,
      sessionToken: stringParam(config, "token") || undefined,
      source: "config",
    };
  }
  const id = Deno.env.get("AWS_ACCESS_KEY_ID");
  const secret = Deno.env.get("AWS_SECRET_ACCESS_KEY");
  if (!id || !secret) {
    throw new SinkParamError(
      config.name,
      "uid",
      "is not set and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not in the environment",
    );
  }
  return {
    accessKeyId: id,
    secretAccessKey: secret,
    sessionToken: Deno.env.get("AWS_SESSION_TOKEN") || undefined,
    source: "environment",
  };
}

/** The HTTPS (or endpoint) URL of an object. */
export function s3ObjectUrl(
  location: S3Location,
  key: string,
  region: string,
  endpoint?: string,
): string {
  const path = key.split("/").map(encodeURIComponent).join("/");
  if (endpoint) return `${endpoint.replace(/\/+$/, "")}/${location.bucket}/${path}`;
  return `https://${location.bucket}.s3.${region}.amazonaws.com/${path}`;
}

function xmlField(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** A sink writing each message as a new object under `config.params.uri`. */
export function s3Sink(config: SinkConfig, log: SinkLog): Sink {
  validateSinkParams(config);
  const location = parseS3Uri(stringParam(config, "uri")!)!;
  const region = s3Region(config);
  const creds = s3Credentials(config);
  const endpoint = stringParam(config, "endpoint");
  const extra = stringParam(config, "extra") ?? "";
  const timeout = intParam(config, "timeout") ?? 10_000;
  const client = new AwsClient({
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    service: "s3",
    region,
  });
  const hidden = [creds.secretAccessKey, creds.sessionToken].filter((s): s is string => !!s);
  const scrub = (text: string): string =>
    hidden.reduce((t, s) => t.replaceAll(s, "<hidden>"), text);
  const from = creds.source === "config"
    ? "the sink config ('uid'/'secret')"
    : "the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";

  async function failureText(response: Response): Promise<string> {
    const body = await response.text().catch(() => "");
    const code = xmlField(body, "Code");
    const detail = [code, xmlField(body, "Message")].filter((s) => s).join(": ");
    const status = `HTTP ${response.status}${detail ? ` ${detail}` : ""}`;
    if (response.status !== 403) return scrub(status);
    return scrub(
      `access denied (${status}) for bucket '${location.bucket}' in region '${region}'` +
        ` with credentials from ${from}`,
    );
  }

  return {
    async deliver(message: string): Promise<void> {
      const facts = await bodyFacts(message);
      const key = newS3ObjectKey(location, extra);
      const url = s3ObjectUrl(location, key, region, endpoint);
      const target = `s3://${location.bucket}/${key}`;
      const response = await sendWithRetries(
        async () => {
          const request = await client.sign(url, {
            method: "PUT",
            headers: {
              "Content-Type": "application/json",
              "X-Amz-Content-Sha256": facts.sha256Hex,
            },
            body: facts.bytes,
            // Sign Content-Type too, as the AWS SDKs do.
            aws: { allHeaders: true },
          });
          return await fetch(request, {
            signal: timeout > 0 ? AbortSignal.timeout(timeout) : null,
          });
        },
        { sinkName: config.name, describe: `Put to ${target}`, failureText },
      ).catch((e: unknown) => {
        if (e instanceof Error) e.message = scrub(e.message);
        throw e;
      });
      await response.body?.cancel();
      const status = `${response.status} ${response.statusText}`.trimEnd();
      log.info(
        config.onWriteMsg ??
          `Post to: ${target}; response = ${status} (sink conf='${config.name}')`,
      );
    },
  };
}
