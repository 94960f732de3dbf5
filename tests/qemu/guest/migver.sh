# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# The migver tool (tools/migver, /tests/bin/migver) against the real module:
# for every migration_version case of matrix.sh (its type-level and
# device-level tables and the two-host matrix, recorded as they ran in
# /tmp/agree-*.cases with the errno matrix.sh expected and got) and each
# checker, three answers must agree:
#   - `migver check --json` (the kernel decides: the tool writes the
#     string into the target and maps the errno): its exit status, equal
#     to matrix.sh's expected errno where the case has one (semver),
#   - its "offline" verdict: the core with the target's facts, as the
#     kernel holds them ("agrees": true),
#   - `migver explain` (the core offline, the target's sysfs directory
#     for its facts): its exit status.
# Sourced by matrix.sh; cases in migver.plan and migver-checkers.plan.
# shellcheck disable=SC2154 # lib.sh's variables and $uuid from create

MIGVER_LOAD="nr_parents=4 device=0x591d,0x591d,0x5912,0x591d sw_version=1.2.0,1.3.0,1.2.0,1.2.0 accept=1.0.0-1.2.0,1.1.0-1.3.0,1.0.0-1.2.0,none format=structured,structured,structured,gvt"

# want: the exit status migver gives for a kernel result word (migver(8))
mv_status() {
	case "$1" in
	OK) want=0 ;;
	EINVAL) want=10 ;;
	EOPNOTSUPP) want=11 ;;
	ENODEV) want=12 ;;
	EMEDIUMTYPE) want=13 ;;
	ERANGE) want=14 ;;
	"") want= ;;
	*) want="no-verdict:$1" ;;
	esac
}

# mv_agree <case> <target dir> <-e|-> <input> [expected errno word]: the
# answers for one source, given as sysfs-write takes it (-e: with escapes,
# which go through a file so that migver reads exactly those bytes).
# Few processes per case: this runs 57 or 171 times in a guest.
mv_agree() {
	mv_case=$1 mv_dir=$2 mv_src=$4
	mv_status "${5:-}"
	case "$3:$4" in
	-e:*\\*)
		: >/tmp/mv.src
		sysfs-write -e /tmp/mv.src "$4" >/dev/null </dev/null
		mv_src=/tmp/mv.src
		;;
	esac
	migver check --json "$mv_src" "$mv_dir" >/tmp/mv.check 2>&1
	c=$?
	migver explain "$mv_src" "$mv_dir" --checker "$mv_checker" >/tmp/mv.explain 2>&1
	e=$?
	agrees=no
	while IFS= read -r line; do
		case "$line" in *'"agrees": true'*) agrees=yes ;; esac
	done </tmp/mv.check
	case "$c" in 0 | 1[0-4]) verdict=yes ;; *) verdict=no ;; esac
	if [ "$verdict" = yes ] && [ "$e" = "$c" ] && [ "$agrees" = yes ] &&
		{ [ -z "$want" ] || [ "$c" = "$want" ]; }; then
		pass "$mv_case"
	else
		fail "$mv_case" "check exit $c (matrix.sh expected ${want:-?}), offline agrees: $agrees, explain exit $e: $(cat /tmp/mv.check /tmp/mv.explain | tr '\n' ' ' | head -c 300)"
	fi
}

unload
if load $MIGVER_LOAD; then
	pass migver/load
else
	fail migver/load "$(cat /tmp/modprobe.err)"
fi
check migver/version-is-module-version "$(migver --version)" \
	"migver $(cat /sys/module/$MOD/version 2>/dev/null)"
migver list >/tmp/mv.list 2>&1
check migver/list-parents "$(grep -c '^parent migver[0-3]$' /tmp/mv.list)" 4
check migver/list-gvt-accept-from-parameters \
	"$(grep -A1 '8086-591d-GVTg_V5_8-01020000' /tmp/mv.list | sed -n 's/.*accepts \(.*\)/\1/p')" \
	"none (from the module's parameters)"
