# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Guest entry vmm: the real VMM.  The suite's own QEMU (trixie 10.0 on
# 6.12, sid's on 7.2; vmm-payload.sh puts it into the initramfs) runs a
# tiny VM with our vGPUs and live-migrates it between simulated hosts of
# this kernel, driven over QMP (tests/bin/qmp).  Cases: vmm.plan.
#
# How device state is read on both sides: through the VM, as its CPU
# would read it.  QMP pmemsave of the vGPU's BARs (guest-physical
# addresses, which QEMU turns into vfio-pci region reads of the device)
# gives the 16 scratch registers of BAR0 and all of BAR2; QMP `info pci`
# gives what the guest, as firmware, programmed into config space (BAR
# addresses).  The
# source is read after the migration completed (it stays paused at the
# switchover point, its device stopped), the destination once it runs;
# the guest (vgpu-guest.c) writes nothing after it set its status, so
# the two must be byte for byte equal.  With "dirty=<n>" the guest keeps
# writing while the migration runs and checks every value itself.
# shellcheck disable=SC2154 # lib.sh's and vmm-lib.sh's variables
# shellcheck disable=SC2034 # devices named through eval
. /tests/lib.sh
. /tests/vmm-lib.sh

# migver0 A  8086:591d 1.2.0 accepts 1.0.0-1.2.0 structured (host A)
# migver1 B  8086:591d 1.3.0 accepts 1.1.0-1.3.0            (A upgraded)
# migver2 G  8086:5912 1.2.0                                (another GPU)
# migver3 N  8086:591d 1.2.0 gvt format, accepts none
# migver4 V  8086:591d 1.2.0 gvt format, accepts 1.0.0-1.2.0
# migver5 O  8086:591d 1.1.0 accepts 1.0.0-1.1.0            (older host)
# migver6 M  8086:591d 2.0.0 accepts 2.0.0                  (new major)
# migver7 D  10de:591d 1.2.0                                (other vendor)
# gm_divisor=1024: BAR2 of a GVTg_V5_8 is 64 KiB (16 pages), of a _4 128 KiB
VMM_LOAD="nr_parents=8 vendor=0x8086,0x8086,0x8086,0x8086,0x8086,0x8086,0x8086,0x10de device=0x591d,0x591d,0x5912,0x591d,0x591d,0x591d,0x591d,0x591d sw_version=1.2.0,1.3.0,1.2.0,1.2.0,1.2.0,1.1.0,2.0.0,1.2.0 accept=1.0.0-1.2.0,1.1.0-1.3.0,1.0.0-1.2.0,none format=structured,structured,structured,gvt,gvt gm_divisor=1024"
# Rounds of the dirtying guest: long enough that the switchover happens
# while it still writes (the source's round register tells).
DIRTY_ROUNDS=${VMM_DIRTY_ROUNDS:-1500}

# PRE_COPY exists from Linux 6.2 on.  Without it (6.1) QEMU pauses even a
# running source for STOP_COPY, so a refusal there comes after a short
# pause (the source runs again afterwards); from 6.2 on, the refusal
# comes in PRE_COPY and the source never pauses.
kv=$(uname -r)
if version_at_least "$kv" 6 2; then
	precopy=yes
else
	precopy=no
fi
echo "# $($QEMU --version | head -n 1); kernel $kv, PRE_COPY: $precopy"
modprobe vfio_iommu_type1 2>/tmp/modprobe.err
# shellcheck disable=SC2086 # $VMM_LOAD: parameters
if load $VMM_LOAD; then
	pass vmm-load
else
	fail vmm-load "$(cat /tmp/modprobe.err)"
fi
# two GVTg_V5_8 per host (X1 X2), a GVTg_V5_4 on A and B (AQ BQ)
i=0
for h in A B G N V O M D; do
	create $i 8
	eval "${h}1=\$uuid"
	create $i 8
	eval "${h}2=\$uuid"
	i=$((i + 1))
