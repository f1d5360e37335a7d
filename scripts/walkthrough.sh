#!/usr/bin/env bash
# Stitches the portal's screenshots (docs/screenshots/NN-name.png, taken by
# tests/browser/portal.test.mjs under SCREENSHOTS=1) into docs/walkthrough.gif: one frame
# of 2.5 s per screenshot, with a caption below it. `make walkthrough` runs both.
# Usage: scripts/walkthrough.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SHOTS=docs/screenshots
OUT=docs/walkthrough.gif
MAX_BYTES=$((3 * 1024 * 1024)) # over this, a WebM instead (docs/walkthrough.webm)
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf # fonts-dejavu-core
SECONDS_PER_FRAME=2.5

# The capture list, in the order the test takes them: the screenshot's name, the first
# row of the page to show (in page pixels: a frame shows 1067 rows of a page 1280 wide),
# and the caption. The test and this list must name the same pages.
FRAMES="
01-signup            0    Sign up: an email, a password and the organisation's name
02-login             0    Already have an account? Log in
03-dashboard-new     0    A new Free tenant, with a three-step guide
04-upstream          0    Step 1: point Tollgate at your API
05-dashboard-upstream 0   Back on the dashboard, the first step is ticked
06-keys-new-key      0    Step 2: a key named production, shown only this once
07-keys              0    Listed by prefix; Tollgate keeps only a hash
08-quickstart-waiting 0   Step 3: curl lines ready to paste; the page waits
09-quickstart-received 0  The quickstart's curl line went through: request received
10-dashboard-traffic 0    The dashboard counts it: requests, statuses, top keys
11-keys-rotated      130  Rotate: a new key, the old one works for one more hour
12-abuse-block       0    Abuse protection set to Enforce; a client was blocked
13-abuse-labelled    0    Labelled a false positive: the block is lifted
14-team              0    Team: invite members by mail, make management tokens for tooling
15-admin-platform    0    The operator's admin pages: every tenant, usage and refusals
16-admin-tenant      0    One tenant: its staff, keys and audit log; suspend, plan, abuse mode
17-admin-audit       0    Suspended: every key stops at once, and the audit log says who did it
18-suspended         0    The organisation's staff are told why, and can only log out
19-forgot            0    A forgotten password: a one-hour link by mail
"

command -v ffmpeg >/dev/null || { echo "ffmpeg is missing: scripts/deps.sh walkthrough" >&2; exit 1; }
[ -f "$FONT" ] || { echo "$FONT is missing: scripts/deps.sh walkthrough" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every listed screenshot must be there, and every screenshot listed.
listed=$(awk 'NF { print $1 ".png" }' <<<"$FRAMES" | sort)
present=$(cd "$SHOTS" && ls [0-9][0-9]-*.png 2>/dev/null | sort || true)
if [ "$listed" != "$present" ]; then
	echo "docs/screenshots/ and the list in $0 differ (run the browser test with SCREENSHOTS=1):" >&2
	diff <(echo "$listed") <(echo "$present") >&2 || true
	exit 1
fi

# One 960×856 picture per screenshot: the page at 3/4 size from its first row on, cut or
# padded to 800 rows, above a caption band.
total=$(awk 'NF' <<<"$FRAMES" | wc -l)
n=0
while read -r name top caption; do
	[ -n "$name" ] || continue
	n=$((n + 1))
	printf '%s' "$caption" >"$tmp/caption-$n.txt"
	printf '%d/%d' "$n" "$total" >"$tmp/count-$n.txt"
	y=$((top * 3 / 4))
	ffmpeg -nostdin -v error -y -i "$SHOTS/$name.png" -frames:v 1 -vf "\
scale=960:-1:flags=lanczos,\
crop=960:'min(ih-$y,800)':0:$y,\
pad=960:856:0:0:color=0xf6f7f9,\
drawbox=x=0:y=800:w=960:h=56:color=0x1c2330:t=fill,\
drawtext=fontfile=$FONT:textfile=$tmp/caption-$n.txt:fontcolor=white:fontsize=21:x=(w-text_w)/2:y=800+(56-text_h)/2,\
drawtext=fontfile=$FONT:textfile=$tmp/count-$n.txt:fontcolor=0x8fa8ff:fontsize=15:x=14:y=800+(56-text_h)/2" \
		"$tmp/$(printf '%02d' "$n").png"
done <<<"$FRAMES"

rate="1/$SECONDS_PER_FRAME"
ffmpeg -nostdin -v error -y -framerate "$rate" -i "$tmp/%02d.png" \
	-vf "split[a][b];[a]palettegen=max_colors=128:stats_mode=full[p];[b][p]paletteuse=dither=none" \
	-loop 0 "$tmp/walkthrough.gif"
size=$(stat -c %s "$tmp/walkthrough.gif")
if [ "$size" -le "$MAX_BYTES" ]; then
	mv "$tmp/walkthrough.gif" "$OUT"
	rm -f docs/walkthrough.webm
else
	OUT=docs/walkthrough.webm
	ffmpeg -nostdin -v error -y -framerate "$rate" -i "$tmp/%02d.png" -r 5 \
		-c:v libvpx-vp9 -b:v 0 -crf 36 -pix_fmt yuv420p "$OUT"
	rm -f docs/walkthrough.gif
fi
echo "wrote $OUT ($(stat -c %s "$OUT") bytes, $total frames of ${SECONDS_PER_FRAME} s)"
