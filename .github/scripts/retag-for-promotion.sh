#!/usr/bin/env bash
# Before a promotion is committed, gives every promoted image its release tag in ECR: the SAME manifest
# (batch-get-image, then put-image with that manifest and its media type), so rel-<sha12> names exactly
# the digest that was tested as dev-<sha12>. Then checks every target tag exists, so Argo CD never sees a
# missing tag. Input: the one-line JSON of `npm run promote -- <from> <to> --plan` on standard input.
set -euo pipefail

readonly accepted='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
plan=$(cat)

digest_of() { # repository tag -> digest, or empty when the tag does not exist
  aws ecr describe-images --repository-name "$1" --image-ids "imageTag=$2" --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true
}

while IFS=$'\t' read -r repository source target retag; do
  if [ "$retag" = "true" ]; then
    source_digest=$(digest_of "$repository" "$source")
    if [ -z "$source_digest" ] || [ "$source_digest" = "None" ]; then
      echo "::error::${repository}:${source} does not exist in ECR: nothing to promote" >&2
      exit 1
    fi
    target_digest=$(digest_of "$repository" "$target")
    if [ -n "$target_digest" ] && [ "$target_digest" != "None" ]; then
      if [ "$target_digest" != "$source_digest" ]; then
        echo "::error::${repository}:${target} exists with digest ${target_digest}, not ${source_digest} (${source})" >&2
        exit 1
      fi
      echo "retag: ${repository}:${target} already names ${source_digest}"
      continue
    fi
    image=$(aws ecr batch-get-image --repository-name "$repository" --image-ids "imageTag=${source}" \
      --accepted-media-types "$accepted" --output json)
    manifest=$(jq -r '.images[0].imageManifest' <<<"$image")
    media_type=$(jq -r '.images[0].imageManifestMediaType' <<<"$image")
    aws ecr put-image --repository-name "$repository" --image-tag "$target" \
      --image-manifest "$manifest" --image-manifest-media-type "$media_type" --query 'image.imageId.imageDigest' --output text
    echo "retag: ${repository}:${source} -> ${target} (${source_digest})"
  fi
  final=$(digest_of "$repository" "$target")
  if [ -z "$final" ] || [ "$final" = "None" ]; then
    echo "::error::${repository}:${target} does not exist in ECR" >&2
    exit 1
  fi
done < <(jq -r '.images[] | [.repository, .sourceTag, .targetTag, (.retag | tostring)] | @tsv' <<<"$plan")
echo "retag: every target tag exists"