done
create 0 4
AQ=$uuid
create 1 4
BQ=$uuid

# ---- a VM with one vGPU: the guest finds it and writes it -------------------
scenario 0-start
t_start=$(now_ms)
vm_start s fill "$A1"
if guest_wait s $ST_FILLED 60; then
	pass vmm-guest-fills
else
	fail vmm-guest-fills "guest status '$gstat'; QEMU: $(tail -n 3 /tmp/s.out | tr '\n' '|') console: $(tail -n 2 /tmp/s.con | tr '\n' '|')"
fi
echo "# vmm: VM start to guest done $(($(now_ms) - t_start)) ms; $(head -n 2 /tmp/s.con | tr '\n' ' ')"

# ---- 1. a running source (PRE_COPY), to an upgraded host ----------------------
scenario 1-live
dmesg_mark
vm_start d incoming "$B1"
migrate s d
check vmm-live-completes "$mstat" completed
vm_wait_status d running 20
check vmm-live-dest-runs "$(vm_status s) $(vm_status d)" "postmigrate running"
same_state s d vmm-live-state-equal
echo "# vmm: PRE_COPY (running source) A->B: $mig_ms ms, device bytes $(vfio_bytes)"
vm_quit s
vm_quit d

# ---- 1b. the guest writes the device while it migrates ------------------------
scenario 1b-dirty
vm_start s "dirty=$DIRTY_ROUNDS" "$A1"
vm_start d incoming "$B1"
if guest_wait s $ST_RUNNING 60; then
	migrate s d
	src_round=$(reg s 14)
	vm_wait_status d running 20
	guest_wait d $ST_GOOD 300 s
	echo "# vmm: dirtying guest: switchover at round $((0x${src_round:-0})) of $DIRTY_ROUNDS, $mig_ms ms, device bytes $(vfio_bytes); destination status $gstat"
	if [ "$mstat" != completed ]; then
		fail vmm-live-dirty-guest-good "migration $mstat"
	elif [ "$gstat" != $ST_GOOD ]; then
		fail vmm-live-dirty-guest-good "the guest read wrong values after the migration: status $gstat; $(grep -m 4 '^vgpu-guest: round' /tmp/d.con | tr '\n' '|')"
	elif [ "$((0x${src_round:-0}))" -ge "$DIRTY_ROUNDS" ]; then
		fail vmm-live-dirty-guest-good "the guest had finished before the switchover (round $((0x$src_round))): raise VMM_DIRTY_ROUNDS"
	else
		pass vmm-live-dirty-guest-good
	fi
else
	fail vmm-live-dirty-guest-good "the guest did not start its rounds (status '$gstat')"
fi
vm_quit s
vm_quit d

# ---- 2. each incompatibility class, refused at the version record ------------
scenario 2-refusals
# A running source on A; each destination refuses in the write that
# completes our version record; QEMU's destination exits with
# "load of migration failed: <strerror>"; the source runs on, and from
# 6.2 on (PRE_COPY) it never paused (no STOP event).
vm_start s fill "$A1"
guest_wait s $ST_FILLED 60
while read -r class dst want reason; do
	dmesg_mark
	vm_start d incoming "$(eval echo "\$$dst")"
	s_mark=$(wc -l </tmp/s.trace 2>/dev/null)
	s_mark=$((${s_mark:-0} + 1))
	migrate s d
	vm_wait_exit d 20
	check "vmm-refuse-$class" "$mstat $(load_error d) exit=$vm_rc" "failed $want exit=1"
	refusal_log "vmm-refuse-$class-log" "$reason" d "vmm: $class"
	# What the refusal cost: the destination's first write of device
	# data is the refused one, and it is the initial data alone (header
	# and version record: the driver's reads end there); what the source
	# had sent by the time it learnt of the refusal is printed.
	refusal_bytes "vmm-refuse-$class-bytes" d
	echo "# vmm: $class: device bytes: source $(dev_bytes s "$s_mark"), destination $rfb_got"
	if [ "$(vm_status s)" = running ] &&
		{ [ "$precopy" = no ] || ! stopped_during s; }; then
		pass "vmm-refuse-$class-source-runs"
	else
		fail "vmm-refuse-$class-source-runs" "source status $(vm_status s); events: $(grep -o '"event": "[A-Z_]*"' /tmp/s.events | tr '\n' ' ')"
	fi
