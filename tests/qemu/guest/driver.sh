# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2154 # $uuid, $created: set by create (lib.sh)
# The driver scenarios, sourced by matrix.sh (busybox sh): load and types,
# both attributes and every errno, checker switching, devices and the
# budget, VFIO, rmmod and load cycles, the default accepted range, guest_id,
# the two-host matrix.  Leaves the module unloaded (final-unload).

# ---- load and types ---------------------------------------------------------

if load && [ -d /sys/class/mdev_bus/migver0 ]; then
	pass load-default
else
	fail load-default "modprobe: $(cat /tmp/modprobe.err)"
	finish
	exit 1
fi

# README, Install: "`dmesg | grep migver` shows the parents registered"
line=$(dmesg | grep migver | grep 'migver0: 8086:591d software 1.2.0' | tail -n 1)
case "$line" in
*'4 types'*) pass readme-dmesg-grep-parents ;;
*) fail readme-dmesg-grep-parents "dmesg | grep migver: $(dmesg | grep migver | tail -n 3 | tr '\n' '|')" ;;
esac

# shellcheck disable=SC2012 # fixed sysfs names
check types-listed "$(ls /sys/class/mdev_bus/migver0/mdev_supported_types | tr '\n' ' ')" \
	"migver-GVTg_V5_1 migver-GVTg_V5_2 migver-GVTg_V5_4 migver-GVTg_V5_8 "

# type | low | high | resolution | weight | available at start
while IFS='|' read -r t low high res weight n; do
	d=$(type_dir 0 "$t")
	want=$(printf 'low_gm_size: %sMB\nhigh_gm_size: %sMB\nfence: 4\nresolution: %s\nweight: %s' \
		"$low" "$high" "$res" "$weight")
	check "type-description-V5_$t" "$(cat "$d/description")" "$want"
	check "type-name-V5_$t" "$(cat "$d/name")" "GVTg_V5_$t"
	check "type-device-api-V5_$t" "$(cat "$d/device_api")" vfio-pci
	check "type-available-start-V5_$t" "$(cat "$d/available_instances")" "$n"
	check "type-version-read-V5_$t" "$(cat "$d/migration_version")" "$(def_string "$t")"
done <<EOF
8|64|384|1024x768|2|8
4|128|512|1920x1200|4|4
2|256|1024|1920x1200|8|2
1|512|2048|1920x1200|16|1
EOF

# The attribute ends in exactly one newline (sysfs_emit), so cat > works.
check type-version-newline $(($(wc -c <"$(type_dir 0 8)/migration_version"))) \
	$(($(def_string 8 | wc -c)))

# ---- the kernel log line (first: later refusals use up the rate limit) ----
T8=$(type_dir 0 8)
LONG=$(printf '%0600d' 0)
dmesg_mark
wr -e "$T8/migration_version" '\x01\x02evil\x7f;software_version=9' >/dev/null
line=$(dmesg_since | grep 'refused source' | tail -n 1)
case "$line" in
*'"??evil?;software_version=9"'*format*) pass log-reason-sanitised ;;
*) fail log-reason-sanitised "log line: '$line'" ;;
esac
dmesg_mark
wr "$T8/migration_version" "$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.3.0;accepted_source_versions=1.3.0" >/dev/null
line=$(dmesg_since | grep 'refused source' | tail -n 1)
case "$line" in
*migver0*GVTg_V5_8*software*semver*) pass log-reason-software ;;
*) fail log-reason-software "log line: '$line'" ;;
esac
dmesg_mark
wr "$T8/migration_version" "x=$LONG$LONG" >/dev/null
line=$(dmesg_since | grep 'refused source' | tail -n 1)
n=$(echo "$line" | sed -n 's/.*refused source "\([^"]*\)".*/\1/p' | wc -c)
if [ "$n" -gt 10 ] && [ "$n" -le 70 ]; then
	pass log-truncated
else
	fail log-truncated "logged source is $n bytes: '$line'"
fi
# ---- type-level checks: case | input | expected --------------------------------
# (each case is kept in /tmp/agree-type.cases for migver.sh's agreement test)
while IFS='|' read -r name input want; do
	check "type-check-$name" "$(wr_result -e "$T8/migration_version" "$input")" "$want"
	printf '%s|%s|%s\n' "$name" "$input" "$want" >>/tmp/agree-type.cases
