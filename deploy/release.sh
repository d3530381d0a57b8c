#!/bin/sh
# Builds a release from a tag: ./deploy/release.sh v1.2.3 on a checkout of that tag.
# The tag is the one source of the version: it sets the pom's ${revision} (the jars, the Debian
# packages and `tether-portal version`) and the commit `version` prints. Without this script the
# build is 0.1.0-SNAPSHOT.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 vX.Y.Z" >&2
  exit 64
fi
tag=$1
version=${tag#v}
if ! printf '%s\n' "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$'; then
  echo "$tag is not vX.Y.Z" >&2
  exit 64
fi
cd "$(dirname "$0")/.."
if [ "$(git describe --tags --exact-match HEAD 2>/dev/null)" != "$tag" ]; then
  echo "HEAD is not tagged $tag: git checkout $tag first" >&2
  exit 1
fi
if [ -n "$(git status --porcelain)" ]; then
  echo "the work tree has changes: a release is built from the tag alone" >&2
  exit 1
fi
if [ ! -d "src/test/resources/upgrade/$version" ]; then
  echo "no upgrade fixture for $version: run deploy/fixtures/make-fixture.sh $version and commit it" >&2
  exit 1
fi
./mvnw -B -ntp clean verify -Drevision="$version" -Dtether.commit="$(git rev-parse --short HEAD)"
