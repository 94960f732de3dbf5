# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# fake_sysfs <root>: a /sys tree under <root> as mdev_migver makes it when
# loaded with the two-host matrix's parameters (tests/qemu/guest/matrix.sh):
#   migver0  8086:591d 1.2.0 accepts 1.0.0-1.2.0   structured
#   migver1  8086:591d 1.3.0 accepts 1.1.0-1.3.0   structured
#   migver2  8086:5912 1.2.0 accepts 1.0.0-1.2.0   structured
#   migver3  8086:591d 1.2.0 accepts none          gvt (string carries no list)
# plus one PCI parent (0000:00:02.0, as the PCI parent mode or i915 GVT-g
# registers them) with one type, a GVTg_V5_8 device on migver0 and a
# GVTg_V5_2 device on migver1.  Sourced by tests/tool/run.sh.

FAKE_U8=0b6ac3f4-7a9e-4a51-8d8b-8b0c1f3a0008
FAKE_U2=0b6ac3f4-7a9e-4a51-8d8b-8b0c1f3a0002

fake_type() { # <parent dir> <n> <low> <high> <res> <weight> <avail> <string>
	local t=$1/mdev_supported_types/migver-GVTg_V5_$2
	mkdir -p "$t/devices"
	echo "GVTg_V5_$2" >"$t/name"
	echo vfio-pci >"$t/device_api"
	echo "$7" >"$t/available_instances"
	printf 'low_gm_size: %sMB\nhigh_gm_size: %sMB\nfence: 4\nresolution: %s\nweight: %s\n' \
		"$3" "$4" "$5" "$6" >"$t/description"
	echo "$8" >"$t/migration_version"
	: >"$t/create"
}

fake_sysfs() {
	local r=$1 i p dev sw acc fmt s n
	local -a devs=(591d 591d 5912 591d) sws=(1.2.0 1.3.0 1.2.0 1.2.0)
	local -a accs=(1.0.0-1.2.0 1.1.0-1.3.0 1.0.0-1.2.0 none)
	local -a fmts=(structured structured structured gvt)

	mkdir -p "$r/sys/class/mdev_bus" "$r/sys/class/migver" \
		"$r/sys/bus/mdev/devices" "$r/sys/module/mdev_migver/parameters"
	echo semver >"$r/sys/module/mdev_migver/parameters/checker"
	echo "1.0.0-1.2.0,1.1.0-1.3.0,1.0.0-1.2.0,none" \
		>"$r/sys/module/mdev_migver/parameters/accept"
	echo "structured,structured,structured,gvt" \
		>"$r/sys/module/mdev_migver/parameters/format"
	echo 0.1.0 >"$r/sys/module/mdev_migver/version"
	for i in 0 1 2 3; do
		p=$r/sys/devices/virtual/migver/migver$i
		mkdir -p "$p"
		ln -s "../../devices/virtual/migver/migver$i" "$r/sys/class/mdev_bus/migver$i"
		ln -s "../../devices/virtual/migver/migver$i" "$r/sys/class/migver/migver$i"
		dev=${devs[$i]} sw=${sws[$i]} acc=${accs[$i]} fmt=${fmts[$i]}
		# type | low | high | resolution | weight | available
		while IFS='|' read -r n low high res weight avail; do
			if [ "$fmt" = gvt ]; then
				IFS=. read -r ma mi pa <<<"$sw"
				s=$(printf '8086-%s-GVTg_V5_%s-%02x%02x%04x' "$dev" "$n" "$ma" "$mi" "$pa")
			else
				s="device_api=vfio-pci;pci_id=8086:$dev;type=GVTg_V5_$n;aggregator=1;software_version=$sw;accepted_source_versions=$acc"
			fi
			fake_type "$p" "$n" "$low" "$high" "$res" "$weight" "$avail" "$s"
		done <<-EOF
			8|64|384|1024x768|2|8
			4|128|512|1920x1200|4|4
			2|256|1024|1920x1200|8|2
			1|512|2048|1920x1200|16|1
		EOF
	done
	# devices: <parent>/<uuid>, linked from the bus and their type
	for dev in "0 8 $FAKE_U8" "1 2 $FAKE_U2"; do
		read -r i n u <<<"$dev"
		p=$r/sys/devices/virtual/migver/migver$i
		mkdir -p "$p/$u"
		ln -s ../mdev_supported_types/migver-GVTg_V5_$n "$p/$u/mdev_type"
		ln -s "../../../$u" "$p/mdev_supported_types/migver-GVTg_V5_$n/devices/$u"
		cp "$p/mdev_supported_types/migver-GVTg_V5_$n/migration_version" "$p/$u/"
		ln -s "../../../devices/virtual/migver/migver$i/$u" "$r/sys/bus/mdev/devices/$u"
	done
	# a PCI parent: no migver class link, no module parameters apply
	p=$r/sys/devices/pci0000:00/0000:00:02.0
	mkdir -p "$p"
	ln -s "../../devices/pci0000:00/0000:00:02.0" "$r/sys/class/mdev_bus/0000:00:02.0"
	fake_type "$p" 4 128 512 1920x1200 4 3 \
		"device_api=vfio-pci;pci_id=8086:591d;type=GVTg_V5_4;aggregator=1;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0"
	mv "$p/mdev_supported_types/migver-GVTg_V5_4" "$p/mdev_supported_types/i915-GVTg_V5_4"
}