done <<EOF
unsupported N1 EOPNOTSUPP unsupported
hardware G1 ENODEV hardware
vendor D1 ENODEV hardware
type AQ EMEDIUMTYPE type
software O1 ERANGE software
major M1 ERANGE software
EOF
# the same source, still running, then migrates to a compatible host
vm_start d incoming "$A2"
migrate s d
vm_wait_status d running 20
check vmm-refused-source-migrates "$mstat $(vm_status d)" "completed running"
same_state s d vmm-refused-source-state-equal
vm_quit s
vm_quit d

# ---- 4a. every refused target, reused by a new QEMU ---------------------------
scenario 4a-reuse
# Two new QEMUs (the guest takes up to four vGPUs): each must find all
# of its vGPUs and fill every one (status FILLED in each).
dmesg_mark
bad=
for set in "N1 G1 D1 AQ" "O1 M1"; do
	uuids=
	for dst in $set; do
		uuids="$uuids $(eval echo "\$$dst")"
	done
	# shellcheck disable=SC2086 # one argument per uuid
	vm_start r fill $uuids
	guest_wait r $ST_FILLED 60 || bad="$bad $set:$gstat"
	i=0
	for dst in $set; do
		# (the guest sets the status of one vGPU after the other)
		n=0
		while dev_bars r $i && [ "$(reg r 15)" != $ST_FILLED ] && [ $n -lt 25 ]; do
			sleep 0.2
			n=$((n + 1))
		done
		if ! dev_bars r $i; then
			bad="$bad $dst:not-found"
		elif [ "$(reg r 15)" != $ST_FILLED ]; then
			bad="$bad $dst:$(reg r 15)"
		fi
		i=$((i + 1))
	done
	vm_quit r
done
rep=$(kernel_report)
if [ -z "$bad$rep" ]; then
	pass vmm-reuse-after-refusal
else
	fail vmm-reuse-after-refusal "guest status:${bad:- ok}; kernel: ${rep:-clean}"
fi

# ---- 3. a paused source (STOP_COPY), live and to a file -----------------------
scenario 3-paused
vm_start s fill "$A1"
guest_wait s $ST_FILLED 60
q s '{"execute": "stop"}' >/dev/null
vm_start d incoming "$B1"
migrate s d
vm_wait_status d paused 20
check vmm-paused-completes "$mstat $(vm_status d)" "completed paused"
echo "# vmm: paused source (STOP_COPY) A->B: $mig_ms ms, device bytes $(vfio_bytes)"
q d '{"execute": "cont"}' >/dev/null
vm_wait_status d running 20
same_state s d vmm-paused-state-equal
vm_quit s
vm_quit d

scenario 3-file
vm_start s fill "$A1"
guest_wait s $ST_FILLED 60
q s '{"execute": "stop"}' >/dev/null
rm -f /tmp/vm.mig
t0=$(now_ms)
mig_bandwidth s
q s '{"execute": "migrate", "arguments": {"uri": "file:/tmp/vm.mig"}}' >/dev/null
mig_wait s 60
check vmm-file-save "$mstat" completed
echo "# vmm: migrate file: $(($(now_ms) - t0)) ms, $(wc -c </tmp/vm.mig) bytes, device bytes $(vfio_bytes)"
# migver inspect on QEMU's own image (migver(8)): one VFIO device, its
# stream whole and as long as the device bytes QEMU sent, its version
# record the source vGPU's; --check agrees with the restores: B2 takes it
# (below), G1, another GPU, does not (exit 12, hardware: ENODEV above)
vfio_sent=$(vfio_bytes)
migver inspect /tmp/vm.mig >/tmp/inspect.out 2>&1
insp_rc=$?
sed 's/^/# vmm: inspect: /' /tmp/inspect.out
check vmm-inspect-image \
	"$insp_rc $(grep -c "^device .*/vfio: migver stream 1\.0, $vfio_sent bytes, complete" /tmp/inspect.out) $(sed -n 's/^  version record: //p' /tmp/inspect.out)" \
	"0 1 $(cat "$MDEVS/$A1/migration_version")"
