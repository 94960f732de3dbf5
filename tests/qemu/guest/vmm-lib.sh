# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Helpers of the VMM scenarios (vmm.sh): the suite's real QEMU, started in
# the background and driven over QMP by tests/bin/qmp (qmp.c), runs a tiny
# VM (firmware tests/bin/vgpu-guest.rom, vgpu-guest.c) with our vGPUs.  Sourced
# after lib.sh.  Every VM <name> has:
#   /tmp/<name>.qmp   its QMP socket (commands), /tmp/<name>.ev a second
#                     monitor for events, /tmp/<name>.out QEMU's stderr,
#                     /tmp/<name>.con the guest's debug console (port 0xe9)
#   $<name>_pid       the QEMU process
# shellcheck disable=SC2034 # variables used by vmm.sh
# shellcheck disable=SC2154 # va_pid, vw_pid: assigned through eval

QEMU=qemu-system-x86_64
GUEST=/tests/bin/vgpu-guest.rom
# The VM: TCG (the test VM has no KVM), a small machine, no disk, no NIC.
# 16 MiB of RAM: the guest uses less than 512 KiB, and every migration
# scans all of RAM (under nested TCG, 64 MiB took a good part of each one).
VM_ARGS="-accel tcg,tb-size=32 -m 16 -nodefaults -no-user-config -display none"

# Status words the guest writes into scratch register 15 (vgpu-guest.c)
ST_FILLED=f111ed00
ST_RUNNING=5eed0000
ST_GOOD=600d600d

# vm_start <name> <how> <uuid>...: start QEMU with one vfio-pci device per
# uuid.  <how>: fill | dirty=<n> (the guest's mode, in fw_cfg) | incoming
# (-incoming defer: the scenario sets capabilities, then migrate-incoming).
# The guest is the VM's firmware (-bios): no SeaBIOS POST, which takes half
# a minute under TCG inside the TCG test VM.
vm_start() {
	vs_name=$1
	vs_how=$2
	shift 2
	vs_devs=
	for vs_u in "$@"; do
		vs_devs="$vs_devs -device vfio-pci,sysfsdev=$MDEVS/$vs_u,enable-migration=on"
	done
	case "$vs_how" in
	incoming) vs_extra="-incoming defer" ;;
	*) vs_extra="-fw_cfg name=opt/migver/mode,string=$vs_how" ;;
	esac
	rm -f "/tmp/$vs_name.qmp" "/tmp/$vs_name.ev" "/tmp/$vs_name.con" \
		"/tmp/$vs_name.events" "/tmp/$vs_name.sock" "/tmp/$vs_name.trace"
	# Two of QEMU's trace points into /tmp/<name>.trace (Debian builds
	# QEMU with the log backend): every block of device data a source
	# read from its device and sent, every one a destination wrote into
	# its device, with the result of that write (dev_bytes below).
	# shellcheck disable=SC2086 # word lists on purpose
	$QEMU $VM_ARGS -bios $GUEST $vs_extra $vs_devs \
		-trace vfio_save_block -trace vfio_load_state_device_data \
		-D "/tmp/$vs_name.trace" \
		-qmp "unix:/tmp/$vs_name.qmp,server=on,wait=off" \
		-qmp "unix:/tmp/$vs_name.ev,server=on,wait=off" \
		-debugcon "file:/tmp/$vs_name.con" \
		</dev/null >"/tmp/$vs_name.out" 2>&1 &
	eval "${vs_name}_pid=$!"
	# Until QEMU has made its two monitor sockets (or died): under load a
	# nested QEMU took more than qmp's 10 s to get there, and a command
	# sent before failed (host b's migrate-incoming in twohost).  No time
	# limit of our own: guest clocks jump under load; the host's VM
	# timeout ends a hang.
	while { [ ! -S "/tmp/$vs_name.qmp" ] || [ ! -S "/tmp/$vs_name.ev" ]; } &&
		vm_alive "$vs_name"; do
		sleep 0.1
	done
	# every event of the VM's life, from the second monitor
	qmp -E "/tmp/$vs_name.ev" >"/tmp/$vs_name.events" 2>/dev/null &
}

