# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# bench_commit <path>...: the commit a bench report names, with
# " (with uncommitted changes)" when any of the paths (what the numbers
# depend on: code and bench, not the docs) has changes.  Sourced by
# tests/bench/run.sh and matrix.sh.
bench_commit() {
	local c
	c=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	[ -z "$(git status --porcelain --untracked-files=no -- "$@" 2>/dev/null)" ] ||
		c="$c (with uncommitted changes)"
	printf '%s\n' "$c"
}
