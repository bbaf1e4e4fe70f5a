#!/bin/sh
# Writes the reference images of the plot tests (run by hand after a deliberate change to how
# plots look, then look at every image before committing it):
#     sh Tests/plots/make_references.sh .build/debug/optrepl
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${1:-$root/.build/debug/optrepl}
work=$(mktemp -d)
"$binary" "$root/Tests/plots/figures.opt" "$work"
for svg in "$work"/*.svg; do
    name=$(basename "$svg" .svg)
    case "$name" in animated*|lines) continue ;; esac
    rsvg-convert "$svg" -o "$root/Tests/plots/reference/$name.png"
done
rm -rf "$work"