done <<EOF
compatible-self|$(def_string 8)|OK
compatible-self-newline|$(def_string 8)\n|OK
compatible-older-sw|$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.0.0;accepted_source_versions=1.0.0|OK
compatible-field-order|aggregator=1;type=GVTg_V5_8;$DEF_SW;$DEF_IDENT|OK
compatible-unknown-field|$(def_string 8);future_field=xyz|OK
compatible-gvt-format|8086-591d-GVTg_V5_8-01010000|OK
compatible-gvt-upper-hex|8086-591D-GVTg_V5_8-01020000|OK
hardware-vendor|device_api=vfio-pci;pci_id=8087:591d;type=GVTg_V5_8;aggregator=1;$DEF_SW|ENODEV
hardware-device|device_api=vfio-pci;pci_id=8086:5912;type=GVTg_V5_8;aggregator=1;$DEF_SW|ENODEV
hardware-device-api|device_api=vfio-ccw;pci_id=8086:591d;type=GVTg_V5_8;aggregator=1;$DEF_SW|ENODEV
hardware-gvt-format|8086-5912-GVTg_V5_8-01020000|ENODEV
type-name|$(def_string 4)|EMEDIUMTYPE
type-aggregator|$DEF_IDENT;type=GVTg_V5_8;aggregator=2;$DEF_SW|EMEDIUMTYPE
type-gvt-format|8086-591d-GVTg_V5_2-01020000|EMEDIUMTYPE
software-newer|$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.3.0;accepted_source_versions=1.0.0-1.3.0|ERANGE
software-older|$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=0.9.9;accepted_source_versions=none|ERANGE
software-gvt-format|8086-591d-GVTg_V5_8-02000000|ERANGE
malformed-garbage|hello|EINVAL
malformed-missing-field|$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.2.0|EINVAL
malformed-duplicate-field|$(def_string 8);aggregator=1|EINVAL
malformed-leading-zero|$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=01.2.0;accepted_source_versions=none|EINVAL
malformed-reversed-range|$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.2.0;accepted_source_versions=2.0.0-1.0.0|EINVAL
malformed-aggregator-0|$DEF_IDENT;type=GVTg_V5_8;aggregator=0;$DEF_SW|EINVAL
malformed-nul-byte|$(def_string 8)\0|EINVAL
malformed-two-newlines|$(def_string 8)\n\n|EINVAL
malformed-non-ascii|$(def_string 8)\xff|EINVAL
malformed-control-char|\x01$(def_string 8)|EINVAL
malformed-space|$(def_string 8) |EINVAL
malformed-too-long|$(def_string 8);x=$LONG|EINVAL
malformed-gvt-short-version|8086-591d-GVTg_V5_8-0102|EINVAL
EOF

# cat SRC > DST is the documented way to ask; a refusal shows as a failed write.
# shellcheck disable=SC2094 # reading and writing the attribute is the point
if cat "$T8/migration_version" >"$T8/migration_version"; then
	pass type-cat-into-self
else
	fail type-cat-into-self "cat > migration_version failed"
fi
if ! cat "$(type_dir 0 4)/migration_version" >"$T8/migration_version" 2>/dev/null; then
	pass type-cat-incompatible-fails
else
	fail type-cat-incompatible-fails "writing GVTg_V5_4's string into GVTg_V5_8 succeeded"
fi
check type-write-changes-nothing "$(cat "$T8/migration_version")" "$(def_string 8)"

# a fresh rate-limit interval (5 s), then a burst of 50 refusals
sleep 6
dmesg_mark
i=0
while [ $i -lt 50 ]; do
	wr "$T8/migration_version" hello >/dev/null
	i=$((i + 1))
done
n=$(dmesg_since | grep -c 'refused source')
if [ "$n" -ge 1 ] && [ "$n" -lt 50 ]; then
	pass log-rate-limited
else
	fail log-rate-limited "$n log lines for 50 refused writes"
fi

