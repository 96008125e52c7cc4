/**
 * Self-signed TLS certificates for the tests, made by `openssl req -x509` at
 * test time: for 127.0.0.1 and localhost, with `CA:FALSE`, or, as openssl
 * makes one by default, `CA:TRUE`.
 */
import { join } from "node:path";

/** A certificate and its key, as PEM text and as files in the folder given. */
export interface TestCert {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** Makes a certificate in `dir` (`ca`: leave openssl's default `CA:TRUE`). */
export async function selfSignedCert(dir: string, ca = false): Promise<TestCert> {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const { code, stderr } = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      ...(ca ? [] : ["-addext", "basicConstraints=critical,CA:FALSE"]),
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`openssl req -x509: ${new TextDecoder().decode(stderr)}`);
  return {
    cert: await Deno.readTextFile(certFile),
    key: await Deno.readTextFile(keyFile),
    certFile,
    keyFile,
  };
}