# now_ms: milliseconds since boot (10 ms steps)
now_ms() {
	read -r nm_up _ </proc/uptime
	# "1" before the two decimals: "08" alone would be read as octal
	echo $((${nm_up%.*} * 1000 + 1${nm_up#*.} * 10 - 1000))
}

# scenario <name>: start of a scenario; prints how long the one before
# took ("# vmm-time: <scenario> <ms>"), and with "end" the total.  The
# boot's time per scenario, in results-vmm.log.  The first starts
# vmm_watch, "end" stops it.
sc_name=
sc_t0=
sc_first=
scenario() {
	echo "$1" >/tmp/vmm.scenario
	if [ -z "$sc_first" ]; then
		vmm_watch &
		sc_watch=$!
	fi
	sc_now=$(now_ms)
	[ -z "$sc_name" ] || echo "# vmm-time: $sc_name $((sc_now - sc_t0)) ms"
	[ -n "$sc_first" ] || sc_first=$sc_now
	if [ "$1" = end ]; then
		echo "# vmm-time: all scenarios $((sc_now - sc_first)) ms"
		kill "$sc_watch" 2>/dev/null
	fi
	sc_name=$1
	sc_t0=$sc_now
}

# vmm_watch: in the background, every VMM_WATCH seconds (default 120) of
# the test VM's uptime, one line per QEMU and qmp process: the scenario,
# its state and where in the kernel it waits, and the last line of its
# VM's debug console.  Under a loaded host a boot can run long; these
# lines tell a slow run from a stuck one, and where it is stuck.  It
# shares the script's output, which /init reads to its end: it ends
# within 5 s of the script ($$) and its sleeps do not hold that output.
vmm_watch() {
	vw_left=${VMM_WATCH:-120}
	while kill -0 $$ 2>/dev/null; do
		sleep 5 >/dev/null 2>&1
		vw_left=$((vw_left - 5))
		[ $vw_left -le 0 ] || continue
		vw_left=${VMM_WATCH:-120}
		read -r vw_up _ </proc/uptime
		for vw_p in /proc/[0-9]*; do
			# (a process may end meanwhile: no error line for it)
			{ read -r vw_comm <"$vw_p/comm"; } 2>/dev/null || continue
			case "$vw_comm" in qemu-system-*|qmp) ;; *) continue ;; esac
			{ read -r _ _ vw_st _ <"$vw_p/stat"; } 2>/dev/null
			vw_args=$(tr '\0' ' ' <"$vw_p/cmdline" 2>/dev/null | grep -o '/tmp/[a-z0-9]*\.\(qmp\|ev\|trace\)' | head -n 1)
			vw_con=${vw_args%.*}.con
			echo "# vmm-watch ${vw_up%.*} s: $(cat /tmp/vmm.scenario) ${vw_p#/proc/} $vw_comm $vw_args state $vw_st wchan $(cat "$vw_p/wchan" 2>/dev/null); console: $(tail -n 1 "$vw_con" 2>/dev/null | cut -c1-100)"
		done
	done
}

# q <name> <json>...: QMP commands, their answers on stdout, qmp's status
q() {
	q_n=$1
	shift
	qmp "/tmp/$q_n.qmp" "$@"
}

# jstr <key>: the first "<key>": "<value>" of stdin's JSON, its value
jstr() {
	grep -o "\"$1\": \"[^\"]*\"" | head -n 1 | sed 's/.*: "\(.*\)"/\1/'
}

# jnum <key>: the first "<key>": <number> of stdin's JSON
jnum() {
	grep -o "\"$1\": [0-9]*" | head -n 1 | sed 's/.*: //'
}

# vm_status <name>: QEMU's run state (running, paused, postmigrate...),
# nothing if the VM is gone
vm_status() {
	vm_alive "$1" || return 0
	q "$1" '{"execute": "query-status"}' 2>/dev/null | jstr status
}

# vm_alive <name>: is the QEMU process still there?
vm_alive() {
	eval "va_pid=\${${1}_pid:-}"
	[ -n "$va_pid" ] && kill -0 "$va_pid" 2>/dev/null
}

# vm_wait_exit <name> [seconds]: wait for QEMU to end; $vm_rc its status
# (124 if it did not end in time: then it is killed)
vm_wait_exit() {
	eval "vw_pid=\$${1}_pid"
	vw_n=0
	while kill -0 "$vw_pid" 2>/dev/null && [ $vw_n -lt $((${2:-20} * 10)) ]; do
		sleep 0.1
		vw_n=$((vw_n + 1))
	done
	if kill -0 "$vw_pid" 2>/dev/null; then
		kill -9 "$vw_pid" 2>/dev/null
		wait "$vw_pid" 2>/dev/null
		vm_rc=124
		return
	fi
	wait "$vw_pid"
	vm_rc=$?
}

# vm_quit <name>: QMP quit (kill if it does not answer), wait for the end
vm_quit() {
	if vm_alive "$1"; then
		q "$1" '{"execute": "quit"}' >/dev/null 2>&1
		vm_wait_exit "$1" 20
	fi
}

# mig_caps <name>: return-path and switchover-ack (both sides, before
# migrate / migrate-incoming): the source switches over only once the
# destination has accepted the device's initial data.
mig_caps() {
	q "$1" '{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "return-path", "state": true}, {"capability": "switchover-ack", "state": true}]}}' >/dev/null
}

# dev_bytes <name> [first line]: device bytes in VM <name>'s trace from
# that line on (default 1): "sent=<n> blocks=<n>" for what a source read
# and sent, "received=<n> refused_at=<n>" for a destination (the bytes of
# the writes before the first that failed, and that write's size; 0 if
# none failed)
dev_bytes() {
	tail -n +"${2:-1}" "/tmp/$1.trace" 2>/dev/null | awk '
		/vfio_save_block / { sub(/.*data_size /, ""); sent += $1; blocks++ }
		/vfio_load_state_device_data / {
			n = $0; sub(/.*size /, "", n); sub(/ .*/, "", n)
			r = $0; sub(/.*ret /, "", r)
			if (r + 0 != 0) { if (!bad) bad = n } else if (!bad) recv += n
			loads++
		}
		END {
			if (loads) printf "received=%d refused_at=%d\n", recv, bad
			else printf "sent=%d blocks=%d\n", sent, blocks
		}'
}

# mig_bandwidth <src>: the bandwidth QEMU may assume for the switchover
# (avail-switchover-bandwidth, QEMU 8.2+), 1 TiB/s.  QEMU switches over once
# what is pending fits in downtime-limit (300 ms) at this bandwidth, else
# at the one it measured in the last iteration, and both failed here:
# - Linux 6.1 has no VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, so QEMU counts each
#   device's state as 100 GiB (VFIO_MIG_STOP_COPY_SIZE in hw/vfio/
#   migration.c) and a running VM never switches over;
# - a VM that writes little sends little, and its measured bandwidth falls
#   with the host's load: on a loaded host the two-vGPU migration had not
#   switched over after 200 s (its 67 KB of device state did not fit).
# README, "Using with QEMU", tells users the same.
mig_bandwidth() {
	q "$1" '{"execute": "migrate-set-parameters", "arguments": {"avail-switchover-bandwidth": 1099511627776}}' >/dev/null
}

# mig_wait <src> [seconds]: poll query-migrate until it ends; sets $mstat
# (completed, failed, cancelled or "timeout") and $minfo (the last answer)
mig_wait() {
	mw_n=0
	while :; do
		minfo=$(q "$1" '{"execute": "query-migrate"}' 2>/dev/null)
		mstat=$(printf '%s\n' "$minfo" | jstr status)
		case "$mstat" in
		completed) return 0 ;;
		failed | cancelled)
			# why, as QEMU says it (refusals are expected to fail)
			echo "# vmm: $1's migration $mstat: $(printf '%s\n' "$minfo" | jstr error-desc)"
			return 0
			;;
		esac
		if [ $mw_n -ge $((${2:-60} * 10)) ] || ! vm_alive "$1"; then
			mstat=timeout
			echo "# vmm: $1's query-migrate at the timeout: $minfo"
			return 1
		fi
		sleep 0.1
		mw_n=$((mw_n + 1))
	done
}

