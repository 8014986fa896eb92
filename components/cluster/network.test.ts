import * as pulumi from "@pulumi/pulumi";
import { installMocks, MOCK_REGION, resolved, settle } from "../../test/mocks";
import { Network, formatCidr, parseCidr, subnetPlan } from "./network";

const captured = installMocks(pulumi, "prod");

function range(cidr: string): [number, number] {
  const { base, prefix } = parseCidr(cidr);
  return [base, base + 2 ** (32 - prefix) - 1];
}

describe("parseCidr / formatCidr", () => {
  test.each([
    ["10.40.0.0/16", 10 * 2 ** 24 + 40 * 2 ** 16, 16],
    ["192.168.1.0/24", 192 * 2 ** 24 + 168 * 2 ** 16 + 256, 24],
    ["255.255.255.240/28", 2 ** 32 - 16, 28],
  ])("%s", (cidr, base, prefix) => {
    expect(parseCidr(cidr)).toEqual({ base, prefix });
    expect(formatCidr(base, prefix)).toBe(cidr);
  });

  test.each([["10.40.1.0/16", /host bits set; did you mean 10.40.0.0\/16/], ["10.300.0.0/16", /not an IPv4/], ["10.0.0.0", /not an IPv4/], ["10.0.0.0/33", /not an IPv4/]])(
    "rejects %s",
    (cidr, message) => expect(() => parseCidr(cidr)).toThrow(message),
  );
});

