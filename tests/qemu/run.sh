#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/qemu/run.sh: driver scenarios on real Debian kernels (`make qemu-test`).
#
# For each suite in $MIGVER_SUITES (default: tests/lib/suites.sh, i.e. the
# 6.1, 6.12, newest and next (experimental rc) kernels): prepare the cached build root, build the
# module with that suite's compiler, build the initramfs, boot the kernel in
# QEMU with guest entry `matrix` (tests/qemu/guest/matrix.sh), then turn
#   PASS <case> / FAIL <case>: <why> / SKIP <case>: <why>
# lines of the results port into cases named <suite>/<case>, plus
# <suite>/kernel-log-clean (no WARN/BUG/Oops/KASAN/KFENCE/UBSAN/panic/GPF/
# Call Trace in the console log; a missing or empty console fails).
# The plan: tests/qemu/guest/<entry>.plan lists the guest's cases; every one
# must be reported on every kernel (tests/lib/results.sh).  Preparing the
# root, building and booting are steps: a failed step fails once, and the
# cases it kept from running fail as missing.
# Logs: build/qemu/<suite>/{build.log,console-matrix.log,results-matrix.log}.
# After the matrix VMs (they boot first, alone), on the suites named in
# MIGVER_VMM_SUITES (default bookworm trixie sid: tests/lib/suites.sh),
# a second VM runs guest entry `vmm` (tests/qemu/guest/vmm.sh,
# plan vmm.plan, cases <suite>/vmm/<case>): a real QEMU >= 8.1 (trixie's,
# sid's, bookworm-backports' for bookworm) migrates a VM with our vGPUs; its
# initramfs is vmm-initramfs.sh's (the matrix one plus QEMU).
# MIGVER_ENTRY=vmm boots only those (default there bookworm trixie sid).
# After the matrix VMs, on the suites named in MIGVER_LIBVIRT_SUITES
# (default bookworm trixie sid), a third VM
# runs guest entry `libvirt`
# (tests/qemu/guest/libvirt.sh, plan libvirt.plan, cases
# <suite>/libvirt/<case>): the suite's libvirtd, virsh, mdevctl and udevd
# from a cached Debian root (libvirt-root.sh) that the VM reads over
# virtio-9p (-virtfs, read-only); its initramfs is libvirt-initramfs.sh's
# (the matrix one plus the 9p and overlay modules).  MIGVER_ENTRY=libvirt
# boots only those.
# After the matrix VMs with MIGVER_TWOHOST=1 (the default; both of its
# suites in the run) or with MIGVER_ENTRY=twohost (alone, `make twohost-test`), two
# more VMs run guest entry `twohost`
# (tests/qemu/guest/twohost.sh, plan twohost.plan, cases twohost/<host>/<case>):
# host a on the first suite of MIGVER_TWOHOST_SUITES (default "trixie sid"),
# host b on the second, each with its suite's QEMU (twohost-initramfs.sh:
# vmm-initramfs.sh's plus the virtio-net modules), joined by the outer
# QEMUs' -netdev stream over a unix socket in the output directory (a
# listens, b connects); the nested QEMU migrates a VM with our vGPU from
# one to the other over TCP.  Nothing on the host takes part beyond
# starting them (b once a's socket exists).
# Env: MIGVER_SUITES, MIGVER_ENTRY (default matrix), MIGVER_MAKE_ARGS (default
# tests/lib/kbuild-flags.sh's, the lint lane's: one build serves both),
#      MIGVER_CACHE (default /var/cache/mdev-migver), MIGVER_BOOT_TIMEOUT,
#      MIGVER_VMM_SUITES, MIGVER_LIBVIRT_SUITES, MIGVER_TWOHOST,
#      MIGVER_TWOHOST_SUITES (defaults and how to leave a boot out:
#      tests/lib/suites.sh), MIGVER_VMM_TIMEOUT, MIGVER_LIBVIRT_TIMEOUT,
#      MIGVER_TWOHOST_TIMEOUT, MIGVER_QEMU_VMS (how many of the VMs after
#      the matrix ones run at a time, default 5, at least 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
lib=tests/qemu/lib
. tests/lib/results.sh
. tests/lib/guest-results.sh
# shellcheck source=tests/lib/suites.sh
. tests/lib/suites.sh
# shellcheck source=tests/lib/kbuild-flags.sh
. tests/lib/kbuild-flags.sh