# migrate <src> <dst>: a live migration over a unix socket, both sides with
# return-path + switchover-ack; <dst> was started "incoming".  Sets $mstat,
# $minfo (the source's last query-migrate), $mig_ms (wall time).
migrate() {
	incoming_at "$2" "unix:/tmp/$2.sock"
	migrate_to "$1" "unix:/tmp/$2.sock"
}

# dev_bars <name> <device index>: $bar0 $bar2 $bar2_size of the guest's
# vGPU <index>, as the guest printed them on its debug console (a
# destination VM has the source's: they migrate with config space)
dev_bars() {
	db_line=$(grep "^vgpu-guest: device $2 " "/tmp/$1.con" 2>/dev/null | head -n 1)
	bar0=$(echo "$db_line" | sed -n 's/.* bar0 \(0x[0-9a-f]*\).*/\1/p')
	bar2=$(echo "$db_line" | sed -n 's/.* bar2 \(0x[0-9a-f]*\).*/\1/p')
	bar2_size=$(echo "$db_line" | sed -n 's/.* size \(0x[0-9a-f]*\).*/\1/p')
	[ -n "$bar0" ] && [ -n "$bar2" ] && [ -n "$bar2_size" ]
}

# pmem <name> <address> <size> <file>: QMP pmemsave (guest-physical
# memory as the VM's CPU would read it: for a BAR, reads of the device
# through QEMU's vfio-pci region accesses)
pmem() {
	q "$1" "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": $(($2)), \"size\": $(($3)), \"filename\": \"$4\"}}" >/dev/null
}

