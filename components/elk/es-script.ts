/**
 * The part every Elasticsearch admin script shares, as bash: `quoted` (a string valid as JSON
 * and in a curl config), `es METHOD PATH` (stdin as the JSON body, as the `elastic` user, whose
 * password reaches curl through a /dev/fd pipe — never argv, never a file — failing unless 2xx),
 * and a wait until Elasticsearch accepts the `elastic` user (WAIT_SECONDS must be set before).
 * Needs ELASTICSEARCH_URL, CA_CERT and ELASTIC_PASSWORD in the environment. Pure.
 */
export function renderEsClientFunctions(options: { requestTimeoutSeconds: number; retryIntervalSeconds?: number }): string {
  return `# A double-quoted string, valid both as JSON and in a curl config file.
quoted() {
  local s=$1
  s=\${s//\\\\/\\\\\\\\}
  s=\${s//\\"/\\\\\\"}
  s=\${s//$'\\n'/\\\\n}
  s=\${s//$'\\r'/\\\\r}
  s=\${s//$'\\t'/\\\\t}
  printf '"%s"' "$s"
}

# es METHOD PATH: sends stdin as the JSON body as the elastic user, prints the response, and
# fails (showing Elasticsearch's answer, which never echoes a password) unless it is a 2xx.
es() {
  local response status
  response=$(curl --silent --show-error --max-time ${options.requestTimeoutSeconds} \\
    --cacert "$CA_CERT" \\
    --config <(printf 'user = %s\\n' "$(quoted "elastic:$ELASTIC_PASSWORD")") \\
    --request "$1" --header 'Content-Type: application/json' --data-binary @- \\
    --write-out '\\n%{http_code}' \\
    "$ELASTICSEARCH_URL$2") || return 1
  status=\${response##*$'\\n'}
  response=\${response%$'\\n'*}
  if [[ $status != 2?? ]]; then
    echo "$1 $2 answered HTTP $status: $response" >&2
    return 1
  fi
  printf '%s\\n' "$response"
}

echo "Waiting for Elasticsearch at $ELASTICSEARCH_URL to accept the elastic user"
deadline=$((SECONDS + WAIT_SECONDS))
until es GET /_security/_authenticate </dev/null >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    echo "Elasticsearch did not accept the elastic user within \${WAIT_SECONDS}s; last attempt:" >&2
    es GET /_security/_authenticate </dev/null >/dev/null || true
    exit 1
  fi
  sleep ${options.retryIntervalSeconds ?? 5}
done
`;
}
