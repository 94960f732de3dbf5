#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `faults` of the debug lane (tests/debug/run.sh boots it beside
# entry `debug`; busybox sh): fault injection over every failure point of
# module init, parent registration and mdev probe.  Systematic, not random:
# /proc/<pid>/fail-nth (fault-op N ...) fails the N-th fault point the
# operation passes, for N = 1, 2, ... until it passes fewer than N points.
#
#   init sweep   finit_module with nr_parents=2; the points are the
#                driver's own (src/driver/fault.c: driver, class, and per
#                parent parent-alloc, parent-name, parent-add, parent-mdev,
#                type-attr per type, then pci-driver).  Allocations inside the kernel's calls
#                are not swept here: every failed load waits out chained
#                delayed releases of CONFIG_DEBUG_KOBJECT_RELEASE (about
#                14 s a point on this kernel), which a sweep over every
#                allocation of a load cannot afford.
#   probe sweep  `echo <uuid> > create`: every slab allocation with module
#                code on the stack (failslab, stack filter on the module
#                area: the mdev core, VFIO and us) and our probe points.
#   mig sweep    one STOP_COPY migration between the two hosts
#                (vfio-mig fault N): every slab allocation with module code
#                on the stack while saving, resuming and applying (the
#                migration files, the staged graphics memory, its pages);
#                after each, the target unchanged by a failed migration
#                (equal to the source after a successful one), both
#                devices reset to RUNNING, and a migration works.
#
# Each injected failure must make the operation fail with an errno and
# leave nothing behind (module not loaded / no mdev, budget unchanged), or
# be absorbed by the kernel with a complete result; the module must unload
# and load again afterwards; then a kmemleak report (after-faults).
# Result lines: faults/<case>; "faults: ..." lines give the points covered.
# shellcheck source=tests/qemu/guest/lib.sh
. /tests/lib.sh
# shellcheck source=tests/debug/guest/kmemleak.sh
. /tests/kmemleak.sh

FS=/sys/kernel/debug/failslab
KO=$(find /lib/modules -name "$MOD.ko" | head -n 1)
MAX_POINTS=2000

# The one core function whose allocations the probe sweep leaves out
# (failslab has a single reject range), for a bug of its own that such a
# failure triggers: 6.12's vfio_create_group() (drivers/vfio/group.c) puts a
# group that still holds its iommu_group when dev_set_name() or
# cdev_device_add() fails, and vfio_group_release() WARNs (group.c:538),
# fatal under panic_on_warn.  Seen by this sweep; not our code.
EXCLUDE=vfio_create_group

# fn_range <function>: "0x<start> 0x<end>" of its text, from kallsyms
fn_range() {
	sort /proc/kallsyms | awk -v f="$1" '
		found { print "0x" a, "0x" $1; exit }
		$3 == f { a = $1; found = 1 }'
}

# failslab_scope none|modules: which allocations fail-nth counts.
# x86_64 without KASLR (debug.config): modules live in
# [0xffffffffa0000000, 0xffffffffff000000), Documentation/arch/x86/x86_64/mm.rst.
failslab_scope() {
	echo N >"$FS/ignore-gfp-wait"
	echo 0 >"$FS/verbose"
	echo 32 >"$FS/stacktrace-depth"
	if [ "$1" = none ]; then
		# an empty required range: no allocation qualifies
		echo 0 >"$FS/require-start"
		echo 1 >"$FS/require-end"
		echo 0 >"$FS/reject-start"
		echo 0 >"$FS/reject-end"
	else
		echo 0xffffffffa0000000 >"$FS/require-start"
		echo 0xffffffffff000000 >"$FS/require-end"
		r=$(fn_range $EXCLUDE)
		if [ -z "$r" ]; then
			fail faults/exclude "no $EXCLUDE in /proc/kallsyms"
			return
		fi
		echo "${r% *}" >"$FS/reject-start"
		echo "${r#* }" >"$FS/reject-end"
	fi
}

# The sites our points printed since the mark ("injected failure: <site>").
sites_since() {
	dmesg_since | sed -n 's/.*mdev_migver: injected failure: \([a-z-]*\).*/\1/p' |
		sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep = " " }'
}

