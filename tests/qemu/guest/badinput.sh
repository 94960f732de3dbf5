# SPDX-License-Identifier: GPL-2.0-only
# Bad input, sourced by matrix.sh (busybox sh): the same malformed inputs
# written into a type's and a device's migration_version, bad values for
# the run-time checker parameter and bad load-time parameters.  Each case
# wants the errno the README documents for it AND everything unchanged
# afterwards: both attributes' strings, the budget, the active checker, the
# number of mdevs (for loads: no module left behind).  Cases: badinput/...
# shellcheck shell=sh disable=SC2154 # $uuid, $created: set by create (lib.sh)

if ! load; then
	fail badinput/load "$(cat /tmp/modprobe.err)"
	return 0
fi
BT=$(type_dir 0 8)/migration_version
create 0 8
BD=$MDEVS/$uuid/migration_version
[ "$created" = OK ] || fail badinput/create "create: $created"

# bad_state: sets $state to everything a bad write must leave as it was.
# Shell built-ins only: a fork per file would make this the slowest part of
# the run on the debug kernel.
BS_FILES="$BT $BD $PARAMS/checker"
for t in 8 4 2 1; do
	BS_FILES="$BS_FILES $(type_dir 0 $t)/available_instances"
done
bad_state() {
	state=""
	for bs_f in $BS_FILES; do
		read -r bs_v <"$bs_f"
		state="$state|$bs_v"
	done
	set -- "$MDEVS"/*
	state="$state|$#"
}
bad_state
before=$state

# bad_case <case> <want> <sysfs-write arguments...>
bad_case() {
	c=$1 w=$2
	shift 2
	got=$(wr_result "$@")
	bad_state
	if [ "$got" != "$w" ]; then
		fail "badinput/$c" "got $got, want $w"
	elif [ "$state" != "$before" ]; then
		fail "badinput/$c" "state changed: '$before' -> '$state'"
	else
		pass "badinput/$c"
	fi
}

V=$(cat "$BT")
V=${V%"
"}
PAGE=$(printf '%04096d' 0)
# a valid string of exactly 511 and 512 bytes: an unknown field pads it
pad=$((511 - ${#V} - 3))
V511="$V;x=$(printf "%0${pad}d" 0)"
V512="${V511}0"
R9="1.0.0,1.0.1,1.0.2,1.0.3,1.0.4,1.0.5,1.0.6,1.0.7,1.0.8"
TYPE32=GVTg_V5_8abcdefghijklmnopqrstuvw
ID="device_api=vfio-pci;pci_id=8086:591d"
REST="aggregator=1;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0"

# ---- migration_version, type and device level: case | input (-e escapes) | errno
while IFS='|' read -r name input want; do
	bad_case "type-$name" "$want" -e "$BT" "$input"
	bad_case "device-$name" "$want" -e "$BD" "$input"
done <<EOF
newline-only|\n|EINVAL
space-only| |EINVAL
tab-only|\t|EINVAL
crlf|$V\r\n|EINVAL
leading-space| $V|EINVAL
trailing-tab|$V\t|EINVAL
leading-newline|\n$V|EINVAL
nul-only|\0|EINVAL
nul-inside|$ID\0;type=GVTg_V5_8;$REST|EINVAL
nul-after|$V\0garbage|EINVAL
binary|\x01\x02\x03\x04|EINVAL
del-byte|$V\x7f|EINVAL
high-bytes|\x80\xfe\xff|EINVAL
utf8-type|$ID;type=GVTg_V5_\xc3\xa9;$REST|EINVAL
utf8-bom|\xef\xbb\xbf$V|EINVAL
newline-extra-field|$V\ntype=GVTg_V5_4|EINVAL
newline-second-string|$V\n$V|EINVAL
injected-duplicate-type|$V;type=GVTg_V5_4|EINVAL
empty-field|$V;;x=1|EINVAL
trailing-separator|$V;|EINVAL
empty-value|device_api=;pci_id=8086:591d;type=GVTg_V5_8;$REST|EINVAL
empty-key|=x;$V|EINVAL
upper-case-key|DEVICE_API=vfio-pci;pci_id=8086:591d;type=GVTg_V5_8;$REST|EINVAL
pci-id-5-digits|device_api=vfio-pci;pci_id=18086:591d;type=GVTg_V5_8;$REST|EINVAL
pci-id-0x|device_api=vfio-pci;pci_id=0x8086:591d;type=GVTg_V5_8;$REST|EINVAL
aggregator-u32-overflow|$ID;type=GVTg_V5_8;aggregator=4294967297;software_version=1.2.0;accepted_source_versions=none|EINVAL
aggregator-65|$ID;type=GVTg_V5_8;aggregator=65;software_version=1.2.0;accepted_source_versions=none|EINVAL
aggregator-negative|$ID;type=GVTg_V5_8;aggregator=-1;software_version=1.2.0;accepted_source_versions=none|EINVAL
version-65536|$ID;type=GVTg_V5_8;aggregator=1;software_version=65536.0.0;accepted_source_versions=none|EINVAL
version-u64-overflow|$ID;type=GVTg_V5_8;aggregator=1;software_version=99999999999999999999.0.0;accepted_source_versions=none|EINVAL
version-4-parts|$ID;type=GVTg_V5_8;aggregator=1;software_version=1.2.0.0;accepted_source_versions=none|EINVAL
version-2-parts|$ID;type=GVTg_V5_8;aggregator=1;software_version=1.2;accepted_source_versions=none|EINVAL
ranges-9|$ID;type=GVTg_V5_8;aggregator=1;software_version=1.2.0;accepted_source_versions=$R9|EINVAL
range-overflow|$ID;type=GVTg_V5_8;aggregator=1;software_version=1.2.0;accepted_source_versions=1.0.0-70000.0.0|EINVAL
device-api-16|device_api=abcdefghijklmnop;pci_id=8086:591d;type=GVTg_V5_8;$REST|EINVAL
type-32-chars|$ID;type=$TYPE32;$REST|EINVAL
gvt-9-hex-version|8086-591d-GVTg_V5_8-010200000|EINVAL
gvt-5-hex-vendor|18086-591d-GVTg_V5_8-01020000|EINVAL
gvt-with-field|8086-591d-GVTg_V5_8-01020000;type=GVTg_V5_8|EINVAL
format-specifiers|%s%s%s%n%p|EINVAL
shell-metachars|\$(reboot);\`id\`|EINVAL
page-size|$PAGE|EINVAL
page-size-plus-1|${PAGE}0|EINVAL
length-512|$V512|EINVAL
length-511|$V511|OK
length-511-newline|$V511\n|OK
EOF
# sysfs never calls the driver for an empty write: 0 bytes, nothing checked
for f in type:"$BT" device:"$BD"; do
	got=$(wr "${f#*:}" "")
	bad_state
	if [ "$got" = "OK 0" ] && [ "$state" = "$before" ]; then
		pass "badinput/${f%%:*}-empty"
	else
		fail "badinput/${f%%:*}-empty" "got $got, state $state"
	fi
done

# ---- the checker parameter at run time: case | input | errno -------------------
while IFS='|' read -r name input want; do
	bad_case "checker-$name" "$want" -e "$PARAMS/checker" "$input"
done <<EOF
newline-only|\n|EINVAL
space-only| |EINVAL
upper-case|SEMVER|EINVAL
trailing-space|semver |EINVAL
leading-space| semver|EINVAL
two-newlines|semver\n\n|EINVAL
prefix|sem|EINVAL
suffix|semverx|EINVAL
two-names|strict\nsemver|EINVAL
high-byte|\xff|EINVAL
page-size|$PAGE|EINVAL
page-size-plus-1|${PAGE}0|EINVAL
same-name-newline|semver\n|OK
EOF
got=$(wr "$PARAMS/checker" "")
check badinput/checker-empty "$got $(cat "$PARAMS/checker")" "OK 0 semver"
# The kernel's parameter layer hands the module a C string: bytes after a
# NUL never reach it (as for every module parameter).  Documented.
got=$(wr_result -e "$PARAMS/checker" 'gvt\0strict')
check badinput/checker-nul-truncates "$got $(cat "$PARAMS/checker")" "OK gvt"
wr "$PARAMS/checker" semver >/dev/null
# load-time parameters are read-only at run time
check badinput/nr-parents-read-only "$(wr_result "$PARAMS/nr_parents" 2) $(cat "$PARAMS/nr_parents")" "EACCES 1"
bad_state
check badinput/state-after-params "$state" "$before"

echo 1 >"$MDEVS/$uuid/remove"
unload

# ---- load-time parameters: case | parameters | errno of finit_module -----------
# Each must make the load fail with that errno, leave nothing loaded, and
# leave a kernel log line naming the module (ours, or the kernel's "invalid
# for parameter" for values the parameter type itself refuses).
# fault-op 0 is one plain finit_module (busybox modprobe would retry a failed
# load with init_module, doubling the time); the dependencies are loaded.
KO=$(find /lib/modules -name "$MOD.ko" | head -n 1)
while IFS='|' read -r name params want; do
	wait_driver_gone
	dmesg_mark
	got=$(fault-op 0 load "$KO" "$(printf '%b' "$params")")
	got=${got%% *}
	if [ "$got" = OK ]; then
		unload
		got="OK (loaded)"
	fi
	if [ "$got" != "$want" ]; then
		fail "badinput/load-$name" "got $got, want $want"
	elif loaded || [ -e /sys/class/migver ]; then
		fail "badinput/load-$name" "a failed load left $(ls -d /sys/module/$MOD /sys/class/migver 2>/dev/null)"
	elif ! dmesg_since | grep -q "$MOD"; then
		fail "badinput/load-$name" "no $MOD log line saying why"
	else
		pass "badinput/load-$name"
	fi
done <<EOF
nr-parents-0|nr_parents=0|EINVAL
nr-parents-9|nr_parents=9|EINVAL
nr-parents-u32-overflow|nr_parents=4294967296|ERANGE
nr-parents-negative|nr_parents=-1|EINVAL
nr-parents-empty|nr_parents=|EINVAL
nr-parents-hex-9|nr_parents=0x9|EINVAL
vendor-u16-overflow|vendor=0x10000|ERANGE
vendor-negative|vendor=-1|EINVAL
device-not-a-number|device=zz|EINVAL
sw-version-2-parts|sw_version=1.2|EINVAL
sw-version-leading-zero|sw_version=1.02.0|EINVAL
sw-version-65536|sw_version=65536.0.0|EINVAL
sw-version-empty|sw_version=|EINVAL
accept-reversed|accept=2.0.0-1.0.0|EINVAL
accept-garbage|accept=latest|EINVAL
accept-trailing-colon|accept=1.0.0-1.2.0:|EINVAL
accept-9-ranges|accept=1.0.0:1.0.1:1.0.2:1.0.3:1.0.4:1.0.5:1.0.6:1.0.7:1.0.8|EINVAL
format-unknown|format=xml|EINVAL
format-upper-case|format=GVT|EINVAL
format-gvt-unrepresentable|format=gvt sw_version=256.0.0|EINVAL
low-gm-u32-overflow|low_gm_mb=4294967296|ERANGE
high-gm-not-a-number|high_gm_mb=abc|EINVAL
checker-unknown|checker=bogus|EINVAL
checker-empty|checker=|EINVAL
newline-injected-param|checker=gvt\\nnr_parents=9|EINVAL
quoted-space|format="gvt structured"|EINVAL
too-many-values|vendor=0x8086,0x8086|EINVAL
too-many-values-2|nr_parents=2 vendor=1,2,3|EINVAL
budget-zero|fences=0|EINVAL
budget-too-small|low_gm_mb=32|EINVAL
empty-array-element|nr_parents=3 sw_version=1.2.0,,1.0.0|EINVAL
guest-id-unknown|guest_id=intel|EINVAL
guest-id-upper-case|guest_id=GVT|EINVAL
EOF
# an unknown parameter is the kernel's business: it loads, with a warning
dmesg_mark
got=$(fault-op 0 load "$KO" "no_such_param=1")
if [ "${got%% *}" = OK ] && dmesg_since | grep -q "unknown parameter 'no_such_param' ignored"; then
	pass badinput/load-unknown-param-ignored
else
	fail badinput/load-unknown-param-ignored "got $got; log: $(dmesg_since | tail -n 2)"
fi
unload

# ---- a refused load is invisible: no parent at any time, one log line ---------
# Every parent's parameters are checked before the first parent registers, so
# a bad value for a later parent sends no uevent (udev and mdevctl would act
# on one) and leaves exactly one line in the log.  uevent-watch lists the
# uevents the load caused; a good load first shows that it sees them.  (A
# kernel without networking, as the debug lane's, has no uevent socket:
# those cases are skipped there.)
# bad_load_uevents <out of uevent-watch>: the uevents about our parents
bad_load_uevents() {
	printf '%s\n' "$1" | grep -E '^UEVENT(-OVERFLOW$| .*/migver[0-9])' | tr '\n' ' '
}
wait_driver_gone
out=$(uevent-watch fault-op 0 load "$KO" "nr_parents=2")
ev=$(bad_load_uevents "$out")
no_uevents=$(printf '%s\n' "$out" | sed -n 's/^UEVENT-UNAVAILABLE //p')
case "$no_uevents:$ev" in
?*:*) skip badinput/load-good-parents-send-uevents "limit:no-uevent-socket: $no_uevents" ;;
:*add@*/migver0\ *add@*/migver1\ *) pass badinput/load-good-parents-send-uevents ;;
*) fail badinput/load-good-parents-send-uevents "uevents: '$ev'; $(printf '%s' "$out" | grep -v '^UEVENT' | head -n 1)" ;;
esac
# What mdevctl's udev rule (60-mdevctl.rules) waits for to start a parent's
# `define --auto` devices, and what tells it that the parent went: the mdev
# core's change uevents with MDEV_STATE, one per parent each way.
reg=$(printf '%s\n' "$out" | grep -cE '^UEVENT change@.*/migver[01] MDEV_STATE=registered$')
out=$(uevent-watch rmmod "$MOD")
unreg=$(printf '%s\n' "$out" | grep -cE '^UEVENT change@.*/migver[01] MDEV_STATE=unregistered$')
if [ -n "$no_uevents" ]; then
	skip badinput/parents-announce-mdev-state "limit:no-uevent-socket: $no_uevents"