migver inspect /tmp/vm.mig --check "$B2" >/dev/null 2>&1
insp_b=$?
migver inspect /tmp/vm.mig --check "$G1" >/dev/null 2>&1
insp_g=$?
check vmm-inspect-check "$insp_b $insp_g" "0 12"
vm_start d incoming "$B2"
q d '{"execute": "migrate-incoming", "arguments": {"uri": "file:/tmp/vm.mig"}}' >/dev/null
vm_wait_status d paused 30
q d '{"execute": "cont"}' >/dev/null
vm_wait_status d running 20
check vmm-file-restore "$(vm_status d)" running
same_state s d vmm-file-restore-state-equal
vm_quit s
vm_quit d

# ---- 2b. a malformed stream (a broken source): the saved file, its stream
# header's major version changed to 99 ------------------------------------------
scenario 2b-malformed
cp /tmp/vm.mig /tmp/vm-bad.mig
binpatch /tmp/vm-bad.mig MIGVERST 8 99 >/dev/null
dmesg_mark
vm_start d incoming "$A2"
q d '{"execute": "migrate-incoming", "arguments": {"uri": "file:/tmp/vm-bad.mig"}}' >/dev/null
vm_wait_exit d 30
check vmm-refuse-malformed "$(load_error d) exit=$vm_rc" "EPROTONOSUPPORT exit=1"
line=$(dmesg_since | grep 'device migration stream: refused at byte' | head -n 1)
echo "# vmm: malformed: $(grep -m1 'load of migration failed' /tmp/d.out)"
echo "# vmm: malformed: ${line#*] }"
case "$line" in
*'refused at byte '*': unknown stream major version (-93)') pass vmm-refuse-malformed-log ;;
*) fail vmm-refuse-malformed-log "kernel: '$line'" ;;
esac
# migver inspect finds the same fault in the file, without a restore
migver inspect /tmp/vm-bad.mig >/dev/null 2>/tmp/inspect.err
insp_rc=$?
check vmm-inspect-malformed "$insp_rc $(grep -c 'not a valid migver stream: byte [0-9]*: unknown stream major version (EPROTONOSUPPORT)' /tmp/inspect.err)" "1 1"

# ---- 4b. a restore never `cont`ed, then the same mdev as a live target --------
scenario 4b-uncont
dmesg_mark
vm_start d incoming "$A2"
q d '{"execute": "migrate-incoming", "arguments": {"uri": "file:/tmp/vm.mig"}}' >/dev/null
vm_wait_status d paused 30
vm_quit d
vm_start s fill "$A1"
guest_wait s $ST_FILLED 60
vm_start d incoming "$A2"
migrate s d
vm_wait_status d running 20
rep=$(kernel_report)
check vmm-reuse-after-uncont "$mstat $(vm_status d) ${rep:-clean}" "completed running clean"
same_state s d vmm-reuse-after-uncont-state-equal
vm_quit s
vm_quit d

# ---- 5. two vGPUs in one VM (both P2P), migrated together --------------------
scenario 5-two-vgpus
vm_start s fill "$A1" "$A2"
guest_wait s $ST_FILLED 60
if dev_bars s 1; then
	vm_start d incoming "$B1" "$B2"
	migrate s d
	vm_wait_status d running 20
	check vmm-two-vgpus "$mstat $(vm_status d)" "completed running"
	same_state s d vmm-two-vgpus-state-equal 0 1
	echo "# vmm: two vGPUs: $mig_ms ms, device bytes $(vfio_bytes)"
