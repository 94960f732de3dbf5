# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Sourced by libvirt.sh once libvirtd runs and the PCI parent is bound: a
# domain with one of our vGPUs as <hostdev type='mdev'>, started by
# libvirt's QEMU driver (TCG; the "OS" is the vmm entry's firmware,
# tests/bin/vgpu-guest.rom, in fill mode), saved with `virsh save` and
# restored with `virsh restore --xml` onto other vGPUs: one whose parent
# refuses the source (another GPU: ENODEV) and one that accepts it.
# libvirt checks no compatibility itself; the refusal is the module's,
# through QEMU.  Cases libvirt-domain-*, libvirt-save, libvirt-restore-*.
# shellcheck disable=SC2154 # lib.sh's, libvirt.sh's variables

# QEMU 8.1 or newer migrates VFIO devices (migration v2, enable-migration,
# switchover-ack).  Debian 12's 7.2 has neither the protocol the kernel
# speaks nor the property: there the domain starts without the override,
# and saving it is a platform limit (QEMU blocks it), not a case.
qemu_ver=$(inroot qemu-system-x86_64 --version 2>/dev/null |
	sed -n '1s/.*version \([0-9][0-9.]*\).*/\1/p')
qemu_migrates=1
if [ -n "$qemu_ver" ] && ! version_at_least "$qemu_ver" 8 1; then
	qemu_migrates=0
fi

# libvirt's command line for the hostdev has no enable-migration:
# <qemu:override> sets it on the vfio-pci device (an OnOffAuto property,
# so type 'string', value 'on'; QEMU's default "auto" migrates only a
# device with dirty page tracking, which ours lacks).
# domain_xml <uuid>: the domain
domain_xml() {
	cat <<EOF
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>vgpu</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <sysinfo type='fwcfg'>
    <entry name='opt/migver/mode'>fill</entry>
  </sysinfo>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <loader type='rom'>/tmp/vgpu-guest.rom</loader>
  </os>
  <features>
    <tcg>
      <tb-cache unit='MiB'>32</tb-cache>
    </tcg>
  </features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source>
        <address uuid='$1'/>
      </source>
      <alias name='ua-vgpu0'/>
    </hostdev>
  </devices>
EOF
	[ "$qemu_migrates" = 0 ] || cat <<EOF
  <qemu:override>
    <qemu:device alias='ua-vgpu0'>
      <qemu:frontend>
        <qemu:property name='enable-migration' type='string' value='on'/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>
EOF
	echo '</domain>'
}

cp /tests/bin/vgpu-guest.rom "$R/tmp/vgpu-guest.rom"

# the source on the PCI parent (identity of migver0: 8086:591d 1.2.0); the
# targets: migver1 (1.3.0, accepts 1.1.0-1.3.0) and migver2 (8086:5912)
SRC_U=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a61
OK_U=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a62
BAD_U=6d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a63
wr "$PT/migver-GVTg_V5_4/create" "$SRC_U" >/dev/null
wr "$(type_dir 1 4)/create" "$OK_U" >/dev/null
wr "$(type_dir 2 4)/create" "$BAD_U" >/dev/null
domain_xml "$SRC_U" >"$R/tmp/vgpu.xml"
echo '$ cat vgpu.xml'
cat "$R/tmp/vgpu.xml"
dom_state() {
	virsh domstate vgpu && awk 'NF {print; exit}' /tmp/virsh.out
}
ts=$(now_s)
if virsh create /tmp/vgpu.xml; then
	echo '$ virsh create vgpu.xml'
	cat /tmp/virsh.out
	qlog=$R/var/log/libvirt/qemu/vgpu.log
	echo "# domain started in $(($(now_s) - ts)) s; QEMU's vfio-pci device:"
	grep -o -m1 '"driver":"vfio-pci"[^}]*}' "$qlog" | head -n 1 | sed 's/^/#   /'
	want='"driver":"vfio-pci".*"sysfsdev":"/sys/bus/mdev/devices/'"$SRC_U"'"'
	[ "$qemu_migrates" = 0 ] || want="$want"'.*"enable-migration":"on"'
	if [ "$(dom_state)" = running ] && grep -q "$want" "$qlog"; then
		pass libvirt-domain-start
	else
		fail libvirt-domain-start "state '$(dom_state)'; $(grep -c enable-migration "$qlog") enable-migration in $qlog"
	fi