# reg <name> <register> [device index]: a scratch register of the vGPU
# (needs dev_bars for that device first), as 8 hex digits
reg() {
	rm -f /tmp/reg.bin
	pmem "$1" $((bar0 + 0x10 + 4 * $2)) 4 /tmp/reg.bin &&
		od -An -tx4 /tmp/reg.bin | tr -d ' \n'
}

# guest_wait <name> <status word> [seconds] [console of]: until scratch
# register 15 of vGPU 0 holds it (its BARs from the debug console of VM
# <console of>, default <name>: a destination has its source's); sets
# $gstat to what it held last and $bar0 $bar2 $bar2_size.  False at once
# on BAD: the guest has halted, nothing will change (waiting the full
# time there once made a scenario take 13 minutes on a loaded host).
guest_wait() {
	gw_n=0
	gstat=
	while :; do
		if dev_bars "${4:-$1}" 0; then
			gstat=$(reg "$1" 15)
			[ "$gstat" = "$2" ] && return 0
			case "$gstat" in bad0*) return 1 ;; esac
		fi
		if [ $gw_n -ge $((${3:-30} * 5)) ] || ! vm_alive "$1"; then
			return 1
		fi
		sleep 0.2
		gw_n=$((gw_n + 1))
	done
}

# snap <name> <console of> <file> [device index...]: the device state as
# the VM sees it: scratch registers 0-15 of BAR0 and all of BAR2 of each
# vGPU (the BARs from the debug console of VM <console of>: a destination
# has its source's), then QEMU's `info pci` (ids, class, BAR addresses
# and sizes as firmware programmed them)
snap() {
	sn_vm=$1
	sn_con=$2
	sn_file=$3
	shift 3
	[ $# -gt 0 ] || set -- 0
	: >"$sn_file"
	for sn_d in "$@"; do
		dev_bars "$sn_con" "$sn_d" || return 1
		pmem "$sn_vm" $((bar0 + 0x10)) 64 /tmp/snap.part || return 1
		cat /tmp/snap.part >>"$sn_file"
		pmem "$sn_vm" "$bar2" "$bar2_size" /tmp/snap.part || return 1
		cat /tmp/snap.part >>"$sn_file"
	done
	q "$sn_vm" '{"execute": "human-monitor-command", "arguments": {"command-line": "info pci"}}' >>"$sn_file"
}

# same_state <src> <dst> <case> [device index...]: PASS if snap of both
# (the destination read with the source's BARs) is byte for byte equal
same_state() {
	ss_src=$1
	ss_dst=$2
	ss_case=$3
	shift 3
	if ! snap "$ss_src" "$ss_src" /tmp/state.src "$@"; then
		fail "$ss_case" "could not read the source's device state"
	elif ! snap "$ss_dst" "$ss_src" /tmp/state.dst "$@"; then
		fail "$ss_case" "could not read the destination's device state"
	else
		state_cmp "$ss_case" /tmp/state.src /tmp/state.dst
	fi
}

# state_cmp <case> <source's snap> <destination's snap>: PASS if the two
# files are byte for byte equal and hold at least 4 KiB
state_cmp() {
	if ! cmp -s "$2" "$3"; then
		fail "$1" "device state differs: $(cmp "$2" "$3" 2>&1 | head -n 1)"
	elif [ "$(wc -c <"$2")" -lt 4096 ]; then
		fail "$1" "only $(wc -c <"$2") bytes of state read"
	else
		pass "$1"
	fi
}

# errno_of <text>: the errno name of a strerror() text (glibc's words)
errno_of() {
	case "$1" in
	"Operation not supported") echo EOPNOTSUPP ;;
	"No such device") echo ENODEV ;;
	"Wrong medium type") echo EMEDIUMTYPE ;;
	"Numerical result out of range") echo ERANGE ;;
	"Invalid argument") echo EINVAL ;;
	"Protocol not supported") echo EPROTONOSUPPORT ;;
	"File too large") echo EFBIG ;;
	*) echo "?($1)" ;;
	esac
}

