#!/usr/bin/env bash
# Renders every kustomization of gitops/overlays/ and gitops/argocd/ with `kubectl kustomize` at the pull
# request's head (any failure fails the check) and, when gitops/ changed, at its base too, and writes the
# rendered diff per folder as Markdown for the pull request comment. Usage:
#   BASE_SHA=<sha> gitops-diff.sh <output.md>   (run from the repository root of the head checkout)
set -euo pipefail

readonly out="${1:?output file}" marker='<!-- tiketi-gitops-diff -->'
: "${BASE_SHA:?BASE_SHA is required}"
work="${RUNNER_TEMP:-/tmp}/gitops-diff"
rm -rf "$work" && mkdir -p "$work/head" "$work/base"

folders() { find gitops/overlays gitops/argocd -name kustomization.yaml -not -path '*/sealed-secrets/*' -printf '%h\n' | sort; }
render() { # <tree root> <folder> <output>
  (cd "$1" && kubectl kustomize "$2") >"$3"
}

mapfile -t dirs < <(folders)
for dir in "${dirs[@]}"; do
  render . "$dir" "$work/head/${dir//\//_}.yaml"
done
echo "gitops-diff: ${#dirs[@]} folders render at the head"

if git diff --quiet "$BASE_SHA" HEAD -- gitops; then
  echo "gitops-diff: gitops/ unchanged"
  : >"$out"
  exit 0
fi

git worktree add --quiet --detach "$work/tree" "$BASE_SHA"
trap 'git worktree remove --force "$work/tree"' EXIT
{
  echo "$marker"
  echo "## Rendered \`kubectl kustomize\` diff"
  echo
} >"$out"
changed=0
for dir in "${dirs[@]}"; do
  name="${dir//\//_}.yaml"
  if [ -d "$work/tree/$dir" ]; then render "$work/tree" "$dir" "$work/base/$name" || : >"$work/base/$name"; else : >"$work/base/$name"; fi
  if ! diff -u --label "base/$dir" --label "head/$dir" "$work/base/$name" "$work/head/$name" >"$work/$name.diff"; then
    changed=$((changed + 1))
    {
      echo "<details><summary><code>${dir}</code>: $(grep -c '^[-+][^-+]' "$work/$name.diff" || true) lines changed</summary>"
      echo
      echo '```diff'
      head -c 20000 "$work/$name.diff"
      echo '```'
      echo '</details>'
    } >>"$out"
  fi
done
[ "$changed" -eq 0 ] && echo "gitops/ changed, but no rendered output did." >>"$out"
head -c 60000 "$out" >"$out.cut" && mv "$out.cut" "$out"
echo "gitops-diff: ${changed} folders render differently"
