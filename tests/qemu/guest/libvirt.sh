# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Guest entry libvirt: what libvirt (the suite's libvirtd and virsh, over
# the suite's mdevctl) sees of our parents and types, and the mdevs it
# creates.  Cases: libvirt.plan.
#
# The management stack lives in the libvirt root (tests/qemu/lib/
# libvirt-root.sh: a Debian root made by apt, exported by the host with
# -virtfs, read-only, tag lvroot); this script (busybox, PID 1's child)
# lays a tmpfs over it (overlay), mounts /proc, /sys, /dev and /run into
# it and runs udevd and libvirtd there with chroot.  The module is loaded
# from the initramfs as in every entry; both sides share the kernel.
# shellcheck disable=SC2154 # lib.sh's variables
. /tests/lib.sh

R=/mnt/root
PATH_IN=/usr/sbin:/usr/bin:/sbin:/bin

# inroot <cmd...>: a command of the libvirt root, with a clean environment
inroot() {
	env -i PATH=$PATH_IN HOME=/root LC_ALL=C.UTF-8 TERM=dumb chroot "$R" "$@"
}

# virsh <args>: stdout and stderr to /tmp/virsh.out, its status
virsh() {
	timeout 300 env -i PATH=$PATH_IN HOME=/root LC_ALL=C.UTF-8 TERM=dumb chroot "$R" virsh -c qemu:///system "$@" >/tmp/virsh.out 2>&1
}

# wait_for <tenths of a second> <cmd...>: true once <cmd> is
wait_for() {
	wf_n=$1
	shift
	while ! "$@"; do
		[ "$wf_n" -gt 0 ] || return 1
		sleep 0.1
		wf_n=$((wf_n - 1))
	done
}

now_s() { cut -d. -f1 /proc/uptime; }
t0=$(now_s)

# ---- the root: 9p (read-only) under a tmpfs overlay ---------------------------------
root_ok=yes
while read -r k; do
	insmod "/tests/kmod/$k" 2>>/tmp/insmod.err || root_ok="insmod $k: $(cat /tmp/insmod.err)"
done </tests/kmod/order
mkdir -p /mnt/lower /mnt/rw "$R"
if [ "$root_ok" = yes ] &&
	mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose lvroot /mnt/lower 2>/tmp/mount.err &&
	mount -t tmpfs -o size=512m tmpfs /mnt/rw && mkdir -p /mnt/rw/upper /mnt/rw/work &&
	mount -t overlay overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work "$R" 2>>/tmp/mount.err &&
	mount -t proc proc "$R/proc" && mount -o bind /sys "$R/sys" && mount -o bind /dev "$R/dev" &&
	mount -t tmpfs tmpfs "$R/run" && mount -t tmpfs tmpfs "$R/tmp" &&
	inroot /bin/true; then
	# what udev would make in /dev (mdevctl, called by libvirt, reads
	# its JSON from /dev/stdin)
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
	pass libvirt-root
else
	[ "$root_ok" != yes ] || root_ok=$(tr '\n' ' ' </tmp/mount.err)
	fail libvirt-root "$root_ok"
	finish
	exit 1
fi
echo "# $(inroot libvirtd --version) / $(inroot virsh --version) / mdevctl $(inroot mdevctl --version 2>&1)"