# ---- checker switching at run time -------------------------------------------------
SW110="$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.1.0;accepted_source_versions=1.1.0"
check checker-default "$(cat "$PARAMS/checker")" semver
check checker-semver-accepts-range "$(wr_result "$T8/migration_version" "$SW110")" OK
check checker-set-gvt "$(wr_result "$PARAMS/checker" gvt)" OK
check checker-gvt-active "$(cat "$PARAMS/checker")" gvt
check checker-gvt-needs-equal-sw "$(wr_result "$T8/migration_version" "$SW110")" ERANGE
check checker-gvt-self "$(wr_result "$T8/migration_version" "$(def_string 8)")" OK
check checker-set-strict "$(wr_result "$PARAMS/checker" strict)" OK
check checker-strict-self "$(wr_result "$T8/migration_version" "$(def_string 8)")" OK
check checker-strict-hardware "$(wr_result "$T8/migration_version" 8086-5912-GVTg_V5_8-01020000)" ENODEV
check checker-set-unknown "$(wr_result "$PARAMS/checker" bogus)" EINVAL
check checker-unknown-kept-old "$(cat "$PARAMS/checker")" strict
check checker-set-semver "$(wr_result "$PARAMS/checker" semver)" OK
check checker-semver-again "$(wr_result "$T8/migration_version" "$SW110")" OK

# ---- devices: create, budget, device-level checks -------------------------------
create 0 8
U8=$uuid
if [ "$created" = OK ] && [ -d "$MDEVS/$U8" ]; then
	pass create
else
	fail create "create: $created"
fi
check create-duplicate-uuid "$(wr_result "$(type_dir 0 8)/create" "$U8")" EEXIST
check create-duplicate-uuid-other-type "$(wr_result "$(type_dir 0 4)/create" "$U8")" EEXIST
# one GVTg_V5_8 takes 64/384 MB and 4 fences of 512/3072/32
check budget-after-one-V5_8 "$(avail_all 0)" "7 3 1 0"
create 0 2
U2=$uuid
check create-V5_2 "$created" OK
# mixed types share one budget: 320/1408 MB and 8 fences used
check budget-mixed-types "$(avail_all 0)" "3 1 0 0"
check create-V5_1-no-room "$(create 0 1 && echo "$created")" ENOSPC
ok=1
for i in 1 2 3; do
	create 0 8
	[ "$created" = OK ] || ok=0
done
if [ $ok = 1 ] && [ "$(avail 0 8)" = 0 ]; then
	pass budget-fill
else
	fail budget-fill "available_instances now $(avail 0 8)"
fi
check create-over-budget "$(create 0 8 && echo "$created")" ENOSPC
check create-over-budget-no-device "$(count_mdevs)" 5

check device-version-read "$(cat "$MDEVS/$U8/migration_version")" "$(def_string 8)"
check device-version-read-V5_2 "$(cat "$MDEVS/$U2/migration_version")" "$(def_string 2)"
# device level: same resources count as the same type, whatever the name
# (kept in /tmp/agree-device.cases with the device's type, for migver.sh)
while IFS='|' read -r name dev input want; do
	check "device-check-$name" "$(wr_result "$MDEVS/$dev/migration_version" "$input")" "$want"
	if [ "$dev" = "$U8" ]; then t=8; else t=2; fi
	printf '%s|%s|%s|%s\n' "$name" "$t" "$input" "$want" >>/tmp/agree-device.cases
done <<EOF
compatible-self|$U8|$(def_string 8)|OK
compatible-type-string|$U2|$(cat "$(type_dir 0 2)/migration_version")|OK
compatible-aggregated|$U2|$DEF_IDENT;type=GVTg_V5_4;aggregator=2;$DEF_SW|OK
type-other|$U8|$(def_string 4)|EMEDIUMTYPE
type-aggregated-mismatch|$U2|$DEF_IDENT;type=GVTg_V5_8;aggregator=2;$DEF_SW|EMEDIUMTYPE
type-aggregator-on-same|$U8|$DEF_IDENT;type=GVTg_V5_8;aggregator=2;$DEF_SW|EMEDIUMTYPE
type-unknown-name|$U8|$DEF_IDENT;type=Foo;aggregator=1;$DEF_SW|EMEDIUMTYPE
hardware|$U8|8086-5912-GVTg_V5_8-01020000|ENODEV
software|$U8|8086-591d-GVTg_V5_8-01030000|ERANGE
malformed|$U8|type=GVTg_V5_8|EINVAL
EOF
# the type level stays strict about names
check type-check-aggregated-not-same-type \
	"$(wr_result "$(type_dir 0 2)/migration_version" "$DEF_IDENT;type=GVTg_V5_4;aggregator=2;$DEF_SW")" \
	EMEDIUMTYPE