else
	check badinput/parents-announce-mdev-state "registered=$reg unregistered=$unreg" \
		"registered=2 unregistered=2"
fi
unload
while IFS='|' read -r name params; do
	wait_driver_gone
	dmesg_mark
	out=$(uevent-watch fault-op 0 load "$KO" "$params")
	got=$(printf '%s\n' "$out" | grep -v '^UEVENT' | head -n 1)
	got=${got%% *}
	[ "$got" != OK ] || unload
	ev=$(bad_load_uevents "$out")
	# Count the module's own lines only: a debug kernel
	# (DEBUG_KOBJECT_RELEASE) adds "kobject: 'mdev_migver' ...
	# kobject_release" when the failed load's driver kobject goes.
	nlog=$(dmesg_since | grep -cE '\] mdev_migver[ :]')
	if [ "$got" != EINVAL ]; then
		fail "badinput/load-$name-no-uevent" "got $got, want EINVAL"
	elif [ -n "$no_uevents" ]; then
		skip "badinput/load-$name-no-uevent" "limit:no-uevent-socket: $no_uevents"
	elif [ -n "$ev" ]; then
		fail "badinput/load-$name-no-uevent" "uevents: $ev"
	else
		pass "badinput/load-$name-no-uevent"
	fi
	if [ "$nlog" = 1 ]; then
		pass "badinput/load-$name-one-log-line"
	else
		fail "badinput/load-$name-one-log-line" "$nlog lines: $(dmesg_since | grep migver | tr '\n' '|')"
	fi
