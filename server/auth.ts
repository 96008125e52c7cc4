/**
 * Optional token authentication. With a token configured, a request must carry
 * `Authorization: Bearer <token>` (what chalk's post sink sends with a bearer
 * auth config) or HTTP Basic with the token as password (what a browser can send
 * to the dashboard).
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";

function digest(text: string): Uint8Array {
  return createHash("sha256").update(text).digest();
}

/** True when `authorization` (the header value, or `null`) presents `token`. */
export function isAuthorized(authorization: string | null, token: string): boolean {
  if (authorization === null) return false;
  const m = /^\s*(Bearer|Basic)\s+(\S+)\s*$/i.exec(authorization);
  if (m === null) return false;
  let presented = m[2];
  if (m[1].toLowerCase() === "basic") {
    let decoded: string;
    try {
      decoded = new TextDecoder().decode(Uint8Array.from(atob(presented), (c) => c.charCodeAt(0)));
    } catch {
      return false;
    }
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    presented = decoded.slice(colon + 1);
  }
  return timingSafeEqual(digest(presented), digest(token));
}
