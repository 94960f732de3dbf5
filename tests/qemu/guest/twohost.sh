# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Guest entry twohost: one of two test VMs ("hosts") with different Debian
# kernels and QEMUs (tests/qemu/run.sh boots host a on trixie's 6.12 with
# QEMU 10.0, host b on sid's 7.2 with QEMU 11.1, side by side), joined by a
# network that exists only on the machine running them: the outer QEMUs'
# `-netdev stream` over a unix socket, a virtio-net NIC in each guest.
# A VM with one of our vGPUs runs in the suite's own QEMU on host a and
# live-migrates over TCP to host b and back, vmm-lib.sh's QEMU driven over
# QMP: each way one refused target, then a compatible one.  The role comes
# from the kernel command line (migver.twohost=a|b); each host reports its
# own cases, named <role>/<case> (twohost.plan).
#
# The two guests keep step over that network and nothing else: a tiny
# mailbox, one tar archive per message through busybox nc (the receiver
# listens, the sender retries until it does), each message tagged with
# the step it ends, so both scripts walk the same list of hops in order.
#
# Machine type: -machine pc-i440fx-10.0 on both sides, the newest one
# QEMU 10.0 knows: QEMU 11.1 still has it, and a stream is loadable only
# by a QEMU that knows the machine type it was made with (the default,
# "pc", is pc-i440fx-10.0 on one side and pc-i440fx-11.1 on the other).
# shellcheck disable=SC2154 # lib.sh's and vmm-lib.sh's variables
# shellcheck disable=SC2034 # the mdevs, named through eval
. /tests/lib.sh
. /tests/vmm-lib.sh
VM_ARGS="$VM_ARGS -machine pc-i440fx-10.0"

role=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	migver.twohost=*) role=${arg#migver.twohost=} ;;
	esac
done
case "$role" in
a) me=10.77.0.1 peer=10.77.0.2 ;;
b) me=10.77.0.2 peer=10.77.0.1 ;;
*)
	echo "# twohost: no role on the kernel command line (migver.twohost=a|b): no case runs"
	exit 1
	;;
esac
t_script=$(now_ms)
echo "# twohost: host $role ($me), $($QEMU --version | head -n 1), kernel $(uname -r); script started $t_script ms after boot"

MSG_PORT=7700
peer_lost=

# msg_send <tag> <dir>: the files of <dir> and a file "tag" to the peer's
# mailbox, retrying while it is not listening (up to 300 s)
msg_send() {
	echo "$1" >"$2/tag"
	ms_n=0
	while ! tar -cf - -C "$2" . | nc -w 5 "$peer" $MSG_PORT >/dev/null 2>&1; do
		if [ -n "$peer_lost" ] || [ $ms_n -ge 600 ]; then
			peer_lost=${peer_lost:-"the peer took no message $1"}
			echo "# twohost: $peer_lost"
			return 1
		fi
		sleep 0.5
		ms_n=$((ms_n + 1))
	done
}

# msg_recv <tag> <dir> [seconds]: the next message from the peer into <dir>
# (emptied first); false if it does not come in time (default 300 s) or is
# not <tag>: from then on, the peer counts as lost (nothing waits for it)
msg_recv() {
	rm -rf "$2"
	mkdir -p "$2"
	[ -z "$peer_lost" ] || return 1
	timeout "${3:-300}" nc -l -p $MSG_PORT -e tar -xf - -C "$2" </dev/null >/dev/null 2>&1
	mr_tag=$(cat "$2/tag" 2>/dev/null)
	[ "$mr_tag" = "$1" ] && return 0
	peer_lost="waited for message $1, got '${mr_tag:-nothing}'"
	echo "# twohost: $peer_lost"
	return 1
}

# ---- the host: module, vGPUs, NIC ---------------------------------------------
# migver0 8086:591d 1.2.0 accepts 1.0.0-1.2.0, migver1 another GPU
# (8086:5912); the same on both hosts.  A1 A2 GVTg_V5_8 and AQ GVTg_V5_4 on
# migver0, G1 GVTg_V5_8 on migver1.
modprobe vfio_iommu_type1 2>/tmp/modprobe.err
if load nr_parents=2 vendor=0x8086,0x8086 device=0x591d,0x5912 \
	sw_version=1.2.0,1.2.0 accept=1.0.0-1.2.0,1.0.0-1.2.0 gm_divisor=1024; then
	pass "$role/load"
else
	fail "$role/load" "$(cat /tmp/modprobe.err)"
fi
create 0 8
A1=$uuid
create 0 8
A2=$uuid
create 0 4
AQ=$uuid
create 1 8
G1=$uuid

while read -r ko; do
	insmod "$ko" 2>>/tmp/net.err
done </tests/twohost-kmods
nic=
n=0
while [ -z "$nic" ] && [ $n -lt 50 ]; do
	for d in /sys/class/net/*; do
		[ "${d##*/}" = lo ] || nic=${d##*/}
	done
	[ -n "$nic" ] || sleep 0.1
	n=$((n + 1))
done
ip link set lo up
if [ -n "$nic" ] && ip link set "$nic" up 2>>/tmp/net.err &&
	ip addr add "$me/24" dev "$nic" 2>>/tmp/net.err; then
	pass "$role/nic"
else
	fail "$role/nic" "no NIC up (${nic:-none found}): $(tr '\n' ' ' </tmp/net.err)"
fi

# hello: each host tells the other its QEMU and kernel (a sends first)
mkdir -p /tmp/hello
echo "host $role: $($QEMU --version | head -n 1), kernel $(uname -r)" >/tmp/hello/who
t0=$(now_ms)
if [ "$role" = a ]; then
	msg_send hello /tmp/hello && msg_recv hello /tmp/peer