done <<EOF
parent1-sw-version|nr_parents=2 sw_version=1.2.0,1.2
parent1-accept|nr_parents=2 accept=1.0.0-1.2.0,latest
parent1-format|nr_parents=2 format=structured,xml
parent1-gvt-unrepresentable|nr_parents=2 format=structured,gvt sw_version=1.2.0,256.0.0
parent7-sw-version|nr_parents=8 sw_version=1.2.0,1.2.0,1.2.0,1.2.0,1.2.0,1.2.0,1.2.0,x
parent1-after-accept-warning|nr_parents=2 sw_version=1.3.0,x accept=1.0.0-1.2.0
EOF

# ---- parameter values in the log: sanitised and cut as migration_version's ----
# case | parameters (printf %b escapes) | what the log line must contain
LONGSW=1.2.$(printf '%0600d' 0)
while IFS='|' read -r name params want; do
	wait_driver_gone
	dmesg_mark
	got=$(fault-op 0 load "$KO" "$(printf '%b' "$params")")
	[ "${got%% *}" != OK ] || unload
	line=$(dmesg_since | grep "$MOD:" | head -n 1)
	# bytes outside printable ASCII
	odd=$(($(printf '%s' "$line" | tr -d '\040-\176' | wc -c)))
	if [ "${got%% *}" != EINVAL ]; then
		fail "badinput/load-log-$name" "got $got, want EINVAL"
	elif [ "$odd" != 0 ]; then
		fail "badinput/load-log-$name" "$odd raw bytes in the log line"
	else
		case "$line" in
		*"$want"*) pass "badinput/load-log-$name" ;;
		*) fail "badinput/load-log-$name" "log line: '$line'" ;;
		esac
	fi
done <<EOF
sanitised-sw-version|sw_version=\\001\\177\\377evil|sw_version[0]="???evil"
sanitised-accept|accept=\\033[2Jx|accept[0]="?[2Jx"
sanitised-format|nr_parents=2 format=gvt,\\033]0;t\\007|format[1]="?]0;t?"
truncated-sw-version|sw_version=$LONGSW|sw_version[0]="$(printf '%.64s' "$LONGSW")..."
EOF
