# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# KUnit results as cases (sourced after results.sh), for the KUnit lane and
# the debug lane.

# kunit_cases <results.json> <kunit.py log or ""> <prefix>: one case per
# KUnit case, <prefix><suite>.<case>[.<parameter>]; a suite whose every case
# was skipped fails as <prefix><suite>/all-skipped.
kunit_cases() {
	local json=$1 klog=$2 prefix=$3 line
	if [ ! -s "$json" ]; then
		step_fail "${prefix%/}/results" "no KUnit results in $json"
		return 1
	fi
	while IFS= read -r line; do
		case $line in
		"PASS "*) pass "$prefix${line#PASS }" ;;
		"SKIP "*)
			line=${line#SKIP }
			skip "$prefix${line%%: *}" "${line#*: }"
			;;
		"FAIL "*)
			line=${line#FAIL }
			fail "$prefix${line%%: *}" "${line#*: }"
			;;
		"ALLSKIP "*)
			step_fail "$prefix${line#ALLSKIP }/all-skipped" "every case of the suite was skipped"
			;;
		"ERROR "*) step_fail "${prefix%/}/results" "${line#ERROR }" ;;
		esac
	done < <(/usr/bin/python3 "$RESULTS_LIB/kunit_results.py" "$json" ${klog:+"$klog"} ||
		echo "ERROR kunit_results.py could not read $json")
}
