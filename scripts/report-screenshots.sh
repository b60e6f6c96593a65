#!/bin/sh
# Screenshots of an `amorph analyze` HTML report in a real browser (Debian's
# chromium, headless): the top of the page and three sections, 1280 px wide,
# for docs/report.md. Usage: scripts/report-screenshots.sh REPORT_DIR OUT_DIR
set -eu
REPORT=$(cd "$1" && pwd)
OUT=$2
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WRAP="$REPORT/.screenshot.html"
trap 'rm -f "$WRAP"' EXIT
# A section is shown through an iframe scrolled to its anchor: headless
# Chromium screenshots a top-level page before it scrolls to a fragment.
for section in top correlation-with-ea-mean spatial-autocorrelation-and-correlation-length viscosity; do
    anchor=""
    [ "$section" = top ] || anchor="#$section"
    printf '<!DOCTYPE html><html><body style="margin:0"><iframe src="index.html%s" style="border:0;width:1280px;height:1400px"></iframe></body></html>\n' "$anchor" > "$WRAP"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000 \
        --window-size=1280,1400 --screenshot="$OUT/report_$section.png" "file://$WRAP" 2>/dev/null
    echo "$OUT/report_$section.png"
done