# shellcheck disable=SC2094
if cat "$MDEVS/$U8/migration_version" >"$MDEVS/$U8/migration_version"; then
	pass device-cat-into-self
else
	fail device-cat-into-self "cat > migration_version failed"
fi

# ---- VFIO -------------------------------------------------------------------
if vfio-open "$U8" 8086 591d >/tmp/vfio.out 2>&1; then
	pass vfio-open
else
	fail vfio-open "$(grep ERROR /tmp/vfio.out || tail -n 1 /tmp/vfio.out)"
fi
if vfio-open "$U2" 8086 5912 >/tmp/vfio.out 2>&1; then
	fail vfio-open-wrong-id-detected "vfio-open accepted a wrong device id"
else
	pass vfio-open-wrong-id-detected
fi

# what a guest sees by default: a virtual id (1af4:10f0) and class 0x038000
# (display controller, not VGA), so no guest GPU driver binds to it
if vfio-open -g 1af4:10f0:038000 "$U8" 8086 591d >/tmp/vfio.out 2>&1; then
	pass vfio-guest-id-default-virtual
else
	fail vfio-guest-id-default-virtual "$(grep ERROR /tmp/vfio.out || tail -n 1 /tmp/vfio.out)"
fi

# VFIO_DEVICE_SET_IRQS as vfio-pci validates it: case | result of the call,
# whether it signalled the REQ eventfd, whether that eventfd is still set
dmesg_mark
if ! vfio-open "$U8" 8086 591d irq-cases >/tmp/irq.out 2>&1; then
	fail vfio-irq-cases "$(grep ERROR /tmp/irq.out || tail -n 1 /tmp/irq.out)"
fi
check vfio-irq-req-info "$(sed -n 's/^irq req-info //p' /tmp/irq.out)" \
	"count=1 eventfd=1 noresize=1"
while IFS='|' read -r name want; do
	check "vfio-irq-$name" "$(sed -n "s/^irq $name //p" /tmp/irq.out)" "$want"
done <<EOF
eventfd-minus-1|OK signalled=0 trigger=gone
bool-1|OK signalled=1 trigger=kept
bool-0|OK signalled=0 trigger=kept
none-1|OK signalled=1 trigger=kept
none-0|OK signalled=0 trigger=gone
count0-eventfd-undeclared|EINVAL signalled=0 trigger=kept
count0-eventfd-argsz|EINVAL signalled=0 trigger=kept
count0-bool-undeclared|EINVAL signalled=0 trigger=kept
count0-bool-argsz|EINVAL signalled=0 trigger=kept
eventfd-minus-2|EINVAL signalled=0 trigger=kept
eventfd-int-min|EINVAL signalled=0 trigger=kept
eventfd-not-eventfd|EINVAL signalled=0 trigger=kept
eventfd-not-open|EBADF signalled=0 trigger=kept
eventfd-short-argsz|EINVAL signalled=0 trigger=kept
bool-short-argsz|EINVAL signalled=0 trigger=kept
count-2|EINVAL signalled=0 trigger=kept
start-1|EINVAL signalled=0 trigger=kept
start-1-count-0|EINVAL signalled=0 trigger=kept
index-intx|EINVAL signalled=0 trigger=kept
index-out-of-range|EINVAL signalled=0 trigger=kept
action-mask|ENOTTY signalled=0 trigger=kept
action-unmask|ENOTTY signalled=0 trigger=kept
two-data-types|EINVAL signalled=0 trigger=kept
two-actions|ENOTTY signalled=0 trigger=kept
unknown-flag|EINVAL signalled=0 trigger=kept
argsz-below-header|EINVAL signalled=0 trigger=kept
EOF
n=$(dmesg_since | grep -c 'VFIO_DEVICE_SET_IRQS.*refused')
if [ "$n" -ge 1 ] && [ "$n" -le 10 ]; then
	pass vfio-irq-refusal-logged
else
	fail vfio-irq-refusal-logged "$n log lines for 21 refused calls"
fi

# rmmod is refused while a device fd is open
rm -f /tmp/release
if ! vfio_open_bg /tmp/hold.out "$U8" 8086 591d hold /tmp/release; then
	fail rmmod-refused-while-open "vfio-open: $(bg_said)"
elif rmmod "$MOD" 2>/dev/null; then
	fail rmmod-refused-while-open "rmmod succeeded with a device fd open"