suites=$MIGVER_SUITES
entry=${MIGVER_ENTRY:-matrix}
# The boots after the matrix VMs, each on the suites its variable names
# (tests/lib/suites.sh: by default vmm and libvirt on bookworm, trixie
# and sid, twohost on trixie and sid), or alone with
# MIGVER_ENTRY=vmm/libvirt/twohost (make vmm-test, ...).
# vmm boots: the suites of this run with a QEMU >= 8.1 (vmm-payload.sh).
vmm_suites=
vmm_list=$MIGVER_VMM_SUITES
[ "$entry" != vmm ] || vmm_list=${MIGVER_VMM_SUITES:-$MIGVER_VMM_SUITES_ALL}
if [ "$entry" = matrix ] || [ "$entry" = vmm ]; then
	for suite in $suites; do
		case " $vmm_list " in
		*" $suite "*) vmm_suites="$vmm_suites $suite" ;;
		esac
	done
fi
# libvirt boots: the suites of this run with a libvirt root (libvirt-root.sh).
libvirt_suites=
if [ "$entry" = matrix ] || [ "$entry" = libvirt ]; then
	for suite in $suites; do
		case " $MIGVER_LIBVIRT_SUITES " in
		*" $suite "*) libvirt_suites="$libvirt_suites $suite" ;;
		esac
	done
fi
# MIGVER_ENTRY=vmm/libvirt: only the suites with such a boot are prepared
[ "$entry" != vmm ] || suites=$vmm_suites
[ "$entry" != libvirt ] || suites=$libvirt_suites
# twohost boots: two suites, host a and host b, both in the run (with
# MIGVER_ENTRY=twohost, the two alone).
twohost_suites=
if [ "$entry" = twohost ]; then
	twohost_suites=$MIGVER_TWOHOST_SUITES
elif [ "$entry" = matrix ] && [ "$MIGVER_TWOHOST" = 1 ]; then
	twohost_suites=$MIGVER_TWOHOST_SUITES
	for s in $twohost_suites; do
		case " $suites " in *" $s "*) ;; *) twohost_suites= ;; esac
	done
fi
# shellcheck disable=SC2086 # two words
[ -z "$twohost_suites" ] || set -- $twohost_suites
twohost_a=${1:-} twohost_b=${2:-}
[ "$entry" != twohost ] || suites=$twohost_suites
# The migver tool's agreement cases under every checker run on one suite
# (trixie's 6.12 when it is in the run), the default checker's on each.
agree_suite=
if [ "$entry" = matrix ]; then
	for s in $suites; do
		agree_suite=${agree_suite:-$s}
		[ "$s" != trixie ] || agree_suite=trixie
	done
fi
for suite in $suites; do
	case $entry in
	vmm | libvirt | twohost) ;;
	matrix)
		if [ "$suite" = "$agree_suite" ]; then
			guest_plan "$suite" tests/qemu/guest/matrix.plan tests/qemu/guest/migver.plan \
				tests/qemu/guest/migver-checkers.plan
		else
			guest_plan "$suite" tests/qemu/guest/matrix.plan tests/qemu/guest/migver.plan
		fi
		;;
	*) guest_plan "$suite" "tests/qemu/guest/$entry.plan" ;;
	esac
done
for suite in $vmm_suites; do
	guest_plan "$suite/vmm" tests/qemu/guest/vmm.plan
done
for suite in $libvirt_suites; do
	guest_plan "$suite/libvirt" tests/qemu/guest/libvirt.plan
done
if [ -n "$twohost_suites" ]; then
	plan_file tests/qemu/guest/twohost.plan twohost/
	plan twohost/a/kernel-log-clean twohost/b/kernel-log-clean