# load_error <name>: the errno QEMU's "load of migration failed: <text>"
# names in the VM's stderr, or nothing
load_error() {
	le_t=$(sed -n 's/.*load of migration failed: \([^:]*\).*/\1/p' "/tmp/$1.out" | head -n 1)
	[ -z "$le_t" ] || errno_of "$le_t"
}

# kernel_report: a kernel warning, oops or sanitizer report since dmesg_mark
kernel_report() {
	dmesg_since | grep -E 'WARNING:|BUG:|Oops|KASAN|KFENCE|UBSAN|general protection fault|Call Trace' | head -n 1
}

# stopped_during <name>: did the VM emit a STOP event (it paused)?
stopped_during() {
	grep -q '"event": "STOP"' "/tmp/$1.events" 2>/dev/null
}

# vfio_bytes: device bytes the source sent ("vfio" of $minfo, the last
# query-migrate)
vfio_bytes() {
	printf '%s\n' "$minfo" | sed -n 's/.*"vfio": {"transferred": \([0-9]*\)}.*/\1/p'
}

# vm_wait_status <name> <status> [seconds]: until QEMU's run state is it
vm_wait_status() {
	ws_n=0
	while [ "$(vm_status "$1")" != "$2" ]; do
		[ $ws_n -lt $((${3:-20} * 10)) ] && vm_alive "$1" || return 1
		sleep 0.1
		ws_n=$((ws_n + 1))
	done
}

# incoming_at <dst> <uri>: the destination half of migrate() for any URI
# (e.g. tcp:<own address>:<port> on another host): capabilities, then
# migrate-incoming; QEMU listens once this returns
incoming_at() {
	mig_caps "$1"
	q "$1" "{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"$2\"}}" >/dev/null
}

# migrate_to <src> <uri> [seconds]: the source half of migrate() for any
# URI (the destination, maybe on another host, is listening there); sets
# $mstat, $minfo, $mig_ms as migrate() does
migrate_to() {
	mig_caps "$1"
	mig_bandwidth "$1"
	m_t0=$(now_ms)
	q "$1" "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"$2\"}}" >/dev/null
	mig_wait "$1" "${3:-60}"
	mig_ms=$(($(now_ms) - m_t0))
}

# refusal_log <case> <reason> <dst> <label>: PASS <case> if the kernel's
# "refused source" line since dmesg_mark gives <reason> (semver checker);
# QEMU's load error of VM <dst> and that line as transcript, "# <label>: "
refusal_log() {
	rl_line=$(dmesg_since | grep 'device migration stream: refused source' | head -n 1)
	echo "# $4: $(grep -m1 'load of migration failed' "/tmp/$3.out")"
	echo "# $4: ${rl_line#*] }"
	case "$rl_line" in
	*": $2 (semver): "*) pass "$1" ;;
	*) fail "$1" "kernel: '$rl_line'" ;;
	esac
}

# refusal_bytes <case> <dst>: PASS <case> if the destination's first write
# of device data was the refused one and at most 1 KiB (dev_bytes; the
# destination's answer also in $rfb_got)
refusal_bytes() {
	rfb_got=$(dev_bytes "$2")
	rfb_at=${rfb_got#*refused_at=}
	if [ "${rfb_got%% *}" = received=0 ] && [ "$rfb_at" -gt 0 ] && [ "$rfb_at" -le 1024 ]; then
		pass "$1"
	else
		fail "$1" "destination $rfb_got (want received=0, refused at a write of 1-1024 bytes)"
	fi
}