else
	fail vmm-two-vgpus "the guest found one vGPU: $(grep 'device' /tmp/s.con | tr '\n' '|')"
	fail vmm-two-vgpus-state-equal "no second vGPU"
fi
vm_quit s
vm_quit d

# ---- 6. the verdict agreement table -------------------------------------------
# For each source/target pair: the type-level and the device-level
# migration_version verdict of the target for the source's string, and
# what QEMU's live migration did (OK, or the errno in QEMU's "load of
# migration failed: <strerror>"); all three must agree, and a completed
# migration must carry the device state.  The VM moves on: after a
# completed row it runs on that row's target, which the next row may use
# as its source (a VM is started afresh only when the source differs:
# starting QEMU is the slow part under nested TCG).
scenario 6-agreement
echo "# agree | row | source | target | checker | type attribute | device attribute | QEMU"
cur=
sv=s
dv=d
while read -r row src dst checker; do
	s_uuid=$(eval echo "\$$src")
	d_uuid=$(eval echo "\$$dst")
	wr "$PARAMS/checker" "$checker" >/dev/null
	str=$(cat "$MDEVS/$s_uuid/migration_version")
	tl=$(wr_result "$MDEVS/$d_uuid/mdev_type/migration_version" "$str")
	dl=$(wr_result "$MDEVS/$d_uuid/migration_version" "$str")
	if [ "$cur" != "$src" ] || [ "$(vm_status $sv)" != running ]; then
		vm_quit $sv
		vm_start $sv fill "$s_uuid"
		guest_wait $sv $ST_FILLED 60
		cur=$src
	fi
	vm_start $dv incoming "$d_uuid"
	migrate $sv $dv
	if [ "$mstat" = completed ]; then
		qm=OK
		vm_wait_status $dv running 20
	else
		vm_wait_exit $dv 20
		qm=$(load_error $dv)
		qm=${qm:-"$mstat(no load error)"}
	fi
	echo "# agree | $row | $src | $dst | $checker | $tl | $dl | $qm"
	if [ "$tl" != "$dl" ] || [ "$dl" != "$qm" ]; then
		fail "vmm-agree-$row" "type attribute $tl, device attribute $dl, QEMU $qm"
	elif [ "$qm" = OK ]; then
		same_state $sv $dv "vmm-agree-$row"
	else
		pass "vmm-agree-$row"
	fi
	if [ "$qm" = OK ]; then
		# the VM now runs on the target: it is the next source (the
		# BARs its guest printed at the start go with it)
		vm_quit $sv
		cat "/tmp/$sv.con" >"/tmp/$dv.con"
		t=$sv
		sv=$dv
		dv=$t
		cur=$dst
	fi
done <<EOF
device-id A1 G1 semver
vendor A1 D1 semver
accepts-none A1 N1 semver
newer-to-older A1 O1 semver
major-up A1 M1 semver
type-smaller A1 AQ semver
gvt-checker-upgrade A1 B1 gvt
strict-upgrade A1 B1 strict
gvt-checker-same A1 A2 gvt
strict-same A2 A1 strict
same-host A1 A2 semver
structured-to-gvt-host A2 V1 semver
strict-gvt-host V1 V2 strict
gvt-checker-gvt-source V2 A1 gvt
upgrade A1 B1 semver
downgrade B1 A2 semver
upgraded-same-host B1 B2 semver
major-down M1 A1 semver
older-to-newer O1 A1 semver
type-larger AQ A2 semver
v5-4-upgrade AQ BQ semver
other-gpu G1 G2 semver
no-accept-host-as-source N1 A2 semver
gvt-to-upgrade V1 B1 semver
oldest-to-upgrade O2 B2 semver
EOF
vm_quit $sv
wr "$PARAMS/checker" semver >/dev/null
scenario end

remove_all
if unload && ! loaded; then
	pass vmm-unload
else
	fail vmm-unload "$(cat /tmp/rmmod.err)"
fi
finish