describe("subnetPlan", () => {
  test.each([
    [
      "10.40.0.0/16",
      3,
      { private: ["10.40.0.0/18", "10.40.64.0/18", "10.40.128.0/18"], public: ["10.40.192.0/22", "10.40.196.0/22", "10.40.200.0/22"] },
    ],
    [
      "10.0.0.0/16",
      6,
      {
        private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19", "10.0.96.0/19", "10.0.128.0/19", "10.0.160.0/19"],
        public: ["10.0.192.0/23", "10.0.194.0/23", "10.0.196.0/23", "10.0.198.0/23", "10.0.200.0/23", "10.0.202.0/23"],
      },
    ],
    ["172.16.0.0/20", 2, { private: ["172.16.0.0/22", "172.16.4.0/22"], public: ["172.16.8.0/26", "172.16.8.64/26"] }],
    ["10.1.2.0/24", 3, { private: ["10.1.2.0/26", "10.1.2.64/26", "10.1.2.128/26"], public: ["10.1.2.192/28", "10.1.2.208/28", "10.1.2.224/28"] }],
    ["10.9.0.0/16", 1, { private: ["10.9.0.0/17"], public: ["10.9.128.0/21"] }],
  ])("%s over %i AZs", (cidr, azs, expected) => {
    expect(subnetPlan(cidr, azs)).toEqual(expected);
  });

  test.each([
    ["10.0.0.0/26", 3, /too small for 3 AZs/],
    ["10.0.0.0/24", 6, /too small for 6 AZs/],
    ["10.0.0.0/8", 3, /an AWS VPC is \/16 to \/28/],
    ["10.0.0.0/16", 0, /azCount must be a positive integer/],
    ["10.0.0.0/16", 2.5, /azCount must be a positive integer/],
  ])("rejects %s over %s AZs", (cidr, azs, message) => {
    expect(() => subnetPlan(cidr, azs)).toThrow(message);
  });

  // Property-style checks over random VPCs (fast-check is not a root dependency): a seeded
  // generator, so a failure names a reproducible case.
  function mulberry32(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const random = mulberry32(20240611);
  const cases = Array.from({ length: 300 }, () => {
    const prefix = 16 + Math.floor(random() * 7); // /16../22: room for 6 AZs
    const size = 2 ** (32 - prefix);
    const base = Math.floor((random() * 2 ** 32) / size) * size;
    return { cidr: formatCidr(base, prefix), azs: 1 + Math.floor(random() * 6) };
  });

  test("every subnet is aligned, inside the VPC, disjoint from the others; private ones larger; one of each per AZ", () => {
    for (const { cidr, azs } of cases) {
      const plan = subnetPlan(cidr, azs);
      const [vpcStart, vpcEnd] = range(cidr);
      expect({ cidr, azs, private: plan.private.length, public: plan.public.length }).toEqual({ cidr, azs, private: azs, public: azs });
      const all = [...plan.private, ...plan.public].map((s) => ({ s, r: range(s) }));
      for (const { s, r } of all) {
        expect(formatCidr(parseCidr(s).base, parseCidr(s).prefix)).toBe(s); // aligned (parse would throw otherwise)
        if (r[0] < vpcStart || r[1] > vpcEnd) throw new Error(`${s} is outside ${cidr}`);
      }
      const sorted = [...all].sort((a, b) => a.r[0] - b.r[0]);
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i]!.r[0] <= sorted[i - 1]!.r[1]) throw new Error(`${sorted[i - 1]!.s} and ${sorted[i]!.s} overlap (VPC ${cidr}, ${azs} AZs)`);
      }
      const privateSize = 2 ** (32 - parseCidr(plan.private[0]!).prefix);
      const publicSize = 2 ** (32 - parseCidr(plan.public[0]!).prefix);
      expect(privateSize).toBeGreaterThanOrEqual(publicSize * 4);
      expect(parseCidr(plan.public[0]!).prefix).toBeLessThanOrEqual(28);
    }
  });

  test("small VPCs either get a valid plan or are refused as too small, and a wider VPC never fails where a narrower one fits", () => {
    for (let i = 0; i < 300; i++) {
      const prefix = 22 + Math.floor(random() * 7); // /22../28
      const size = 2 ** (32 - prefix);
      const base = Math.floor((random() * 2 ** 32) / size) * size;
      const cidr = formatCidr(base, prefix);
      const azs = 1 + Math.floor(random() * 6);
      let plan;
      try {
        plan = subnetPlan(cidr, azs);
      } catch (e) {
        expect((e as Error).message).toMatch(/too small/);
        continue;
      }
      for (const s of [...plan.private, ...plan.public]) {
        const [start, end] = range(s);
        if (start < base || end > base + size - 1) throw new Error(`${s} is outside ${cidr}`);
        expect(parseCidr(s).prefix).toBeLessThanOrEqual(28);
      }
      const wider = formatCidr(base - (base % (size * 2)), prefix - 1);
      expect(() => subnetPlan(wider, azs)).not.toThrow();
    }
  });

  test("private subnets take at least half the VPC, and do not move when the public ones change", () => {
    for (const { cidr, azs } of cases) {
      const plan = subnetPlan(cidr, azs);
      const vpcSize = 2 ** (32 - parseCidr(cidr).prefix);
      const privateTotal = plan.private.reduce((sum, s) => sum + 2 ** (32 - parseCidr(s).prefix), 0);
      expect(privateTotal * 2).toBeGreaterThanOrEqual(vpcSize);
      expect(subnetPlan(cidr, azs)).toEqual(plan); // deterministic
    }
  });
});