modprobe vfio
modprobe vfio_iommu_type1
modprobe mdev
# ---- udevd (libvirt's nodedev driver learns of devices through it) ----------------
# `udevadm trigger` and `settle` do nothing in a chroot ("Running in
# chroot, ignoring request"): the PCI devices get their "add" through
# their uevent files, and settling is waiting for udevd's queue file to go.
UDEVD=/usr/lib/systemd/systemd-udevd
settle() {
	wait_for 300 test ! -e "$R/run/udev/queue"
}
# udevd_up: it runs and has made its control socket, as the root sees it
# (sid's systemd 262 makes /run/udev/control an absolute symlink to its
# varlink socket /run/udev/io.systemd.Udev, which resolves only inside)
udevd_up() { pidof systemd-udevd >/dev/null && inroot test -S /run/udev/control; }
inroot "$UDEVD" --daemon 2>/tmp/udevd.err
echo "# systemd-udevd --daemon: exit $?"
if wait_for 600 udevd_up; then
	for u in /sys/bus/pci/devices/*/uevent; do
		echo add >"$u"
	done
	settle
	# running, its control socket there and its event queue drained
	if pidof systemd-udevd >/dev/null && [ ! -e "$R/run/udev/queue" ]; then
		pass libvirt-udevd
	else
		fail libvirt-udevd "pid '$(pidof systemd-udevd)', queue $(ls "$R/run/udev/queue" 2>&1)"
	fi
else
	fail libvirt-udevd "$(tr '\n' ' ' </tmp/udevd.err); pid '$(pidof systemd-udevd)'; /run/udev: $(ls -l "$R/run/udev" 2>&1 | tr '\n' ' ')"
fi

# ---- the module: class parents only --------------------------------------------------
# three class parents: migver0 (8086:591d 1.2.0), migver1 (1.3.0, accepts
# 1.1.0-1.3.0), migver2 (another GPU, 8086:5912); the PCI parent below
# takes migver0's identity
LV_LOAD="nr_parents=3 device=0x591d,0x591d,0x5912 sw_version=1.2.0,1.3.0,1.2.0 accept=1.0.0-1.2.0,1.1.0-1.3.0,1.0.0-1.2.0"
# shellcheck disable=SC2086 # $LV_LOAD: parameters
if load $LV_LOAD && [ -d /sys/class/mdev_bus/migver2 ]; then
	pass libvirt-module-loaded
else
	fail libvirt-module-loaded "$(cat /tmp/modprobe.err)"
fi
settle

mdev_type_of() { # <uuid>: the type and parent of an mdev in sysfs, or "none none"
	if [ -e "$MDEVS/$1" ]; then
		t=$(readlink "$MDEVS/$1/mdev_type")
		p=$(readlink -f "$MDEVS/$1")
		p=${p%/*}
		echo "${t##*/} ${p##*/}"
	else
		echo "none none"
	fi
}

