#!/usr/bin/env bash
# Installs kubectl (kustomize v5.5 inside), pinned by version and SHA-256, the same release the tests use,
# so a pull request's rendered diff is what `kubectl kustomize` prints on the developers' machines.
set -euo pipefail

readonly version=v1.32.4
readonly sha256=10d739e9af8a59c9e7a730a2445916e04bc9cbb44bc79d22ce460cd329fa076c
readonly bin="${RUNNER_TEMP:-/tmp}/kubectl-bin"

mkdir -p "$bin"
curl --fail --silent --show-error --location --max-time 120 \
  "https://dl.k8s.io/release/${version}/bin/linux/amd64/kubectl" --output "$bin/kubectl"
printf '%s  %s\n' "$sha256" "$bin/kubectl" | sha256sum --check --strict
chmod 0755 "$bin/kubectl"
echo "$bin" >> "$GITHUB_PATH"
"$bin/kubectl" version --client