else
	msg_recv hello /tmp/peer && msg_send hello /tmp/hello
fi
if [ -z "$peer_lost" ]; then
	pass "$role/peer"
	echo "# twohost: peer answered after $(($(now_ms) - t0)) ms: $(cat /tmp/peer/who)"
else
	fail "$role/peer" "$peer_lost"
fi

# ---- the hops ------------------------------------------------------------------
# hop <n> <from> <case> <target> <want> [<reason>]: a live migration from
# host <from> to the other one, onto the receiver's mdev $<target>; <want>
# is OK or the errno QEMU's destination names, <reason> the word of the
# kernel's line.  Both hosts call it with the same arguments.
cur=
hop() {
	if [ "$2" = "$role" ]; then
		hop_src "$@"
	else
		hop_dst "$@"
	fi
}

# the source: waits for "ready-<n>" (the destination listens), migrates,
# reports its side and sends "done-<n>": the source's result, and for a
# completed migration its device state (snap) and its guest's console
# (the BARs the firmware assigned, which the destination needs to read
# the same registers)
hop_src() {
	hs_case=$role/$3
	rm -rf /tmp/out
	mkdir -p /tmp/out
	if ! msg_recv "ready-$1" /tmp/ready 600; then
		fail "$hs_case-source" "the destination never got ready: $peer_lost"
		return
	fi
	hs_stops=$(grep -c '"event": "STOP"' "/tmp/$cur.events")
	hs_mark=$(wc -l <"/tmp/$cur.trace" 2>/dev/null)
	migrate_to "$cur" "tcp:$peer:$((4440 + $1))" 120
	echo "# twohost: hop $1 $3 ($role -> peer): $mstat in $mig_ms ms, device bytes $(vfio_bytes | grep . || echo '(none in query-migrate)'), QEMU's trace: $(dev_bytes "$cur" $((${hs_mark:-0} + 1)))"
	echo "$mstat $mig_ms $(vfio_bytes)" >/tmp/out/result
	if [ "$5" = OK ]; then
		check "$hs_case-source" "$mstat $(vm_status "$cur")" "completed postmigrate"
		snap "$cur" "$cur" /tmp/out/state || rm -f /tmp/out/state
		cp "/tmp/$cur.con" /tmp/out/con
	elif [ "$mstat" = failed ] && [ "$(vm_status "$cur")" = running ] &&
		[ "$(grep -c '"event": "STOP"' "/tmp/$cur.events")" = "$hs_stops" ]; then
		pass "$hs_case-source"
	else
		fail "$hs_case-source" "migration $mstat, source $(vm_status "$cur"); events: $(grep -o '"event": "[A-Z_]*"' "/tmp/$cur.events" | tr '\n' ' ')"
	fi
	msg_send "done-$1" /tmp/out
	if [ "$5" = OK ]; then
		vm_quit "$cur"
		cur=
	fi
}

# the destination: a new QEMU, listening on tcp:<own address>:<4440+n>,
# tells the source "ready-<n>", then judges what arrived
hop_dst() {
	hd_case=$role/$3
	hd_vm=h$1
	dmesg_mark
	vm_start "$hd_vm" incoming "$(eval echo "\$$4")"
	incoming_at "$hd_vm" "tcp:$me:$((4440 + $1))"
	rm -rf /tmp/ready
	mkdir -p /tmp/ready
	msg_send "ready-$1" /tmp/ready
	if [ "$5" = OK ]; then
		vm_wait_status "$hd_vm" running 300
		msg_recv "done-$1" /tmp/in 600
		check "$hd_case-dest" "$(cut -d ' ' -f 1 /tmp/in/result 2>/dev/null) $(vm_status "$hd_vm")" "completed running"
		cp /tmp/in/con "/tmp/$hd_vm.con" 2>/dev/null
		if [ ! -s /tmp/in/state ]; then
			fail "$hd_case-state-equal" "the source sent no device state"
		elif snap "$hd_vm" "$hd_vm" /tmp/state.dst; then
			state_cmp "$hd_case-state-equal" /tmp/in/state /tmp/state.dst
		else
			fail "$hd_case-state-equal" "could not read the destination's device state"
		fi
		cur=$hd_vm
		return
	fi
	vm_wait_exit "$hd_vm" 300
	msg_recv "done-$1" /tmp/in 600
	check "$hd_case-dest" "$(cut -d ' ' -f 1 /tmp/in/result 2>/dev/null) $(load_error "$hd_vm") exit=$vm_rc" "failed $5 exit=1"
	refusal_log "$hd_case-log" "$6" "$hd_vm" "twohost: $3"
	refusal_bytes "$hd_case-bytes" "$hd_vm"
	echo "# twohost: $3: device bytes at the destination: $rfb_got"
}

# The VM starts on host a; a -> b: refused by another GPU, then accepted;
# b -> a: refused by another type, then accepted.
scenario hops
if [ "$role" = a ]; then
	cur=h0
	vm_start h0 fill "$A1"
	guest_wait h0 $ST_FILLED 120 ||
		echo "# twohost: the guest did not fill its vGPU: status '$gstat'; $(tail -n 3 /tmp/h0.out | tr '\n' '|')"
fi
hop 1 a a-to-b-refused G1 ENODEV hardware
hop 2 a a-to-b A1 OK
hop 3 b b-to-a-refused AQ EMEDIUMTYPE type
hop 4 b b-to-a A2 OK
scenario end
[ -z "$cur" ] || vm_quit "$cur"

remove_all
unload
if loaded; then
	fail "$role/unload" "$(cat /tmp/rmmod.err)"
else
	pass "$role/unload"
fi
echo "# twohost: host $role done $(($(now_ms) - t_script)) ms after the script started"
finish