else
	fail libvirt-domain-start "$(tr '\n' ' ' </tmp/virsh.out) $(tail -n 3 "$R/var/log/libvirt/qemu/vgpu.log" 2>/dev/null | tr '\n' ' ')"
fi
if [ "$qemu_migrates" = 0 ]; then
	why="limit:vfio-migration-needs-qemu-8.1: the root's QEMU is $qemu_ver"
	for c in libvirt-save libvirt-restore-incompatible-refused libvirt-restore-compatible; do
		skip "$c" "$why"
	done
	virsh destroy vgpu
	return 0
fi
# let the firmware fill the device (a few seconds of nested TCG)
sleep 5
ts=$(now_s)
if virsh save vgpu /tmp/vgpu.sav; then
	echo '$ virsh save vgpu /tmp/vgpu.sav'
	cat /tmp/virsh.out
	echo "# saved in $(($(now_s) - ts)) s, $(wc -c <"$R/tmp/vgpu.sav") bytes"
	virsh list --all --name
	check libvirt-save "$(awk 'NF' /tmp/virsh.out | wc -l) $(test -s "$R/tmp/vgpu.sav" && echo image)" "0 image"
else
	fail libvirt-save "after $(($(now_s) - ts)) s: $(tr '\n' ' ' </tmp/virsh.out)"
	# what was going on: libvirt's job, the domain, its QEMU's last words
	for a in "domjobinfo vgpu" "domstate vgpu --reason"; do
		# shellcheck disable=SC2086 # two words each
		virsh $a
		echo "# virsh $a: $(tr '\n' ' ' </tmp/virsh.out)"
	done
	tail -n 20 "$R/var/log/libvirt/qemu/vgpu.log" 2>/dev/null | sed 's/^/# vgpu.log: /'
fi
# restore_onto <uuid>: the saved domain onto the vGPU <uuid>
restore_onto() {
	virsh save-image-dumpxml /tmp/vgpu.sav &&
		sed "s/$SRC_U/$1/" /tmp/virsh.out >"$R/tmp/restore.xml" &&
		virsh restore /tmp/vgpu.sav --xml /tmp/restore.xml
}
dmesg_mark
if restore_onto "$BAD_U"; then
	fail libvirt-restore-incompatible-refused "restored onto migver2's vGPU: $(tr '\n' ' ' </tmp/virsh.out)"
	virsh destroy vgpu
else
	echo "\$ virsh restore /tmp/vgpu.sav --xml restore.xml    # <address uuid='$BAD_U'/>: migver2, another GPU"
	cat /tmp/virsh.out
	# the errno's message, and the module's one line on why
	if grep -q 'No such device' /tmp/virsh.out; then
		pass libvirt-restore-incompatible-refused
	else
		fail libvirt-restore-incompatible-refused "no 'No such device' in: $(tr '\n' ' ' </tmp/virsh.out)"
	fi
	dmesg_since | grep refused | tail -n 1
fi
if restore_onto "$OK_U"; then
	echo "\$ virsh restore /tmp/vgpu.sav --xml restore.xml    # <address uuid='$OK_U'/>: migver1, 1.3.0"
	cat /tmp/virsh.out
	virsh dumpxml vgpu
	cp /tmp/virsh.out /tmp/restored.xml
	check libvirt-restore-compatible "$(dom_state) $(grep -c "uuid='$OK_U'" /tmp/restored.xml)" "running 1"
	virsh destroy vgpu
else
	fail libvirt-restore-compatible "$(tr '\n' ' ' </tmp/virsh.out)"
fi