describe("Network under mocks", () => {
  const network = new Network("prod-net", { vpcCidr: "10.40.0.0/16", availabilityZones: 3, clusterName: "abode-prod", tags: { env: "prod" } });
  const mine = (type: string) => captured.filter((r) => r.type === type && r.name.startsWith("prod-net"));

  beforeAll(async () => {
    await resolved(pulumi.all([network.vpcId, network.publicSubnetIds, network.privateSubnetIds]));
    await settle();
  });

  test("a VPC with DNS support and hostnames on the configured block", () => {
    const [vpc] = mine("aws:ec2/vpc:Vpc");
    expect(vpc!.inputs).toMatchObject({ cidrBlock: "10.40.0.0/16", enableDnsSupport: true, enableDnsHostnames: true, tags: { env: "prod" } });
  });

  test("the default security group allows nothing", () => {
    const [sg] = mine("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sg!.inputs.ingress ?? []).toEqual([]);
    expect(sg!.inputs.egress ?? []).toEqual([]);
  });

  test("public subnets: planned blocks, one per AZ, no public IPs on launch, tagged for internet-facing load balancers", () => {
    const subnets = mine("aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-public-"));
    expect(subnets.map((s) => s.inputs.cidrBlock)).toEqual(network.plan.public);
    expect(subnets.map((s) => s.inputs.availabilityZone)).toEqual(["a", "b", "c"].map((z) => `${MOCK_REGION}${z}`));
    for (const s of subnets) {
      expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
      expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/abode-prod": "shared" });
      expect(s.inputs.tags["kubernetes.io/role/internal-elb"]).toBeUndefined();
    }
  });

  test("private subnets: the large blocks, tagged for internal load balancers", () => {
    const subnets = mine("aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-private-"));
    expect(subnets.map((s) => s.inputs.cidrBlock)).toEqual(["10.40.0.0/18", "10.40.64.0/18", "10.40.128.0/18"]);
    for (const s of subnets) {
      expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
      expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1" });
      expect(s.inputs.tags["kubernetes.io/role/elb"]).toBeUndefined();
    }
  });

  test("one NAT gateway with its own Elastic IP per AZ, each in that AZ's public subnet", () => {
    const nats = mine("aws:ec2/natGateway:NatGateway");
    const eips = mine("aws:ec2/eip:Eip");
    expect(nats).toHaveLength(3);
    expect(eips).toHaveLength(3);
    expect(eips.every((e) => e.inputs.domain === "vpc")).toBe(true);
    expect(nats.map((n) => n.inputs.subnetId)).toEqual([0, 1, 2].map((i) => `prod-net-public-${i}-id`));
    expect(nats.map((n) => n.inputs.allocationId)).toEqual([0, 1, 2].map((i) => `prod-net-nat-${i}-id`));
  });

  test("public subnets route to the internet gateway; each private subnet to its own AZ's NAT", () => {
    const routes = mine("aws:ec2/route:Route");
    const publicRoute = routes.find((r) => r.name === "prod-net-public-default")!;
    expect(publicRoute.inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0", gatewayId: "prod-net-igw-id", routeTableId: "prod-net-public-rt-id" });
    for (const i of [0, 1, 2]) {
      const route = routes.find((r) => r.name === `prod-net-private-default-${i}`)!;
      expect(route.inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0", natGatewayId: `prod-net-nat-${i}-id`, routeTableId: `prod-net-private-rt-${i}-id` });
    }
    const associations = mine("aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => [a.inputs.subnetId, a.inputs.routeTableId]);
    expect(associations).toEqual(
      expect.arrayContaining([
        ["prod-net-public-0-id", "prod-net-public-rt-id"],
        ["prod-net-public-2-id", "prod-net-public-rt-id"],
        ["prod-net-private-0-id", "prod-net-private-rt-0-id"],
        ["prod-net-private-2-id", "prod-net-private-rt-2-id"],
      ]),
    );
    expect(associations).toHaveLength(6);
  });

  test("outputs the VPC and subnet ids, children parented to the component", async () => {
    expect(await resolved(network.vpcId)).toBe("prod-net-vpc-id");
    expect(await resolved(network.privateSubnetIds)).toEqual([0, 1, 2].map((i) => `prod-net-private-${i}-id`));
    expect(await resolved(network.publicSubnetIds)).toEqual([0, 1, 2].map((i) => `prod-net-public-${i}-id`));
    const children = captured.filter((r) => r.custom && r.name.startsWith("prod-net"));
    expect(children.every((r) => r.parent.endsWith("abode:cluster:Network::prod-net"))).toBe(true);
  });

  test("a bad VPC block fails before any resource is declared", () => {
    expect(() => new Network("bad-net", { vpcCidr: "10.0.0.0/27", availabilityZones: 3 })).toThrow(/too small/);
  });
});
