# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Live migration (VFIO migration v2) between vGPUs of two simulated hosts,
# driven by vfio-mig (vfio-mig.c).  Sourced by matrix.sh; cases in
# matrix.plan.  PRE_COPY exists from Linux 6.2 on: on 6.1 its cases are
# skipped with a documented limit, and on newer kernels they must run.
# shellcheck disable=SC2154 # lib.sh's variables and $uuid from create
# shellcheck disable=SC2034 # devices named through eval (A2, N, N2, ...)

# migver0: 8086:591d 1.2.0 accepts 1.0.0-1.2.0   (host A)
# migver1: 8086:591d 1.3.0 accepts 1.1.0-1.3.0   (host B, an upgrade)
# migver2: 8086:5912 1.2.0                        (another GPU)
# migver3: 8086:591d 1.2.0 gvt format, accepts none
MIG_LOAD="nr_parents=4 device=0x591d,0x591d,0x5912,0x591d sw_version=1.2.0,1.3.0,1.2.0,1.2.0 accept=1.0.0-1.2.0,1.1.0-1.3.0,1.0.0-1.2.0,none format=structured,structured,structured,gvt"
MIG_STATES="STOP RUNNING_P2P STOP_COPY RESUMING RUNNING PRE_COPY PRE_COPY_P2P"

# Does this kernel have PRE_COPY (6.2+)?  Asked of the kernel's version
# here, in the test, so that a driver that stops offering PRE_COPY on a
# kernel that has it fails instead of skipping.
kv=$(uname -r)
if version_at_least "$kv" 6 2; then
	mig_precopy=yes
else
	mig_precopy=no
fi
mig_skip_precopy() { # <case>
	skip "$1" "limit:precopy-needs-6.2: kernel $kv has no VFIO PRE_COPY states"
}

# mig <case> <vfio-mig args...>: run, keep the output in /tmp/mig.<case>,
# set $res to its RESULT line (without "RESULT ")
mig() {
	mc=$1
	shift
	vfio-mig "$@" >"/tmp/mig.$mc" 2>&1
	res=$(sed -n 's/^RESULT //p' "/tmp/mig.$mc" | tail -n 1)
}

# field <name>: value of name=value in $res
field() {
	echo "$res" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

mig_ok() { # <case>: PASS if $res starts with "ok"
	case "$res" in
	ok*) pass "$1" ;;
	*) fail "$1" "${res:-no RESULT}; $(grep -v '^ok' "/tmp/mig.$mc" | head -n 3 | tr '\n' '|')" ;;
	esac
}

# judge_refusal <case> <errno>: refused in a write with <errno>, as are
# the later write and RESUMING -> STOP; target unchanged; usable again
judge_refusal() {
	got="$(field errno) $(field stop) $(field later) $(field unchanged) $(field reuse)"
	check "$1" "$got" "$2 $2 $2 yes ok"
}

# shellcheck disable=SC2086 # $MIG_LOAD: parameters
if load $MIG_LOAD; then
	pass mig-load
else
	fail mig-load "$(cat /tmp/modprobe.err)"
fi

# ---- STOP_COPY (and PRE_COPY) between the two hosts, the largest type ----
create 0 1
A1=$uuid
create 1 1
B1=$uuid
mig mig-flags flags "$A1"
if [ "$mig_precopy" = yes ]; then
	check mig-flags "$res" "flags stop-copy p2p pre-copy reset bar2=4194304"
else
	check mig-flags "$res" "flags stop-copy p2p reset bar2=4194304"
fi
# every page of 4 MiB written: a default parent's whole budget
mig mig-stop-copy-full-gmem migrate -a "$A1" "$B1"
mig_ok mig-stop-copy-full-gmem
full_stop=$(field stopcopy)
echo "# mig-stop-copy-full-gmem: $res"
if [ "$mig_precopy" = yes ]; then
	mig mig-precopy-full-gmem migrate -a -p 4 "$A1" "$B1"
	mig_ok mig-precopy-full-gmem
	echo "# mig-precopy-full-gmem: $res"
	pre_stop=$(field stopcopy)
	# 3 pages dirtied after the last round, config, registers, END
	check mig-precopy-stop-copy-bytes "$pre_stop" $((3 * 4112 + 2 * 264 + 16))
	if [ -n "$full_stop" ] && [ "${pre_stop:-0}" -gt 0 ] &&
		[ $((pre_stop * 10)) -le "$full_stop" ]; then
		pass mig-precopy-stop-copy-smaller
	else
		fail mig-precopy-stop-copy-smaller "STOP_COPY $pre_stop bytes with PRE_COPY, $full_stop without"
	fi
else
	mig_skip_precopy mig-precopy-full-gmem
	mig_skip_precopy mig-precopy-stop-copy-bytes
	mig_skip_precopy mig-precopy-stop-copy-smaller
fi
echo 1 >"$MDEVS/$A1/remove"
echo 1 >"$MDEVS/$B1/remove"

# ---- the common type, two per host ------------------------------------------
create 0 8
A=$uuid
create 0 8
A2=$uuid
create 1 8
B=$uuid
create 1 8
B2=$uuid
create 2 8
G=$uuid
create 2 8
G2=$uuid
create 3 8
N=$uuid
create 3 8
N2=$uuid
create 1 4
B4=$uuid

