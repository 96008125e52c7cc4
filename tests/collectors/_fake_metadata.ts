/**
 * Fake cloud metadata services on loopback for the cloud collector tests: AWS IMDSv2
 * (a token from `PUT /latest/api/token`, required on every `GET`), GCP
 * (`Metadata-Flavor: Google` both ways) and Azure (`Metadata: true`). Each request is
 * recorded, so the tests can check the token flow. Documents are made up for the tests.
 */

/** One request the fake saw. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Headers;
}

/** Which clouds the fake plays, and how. */
export interface FakeOptions {
  aws?: "ok" | "forbidden";
  gcp?: boolean;
  azure?: boolean;
  /** Serve the ECS task metadata endpoint under /ecs. */
  ecs?: boolean;
  /** Accept connections but never answer (a black hole). */
  silent?: boolean;
}

/** A running fake. */
export interface FakeMetadata {
  /** `127.0.0.1:PORT`, for `cloud_provider.metadata_ip`. */
  address: string;
  seen: SeenRequest[];
  /** The IMDSv2 token the fake hands out. */
  token: string;
  close(): Promise<void>;
}

/** The AWS answers, by path under /latest/. */
export const AWS_DOCS: Record<string, string> = {
  "meta-data/ami-id": "ami-0fake0000000000001",
  "meta-data/instance-id": "i-0fake00000000001",
  "meta-data/instance-type": "m7g.large",
  "meta-data/hostname": "ip-10-1-2-3.eu-west-3.compute.internal",
  "meta-data/local-ipv4": "10.1.2.3",
  "meta-data/public-ipv4": "198.51.100.7",
  "meta-data/placement/region": "eu-west-3",
  "meta-data/placement/availability-zone": "eu-west-3a",
  "meta-data/mac": "0a:00:00:00:00:01",
  "meta-data/security-groups": "web\nssh",
  "meta-data/network/interfaces/macs/0a:00:00:00:00:01/vpc-id": "vpc-0fake",
  "meta-data/network/interfaces/macs/0a:00:00:00:00:01/subnet-id": "subnet-0fake",
  "meta-data/network/interfaces/macs/0a:00:00:00:00:01/security-group-ids": "sg-1\nsg-2",
  "meta-data/tags/instance": "Name\nTeam",
  "meta-data/tags/instance/Name": "builder",
  "meta-data/tags/instance/Team": "platform",
  "meta-data/iam/info": JSON.stringify({ Code: "Success", InstanceProfileId: "AIPAFAKE" }),
  "meta-data/identity-credentials/ec2/security-credentials/ec2-instance": JSON.stringify({
    Code: "Success",
    AccessKeyId: "ASIAFAKE",
    SecretAccessKey: "very-secret",
    Token: "also-secret",
  }),
  "dynamic/instance-identity/document": JSON.stringify({
    accountId: "210987654321",
    architecture: "arm64",
    imageId: "ami-0fake0000000000001",
    instanceId: "i-0fake00000000001",
    instanceType: "m7g.large",
    region: "eu-west-3",
    version: "2017-09-30",
  }),
};

/** The GCP instance document. */
export const GCP_INSTANCE = {
  id: 4242424242,
  image: "projects/debian-cloud/global/images/debian-12-bookworm-v20240101",
  machineType: "projects/1234/machineTypes/e2-small",
  zone: "projects/1234/zones/europe-west1-b",
  tags: ["http-server"],
  serviceAccounts: { default: { email: "1234-compute@developer.gserviceaccount.com" } },
  networkInterfaces: [{ accessConfigs: [{ externalIp: "203.0.113.9", type: "ONE_TO_ONE_NAT" }] }],
};

/** The Azure instance document. */
export const AZURE_INSTANCE = {
  compute: {
    location: "westeurope",
    vmSize: "Standard_B2s",
    subscriptionId: "00000000-0000-0000-0000-00000000beef",
    tagsList: [{ name: "env", value: "ci" }],
    storageProfile: { imageReference: { offer: "debian-12", sku: "12-gen2" } },
  },
  network: {
    interface: [{
      ipv4: { ipAddress: [{ privateIpAddress: "10.0.0.4", publicIpAddress: "192.0.2.44" }] },
    }],
  },
};

/** The ECS task metadata documents, by path under /ecs. */
export const ECS_DOCS: Record<string, unknown> = {
  "": {
    DockerId: "c0ffee",
    Name: "app",
    ContainerARN: "arn:aws:ecs:ap-south-1:123456789012:container/default/abc/def",
    Image: "123456789012.dkr.ecr.ap-south-1.amazonaws.com/app:1",
  },
  "/task": { Cluster: "default", TaskARN: "arn:aws:ecs:ap-south-1:123456789012:task/default/abc" },
  "/task/stats": { c0ffee: { cpu_stats: {} } },
};

function text(body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { headers: { "content-type": "text/plain", ...headers } });
}

/** Starts a fake on a free loopback port. */
export function startFakeMetadata(options: FakeOptions): FakeMetadata {
  const seen: SeenRequest[] = [];
  const token = `tok-${crypto.randomUUID()}`;
  const stalls: ((r: Response) => void)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    const path = url.pathname + url.search;
    seen.push({ method: req.method, path, headers: req.headers });
    if (options.silent) return new Promise<Response>((resolve) => stalls.push(resolve));
    if (url.pathname.startsWith("/latest/") && options.aws) {
      if (url.pathname === "/latest/api/token") {
        if (req.method !== "PUT") return new Response("", { status: 405 });
        if (options.aws === "forbidden") return new Response("", { status: 403 });
        if (!req.headers.get("x-aws-ec2-metadata-token-ttl-seconds")) {
          return new Response("", { status: 400 });
        }
        return text(token);
      }
      if (req.headers.get("x-aws-ec2-metadata-token") !== token) {
        return new Response("", { status: 401 });
      }
      const doc = AWS_DOCS[url.pathname.slice("/latest/".length)];
      return doc === undefined ? new Response("not found", { status: 404 }) : text(doc);
    }
    if (url.pathname.startsWith("/computeMetadata/") && options.gcp) {
      if (req.headers.get("metadata-flavor") !== "Google") return new Response("", { status: 403 });
      const g = { "Metadata-Flavor": "Google" };
      if (url.pathname === "/computeMetadata/v1/instance/") {
        return text(JSON.stringify(GCP_INSTANCE), g);
      }
      if (url.pathname === "/computeMetadata/v1/project/") {
        return text(JSON.stringify({ projectId: "fake-project", numericProjectId: 1234 }), g);
      }
      return text("instance/\nproject/\n", g);
    }
    if (url.pathname.startsWith("/ecs") && options.ecs) {
      const doc = ECS_DOCS[url.pathname.slice("/ecs".length)];
      return doc === undefined ? new Response("", { status: 404 }) : text(JSON.stringify(doc));
    }
    if (url.pathname === "/metadata/instance" && options.azure) {
      if (req.headers.get("metadata") !== "true") return new Response("", { status: 400 });
      return text(JSON.stringify(AZURE_INSTANCE), { "content-type": "application/json" });
    }
    return new Response("not found", { status: 404 });
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    address: `127.0.0.1:${port}`,
    seen,
    token,
    close: async () => {
      for (const resolve of stalls) resolve(new Response("late"));
      await server.shutdown();
    },
  };
}
