#!/usr/bin/env bash
# Sourced by .ci/run. The delivery tests lint .github/scripts/*.sh with shellcheck when it is installed;
# in CI it must be, so install it from the distribution where apt-get exists (Debian/Ubuntu runners), and
# export TIKETI_REQUIRE_SHELLCHECK=1 once it is there: the tests then fail, instead of skipping, without it.
# Uses shell builtins only besides apt-get, sudo and shellcheck (its test runs it with a PATH of stand-ins).
set -euo pipefail

ensure_shellcheck() {
  if ! command -v shellcheck >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    local -a as_root=()
    if [ "${EUID}" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
        echo "WARNING: shellcheck is missing and apt-get needs root (no sudo): the scripts get bash -n only" >&2
        return 0
      fi
    fi
    echo "installing shellcheck with apt-get"
    # A fresh image may have no package lists yet: update once when the first try fails.
    "${as_root[@]}" apt-get install -y --no-install-recommends shellcheck >/dev/null 2>&1 ||
      { "${as_root[@]}" apt-get update >/dev/null 2>&1 && "${as_root[@]}" apt-get install -y --no-install-recommends shellcheck >/dev/null 2>&1; } ||
      echo "WARNING: apt-get could not install shellcheck" >&2
  fi
  if command -v shellcheck >/dev/null 2>&1; then
    export TIKETI_REQUIRE_SHELLCHECK=1
    echo "shellcheck at $(command -v shellcheck): the script lint is required"
  else
    echo "WARNING: shellcheck is not installed (and apt-get is not available to install it): .github/scripts/*.sh are checked with bash -n only" >&2
  fi
}