mig mig-stop-copy migrate "$A" "$B"
mig_ok mig-stop-copy
mig mig-stop-copy-1-byte-writes migrate -c 1 -s 2 "$A" "$B"
mig_ok mig-stop-copy-1-byte-writes
mig mig-stop-copy-64k-writes migrate -c 65536 -s 3 "$A" "$B"
mig_ok mig-stop-copy-64k-writes
mig mig-stop-copy-back migrate -s 4 "$B" "$B2"
mig_ok mig-stop-copy-back
if [ "$mig_precopy" = yes ]; then
	mig mig-precopy migrate -p 3 -s 5 "$A" "$B"
	mig_ok mig-precopy
	mig mig-precopy-1-byte-writes migrate -p 1 -c 1 -s 6 "$A" "$B"
	mig_ok mig-precopy-1-byte-writes
else
	mig_skip_precopy mig-precopy
	mig_skip_precopy mig-precopy-1-byte-writes
fi

# ---- every incompatibility class, refused at the version record ---------------
# one byte per write: the refused write is the one that completes the
# VERSION record, so exactly version_end - 1 bytes were taken before it
dmesg_mark
while read -r class mode src dst reuse want; do
	ru=
	[ "$reuse" = - ] || ru=$(eval echo "\$$reuse")
	# shellcheck disable=SC2086 # $ru: absent or one uuid
	VFIO_MIG_CHUNK=1 mig "mig-refuse-$class" resume-bad "$mode" \
		"$(eval echo "\$$src")" "$(eval echo "\$$dst")" $ru
	judge_refusal "mig-refuse-$class" "$want"
	ve=$(field version_end)
	co=$(field consumed)
	if [ -n "$ve" ] && [ "$co" = $((ve - 1)) ] && [ "$co" -le 1024 ]; then
		pass "mig-refuse-$class-at-version"
	else
		fail "mig-refuse-$class-at-version" "consumed $co bytes, version record ends at $ve"
	fi
done <<EOF
unsupported none A N - EOPNOTSUPP
hardware none A G G2 ENODEV
type none A B4 - EMEDIUMTYPE
software none B A A2 ERANGE
format bad-version A B A EINVAL
EOF
line=$(dmesg_since | grep 'device migration stream: refused source' | head -n 1)
case "$line" in
*'"device_api=vfio-pci;pci_id=8086:591d;type=GVTg_V5_8;aggregator=1...": unsupported'*) pass mig-refuse-log ;;
*) fail mig-refuse-log "log: '$line'" ;;
esac

# ---- bad streams: refused, the target unchanged, then usable ------------------
while read -r mode want; do
	mig "mig-bad-$mode" resume-bad "$mode" "$A" "$B" "$A"
	judge_refusal "mig-bad-$mode" "$want"
done <<EOF
flip EINVAL
reorder EINVAL
dup-config EINVAL
twice EINVAL
oversize EFBIG
unknown-mandatory EPROTONOSUPPORT
major EPROTONOSUPPORT
EOF
mig mig-bad-truncate resume-bad truncate "$A" "$B" "$A"
check mig-bad-truncate \
	"$(field errno) $(field stop) $(field unchanged) $(field reuse)" \
	"OK EINVAL yes ok"
VFIO_MIG_CHUNK=0 mig mig-unknown-optional-accepted resume-bad unknown-optional "$A" "$B"
check mig-unknown-optional-accepted "$(field errno) $(field stop) $(field reuse)" "OK OK ok"

# ---- agreement: the attribute and the stream give the same verdict ------------
# sources A B G N, targets on each host (a second device where src == dst)
for s in A B G N; do
	for d in A B G N; do
		src=$(eval echo "\$$s")
		dst=$(eval echo "\$$d")
		[ "$s" = "$d" ] && dst=$(eval echo "\$${d}2")
		attr=$(wr_result "$MDEVS/$dst/migration_version" "$(cat "$MDEVS/$src/migration_version")")
		VFIO_MIG_CHUNK=0 mig "mig-agree-$s-to-$d" resume-bad none "$src" "$dst"
		inband=$(field errno)
		[ "$inband" = OK ] && inband=$(field stop)
		check "mig-agree-$s-to-$d" "$inband" "$attr"
	done
done
attr=$(wr_result "$MDEVS/$B4/migration_version" "$(cat "$MDEVS/$A/migration_version")")
VFIO_MIG_CHUNK=0 mig mig-agree-type resume-bad none "$A" "$B4"
check mig-agree-type "$(field errno) $attr" "EMEDIUMTYPE EMEDIUMTYPE"
wr "$PARAMS/checker" gvt >/dev/null
attr=$(wr_result "$MDEVS/$B/migration_version" "$(cat "$MDEVS/$A/migration_version")")
VFIO_MIG_CHUNK=0 mig mig-agree-gvt-checker resume-bad none "$A" "$B"
check mig-agree-gvt-checker "$(field errno) $attr" "ERANGE ERANGE"
wr "$PARAMS/checker" semver >/dev/null

# ---- reset and close in every state, then reuse ---------------------------------
for st in $MIG_STATES; do
	for action in reset close; do
		c=mig-$action-in-$st
		case "$st" in
		PRE_COPY*)
			if [ "$mig_precopy" = no ]; then
				mig_skip_precopy "$c"
				continue
			fi
			;;
		esac
		mig "$c" lifecycle "$action" "$st" "$B" "$A"
		mig_ok "$c"
	done
done

# ---- two migrations at once -------------------------------------------------------
mig mig-parallel parallel "$A" "$B" "$G" "$G2"
mig_ok mig-parallel

remove_all
if unload && ! loaded; then
	pass mig-unload
else
	fail mig-unload "$(cat /tmp/rmmod.err)"
fi