fi
# README's Usage transcript is what `make demo` prints on Debian 12: the
# matrix run also boots entry demo there and compares the two.
demo_suite=
case " $suites " in *" bookworm "*) [ "$entry" = matrix ] && demo_suite=bookworm ;; esac
[ -z "$demo_suite" ] || plan "$demo_suite/demo/kernel-log-clean" "$demo_suite/demo-matches-readme"

# One run per output directory: concurrent runs in the same checkout would
# overwrite each other's initramfs and logs (QEMU keeps writing to a file
# the other run has replaced).  A second run waits for the first.
export MIGVER_QEMU_OUT=${MIGVER_QEMU_OUT:-$PWD/build/qemu}
mkdir -p "$MIGVER_QEMU_OUT"
exec 8>"$MIGVER_QEMU_OUT/.lock"
if ! flock -n 8; then
	echo "qemu: another run is using $MIGVER_QEMU_OUT; waiting" >&2
	flock 8
fi

timings=()
prepare() {
	local r
	r=$(bash $lib/prepare-root.sh "$1") || return 1
	export "MIGVER_ROOT_$1=$r"
}
lvroot() {
	local r
	r=$(bash $lib/libvirt-root.sh "$1") || return 1
	libvirt_root[$1]=$r
}
step() { # step <var> <cmd...>: run, store elapsed seconds in <var>
	local __v=$1 __t=$SECONDS __rc=0
	shift
	"$@" || __rc=$?
	printf -v "$__v" '%s' $((SECONDS - __t))
	return $__rc
}