migver list --json >/tmp/mv.json 2>&1
case "$(grep -c '"checker": "semver"' /tmp/mv.json) $(grep -c '"schema": "migver/1"' /tmp/mv.json)" in
"1 1") pass migver/list-json ;;
*) fail migver/list-json "$(head -c 300 /tmp/mv.json)" ;;
esac

create 0 8
MV_U8=$uuid
create 0 2
MV_U2=$uuid
check migver/devices-created "$created" OK
# Under the default checker on every kernel; under gvt and strict too where
# the host asked (migver.all_checkers=1: one suite per QEMU-lane run, plan
# migver-checkers.plan): the same core decides on every kernel.
mv_checkers=semver
case " $(cat /proc/cmdline) " in
*" migver.all_checkers=1 "*) mv_checkers="semver gvt strict" ;;
esac
for mv_checker in $mv_checkers; do
	echo "$mv_checker" >"$PARAMS/checker"
	# matrix.sh's expected errno holds for the checker it ran with
	while IFS='|' read -r name input w; do
		[ "$mv_checker" = semver ] || w=
		mv_agree "migver/$mv_checker-type-$name" "$(type_dir 0 8)" -e "$input" "$w"
	done </tmp/agree-type.cases
	while IFS='|' read -r name t input w; do
		[ "$mv_checker" = semver ] || w=
		if [ "$t" = 8 ]; then d=$MV_U8; else d=$MV_U2; fi
		mv_agree "migver/$mv_checker-device-$name" "$MDEVS/$d" - "$input" "$w"
	done </tmp/agree-device.cases
	while IFS='|' read -r s d w; do
		[ "$mv_checker" = semver ] || w=
		mv_agree "migver/$mv_checker-matrix-migver$s-to-migver$d" \
			"$(type_dir "$d" 8)" - "$(cat "$(type_dir "$s" 8)/migration_version")" "$w"
	done </tmp/agree-matrix.cases
	mv_agree "migver/$mv_checker-matrix-cross-type" "$(type_dir 1 8)" - \
		"$(cat "$(type_dir 0 4)/migration_version")" EMEDIUMTYPE
done
echo semver >"$PARAMS/checker"

# A transcript for README.md ("The migver tool"), not judged here.
mv_show() {
	echo "transcript: \$ $*"
	"$@" >/tmp/mv.show 2>&1
	mv_rc=$?
	sed 's/^/transcript: /' /tmp/mv.show
	echo "transcript: [exit status $mv_rc]"
}
mv_show migver list
mv_show migver check migver0/migver-GVTg_V5_8 migver1/migver-GVTg_V5_8
mv_show migver check migver1/migver-GVTg_V5_8 migver0/migver-GVTg_V5_8
mv_show migver check migver0/migver-GVTg_V5_4 "$MV_U8"
mv_show migver check --json migver1/migver-GVTg_V5_8 migver0/migver-GVTg_V5_8
migver list --json >/tmp/mv.inventory 2>&1
mv_show migver matrix --sources /tmp/mv.inventory --targets /tmp/mv.inventory

# check's JSON: the kernel decided, and the core offline agrees
migver check --json "$(type_dir 1 8)" "$(type_dir 0 8)" >/tmp/mv.json 2>&1
case "$(grep -c -e '"decided_by": "kernel"' -e '"reason": "software"' -e '"agrees": true' /tmp/mv.json)" in
4) pass migver/check-json ;; # "reason" twice: the verdict and offline
*) fail migver/check-json "$(tr '\n' ' ' </tmp/mv.json | head -c 400)" ;;
esac
migver check "$(type_dir 0 8)" migver9/migver-GVTg_V5_8 >/dev/null 2>/tmp/mv.err
mv_rc=$?
check migver/check-no-such-target "$mv_rc:$(wc -l </tmp/mv.err)" "1:1"
remove_all
unload
