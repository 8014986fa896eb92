import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../../test/mocks";
import { CA_USES, Certificates, NODE_USES, nodeSubjectAltNames } from "./certificates";

const created = installMocks(pulumi);

/** The wire form of a secret value: Pulumi's secret signature key next to `value`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function secretValue(input: unknown): unknown {
  if (typeof input === "object" && input !== null && SECRET_SIG in input) return (input as unknown as { value: unknown }).value;
  throw new Error(`expected a secret, got ${JSON.stringify(input)}`);
}

function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function build(name: string, args?: ConstructorParameters<typeof Certificates>[1]) {
  const certs = new Certificates(name, args);
  const values = await resolved(pulumi.all([certs.caCertPem, certs.certPem, certs.keyPem]));
  const mine = created.filter((r) => r.name.startsWith(`${name}-`));
  const one = (type: string, suffix: string) => {
    const found = mine.find((r) => r.type === type && r.name === `${name}-${suffix}`);
    if (!found) throw new Error(`no ${type} named ${name}-${suffix}`);
    return found;
  };
  return {
    certs,
    values,
    mine,
    caKey: one("tls:index/privateKey:PrivateKey", "ca-key"),
    ca: one("tls:index/selfSignedCert:SelfSignedCert", "ca"),
    nodeKey: one("tls:index/privateKey:PrivateKey", "node-key"),
    csr: one("tls:index/certRequest:CertRequest", "node-csr"),
    node: one("tls:index/locallySignedCert:LocallySignedCert", "node"),
    component: created.find((r) => r.type === "abode:elk:Certificates" && r.name === name),
  };
}

describe("Certificates", () => {
  it("creates a private CA: its own ECDSA P-256 key, is_ca, signing uses only", async () => {
    const { caKey, ca } = await build("ca-case");
    expect(caKey.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(ca.inputs.isCaCertificate).toBe(true);
    // Private keys travel between resources as secrets.
    expect(secretValue(ca.inputs.privateKeyPem)).toBe("KEY(ca-case-ca-key)");
    expect(ca.inputs.allowedUses).toEqual(CA_USES);
    expect(ca.inputs.allowedUses).not.toContain("server_auth");
    expect(ca.inputs.validityPeriodHours).toBe(43800);
  });

  it("signs a node certificate for elasticsearch, localhost and 127.0.0.1, for server and client auth", async () => {
    const { csr, node, nodeKey } = await build("node-case", { dnsNames: ["elasticsearch", "localhost"] });
    expect(nodeKey.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(secretValue(csr.inputs.privateKeyPem)).toBe("KEY(node-case-node-key)");
    expect(csr.inputs.dnsNames).toEqual(["elasticsearch", "localhost"]);
    expect(csr.inputs.ipAddresses).toEqual(["127.0.0.1"]);
    expect(csr.inputs.subject.commonName).toBe("elasticsearch");
    // Signed by our CA, with the CA's key, not self-signed.
    expect(node.inputs.certRequestPem).toBe("CSR(node-case-node-csr)");
    expect(node.inputs.caCertPem).toBe("CERT(node-case-ca)");
    expect(secretValue(node.inputs.caPrivateKeyPem)).toBe("KEY(node-case-ca-key)");
    expect(node.inputs.allowedUses).toEqual(expect.arrayContaining(["server_auth", "client_auth", "digital_signature"]));
    expect(node.inputs.allowedUses).toEqual(NODE_USES);
    expect(node.inputs.isCaCertificate).toBeFalsy();
    expect(node.inputs.validityPeriodHours).toBe(8760);
    expect(node.inputs.earlyRenewalHours).toBe(720);
  });

  it("outputs the CA, the node certificate and the node key, the key as a secret", async () => {
    const { certs, values } = await build("outputs-case");
    expect(values).toEqual(["CERT(outputs-case-ca)", "CERT(outputs-case-node)", "KEY(outputs-case-node-key)"]);
    expect(await (certs.keyPem as any).isSecret).toBe(true);
    expect(await (certs.caCertPem as any).isSecret).toBe(false);
  });

  it("registers as abode:elk:Certificates and parents every child to itself", async () => {
    const { mine, component } = await build("parent-case");
    expect(component).toBeDefined();
    expect(mine).toHaveLength(5);
    for (const child of mine) expect(child.parent).toMatch(/abode:elk:Certificates::parent-case$/);
  });

  it("takes extra SANs for other hostnames and drops duplicates", () => {
    expect(nodeSubjectAltNames({ dnsNames: ["elasticsearch", "elasticsearch.logging.svc", "elasticsearch"] })).toEqual({
      dnsNames: ["elasticsearch", "elasticsearch.logging.svc"],
      ipAddresses: ["127.0.0.1"],
    });
    expect(() => nodeSubjectAltNames({ dnsNames: [] })).toThrow(/at least one DNS name/);
  });
});