# Steps per suite, and each suite's VM started as soon as its initramfs is
# ready, while the next suite builds: each VM is single-threaded TCG
# (boot.sh), so they share the host's cores with the builds.
ready=() vmm_ready=() libvirt_ready=() twohost_ready=()
declare -A t_prep t_build t_initrd t_vmm t_lvroot t_twohost boot_pid vmm_pid libvirt_pid libvirt_root twohost_pid
demo_pid=
t_boot=
# the vmm VMs: 2 GiB (the initramfs with QEMU, two nested 16 MiB VMs at
# a time).  The VMs after the matrix ones have 1800 s each
# (MIGVER_VMM_TIMEOUT, MIGVER_LIBVIRT_TIMEOUT, MIGVER_TWOHOST_TIMEOUT),
# there to end a hang, not to judge speed: a vmm VM takes about 2 minutes
# alone, but all eight later VMs side by side beside the debug lane took
# the vmm ones 491-503 s on the machine of 29 November 2026, and a slower
# machine of the same kind may need twice that (on the one before, make
# check without these boots took 22-26 minutes; on this one, with them,
# 17).
start_boot() { # start_boot <suite> <entry>
	[ -n "$t_boot" ] || t_boot=$SECONDS
	if [ "$2" = vmm ]; then
		MIGVER_INITRD=$MIGVER_QEMU_OUT/$1/initramfs-vmm.cpio.gz MIGVER_QEMU_MEM=2048 \
			MIGVER_BOOT_TIMEOUT=${MIGVER_VMM_TIMEOUT:-1800} bash $lib/boot.sh "$1" vmm &
		vmm_pid[$1]=$!
	elif [ "$2" = libvirt ]; then
		# 2 GiB: libvirtd, udevd and the overlay's tmpfs; the root is
		# read over 9p (cache=loose in the guest), never written to.
		(
			t=$SECONDS rc=0
			MIGVER_INITRD=$MIGVER_QEMU_OUT/$1/initramfs-libvirt.cpio.gz MIGVER_QEMU_MEM=2048 \
				MIGVER_QEMU_ARGS="-virtfs local,path=${libvirt_root[$1]},mount_tag=lvroot,security_model=none,readonly=on" \
				MIGVER_BOOT_TIMEOUT=${MIGVER_LIBVIRT_TIMEOUT:-1800} bash $lib/boot.sh "$1" libvirt || rc=$?
			echo $((SECONDS - t)) >"$MIGVER_QEMU_OUT/$1/libvirt-boot.seconds"
			exit $rc
		) &
		libvirt_pid[$1]=$!
	elif [ "$2" = demo ]; then
		boot_clear "$MIGVER_QEMU_OUT/$1" demo
		bash $lib/boot.sh "$1" demo &
		demo_pid=$!
	elif [ "$1" = "$agree_suite" ]; then
		MIGVER_APPEND="${MIGVER_APPEND:-} migver.all_checkers=1" bash $lib/boot.sh "$1" "$2" &
		boot_pid[$1]=$!
	else
		bash $lib/boot.sh "$1" "$2" &
		boot_pid[$1]=$!
	fi
}
for suite in $suites; do
	echo "=== qemu: $suite"
	t_prep[$suite]=- t_build[$suite]=- t_initrd[$suite]=- t_vmm[$suite]=- t_lvroot[$suite]=- t_twohost[$suite]=-
	out=$MIGVER_QEMU_OUT/$suite
	mkdir -p "$out"
	boot_clear "$out" "$entry"
	# The later steps reuse this root instead of resolving it again.
	if ! step "t_prep[$suite]" prepare "$suite"; then
		step_fail "$suite/prepare" "could not prepare the $suite root"
		continue
	fi
	# shellcheck disable=SC2086 # word splitting of make args is intended
	if ! step "t_build[$suite]" bash $lib/build-module.sh "$suite" ${MIGVER_MAKE_ARGS-$MIGVER_KBUILD_ARGS}; then
		step_fail "$suite/build" "module build failed (see $out/build.log)"
		continue
	fi
	if ! step "t_initrd[$suite]" bash $lib/initramfs.sh "$suite"; then
		step_fail "$suite/initramfs" "initramfs build failed"
		continue
	fi
	if [ "$entry" != vmm ] && [ "$entry" != libvirt ] && [ "$entry" != twohost ]; then
		ready+=("$suite")
		start_boot "$suite" "$entry"
		[ "$suite" != "$demo_suite" ] || start_boot "$suite" demo
	fi
	case " $twohost_suites " in
	*" $suite "*)
		boot_clear "$out" twohost
		if step "t_twohost[$suite]" bash $lib/twohost-initramfs.sh "$suite"; then
			twohost_ready+=("$suite")
		else
			step_fail "twohost/$suite/initramfs" "the twohost initramfs could not be made"
		fi
		;;
	esac
	case " $libvirt_suites " in
	*" $suite "*)
		boot_clear "$out" libvirt
		rm -f "$out/libvirt-boot.seconds"
		if ! step "t_lvroot[$suite]" lvroot "$suite"; then
			step_fail "$suite/libvirt/root" "the libvirt root could not be made (libvirt-root.sh)"
		elif ! bash $lib/libvirt-initramfs.sh "$suite"; then
			step_fail "$suite/libvirt/initramfs" "the libvirt initramfs could not be made"
		else
			libvirt_ready+=("$suite")
		fi
		;;
	esac
	case " $vmm_suites " in *" $suite "*) ;; *) continue ;; esac
	boot_clear "$out" vmm
	if ! step "t_vmm[$suite]" bash $lib/vmm-initramfs.sh "$suite"; then
		step_fail "$suite/vmm/initramfs" "the vmm initramfs (QEMU payload) could not be made"
		continue
	fi
	vmm_ready+=("$suite")
done

# The matrix VMs first, alone (with the demo): the vmm, libvirt and
# twohost VMs start once they have ended.  Side by side with them (and
# make check's three debug VMs) thirteen single-threaded TCG guests shared
# two cores, and the matrix VMs ran into their 600 s timeout with 73 s of
# CPU (of about 90 they need).
for suite in "${ready[@]}"; do
	boot_rc=0
	wait "${boot_pid[$suite]}" || boot_rc=$?
	echo "=== qemu: $suite booted, exit $boot_rc"
	boot_verdict "$suite" "$entry" "$boot_rc" "$MIGVER_QEMU_OUT/$suite"
