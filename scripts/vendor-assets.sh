#!/usr/bin/env bash
# Vendors the front-end assets from npm into static files (no CDN at run time).
# Run it by hand when a version below changes, then commit dimos/core/static/vendor/.
set -euo pipefail
DIGIGOV=0.37.0   # @digigov/css — the gov.gr design system (BSD-2-Clause)
ROBOTO=5.3.0     # @fontsource/roboto — the gov.gr font (OFL-1.1)
AXE=4.14.1       # axe-core — used only by the browser tests (MPL-2.0)
LEAFLET=1.9.4    # leaflet — the map on the request form, progressive enhancement (BSD-2-Clause)

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/dimos/core/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@digigov/css@$DIGIGOV" "@fontsource/roboto@$ROBOTO" "axe-core@$AXE" \
  "leaflet@$LEAFLET" >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done

rm -rf "$out" && mkdir -p "$out/digigov" "$out/roboto" "$out/leaflet" "$root/dimos/core/tests/browser/vendor"
cp "digigov-css-$DIGIGOV/package/dist/digigov.css" "$out/digigov/"
cp "digigov-css-$DIGIGOV/package/package.json" "$out/digigov/package.json"
for w in 400 500 700; do
  for s in greek latin; do
    cp "fontsource-roboto-$ROBOTO/package/files/roboto-$s-$w-normal.woff2" "$out/roboto/"
  done
done
cp "fontsource-roboto-$ROBOTO/package/LICENSE" "$out/roboto/LICENSE"
cp leaflet-$LEAFLET/package/dist/leaflet.js leaflet-$LEAFLET/package/dist/leaflet.css "$out/leaflet/"
cp -r leaflet-$LEAFLET/package/dist/images "$out/leaflet/images"
cp leaflet-$LEAFLET/package/LICENSE "$out/leaflet/LICENSE"
cp "axe-core-$AXE/package/axe.min.js" "$root/dimos/core/tests/browser/vendor/axe.min.js"
echo "vendored: @digigov/css $DIGIGOV, @fontsource/roboto $ROBOTO, axe-core $AXE, leaflet $LEAFLET"
