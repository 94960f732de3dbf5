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
# shellcheck source=tests/qemu/guest/bench-params.sh
. /tests/bench-params.sh
MOD=mdev_migver
MT=/sys/class/mdev_bus/migver0/mdev_supported_types/migver-GVTg_V5_8
MTTY=/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1
CHECKER=/sys/module/$MOD/parameters/checker
scale=$BENCH_SCALE
# shellcheck disable=SC2013 # the command line is words, not lines
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	migver.bench_scale=*) scale=${arg#migver.bench_scale=} ;;
	esac
done
scale=$(echo "$scale" | tr ',' ' ')
max=0
for n in $scale; do [ "$n" -gt "$max" ] && max=$n; done
extra=$BENCH_SCALE_EXTRA # timed creates on each side at each scaling level

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
# each, i915's numbers), plus room for the memory step's instances.
need=$((max + extra + BENCH_MEM_LIVE))
# The VFIO container of items 6-8 needs the type1 IOMMU driver, which
# nothing loads on its own (no dependency of vfio or of our module).
modprobe vfio_iommu_type1 2>/tmp/err || err "modprobe vfio_iommu_type1: $(cat /tmp/err)"
# A second parent emits the gvt format, for a latency row of that format.
# A third accepts no migration: the target that refuses in item 8.
modprobe "$MOD" nr_parents=3 format=structured,gvt,structured \
	accept=1.0.0-1.2.0,1.0.0-1.2.0,none \
	low_gm_mb=$((need * 64)) high_gm_mb=$((need * 384)) \
	fences=$((need * 4)) 2>/tmp/err || err "modprobe $MOD: $(cat /tmp/err)"
modprobe mtty 2>/tmp/err || err "modprobe mtty: $(cat /tmp/err)"
[ -d "$MT" ] || err "no $MT"
[ -d "$MTTY" ] || err "no $MTTY"
echo "BENCH kernel $(uname -r)"
# The harness's slub_debug and KFENCE sampling must be off for this boot.
echo "BENCH debug slub_poison=$(cat /sys/kernel/slab/kmalloc-2k/poison 2>/dev/null)" \
	"kfence_interval=$(cat /sys/module/kfence/parameters/sample_interval 2>/dev/null)"
echo "BENCH budget V5_8=$(cat $MT/available_instances) mtty-1=$(cat $MTTY/available_instances)"
# the method as run (bench-params.sh), for the host's report
echo "BENCH method lat_iters=$BENCH_LAT_ITERS lat_rounds=$BENCH_LAT_ROUNDS" \
	"lat_warmup=$BENCH_LAT_WARMUP cycles=$BENCH_CYCLES mem_live=$BENCH_MEM_LIVE" \
	"scale=$(echo $scale | tr ' ' ',') scale_extra=$extra budget_per_parent=$need" \
	"mig_rounds=$BENCH_MIG_ROUNDS mig_wset=$BENCH_MIG_WSET"

# 1. Check latency.  Compatible write: the type's own string, as
# `cat SRC > DST` would write it.  Floor: the checker parameter's store with
# the value it already has: the same open-fd kernfs write path (buffer copy,
# sysfs store callback) with a few string compares behind it, so the ratio
# shows what parsing and checking add on top of the sysfs write itself.
v=$(cat $MT/migration_version)
cur=$(cat $CHECKER)
run mdev-bench lat $BENCH_LAT_ITERS $BENCH_LAT_ROUNDS $BENCH_LAT_WARMUP \
	"$MT/migration_version" "$v
" "$CHECKER" "$cur"
set -- $out
echo "BENCH lat-check $2 $3"
echo "BENCH lat-floor $5 $6"
echo "BENCH lat-bytes structured=$9 floor=${10}"
# The same with the short gvt format (migver1), to separate what parsing
# the 122-byte structured string costs from the rest of the store path.
GT=/sys/class/mdev_bus/migver1/mdev_supported_types/migver-GVTg_V5_8
v=$(cat $GT/migration_version)
run mdev-bench lat $BENCH_LAT_ITERS $BENCH_LAT_ROUNDS $BENCH_LAT_WARMUP \
	"$GT/migration_version" "$v
" "$CHECKER" "$cur"
set -- $out
echo "BENCH lat-gvt $2 $3"
echo "BENCH lat-floor-gvt $5 $6"
echo "BENCH lat-bytes gvt=$9"

# 2. Create+remove cycles, fresh uuid each, $BENCH_CYCLES each, ours and mtty
# alternating cycle by cycle (see mdev-bench.c: the guest's speed drifts).
run mdev-bench cycle $MT a0000000 $MTTY b0000000 $BENCH_CYCLES
set -- $out
echo "BENCH cycles-ours $1 $2"
echo "BENCH cycles-mtty $1 $3"

# 3. Memory of $BENCH_MEM_LIVE live instances.  Page-level counters (/proc/meminfo) only
# grow when a slab needs a new page, so whoever is measured second would
# reuse the pages the first one freed; hence one warm-up round of both
# first, and the object-level count from /proc/slabinfo (active objects
# times object size, summed over caches) as the main figure.  MemFree
# catches page-allocator memory (kmalloc > 8 KiB) as well, but also any
# other activity: the noisiest of the four.
mem() { # prints "Slab SUnreclaim VmallocUsed MemFree" in kB
	# Dentries and inodes are freed through RCU after drop_caches: let
	# those callbacks run, twice, or they land in the next delta.
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	awk '/^Slab:/{s=$2} /^SUnreclaim:/{u=$2} /^VmallocUsed:/{v=$2}
		/^MemFree:/{f=$2} END{print s, u, v, f}' /proc/meminfo
}
slabsnap() { # <file>: "cache bytes-in-use" per slab cache
	awk 'NR > 2 {print $1, $2 * $4}' /proc/slabinfo >"$1"
}
slabdelta() { # <before> <after>: "TOTAL=<bytes>", then the 4 biggest caches
	awk 'NR == FNR {b[$1] = $2; next} {t += $2 - b[$1]}
		END {printf "TOTAL=%d ", t}' "$1" "$2"
	awk 'NR == FNR {b[$1] = $2; next} $2 > b[$1] {print $2 - b[$1], $1}' \
		"$1" "$2" | sort -rn | head -n 4 | awk '{printf "%s=%d ", $2, $1}'
}
L=$BENCH_MEM_LIVE
run mdev-bench create $MT 0 $L c0000000
run mdev-bench create $MTTY 0 $L c0000001
run mdev-bench remove 0 $L c0000000
run mdev-bench remove 0 $L c0000001
# Twice each, and each driver once first: SLUB counts objects cached per
# CPU as in use, so one reading is off by up to a slab (16 x 2 KiB) per
# cache.
for who in ours mtty mtty ours; do
	if [ $who = ours ]; then dir=$MT tag=c0000002; else dir=$MTTY tag=c0000003; fi
	run mem
	set -- $out
	s0=$1 u0=$2 v0=$3 f0=$4
	slabsnap /tmp/slab0
	run mdev-bench create $dir 0 $L $tag
	slabsnap /tmp/slab1
	run mem
	set -- $out
	echo "BENCH mem-$who $L $(($1 - s0)) $(($2 - u0)) $(($3 - v0)) $((f0 - $4))"
	echo "BENCH slab-$who $L $(slabdelta /tmp/slab0 /tmp/slab1)"
	run mdev-bench remove 0 $L $tag
done

# 4. Scaling: fill ours and mtty up to each level, then time $extra more
# creates on each, alternating ours/mtty create by create (same guest speed
# for both), and remove those again.  Prints mean and median per create for
# both; growth that mtty shows too belongs to the mdev/vfio core.  A
# create's time is bimodal under TCG (some wait on RCU grace periods or
# deferred work, which advance with the 4 ms timer tick), so medians jump
# between modes and the host script compares means.  Levels are visited
# going up and again coming down, so drift cannot favour one end.
levels="$scale $(echo "$scale" | tr ' ' '\n' | sort -rn | tr '\n' ' ')"
live=0
for n in $levels; do
	for d in "$MT d0000000" "$MTTY e0000000"; do
		set -- $d
		if [ $n -gt $live ]; then
			run mdev-bench create $1 $live $((n - live)) $2
		elif [ $n -lt $live ]; then
			run mdev-bench remove $n $((live - n)) $2
		fi
	done
	live=$n
	# Let the deferred work of the fill or removal batch (RCU callbacks,
	# kworkers) finish before timing.
	sleep 2
	run mdev-bench create2 $MT d0000001 $MTTY e0000001 100000 $extra
	set -- $out
	echo "BENCH scale $n $3 $(($2 / $1)) $5 $(($4 / $1))"
	run mdev-bench remove 100000 $extra d0000001
	run mdev-bench remove 100000 $extra e0000001
done
run mdev-bench remove 0 $live d0000000
run mdev-bench remove 0 $live e0000000

# 6-8. Live migration between GVTg_V5_1 vGPUs of migver0 and migver1 (4 MiB
# of graphics memory each, every page written), and into migver2's, which
# accepts nothing (vfio-mig.c, command bench).
for p in 0 1 2; do
	echo "f000000$p-0000-4000-8000-000000000000" \
		>/sys/class/mdev_bus/migver$p/mdev_supported_types/migver-GVTg_V5_1/create ||
		err "create GVTg_V5_1 on migver$p"
done
run vfio-mig bench $BENCH_MIG_ROUNDS $BENCH_MIG_WSET \
	f0000000-0000-4000-8000-000000000000 f0000001-0000-4000-8000-000000000000 \
	f0000002-0000-4000-8000-000000000000
res=$(echo "$out" | sed -n 's/^RESULT bench //p')
[ -n "$res" ] || err "vfio-mig bench: $(echo "$out" | tail -n 1)"
echo "BENCH mig $res"
for p in 0 1 2; do
	echo 1 >/sys/bus/mdev/devices/f000000$p-0000-4000-8000-000000000000/remove
done

rmmod mtty $MOD || err "rmmod"
echo "BENCH done"
