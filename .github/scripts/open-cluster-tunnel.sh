#!/usr/bin/env bash
# Opens the way into the environment's private EKS API (docs/platform-contracts.md): an SSM Session Manager
# port forward through the instance tagged tiketi:role=api-access and Environment=<env>, to the cluster
# endpoint on 443. The kubernetes and helm providers then reach https://127.0.0.1:<port>, checking the
# certificate against the endpoint's own name (TIKETI_K8S_HOST, TIKETI_K8S_TLS_SERVER_NAME).
# Needs: AWS credentials allowed ssm:StartSession on that instance and the document below;
# the session-manager-plugin (install-session-manager-plugin.sh). Usage: open-cluster-tunnel.sh <env>
set -euo pipefail

readonly env="${1:?usage: open-cluster-tunnel.sh <env>}"
readonly port="${TIKETI_TUNNEL_PORT:-8443}"
readonly log="${RUNNER_TEMP:-/tmp}/cluster-tunnel.log"

instance=$(aws ec2 describe-instances \
  --filters "Name=tag:tiketi:role,Values=api-access" "Name=tag:Environment,Values=${env}" "Name=instance-state-name,Values=running" \
  --query 'Reservations[].Instances[].InstanceId' --output text)
if [ -z "$instance" ] || [ "$(wc -w <<<"$instance")" -ne 1 ]; then
  echo "::error::expected one running instance tagged tiketi:role=api-access, Environment=${env}; found: ${instance:-none}" >&2
  exit 1
fi
endpoint=$(aws eks describe-cluster --name "tiketi-${env}" --query cluster.endpoint --output text)
host="${endpoint#https://}"

aws ssm start-session --target "$instance" \
  --document-name AWS-StartPortForwardingSessionToRemoteHost \
  --parameters "$(printf '{"host":["%s"],"portNumber":["443"],"localPortNumber":["%s"]}' "$host" "$port")" >"$log" 2>&1 &
echo "tunnel: session to ${instance} (pid $!), ${host}:443 on 127.0.0.1:${port}"

for _ in $(seq 1 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    {
      echo "TIKETI_K8S_HOST=https://127.0.0.1:${port}"
      echo "TIKETI_K8S_TLS_SERVER_NAME=${host}"
    } >> "${GITHUB_ENV:-/dev/null}"
    echo "tunnel: open"
    exit 0
  fi
  sleep 1
done
echo "::error::the port forward did not open within 60 s" >&2
cat "$log" >&2
exit 1