else
	pass rmmod-refused-while-open
fi
touch /tmp/release
wait $bg_pid
check vfio-hold-closed "$(tail -n 1 /tmp/hold.out)" closed

# removing an mdev with an fd open: the REQ eventfd asks userspace to let go
vfio_open_bg /tmp/req.out "$U8" 8086 591d wait-req 30
req_pid=$bg_pid
if timeout 40 sh -c "echo 1 > $MDEVS/$U8/remove"; then
	wait $req_pid
	rc=$?
	if [ $rc = 0 ] && grep -q REQUEST /tmp/req.out && [ ! -e "$MDEVS/$U8" ]; then
		pass remove-while-open-via-request
	else
		fail remove-while-open-via-request "rc $rc: $(tr '\n' ' ' </tmp/req.out)"
	fi
else
	fail remove-while-open-via-request "remove did not complete"
	kill $req_pid 2>/dev/null
fi

# ---- removal and the budget --------------------------------------------------
remove_all
check remove-all "$(count_mdevs)" 0
check budget-restored "$(avail_all 0)" "8 4 2 1"

# ---- rmmod with live mdevs, load/unload cycles ------------------------------------
create 0 8
create 0 4
if rmmod "$MOD" && [ "$(count_mdevs)" = 0 ] && ! loaded; then
	pass rmmod-with-live-mdevs
else
	fail rmmod-with-live-mdevs "$(cat /tmp/rmmod.err 2>/dev/null) mdevs left: $(count_mdevs)"
fi
# LOAD_CYCLES: the debug lane asks for fewer; there each unload waits
# seconds for the delayed releases of CONFIG_DEBUG_KOBJECT_RELEASE.
cycles=${LOAD_CYCLES:-20}
i=0
while [ $i -lt "$cycles" ]; do
	load || break
	create 0 8
	[ "$created" = OK ] || break
	unload || break
	i=$((i + 1))
done
if [ $i = "$cycles" ] && ! loaded; then
	pass load-unload-cycles
else
	fail load-unload-cycles "stopped in cycle $i of $cycles: $(cat /tmp/modprobe.err /tmp/rmmod.err 2>/dev/null)"
fi

# ---- the default accepted range follows the host's own version -------------------
# Without accept=, a host accepts its own major version up to itself.
if load sw_version=1.3.0; then
	check accept-default-follows-sw-version "$(cat "$T8/migration_version")" \
		"$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.3.0;accepted_source_versions=1.0.0-1.3.0"
	check accept-default-own-string-compatible \
		"$(wr_result "$T8/migration_version" "$(cat "$T8/migration_version")")" OK
else
	fail accept-default-follows-sw-version "$(cat /tmp/modprobe.err)"
fi
if load sw_version=2.1.0; then
	check accept-default-major-floor "$(cat "$(type_dir 0 4)/migration_version")" \
		"$DEF_IDENT;type=GVTg_V5_4;aggregator=1;software_version=2.1.0;accepted_source_versions=2.0.0-2.1.0"
	check accept-default-older-major-refused \
		"$(wr_result "$(type_dir 0 4)/migration_version" "$(def_string 4)")" ERANGE
else
	fail accept-default-major-floor "$(cat /tmp/modprobe.err)"
fi
# An accept= that leaves out the host's own version loads, with one warning.
dmesg_mark
if load sw_version=1.3.0 accept=1.0.0-1.2.0; then
	pass accept-excluding-own-loads
	warn=$(dmesg_since | grep 'does not include')
	n=$(dmesg_since | grep -c 'does not include')
	case "$n:$warn" in
	1:*migver0*accept=1.0.0-1.2.0*sw_version=1.3.0*) pass accept-excluding-own-warns-once ;;
	*) fail accept-excluding-own-warns-once "$n lines: '$warn'" ;;
	esac
	check accept-excluding-own-refuses-own \
		"$(wr_result "$T8/migration_version" "$(cat "$T8/migration_version")")" ERANGE
else
	fail accept-excluding-own-loads "$(cat /tmp/modprobe.err)"
fi
# accept=none is a deliberate "no incoming migration": no warning
dmesg_mark
if load sw_version=1.3.0 accept=none; then
	check accept-none-no-warning "$(dmesg_since | grep -c 'does not include')" 0
else
	fail accept-none-no-warning "$(cat /tmp/modprobe.err)"
fi