# ---- mdevctl define --auto: the vGPU is back when the module is ---------------------
# mdevctl's udev rule (60-mdevctl.rules) runs `mdevctl start-parent-mdevs
# <parent>` when a parent appears (its add uevent, and the change uevent
# with MDEV_STATE=registered once its types exist) if /etc/mdevctl.d/<parent>
# exists; that starts the parent's devices defined with --auto.  AU is one,
# MU one defined without it.  Two reloads of the module (rmmod, modprobe):
# 1. with the package's rule as shipped.  Debian's mdevctl (1.2 in 12, 1.4
#    in 13 and sid) installs /usr/bin/mdevctl while its rule runs
#    /usr/sbin/mdevctl, so udev's start fails ("not found") and AU does
#    not come back; where the rule's program exists, AU must come back.
# 2. with README's fix where it is needed (a copy of the rule in
#    /etc/udev/rules.d that runs the installed mdevctl; udevd restarted,
#    as `udevadm control --reload` is refused in a chroot): AU is back,
#    started by udevd (nothing else here runs mdevctl), MU is not.
# The guest runs no syslog: a stand-in logger keeps what the rule's
# commands print (mdevctl's messages) in the root's /tmp/logger.log.
AU=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a60
MU=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a61
RULE=/usr/lib/udev/rules.d/60-mdevctl.rules
[ -e "$R$RULE" ] || RULE=/lib/udev/rules.d/60-mdevctl.rules
rule_bin=$(sed -n 's/.*{ \(\/[^ ]*\) start-parent-mdevs.*/\1/p' "$R$RULE" | head -n 1)
mdevctl_bin=$(inroot sh -c 'command -v mdevctl')
printf '#!/bin/sh\n{ echo "logger $*"; cat; } >>/tmp/logger.log\n' >"$R/usr/bin/logger"
# not_found_runs: how many of the rule's commands failed for want of
# their program since the last reload
not_found_runs() { grep -c "$rule_bin: not found" "$R/tmp/logger.log" 2>/dev/null; }
# reload_outcome: after rmmod + modprobe, once udev is done with both of
# migver0's uevents (AU started, or both runs of the rule failed),
# "<AU's type and parent> <MU's>"
reload_outcome() {
	: >"$R/tmp/logger.log"
	# shellcheck disable=SC2086 # $LV_LOAD: parameters
	load $LV_LOAD
	wait_for 1200 sh -c "[ -e '$MDEVS/$AU' ] || [ \"\$(grep -c '$rule_bin: not found' '$R/tmp/logger.log' 2>/dev/null)\" -ge 2 ]"
	settle
	echo "$(mdev_type_of "$AU") $(mdev_type_of "$MU")"
}
if inroot mdevctl define --auto -u "$AU" -p migver0 -t migver-GVTg_V5_8 >/tmp/mdevctl.out 2>&1 &&
	inroot mdevctl define -u "$MU" -p migver0 -t migver-GVTg_V5_4 >>/tmp/mdevctl.out 2>&1; then
	echo "\$ mdevctl define --auto -u $AU -p migver0 -t migver-GVTg_V5_8"
	echo "\$ mdevctl define -u $MU -p migver0 -t migver-GVTg_V5_4"
	inroot mdevctl list --defined >/tmp/mdevctl.out 2>&1
	echo '$ mdevctl list --defined'
	cat /tmp/mdevctl.out
	echo "# $RULE runs $rule_bin; the package's mdevctl is $mdevctl_bin"
	got=$(reload_outcome)
	sed 's/^/# logger: /' "$R/tmp/logger.log"
	if [ -x "$R$rule_bin" ]; then
		check libvirt-mdevctl-auto-as-shipped "$got" "migver-GVTg_V5_8 migver0 none none"
	else
		# (each of the rule's two uevents, and udev may run a rule
		# again: at least two)
		nf=$(not_found_runs)
		echo "# the rule's command failed $nf times: $rule_bin not found"
		[ "${nf:-0}" -lt 2 ] || nf=2+
		check libvirt-mdevctl-auto-as-shipped "$got, not found: $nf" "none none none none, not found: 2+"
	fi
	if [ ! -x "$R$rule_bin" ]; then
		# README's fix, and udevd anew to read it
		mkdir -p "$R/etc/udev/rules.d"
		sed "s,$rule_bin,$mdevctl_bin,g" "$R$RULE" >"$R/etc/udev/rules.d/60-mdevctl.rules"
		echo "\$ sed 's,$rule_bin,$mdevctl_bin,' $RULE >/etc/udev/rules.d/60-mdevctl.rules"
		# shellcheck disable=SC2046 # one pid or more
		kill $(pidof systemd-udevd) 2>/dev/null
		wait_for 100 sh -c '! pidof systemd-udevd >/dev/null'
		rm -f "$R/run/udev/control"
		inroot "$UDEVD" --daemon 2>>/tmp/udevd.err
		wait_for 600 udevd_up
	fi
	echo '$ rmmod mdev_migver && modprobe mdev_migver    # (and its parameters)'
	got=$(reload_outcome)
	sed 's/^/# logger: /' "$R/tmp/logger.log"
	inroot mdevctl list >/tmp/mdevctl.out 2>&1
	echo '$ mdevctl list'
	cat /tmp/mdevctl.out
	check libvirt-mdevctl-define-auto "$got" "migver-GVTg_V5_8 migver0 none none"
else
	fail libvirt-mdevctl-auto-as-shipped "mdevctl define: $(tr '\n' ' ' </tmp/mdevctl.out)"
	fail libvirt-mdevctl-define-auto "mdevctl define: $(tr '\n' ' ' </tmp/mdevctl.out)"
fi
inroot mdevctl stop -u "$AU" >/dev/null 2>&1
inroot mdevctl undefine -u "$AU" >/dev/null 2>&1
inroot mdevctl undefine -u "$MU" >/dev/null 2>&1
remove_all

# ---- libvirtd ---------------------------------------------------------------------------
# Logs to a file of the overlay.  The QEMU driver runs QEMU as root, with
# no cgroups, namespaces or seccomp (a busybox guest without systemd), its
# stdout and stderr to /var/log/libvirt/qemu/<name>.log (no virtlogd).
mkdir -p "$R/var/log/libvirt"
echo 'log_outputs="3:file:/var/log/libvirt/libvirtd.log"' >>"$R/etc/libvirt/libvirtd.conf"
cat >>"$R/etc/libvirt/qemu.conf" <<'EOF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
cgroup_controllers = [ ]
namespaces = [ ]
security_driver = "none"
seccomp_sandbox = 0
stdio_handler = "file"
EOF
# The QEMU driver looks up its compiled-in user and group (libvirt-qemu)
# even when qemu.conf names another.  Debian 13's libvirt-daemon makes
# them; in Debian 12 libvirt-daemon-system's postinst does, a package
# (systemd units, polkit) the root does not have: here they are made.
grep -q '^libvirt-qemu:' "$R/etc/group" ||
	echo 'libvirt-qemu:x:64055:' >>"$R/etc/group"
