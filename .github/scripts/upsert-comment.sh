#!/usr/bin/env bash
# Creates the pull request's comment that starts with MARKER, or updates it in place, so each push
# refreshes one comment instead of adding another. Usage: upsert-comment.sh <marker> <file>
# Needs GH_TOKEN (pull-requests: write), REPOSITORY (owner/name) and PR_NUMBER.
set -euo pipefail

readonly marker="${1:?marker}" file="${2:?file}"
: "${GH_TOKEN:?}" "${REPOSITORY:?}" "${PR_NUMBER:?}"

existing=$(gh api --paginate "repos/${REPOSITORY}/issues/${PR_NUMBER}/comments" \
  --jq ".[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\"${marker}\"))) | .id" | head -n 1)
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/${REPOSITORY}/issues/comments/${existing}" -F "body=@${file}" --jq .html_url
else
  gh api --method POST "repos/${REPOSITORY}/issues/${PR_NUMBER}/comments" -F "body=@${file}" --jq .html_url
fi