# ---- guest_id=gvt: the GVT-like identity, for a VMM that wants it ---------------
if load guest_id=gvt; then
	create 0 8
	if vfio-open -g 8086:591d:030000 "$uuid" 8086 591d >/tmp/vfio.out 2>&1; then
		pass vfio-guest-id-gvt
	else
		fail vfio-guest-id-gvt "$(grep ERROR /tmp/vfio.out || tail -n 1 /tmp/vfio.out)"
	fi
	remove_all
else
	fail vfio-guest-id-gvt "$(cat /tmp/modprobe.err)"
fi

# ---- two hosts in one kernel: the source/target matrix ---------------------------
# migver0: 8086:591d 1.2.0 accepts 1.0.0-1.2.0         (host A)
# migver1: 8086:591d 1.3.0 accepts 1.1.0-1.3.0 (upgrade) (host B)
# migver2: 8086:5912 1.2.0 accepts 1.0.0-1.2.0         (other GPU)
# migver3: 8086:591d 1.2.0 gvt format, accepts none     (no migration)
if load nr_parents=4 device=0x591d,0x591d,0x5912,0x591d \
	sw_version=1.2.0,1.3.0,1.2.0,1.2.0 \
	accept=1.0.0-1.2.0,1.1.0-1.3.0,1.0.0-1.2.0,none \
	format=structured,structured,structured,gvt; then
	pass multi-parent-load
else
	fail multi-parent-load "$(cat /tmp/modprobe.err)"
fi
check multi-parent-gvt-format "$(cat "$(type_dir 3 8)/migration_version")" \
	8086-591d-GVTg_V5_8-01020000
check multi-parent-version-B "$(cat "$(type_dir 1 8)/migration_version")" \
	"$DEF_IDENT;type=GVTg_V5_8;aggregator=1;software_version=1.3.0;accepted_source_versions=1.1.0-1.3.0"
# (kept in /tmp/agree-matrix.cases for migver.sh)
while IFS='|' read -r src dst want; do
	s=$(cat "$(type_dir "$src" 8)/migration_version")
	check "matrix-migver$src-to-migver$dst" \
		"$(wr_result "$(type_dir "$dst" 8)/migration_version" "$s")" "$want"
	printf '%s|%s|%s\n' "$src" "$dst" "$want" >>/tmp/agree-matrix.cases
done <<EOF
0|0|OK
0|1|OK
0|2|ENODEV
0|3|EOPNOTSUPP
1|0|ERANGE
1|1|OK
1|2|ENODEV
1|3|EOPNOTSUPP
2|0|ENODEV
2|1|ENODEV
2|2|OK
2|3|EOPNOTSUPP
3|0|OK
3|1|OK
3|2|ENODEV
3|3|EOPNOTSUPP
EOF
check matrix-cross-type \
	"$(wr_result "$(type_dir 1 8)/migration_version" "$(cat "$(type_dir 0 4)/migration_version")")" \
	EMEDIUMTYPE
# device level across hosts, and the budgets are per parent
create 0 8
UA=$uuid
create 1 8
UB=$uuid
check matrix-device-A-to-B "$(wr_result "$MDEVS/$UB/migration_version" "$(cat "$MDEVS/$UA/migration_version")")" OK
check matrix-device-B-to-A "$(wr_result "$MDEVS/$UA/migration_version" "$(cat "$MDEVS/$UB/migration_version")")" ERANGE
check matrix-budget-per-parent "$(avail_all 0) / $(avail_all 2)" "7 3 1 0 / 8 4 2 1"
if vfio-open "$UB" 8086 591d >/tmp/vfio.out 2>&1; then
	pass matrix-vfio-open-B
else
	fail matrix-vfio-open-B "$(grep ERROR /tmp/vfio.out)"
fi
create 2 8
if vfio-open "$uuid" 8086 5912 >/tmp/vfio.out 2>&1; then
	pass matrix-vfio-open-other-gpu
else
	fail matrix-vfio-open-other-gpu "$(grep ERROR /tmp/vfio.out)"
fi
remove_all
check matrix-budget-restored "$(avail_all 0) / $(avail_all 1) / $(avail_all 2)" \
	"8 4 2 1 / 8 4 2 1 / 8 4 2 1"

if unload && ! loaded; then
	pass final-unload
else
	fail final-unload "$(cat /tmp/rmmod.err)"
fi