done
# The later VMs (vmm, libvirt, twohost), at most $MIGVER_QEMU_VMS (default
# 5) at a time, the vmm ones (the most CPU) first.  All eight at once
# beside make check's three debug VMs left each so little of the two
# cores that timeouts inside them ran out (a virsh save that takes 4-12 s
# passed its 300 s once).  With 4, the three libvirt VMs (mostly waiting,
# 250-450 s each) ran one after the other beside the vmm ones and the
# later VMs took 611 s, against 500 s all at once.  slots <n> waits until
# at most <n> run, each one that ended leaving its exit status in vm_rc.
max_vms=${MIGVER_QEMU_VMS:-5}
[ "$max_vms" -ge 2 ] 2>/dev/null || max_vms=2
running=()
declare -A vm_rc
slots() {
	local ended rc p left
	while [ "${#running[@]}" -gt "$1" ]; do
		ended='' rc=0
		wait -n -p ended "${running[@]}" || rc=$?
		[ -n "$ended" ] || continue
		vm_rc[$ended]=$rc
		left=()
		for p in "${running[@]}"; do
			[ "$p" = "$ended" ] || left+=("$p")
		done
		running=(${left[@]+"${left[@]}"})
	done
}
for suite in "${vmm_ready[@]}"; do
	slots $((max_vms - 1))
	start_boot "$suite" vmm
	running+=("${vmm_pid[$suite]}")
done
for suite in "${libvirt_ready[@]}"; do
	slots $((max_vms - 1))
	start_boot "$suite" libvirt
	running+=("${libvirt_pid[$suite]}")
done

# The two hosts, once both initramfs are ready and two slots are free: a
# first (its outer QEMU listens on the network's socket), b when the
# socket is there.  (A boot
# that boot.sh retries, one that died before /init, is a new QEMU: if that
# is host a, b's link to it is gone and their cases fail.)  Each
# boot's stderr (boot.sh's "VM ran N s, QEMU's CPU M s") also goes to
# twohost-boot.log in its suite's directory, the lane's $SECONDS at its
# end to twohost-end.seconds.
twohost_boot() { # twohost_boot <suite> <role> <netdev options>
	rm -f "$MIGVER_QEMU_OUT/$1/twohost-end.seconds"
	(
		rc=0
		MIGVER_INITRD=$MIGVER_QEMU_OUT/$1/initramfs-twohost.cpio.gz MIGVER_QEMU_MEM=2048 \
			MIGVER_APPEND="${MIGVER_APPEND:-} migver.twohost=$2" \
			MIGVER_QEMU_ARGS="-netdev stream,id=n0,$3 -device virtio-net-pci,netdev=n0,mac=52:54:00:77:00:0$2" \
			MIGVER_BOOT_TIMEOUT=${MIGVER_TWOHOST_TIMEOUT:-1800} bash $lib/boot.sh "$1" twohost || rc=$?
		echo "$SECONDS" >"$MIGVER_QEMU_OUT/$1/twohost-end.seconds"
		exit $rc
	) 2> >(tee "$MIGVER_QEMU_OUT/$1/twohost-boot.log" >&2) &
	twohost_pid[$2]=$!
	running+=("$!")
}
t_twohost_start=
if [ "${#twohost_ready[@]}" = 2 ] && [ "$twohost_a" != "$twohost_b" ]; then
	slots $((max_vms - 2))
	sock=$MIGVER_QEMU_OUT/twohost.sock
	rm -f "$sock"
	[ -n "$t_boot" ] || t_boot=$SECONDS
	t_twohost_start=$SECONDS
	twohost_boot "$twohost_a" a "server=on,addr.type=unix,addr.path=$sock"
	n=0
	while [ ! -S "$sock" ] && [ $n -lt 600 ] && kill -0 "${twohost_pid[a]}" 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	if [ -S "$sock" ]; then
		twohost_boot "$twohost_b" b "server=off,addr.type=unix,addr.path=$sock"
	else
		step_fail twohost/network "host a's QEMU made no socket $sock (see $MIGVER_QEMU_OUT/$twohost_a/qemu-twohost.log)"
	fi
