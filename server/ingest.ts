/**
 * `POST /report`: from request to stored rows. Checks size, chalk core headers,
 * UTF-8 and JSON, then stores what is new.
 *
 * @module
 */

import { ChalkHeaderError, checkChalkHeaders } from "./chalk_headers.ts";
import type { ChalkStore, IngestSummary } from "./store/chalk_store.ts";
import { HttpError } from "./http_error.ts";
import { parseReportBody, ReportBodyError } from "./report_body.ts";
import { readBody } from "./request_body.ts";

/**
 * Reads, verifies and stores the reports in `request`.
 *
 * @throws {HttpError} 400 (bad JSON, bad UTF-8, a header contradicting the body),
 * 413 (body over `maxBodyBytes`).
 */
export async function ingestReports(
  store: ChalkStore,
  request: Request,
  maxBodyBytes: number,
): Promise<IngestSummary> {
  const bytes = await readBody(request, maxBodyBytes);
  try {
    checkChalkHeaders(request.headers, bytes);
  } catch (e) {
    if (e instanceof ChalkHeaderError) throw new HttpError(400, e.message);
    throw e;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new HttpError(400, "body is not valid UTF-8");
  }
  let parsed;
  try {
    parsed = parseReportBody(text);
  } catch (e) {
    if (e instanceof ReportBodyError) throw new HttpError(400, e.message);
    throw e;
  }
  return await store.insertReports(parsed.reports, parsed.skipped);
}
