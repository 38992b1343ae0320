#!/usr/bin/env bash
# Every image tag an overlay pins must exist in ECR before the overlay reaches its branch, or Argo CD
# would sync a tag it cannot pull. The never-released placeholder (*-000000000000) is reported, not
# failed: nothing can run before the first release anyway (docs/delivery.md). Usage: check-image-tags.sh <env>
set -euo pipefail

readonly env="${1:?usage: check-image-tags.sh <env>}"
# shellcheck disable=SC2016 # JavaScript, not shell
readonly list_images='
  const { parse } = require("yaml");
  const k = parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const i of k.images ?? []) console.log(`${i.name}\t${i.newTag}`);
'
missing=0
while IFS=$'\t' read -r repository tag; do
  if [[ "$tag" == *-000000000000 ]]; then
    echo "::warning::${repository} in ${env} is the never-released placeholder ${tag}"
    continue
  fi
  if aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=${tag}" --output text --query 'imageDetails[0].imageDigest' >/dev/null 2>&1; then
    echo "check-image-tags: ${repository}:${tag} exists"
  else
    echo "::error::${repository}:${tag} is not in ECR: release it (service-release) or promote it with the promote workflow, which retags before it commits"
    missing=$((missing + 1))
  fi
done < <(node -e "$list_images" "gitops/overlays/${env}/kustomization.yaml")
exit "$missing"