elif [ -n "$twohost_suites" ]; then
	step_fail twohost/suites "twohost needs two different suites of this run, prepared (MIGVER_TWOHOST_SUITES='$twohost_suites', ready: ${twohost_ready[*]:-none})"
fi
slots 0

for suite in "${vmm_ready[@]}"; do
	boot_rc=${vm_rc[${vmm_pid[$suite]}]}
	echo "=== qemu: $suite vmm booted, exit $boot_rc"
	boot_verdict "$suite/vmm" vmm "$boot_rc" "$MIGVER_QEMU_OUT/$suite"
done
for suite in "${libvirt_ready[@]}"; do
	boot_rc=${vm_rc[${libvirt_pid[$suite]}]}
	echo "=== qemu: $suite libvirt booted, exit $boot_rc"
	boot_verdict "$suite/libvirt" libvirt "$boot_rc" "$MIGVER_QEMU_OUT/$suite"
done
# Each host reports only the cases its name starts with (a/ or b/).
for role in a b; do
	[ -n "${twohost_pid[$role]:-}" ] || continue
	[ "$role" = a ] && suite=$twohost_a || suite=$twohost_b
	boot_rc=${vm_rc[${twohost_pid[$role]}]}
	echo "=== qemu: twohost $role ($suite) booted, exit $boot_rc"
	d=$MIGVER_QEMU_OUT/$suite
	guest_cases twohost <(grep -a -E "^(PASS|FAIL|SKIP) $role/" "$d/results-twohost.log" 2>/dev/null)
	kernel_log_clean "twohost/$role/kernel-log-clean" "$d/console-twohost.log"
	boot_status "twohost/$role" twohost "$boot_rc" "$d/console-twohost.log"
	timings+=("twohost $role ($suite): $(sed -n 's/.*: VM ran \(.*\)/VM ran \1/p' "$d/twohost-boot.log" | tail -n 1)")
done
if [ -n "$t_twohost_start" ]; then
	t=$(cat "$MIGVER_QEMU_OUT/$twohost_a/twohost-end.seconds" "$MIGVER_QEMU_OUT/$twohost_b/twohost-end.seconds" 2>/dev/null | sort -n | tail -n 1)
	timings+=("twohost: host a's start to the last end $((${t:-$SECONDS} - t_twohost_start)) s")
fi
if [ -n "$demo_pid" ]; then
	boot_rc=0
	wait "$demo_pid" || boot_rc=$?
	d=$MIGVER_QEMU_OUT/$demo_suite
	kernel_log_clean "$demo_suite/demo/kernel-log-clean" "$d/console-demo.log"
	boot_status "$demo_suite/demo" demo "$boot_rc" "$d/console-demo.log"
	if diff=$(bash tests/qemu/readme-transcript.sh "$d/results-demo.log" 2>&1); then
		pass "$demo_suite/demo-matches-readme"
	else
		fail "$demo_suite/demo-matches-readme" "README's Usage transcript differs from this run's make demo (normalised diff below)"
		printf '%s\n' "$diff" | sed 's/^/    /'
	fi
fi
t_boot=$((SECONDS - ${t_boot:-$SECONDS}))
for suite in $suites; do
	timings+=("$suite prepare=${t_prep[$suite]}s build=${t_build[$suite]}s initramfs=${t_initrd[$suite]}s vmm-initramfs=${t_vmm[$suite]}s twohost-initramfs=${t_twohost[$suite]}s libvirt-root=${t_lvroot[$suite]}s libvirt-boot=$(cat "$MIGVER_QEMU_OUT/$suite/libvirt-boot.seconds" 2>/dev/null || echo -)s")
done
timings+=("boots (first start to last end)=${t_boot}s")

echo "--- qemu timings (s)"
printf '  %s\n' "${timings[@]}"
results_finish qemu
