#!/usr/bin/env bash
# Applies a change to the tip of a branch, commits it and pushes; when the push loses a race (another
# release pushed first), starts again from the new tip instead of merging, so two changes to adjacent
# lines of the same overlay never conflict. Usage:
#   BRANCH=develop MESSAGE="..." [COMMIT_PATHS=gitops] commit-with-retry.sh <command> [args...]
# The command edits the working tree (e.g. node dist/cli/set-image.js dev backend dev-<sha12>); only
# changes under COMMIT_PATHS (default gitops) are committed, never a stray file of the job.
# No change after the command: nothing is committed (the tag was already pinned).
set -euo pipefail

: "${BRANCH:?BRANCH is required}" "${MESSAGE:?MESSAGE is required}"
readonly attempts="${ATTEMPTS:-5}" paths="${COMMIT_PATHS:-gitops}"

git config user.name "tiketi-release-bot"
git config user.email "tiketi-release-bot@users.noreply.github.com"

for attempt in $(seq 1 "$attempts"); do
  git fetch --quiet origin "+refs/heads/${BRANCH}:refs/remotes/origin/${BRANCH}"
  git checkout --quiet -B "$BRANCH" "origin/$BRANCH"
  "$@"
  if [ -z "$(git status --porcelain -- "$paths")" ]; then
    echo "commit-with-retry: nothing to commit on ${BRANCH}"
    exit 0
  fi
  git add --all -- "$paths"
  git commit --quiet --message "$MESSAGE"
  if git push --quiet origin "HEAD:refs/heads/${BRANCH}"; then
    echo "commit-with-retry: pushed $(git rev-parse --short=12 HEAD) to ${BRANCH} (attempt ${attempt})"
    exit 0
  fi
  delay=$(( attempt * 2 + RANDOM % 3 ))
  echo "commit-with-retry: ${BRANCH} moved, retrying in ${delay} s"
  sleep "$delay"
done
echo "::error::could not push to ${BRANCH} after ${attempts} attempts" >&2
exit 1
