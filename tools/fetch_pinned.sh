#!/usr/bin/env bash
# Downloads URL to DEST unless DEST already holds it, and refuses a file whose SHA-256 is not the one
# pinned: the one way the build scripts fetch sources from outside Debian's packages.
# Usage: tools/fetch_pinned.sh URL SHA256 DEST
set -euo pipefail
url="$1" sha256="$2" dest="$3"

if echo "$sha256  $dest" | sha256sum --check --status 2>/dev/null; then exit 0; fi
mkdir -p "$(dirname "$dest")"
echo "fetch_pinned: downloading $url" >&2
curl --fail --silent --show-error --location --max-time 300 -o "$dest.part" "$url"
if ! echo "$sha256  $dest.part" | sha256sum --check --status; then
  rm -f "$dest.part"
  echo "fetch_pinned: $url: SHA-256 is not $sha256" >&2
  exit 1
fi
mv "$dest.part" "$dest"