# sweep <op>: fail point N = 1, 2, ... of one operation until it passes
# fewer than N points.  The operation is a set of functions:
#   <op>_prepare         before each attempt (false: give up)
#   <op>_run N           the attempt: prints its verdict, the line
#                        "<OK|errno name> injected=<0|1>" (fault-op's);
#                        anything else means it could not run at all and
#                        ends the sweep
#   <op>_complete        true when a successful attempt made everything
#   <op>_gone            true when a failed attempt left nothing behind
#   <op>_left            what a failed attempt left, for the report
#   <op>_undo            undo a successful (or half-failed) attempt
# Sets points, failed (failed cleanly), absorbed (succeeded anyway, complete)
# and errnos; one FAIL case per bad point.
sweep() {
	n=1
	failed=0
	absorbed=0
	errnos=""
	dmesg_mark
	while :; do
		if ! "$1_prepare"; then
			fail "faults/$1-sweep" "point $n: cannot prepare the attempt"
			break
		fi
		r=$("$1_run" $n)
		case "$r" in
		*" injected=0" | *" injected=1") ;;
		*)
			fail "faults/$1-sweep" "point $n: no verdict: ${r:-nothing}"
			break
			;;
		esac
		case "$r" in
		"OK injected=0")
			"$1_complete" || fail "faults/$1-sweep" "the uninjected $1 is incomplete"
			"$1_undo"
			break
			;;
		*" injected=0")
			fail "faults/$1-sweep" "point $n: failed without an injected fault: $r"
			break
			;;
		"OK injected=1")
			"$1_complete" || fail "faults/$1-point-$n" "succeeded incomplete"
			absorbed=$((absorbed + 1))
			"$1_undo"
			;;
		*)
			e=${r%% *}
			if "$1_gone"; then
				failed=$((failed + 1))
				case " $errnos " in *" $e "*) ;; *) errnos="$errnos $e" ;; esac
			else
				fail "faults/$1-point-$n" "returned $e but left $("$1_left")"
				"$1_undo"
			fi
			;;
		esac
		n=$((n + 1))
		if [ $n -gt $MAX_POINTS ]; then
			fail "faults/$1-sweep" "more than $MAX_POINTS points"
			break
		fi
	done
	points=$((n - 1))
}

# ---- init: finit_module with nr_parents=2 ----------------------------------
init_prepare() {
	wait_driver_gone
}

init_run() {
	fault-op "$1" load "$KO" nr_parents=2
}

init_complete() {
	loaded && [ -d "/sys/bus/mdev/drivers/$MOD" ] || return 1
	for p in 0 1; do
		for t in 8 4 2 1; do
			[ -f "$(type_dir $p $t)/migration_version" ] &&
				[ -f "$(type_dir $p $t)/create" ] || return 1
		done
	done
}

init_gone() {
	! loaded && [ ! -e /sys/class/migver ] &&
		[ ! -e /sys/class/mdev_bus/migver0 ] &&
		[ ! -e "/sys/kernel/debug/fail_$MOD" ]
}

init_left() {
	ls -d "/sys/module/$MOD" /sys/class/migver /sys/class/mdev_bus/migver* \
		"/sys/kernel/debug/fail_$MOD" 2>/dev/null | tr '\n' ' '
}

init_undo() {
	unload
}

# ---- probe: echo <uuid> > create ----------------------------------------------
probe_prepare() {
	u=$(new_uuid)
}

probe_run() {
	fault-op "$1" write "$(type_dir 0 8)/create" "$u"
}

probe_complete() {
	[ -e "$MDEVS/$u/migration_version" ] && [ -e "$MDEVS/$u/iommu_group" ]
}

probe_gone() {
	[ ! -e "$MDEVS/$u" ] && [ "$(avail_all 0)" = "$avail0" ]
}

probe_left() {
	echo "mdev $(ls -d "$MDEVS/$u" 2>/dev/null), counts $(avail_all 0) (were $avail0)"
}

probe_undo() {
	remove_all
}

kmemleak_baseline faults/kmemleak-baseline
if [ ! -w "$FS/ignore-gfp-wait" ] || [ ! -w /proc/self/fail-nth ] || [ -z "$KO" ]; then
	fail faults/setup "no failslab/fail-nth in this kernel, or no $MOD.ko"
	finish
	exit 1
