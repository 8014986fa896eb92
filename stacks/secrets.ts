import * as random from "@pulumi/random";

/**
 * Credentials nobody needs to choose, generated once per stack and kept in its state as
 * secrets. There is no default password anywhere: each of these is random.
 */
export interface GeneratedSecrets {
  grafanaAdminPassword: random.RandomPassword;
  elasticPassword: random.RandomPassword;
  kibanaSystemPassword: random.RandomPassword;
  logstashWriterPassword: random.RandomPassword;
  /** Grafana's read-only Elasticsearch user (logs only). */
  grafanaReaderPassword: random.RandomPassword;
  /** Kibana's saved-object, session and reporting encryption key (32+ characters). */
  kibanaEncryptionKey: random.RandomPassword;
}

export function generateSecrets(): GeneratedSecrets {
  // Alphanumeric: these go into URLs, YAML and shell environments without quoting trouble.
  const password = (name: string, length = 32) => new random.RandomPassword(name, { length, special: false });
  return {
    grafanaAdminPassword: password("grafana-admin-password"),
    elasticPassword: password("elastic-password"),
    kibanaSystemPassword: password("kibana-system-password"),
    logstashWriterPassword: password("logstash-writer-password"),
    grafanaReaderPassword: password("grafana-reader-password"),
    kibanaEncryptionKey: password("kibana-encryption-key", 48),
  };
}
