#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# readme-transcript.sh <results-demo.log> [README.md]
#
# Does README's Usage transcript (the indented block after "Transcript from
# `make demo`", up to "# end of demo") equal what guest entry `demo` printed
# in this run?  Kernel timestamps and uuids are normalised on both sides (a
# uuid is random, so `ls` lists them in either order: each becomes <uuid>).
# Prints a unified diff and exits 1 when they differ; exits 2 when either
# side has no transcript.
set -euo pipefail
log=${1:?usage: readme-transcript.sh <results-demo.log> [README.md]}
readme=${2:-$(dirname "$0")/../../README.md}

normalise() {
	sed -E -e 's/\r$//' \
		-e 's/^\[ *[0-9]+\.[0-9]+\]/[T]/' \
		-e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' |
		sed -e '/./,$!d' # no leading blank lines
}

want=$(awk '
	/Transcript from `make demo`/ { on = 1; next }
	on && /^    # end of demo$/ { print "# end of demo"; exit }
	on && /^    / { print substr($0, 5); started = 1; next }
	on && started && /^$/ { print ""; next }' "$readme" | normalise)
got=$({ sed -e '/^MIGVER-EXIT /d' "$log" 2>/dev/null || true; } | normalise |
	sed -e '/^# end of demo$/q')

if [ -z "$want" ] || [ -z "$got" ]; then
	echo "no transcript: README ${want:+has one}${want:-has none}, the guest log ${got:+has one}${got:-has none}" >&2
	exit 2
fi
diff -u --label README.md --label "guest demo" <(printf '%s\n' "$want") \
	<(printf '%s\n' "$got")
