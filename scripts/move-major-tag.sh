#!/usr/bin/env bash
# Points the major tag users refer to (`uses: owner/repo@v1`) at a release tag, and pushes it.
#
#   scripts/move-major-tag.sh v1.2.3              moves v1 to v1.2.3 and pushes v1 to origin
#   scripts/move-major-tag.sh --no-push v1.2.3    moves v1 locally only
#   scripts/move-major-tag.sh --remote upstream v1.2.3
#   scripts/move-major-tag.sh --force v1.2.3      also when that moves v1 backwards (a rollback)
#
# Refuses anything but a plain release vX.Y.Z (no pre-releases), a release tag that does not exist, and, without
# --force, a move that would take v1 to an older commit or past a newer v1.x.y release.
set -euo pipefail

usage() {
  echo "usage: $0 [--no-push] [--remote NAME] [--force] vMAJOR.MINOR.PATCH" >&2
  exit 2
}

remote=origin
push=true
force=false
release=''
while [ $# -gt 0 ]; do
  case "$1" in
    --no-push) push=false ;;
    --force) force=true ;;
    --remote)
      [ $# -ge 2 ] || usage
      remote=$2
      shift
      ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
      [ -z "$release" ] || usage
      release=$1
      ;;
  esac
  shift
done
[ -n "$release" ] || usage

if ! [[ "$release" =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]]; then
  echo "error: '$release' is not a release tag of the form vMAJOR.MINOR.PATCH (pre-releases never move a major tag)" >&2
  exit 1
fi
major="v${BASH_REMATCH[1]}"

if ! target=$(git rev-parse --verify --quiet "refs/tags/${release}^{commit}"); then
  echo "error: tag $release does not exist here; create it (git tag -a $release -m $release) or fetch tags first" >&2
  exit 1
fi

if [ "$force" = false ]; then
  if current=$(git rev-parse --verify --quiet "refs/tags/${major}^{commit}"); then
    if ! git merge-base --is-ancestor "$current" "$target"; then
      echo "error: $release ($target) does not descend from the commit $major points at ($current); use --force to move $major back" >&2
      exit 1
    fi
  fi
  newest=$(git tag --list "${major}.*" | grep -E "^${major}\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1)
  if [ "$newest" != "$release" ]; then
    echo "error: $newest is newer than $release; use --force to point $major at an older release" >&2
    exit 1
  fi
fi

git tag --force --annotate "$major" --message "$major: $release" "$target" >/dev/null
echo "$major -> $release ($target)"

if [ "$push" = true ]; then
  git push --force "$remote" "refs/tags/${major}"
fi
