#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest entry `bench` (`make bench`, host side tests/bench/run.sh): measures
# mdev_migver against the kernel's mtty sample in this one boot and prints
#   BENCH <key> <values...>
# lines, never PASS/FAIL/SKIP: these are measurements, not tests, and the
# host script turns them into a table.  A step that cannot run prints
# "BENCH-ERROR <what>" and the script exits non-zero.
#
# Kernel parameters (from tests/bench/run.sh): migver.bench_scale=N1,N2,...
# (live-instance levels for the scaling step).
# shellcheck disable=SC2086 # results are split into "$@" on purpose
MOD=mdev_migver
MT=/sys/class/mdev_bus/migver0/mdev_supported_types/migver-GVTg_V5_8
MTTY=/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1
CHECKER=/sys/module/$MOD/parameters/checker
scale=10,100,1000
# shellcheck disable=SC2013 # the command line is words, not lines
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	migver.bench_scale=*) scale=${arg#migver.bench_scale=} ;;
	esac
done
scale=$(echo "$scale" | tr ',' ' ')
max=0
for n in $scale; do [ "$n" -gt "$max" ] && max=$n; done
extra=20 # timed creates on top of each scaling level

err() {
	echo "BENCH-ERROR $*"
	exit 1
}

# run <cmd...>: its output split into "$@" of the caller via $out; a failure
# ends the run (a `set -- $(cmd)` would hide the command's status).
run() {
	out=$("$@") || err "$*"
}

# Budget for $max + $extra live GVTg_V5_8 (64 MB low, 384 MB high, 4 fences
# each, i915's numbers), plus room for the memory step's 64.
need=$((max + extra + 64))
modprobe "$MOD" low_gm_mb=$((need * 64)) high_gm_mb=$((need * 384)) \
	fences=$((need * 4)) 2>/tmp/err || err "modprobe $MOD: $(cat /tmp/err)"
modprobe mtty 2>/tmp/err || err "modprobe mtty: $(cat /tmp/err)"
[ -d "$MT" ] || err "no $MT"
[ -d "$MTTY" ] || err "no $MTTY"
echo "BENCH kernel $(uname -r)"
echo "BENCH budget V5_8=$(cat $MT/available_instances) mtty-1=$(cat $MTTY/available_instances)"

# 1. Check latency.  Compatible write: the type's own string, as
# `cat SRC > DST` would write it.  Floor: the checker parameter's store with
# the value it already has: the same open-fd kernfs write path (buffer copy,
# sysfs store callback) with a few string compares behind it, so the ratio
# shows what parsing and checking add on top of the sysfs write itself.
v=$(cat $MT/migration_version)
cur=$(cat $CHECKER)
run mdev-bench lat 2000 10 "$MT/migration_version" "$v
" "$CHECKER" "$cur"
set -- $out
echo "BENCH lat-check $2 $3"
echo "BENCH lat-floor $5 $6"

# 2. Create+remove cycles, fresh uuid each, 500 each; alternated in halves
# so that a slow stretch of the (shared, emulated) host hits both.
ours=0 theirs=0
for half in 0 1; do
	run mdev-bench cycle $MT 250 "a000000$half"
	set -- $out
	ours=$((ours + $2))
	run mdev-bench cycle $MTTY 250 "b000000$half"
	set -- $out
	theirs=$((theirs + $2))
done
echo "BENCH cycles-ours 500 $ours"
echo "BENCH cycles-mtty 500 $theirs"

# 3. Memory of 64 live instances: /proc/meminfo before and after, reclaimable
# caches dropped first so only what the instances hold remains.
mem() { # prints "Slab SUnreclaim VmallocUsed" in kB
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/{s=$2} /^SUnreclaim:/{u=$2} /^VmallocUsed:/{v=$2}
		END{print s, u, v}' /proc/meminfo
}
for who in ours mtty; do
	if [ $who = ours ]; then dir=$MT tag=c0000000; else dir=$MTTY tag=c0000001; fi
	run mem
	set -- $out
	s0=$1 u0=$2 v0=$3
	run mdev-bench create $dir 0 64 $tag
	run mem
	set -- $out
	echo "BENCH mem-$who 64 $(($1 - s0)) $(($2 - u0)) $(($3 - v0))"
	run mdev-bench remove 0 64 $tag
done

# 4. Scaling: fill up to each level, then time $extra more creates there
# (median per create) and remove those again.
live=0
for n in $scale; do
	if [ $n -gt $live ]; then
		run mdev-bench create $MT $live $((n - live)) d0000000
		live=$n
	fi
	run mdev-bench create $MT 100000 $extra d0000001
	set -- $out
	echo "BENCH scale $n $3 $(($2 / $1))"
	run mdev-bench remove 100000 $extra d0000001
done
run mdev-bench remove 0 $live d0000000
set -- $out
echo "BENCH remove-all $1 $2"
rmmod mtty $MOD || err "rmmod"
echo "BENCH done"
