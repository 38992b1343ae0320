#!/usr/bin/env bash
# Installs the AWS Session Manager plugin (the `aws ssm start-session` port forward into the private
# cluster API needs it) from Amazon's .deb, pinned by version and SHA-256. To upgrade, change both.
set -euo pipefail

readonly version=1.2.835.0
readonly sha256=7c6dcad12518571cc7959a713e6a8ae1bdf6ed66fd9bee37dc189e39ca58ae03
readonly deb="${RUNNER_TEMP:-/tmp}/session-manager-plugin.deb"

curl --fail --silent --show-error --location --max-time 120 \
  "https://s3.amazonaws.com/session-manager-downloads/plugin/${version}/ubuntu_64bit/session-manager-plugin.deb" \
  --output "$deb"
printf '%s  %s\n' "$sha256" "$deb" | sha256sum --check --strict
sudo dpkg --install "$deb"
session-manager-plugin --version