grep -q '^libvirt-qemu:' "$R/etc/passwd" ||
	echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >>"$R/etc/passwd"
# Ready once its socket exists and virsh gets an answer (one try: a virsh
# that hangs ends by its own timeout, and retrying one would multiply it);
# a libvirtd that died is not waited for.
lv_sock=$R/run/libvirt/libvirt-sock
libvirtd_settled() { [ -S "$lv_sock" ] || ! pidof libvirtd >/dev/null; }
ts=$(now_s)
if inroot libvirtd --daemon 2>/tmp/libvirtd.err &&
	wait_for 3000 libvirtd_settled && [ -S "$lv_sock" ] && virsh version; then
	pass libvirt-daemon
	echo "# libvirtd answers after $(($(now_s) - ts)) s"
	sed 's/^/# /' /tmp/virsh.out
else
	fail libvirt-daemon "$(tr '\n' ' ' </tmp/libvirtd.err) $(tr '\n' ' ' </tmp/virsh.out) $(tail -n 5 "$R/var/log/libvirt/libvirtd.log" | tr '\n' ' ')"
	echo "# /run/libvirt: $(ls "$R/run/libvirt" 2>&1 | tr '\n' ' ')"
	ps | sed 's/^/# /'
	sed 's/^/# libvirtd.log: /' "$R/var/log/libvirt/libvirtd.log" | tail -n 30
	finish
	exit 1
fi

# ---- class parents: not mdev parents to libvirt ---------------------------------------
# libvirt takes a device for an mdev parent only if it is PCI, css, ap or
# the sample class mtty: sysfs has class parents, libvirt lists none.
# shellcheck disable=SC2012 # fixed sysfs names
nparents=$(ls /sys/class/mdev_bus | wc -l)
if virsh nodedev-list --cap mdev_types; then
	listed=$(awk 'NF' /tmp/virsh.out | tr '\n' ' ')
	check libvirt-class-parents-not-listed "$nparents parents in sysfs, listed: [$listed]" \
		"$nparents parents in sysfs, listed: []"
else
	fail libvirt-class-parents-not-listed "$(cat /tmp/virsh.out)"
fi
[ "$nparents" -gt 0 ] || fail libvirt-class-parents-not-listed "no class parent in sysfs"
echo '$ virsh nodedev-list --cap mdev_types'
cat /tmp/virsh.out

# ---- the PCI parent -------------------------------------------------------------------------
pci_fn=$(pci_testdev)
PCIDEV=/sys/bus/pci/devices/$pci_fn
PT=/sys/class/mdev_bus/$pci_fn/mdev_supported_types
# libvirt's name of it: pci_<domain>_<bus>_<slot>_<function>
PNODE=pci_$(echo "$pci_fn" | tr ':.' '__')
if [ -n "$pci_fn" ] && echo migver >"$PCIDEV/driver_override" &&
	echo "$pci_fn" >/sys/bus/pci/drivers_probe && [ -d "$PT" ]; then
	settle
	pci_listed() {
		virsh nodedev-list --cap mdev_types && grep -qx "$PNODE" /tmp/virsh.out
	}
	ts=$(now_s)
	if wait_for 300 pci_listed; then
		pass libvirt-pci-parent-listed
		echo "# libvirt lists the PCI parent $(($(now_s) - ts)) s after the bind"
	else
		fail libvirt-pci-parent-listed "no $PNODE in: $(tr '\n' ' ' </tmp/virsh.out)"
	fi
	echo '$ virsh nodedev-list --cap mdev_types'
	cat /tmp/virsh.out
else
	fail libvirt-pci-parent-listed "no pci-testdev (1b36:0005) bound to migver: '$pci_fn'"
fi

