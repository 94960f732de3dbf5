# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# ShellCheck at -S warning over every shell script in the tree (by name or
# by #! line), one case.  Sourced by tests/lint/run.sh.

# tracked and untracked-but-not-ignored files, as a developer's tree has them
mapfile -t sh_files < <({
	git ls-files -co --exclude-standard '*.sh' .ci/run
	git ls-files -co --exclude-standard -z |
		xargs -0 grep -l -s -m1 -E '^#!/bin/(ba)?sh' 2>/dev/null
} | sort -u)
if ! command -v shellcheck >/dev/null; then
	fail shellcheck "shellcheck is not installed (make deps)"
elif out=$(shellcheck -S warning -x "${sh_files[@]}" 2>&1); then
	pass shellcheck
	echo "  shellcheck: ${#sh_files[@]} scripts clean"
else
	fail shellcheck "$(printf '%s\n' "$out" | grep -c '^In ') findings in ${#sh_files[@]} scripts"
	printf '%s\n' "$out" | sed 's/^/    /'
fi