fi
# the dependencies (vfio, mdev) stay loaded; only our module comes and goes
unload
if ! modprobe "$MOD" || ! rmmod "$MOD"; then
	fail faults/setup "modprobe/rmmod $MOD failed"
	finish
	exit 1
fi
pass faults/setup

failslab_scope none
sweep init
echo "faults: init (nr_parents=2): $points points: $failed failed cleanly with${errnos:- nothing}, $absorbed absorbed; sites: $(sites_since)"
# 2 + 2 parents x (4 + 4 types): fewer means a point was never reached
if [ $points -ge 18 ] && [ $((failed + absorbed)) -eq $points ]; then
	pass faults/init-sweep
else
	fail faults/init-sweep "$points points (want >= 18), $failed failed + $absorbed absorbed"
fi

if ! load nr_parents=2; then
	fail faults/probe-load "$(cat /tmp/modprobe.err)"
	finish
	exit 1
fi
avail0=$(avail_all 0)
failslab_scope modules
sweep probe
failslab_scope none
echo "faults: probe: $points points (allocations under module code except in $EXCLUDE, and ours): $failed failed cleanly with${errnos:- nothing}, $absorbed absorbed; our sites: $(sites_since)"
check faults/probe-budget "$(avail_all 0)" "$avail0"
if [ $points -ge 3 ] && [ $((failed + absorbed)) -eq $points ]; then
	pass faults/probe-sweep
else
	fail faults/probe-sweep "$points points, $failed failed + $absorbed absorbed"
fi

# ---- the attribute by hand, as the README shows it --------------------------
A=/sys/kernel/debug/fail_$MOD
dmesg_mark
if echo 1 >"$A/times" && echo 100 >"$A/probability"; then
	create 0 8
	first=$created
	create 0 8
	check faults/attr-probe "$first $created $(dmesg_since | grep -c 'injected failure: probe-alloc')" "ENOMEM OK 1"
	echo 0 >"$A/probability"
	remove_all
else
	fail faults/attr-probe "cannot write $A"
fi

# ---- migration: save and restore between the two hosts ------------------------
mig_prepare() {
	true
}

# vfio-mig fault prints its verdict line first, or, when it could not run
# at all, only "RESULT fail <why>"; the sweep stops on the latter
mig_run() {
	vfio-mig fault "$1" "$MA" "$MB" >/tmp/mig-fault.out 2>&1
	v=$(sed -n '/^[A-Za-z0-9?]* injected=[01]$/{p;q;}' /tmp/mig-fault.out)
	echo "${v:-$(grep -m 1 . /tmp/mig-fault.out)}"
}

mig_complete() {
	[ "$(cat /tmp/mig-fault.state 2>/dev/null)" = clean ]
}

mig_gone() {
	mig_complete
}

mig_left() {
	cat /tmp/mig-fault.state 2>/dev/null || echo "no verdict of vfio-mig"
}

mig_undo() {
	:
}

remove_all
# VFIO_SET_IOMMU needs the type1 backend, which nothing loads on its own
if modprobe vfio_iommu_type1 2>/tmp/err; then
	create 0 8
	MA=$uuid
	create 1 8
	MB=$uuid
	nfail_mig=$nfail
	failslab_scope modules
	sweep mig
	failslab_scope none
	echo "faults: migration: $points points: $failed failed cleanly with${errnos:- nothing}, $absorbed absorbed"
	if [ "$nfail" -eq "$nfail_mig" ] && [ $points -ge 5 ] &&
		[ $((failed + absorbed)) -eq $points ]; then
		pass faults/mig-sweep
	elif [ "$nfail" -eq "$nfail_mig" ]; then
		fail faults/mig-sweep "$points points, $failed failed + $absorbed absorbed"
	fi
else
	fail faults/mig-sweep "modprobe vfio_iommu_type1: $(cat /tmp/err)"
fi
remove_all

# ---- and the module still works ---------------------------------------------
create 0 8
if [ "$created" = OK ] && [ -d "$MDEVS/$uuid" ] && unload && wait_driver_gone &&
	load && unload; then
	pass faults/unload-reload
else
	fail faults/unload-reload "create $created; $(cat /tmp/modprobe.err /tmp/rmmod.err 2>/dev/null)"
fi
kmemleak_report after-faults
finish