# type_xml <flat dumpxml> <type id>: "name|deviceAPI|availableInstances"
# of that type in libvirt's XML (one element per line, as virsh prints it)
type_xml() {
	awk -v id="$2" -v q="'" '
		/<type id=/ { cur = index($0, q id q) || index($0, "\"" id "\"") }
		cur && /<name>/ { sub(/.*<name>/, ""); sub(/<\/name>.*/, ""); n = $0 }
		cur && /<deviceAPI>/ { sub(/.*<deviceAPI>/, ""); sub(/<\/deviceAPI>.*/, ""); a = $0 }
		cur && /<availableInstances>/ { sub(/.*<availableInstances>/, ""); sub(/<\/availableInstances>.*/, ""); i = $0 }
		/<\/type>/ { cur = 0 }
		END { printf "%s|%s|%s", n, a, i }' "$1"
}
type_sysfs() { # <type suffix>
	d=$PT/migver-GVTg_V5_$1
	printf '%s|%s|%s' "$(cat "$d/name")" "$(cat "$d/device_api")" "$(cat "$d/available_instances")"
}
# dump_types <case prefix>: the four types of the PCI parent in libvirt's
# XML against sysfs
dump_types() {
	if virsh nodedev-dumpxml "$PNODE"; then
		cp /tmp/virsh.out /tmp/pci.xml
		for t in 8 4 2 1; do
			check "$1-V5_$t" "$(type_xml /tmp/pci.xml "migver-GVTg_V5_$t")" "$(type_sysfs "$t")"
		done
	else
		for t in 8 4 2 1; do
			fail "$1-V5_$t" "nodedev-dumpxml: $(tr '\n' ' ' </tmp/virsh.out)"
		done
	fi
}
dump_types libvirt-pci-type
ntypes=$(grep -c '<type id=' /tmp/pci.xml 2>/dev/null)
check libvirt-pci-four-types "$ntypes" 4
echo "\$ virsh nodedev-dumpxml $PNODE"
cat /tmp/pci.xml

# ---- an mdev of a class parent: libvirt lists it (not its parent) ---------------------------
# its name: mdev_<uuid with _>[_<parent>]
mdev_node_listed() { # <uuid>
	virsh nodedev-list --cap mdev &&
		grep -q "^mdev_$(echo "$1" | tr - _)" /tmp/virsh.out
}
create 0 8 6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a50
CU=$uuid
if [ "$created" = OK ] && wait_for 300 mdev_node_listed "$CU"; then
	pass libvirt-class-child-listed
else
	fail libvirt-class-child-listed "create $created; nodedev-list --cap mdev: $(tr '\n' ' ' </tmp/virsh.out)"
fi
echo '$ virsh nodedev-list --cap mdev'
cat /tmp/virsh.out
echo 1 >"$MDEVS/$CU/remove"

# ---- nodedev-define + nodedev-start: an mdev through mdevctl ----------------------------
LU=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a51
cat >"$R/tmp/mdev.xml" <<EOF
<device>
  <parent>$PNODE</parent>
  <capability type='mdev'>
    <type id='migver-GVTg_V5_4'/>
    <uuid>$LU</uuid>
  </capability>
</device>
EOF
echo '$ cat mdev.xml'
cat "$R/tmp/mdev.xml"
avail4=$(cat "$PT/migver-GVTg_V5_4/available_instances")
LNODE=
if virsh nodedev-define /tmp/mdev.xml; then
	LNODE=$(sed -n "s/^Node device '\([^']*\)' defined.*/\1/p" /tmp/virsh.out)
	echo '$ virsh nodedev-define mdev.xml'
	cat /tmp/virsh.out
	inroot mdevctl list --defined >/tmp/mdevctl.out 2>&1
	if [ -n "$LNODE" ] && grep -q "^$LU $pci_fn migver-GVTg_V5_4" /tmp/mdevctl.out &&
		[ ! -e "$MDEVS/$LU" ]; then
		pass libvirt-nodedev-define
	else
		fail libvirt-nodedev-define "node '$LNODE'; mdevctl list --defined: $(tr '\n' ' ' </tmp/mdevctl.out); in sysfs: $(ls "$MDEVS" | tr '\n' ' ')"
	fi
	echo '$ mdevctl list --defined'
	cat /tmp/mdevctl.out
else
	fail libvirt-nodedev-define "$(tr '\n' ' ' </tmp/virsh.out)"
fi
if [ -n "$LNODE" ] && virsh nodedev-start "$LNODE"; then
	echo "\$ virsh nodedev-start $LNODE"
	cat /tmp/virsh.out
	check libvirt-nodedev-start "$(mdev_type_of "$LU") $(cat "$PT/migver-GVTg_V5_4/available_instances")" \
		"migver-GVTg_V5_4 $pci_fn $((avail4 - 1))"
	# libvirt's count follows sysfs
	if virsh nodedev-dumpxml "$PNODE"; then
		check libvirt-pci-avail-follows "$(type_xml /tmp/virsh.out migver-GVTg_V5_4)" "$(type_sysfs 4)"
	else
		fail libvirt-pci-avail-follows "$(tr '\n' ' ' </tmp/virsh.out)"
	fi
	if virsh nodedev-info "$LNODE"; then
		echo "\$ virsh nodedev-info $LNODE"
		cat /tmp/virsh.out
		check libvirt-nodedev-active "$(awk '$1 == "Active:" {print $2}' /tmp/virsh.out)" yes
	else
		fail libvirt-nodedev-active "$(tr '\n' ' ' </tmp/virsh.out)"
	fi
else
	fail libvirt-nodedev-start "node '$LNODE': $(tr '\n' ' ' </tmp/virsh.out)"
	fail libvirt-pci-avail-follows "not started"
	fail libvirt-nodedev-active "not started"
fi
if [ -n "$LNODE" ] && virsh nodedev-destroy "$LNODE"; then
	echo "\$ virsh nodedev-destroy $LNODE"
	cat /tmp/virsh.out
	inroot mdevctl list --defined >/tmp/mdevctl.out 2>&1
	check libvirt-nodedev-destroy "$(mdev_type_of "$LU") $(grep -c "^$LU " /tmp/mdevctl.out)" "none none 1"
else
	fail libvirt-nodedev-destroy "$(tr '\n' ' ' </tmp/virsh.out)"
fi
if [ -n "$LNODE" ] && virsh nodedev-undefine "$LNODE"; then
	echo "\$ virsh nodedev-undefine $LNODE"
	cat /tmp/virsh.out
	inroot mdevctl list --defined >/tmp/mdevctl.out 2>&1
	virsh nodedev-list --all --cap mdev
	check libvirt-nodedev-undefine "$(grep -c "^$LU " /tmp/mdevctl.out) $(grep -c "^$LNODE\$" /tmp/virsh.out)" "0 0"
else
	fail libvirt-nodedev-undefine "$(tr '\n' ' ' </tmp/virsh.out)"
fi

# ---- the compatibility gate through libvirt: an mdev attribute -------------------------
# <attr name='migration_version' value='<source string>'/>: mdevctl writes
# it after creating the vGPU and removes the vGPU if the write fails, so
# nodedev-start fails for a source the parent refuses.
# gate <uuid> <source type dir>: define (with the source's string) and start
gate() {
	cat >"$R/tmp/gate.xml" <<EOF
<device>
  <parent>$PNODE</parent>
  <capability type='mdev'>
    <type id='migver-GVTg_V5_4'/>
    <uuid>$1</uuid>
    <attr name='migration_version' value='$(cat "$2/migration_version")'/>
  </capability>
</device>
EOF
	gnode=mdev_$(echo "$1" | tr - _)_$(echo "$pci_fn" | tr ':.' '__')
	virsh nodedev-define /tmp/gate.xml && virsh nodedev-start "$gnode"
}
GOK=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a52
GBAD=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a53
if gate "$GOK" "$(type_dir 0 4)"; then
	check libvirt-gate-accepted "$(mdev_type_of "$GOK")" "migver-GVTg_V5_4 $pci_fn"
	virsh nodedev-destroy "$gnode"
else
	fail libvirt-gate-accepted "$(tr '\n' ' ' </tmp/virsh.out)"
fi
virsh nodedev-undefine "$gnode"
if gate "$GBAD" "$(type_dir 2 4)"; then
	fail libvirt-gate-refused "nodedev-start succeeded: $(mdev_type_of "$GBAD")"
	virsh nodedev-destroy "$gnode"
else
	echo '$ cat gate.xml    # the source: migver2, another GPU'
	cat "$R/tmp/gate.xml"
	echo "\$ virsh nodedev-define gate.xml && virsh nodedev-start $gnode"
	cat /tmp/virsh.out
	if grep -q 'No such device' /tmp/virsh.out; then
		check libvirt-gate-refused "$(mdev_type_of "$GBAD")" "none none"
	else
		fail libvirt-gate-refused "no 'No such device' in: $(tr '\n' ' ' </tmp/virsh.out)"
	fi
fi
virsh nodedev-undefine "$gnode"

# ---- a domain with a vGPU: start, save, restore onto another vGPU --------------------
# shellcheck source=tests/qemu/guest/libvirt-domain.sh
. /tests/libvirt-domain.sh

echo "# libvirt entry: $(($(now_s) - t0)) s in the guest"
finish
