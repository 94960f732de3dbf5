#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The migver tool on the host (`make tool-test`): no kernel involved.
#   1. builds: gcc -Werror, clang -Werror, and gcc with ASan + UBSan, which
#      every case below runs (a leak or undefined behaviour fails the case:
#      its exit status is then not the one expected);
#   2. explain: every row of tests/tool/explain.cases, as text and --json;
#   3. list, matrix and explain against a fake /sys (tests/tool/fake-sysfs.sh:
#      the two-host matrix of tests/qemu/guest/matrix.sh and a PCI parent);
#   4. inspect on the stream fuzzer's seeds and broken copies of them;
#   5. bad input: one line on stderr, nothing on stdout, exit status 1;
#   5b. the mdevctl callout (tools/migver/mdevctl-callout) run as mdevctl
#      runs it: arguments, the device's config on stdin, the fake /sys as
#      MDEVCTL_ENV_ROOT; its incompatible verdicts offline (a plain file
#      takes any write; the kernel's refusals are the guests' to test);
#   6. --help, --version, the man page (man --warnings), bash completion.
# The kernel's own verdicts are compared with migver's in the QEMU guests
# (tests/qemu/guest/migver.sh, in `make qemu-test`).
#
# Needs (Debian 12): build-essential clang libjansson-dev python3 man-db
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/results.sh
source tests/tool/fake-sysfs.sh

out=${MIGVER_TOOL_OUT:-build/tool}
rm -rf "$out"
mkdir -p "$out"
work=$(cd "$out" && pwd)
CLANG=${CLANG:-clang-14}
command -v "$CLANG" >/dev/null || CLANG=clang

# ---- the plan -------------------------------------------------------------
cases=()
while IFS='|' read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	cases+=("$name")
done <tests/tool/explain.cases
for c in "${cases[@]}"; do
	plan "tool/explain-$c"
done
plan tool/help tool/version tool/man-warnings tool/man-documents-exit-status \
	tool/completion
plan tool/list-text tool/list-json tool/list-pci-parent tool/list-no-module \
	tool/list-gvt-accept-from-parameters
plan tool/explain-sysfs-gvt-target tool/explain-short-names tool/explain-device-equivalent \
	tool/explain-device-not-equivalent tool/explain-json-schema
plan tool/matrix-types-json tool/matrix-devices-text tool/matrix-checker-option \
	tool/matrix-skips-non-migrating
plan tool/callout-compatible-kernel tool/callout-software tool/callout-hardware \
	tool/callout-malformed-string tool/callout-second-string tool/callout-no-attribute \
	tool/callout-not-our-type tool/callout-other-events tool/callout-invalid-json \
	tool/callout-wrong-schema
plan tool/inspect-valid-minimal tool/inspect-pages-unknown tool/inspect-json \
	tool/inspect-one-byte-pieces-seed tool/inspect-check-plumbing
plan tool/inspect-qemu-image tool/inspect-qemu-live-two-devices \
	tool/inspect-qemu-json tool/inspect-qemu-device-option \
	tool/inspect-qemu-check-plumbing
BAD=(no-command unknown-command unknown-option explain-no-checker
	explain-unknown-checker explain-malformed-target explain-bad-accept
	explain-missing-args check-missing-args check-no-such-target
	check-non-mdev-dir check-empty-source source-unreadable-path
	source-non-mdev-dir source-oversize matrix-invalid-json
	matrix-wrong-schema matrix-wrong-command matrix-bad-types
	matrix-missing-file matrix-oversize matrix-no-targets list-extra-arg
	sysfs-root-missing inspect-no-file inspect-missing-file
	inspect-directory inspect-empty inspect-truncated inspect-bad-major
	inspect-flipped-byte inspect-bad-magic inspect-trailing-bytes
	inspect-qemu-pipe inspect-qemu-no-vfio inspect-qemu-format
	inspect-qemu-block-past-end inspect-qemu-no-end-flag
	inspect-qemu-corrupt-device inspect-qemu-check-needs-device
	inspect-qemu-unknown-device inspect-device-raw-stream
	option-wrong-command json-error-no-stdout)
for c in "${BAD[@]}"; do
	plan "tool/bad-$c"
done

# ---- 1. builds ------------------------------------------------------------
# the three at once (each is one compiler run over every file)
build() { # <name> <make args...>: in the background, status in <name>.status
	make -s -C tools/migver O="$work/$1" "${@:2}" >"$work/$1.log" 2>&1
	echo $? >"$work/$1.status"
}
built() { # <name>: judge a build
	if [ "$(cat "$work/$1.status")" = 0 ]; then
		step_ok "tool/build-$1"
	else
		step_fail "tool/build-$1" "$(grep -m1 -E 'error|Error' "$work/$1.log")"
		sed 's/^/    /' "$work/$1.log"
		return 1
	fi
}
build gcc CC=gcc &
build clang CC="$CLANG" &
build sanitize CC=gcc SANITIZE=1 CFLAGS="-O1 -g" &
wait
built gcc
built clang
if ! built sanitize; then
	results_finish tool
	exit 1
fi
M=$work/sanitize/migver
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# run <name> <args...>: migver's stdout, stderr and status in $work/<name>.*
run() {
	local n=$1
	shift
	"$M" "$@" >"$work/$n.out" 2>"$work/$n.err"
	echo $? >"$work/$n.rc"
}
rc() { cat "$work/$1.rc"; }

# JSON checks run in one python3 at the end of each section (its start-up
# is seconds on a loaded machine): jcheck <key> <run name> <expression over
# d, the parsed stdout>; jeval runs them, then ${J[<key>]} is "ok" or why.
declare -A J
: >"$work/jchecks"
jcheck() {
	printf '%s\t%s\t%s\n' "$1" "$work/$2.out" "$3" >>"$work/jchecks"
}
jeval() {
	local k v
	while IFS=$'\t' read -r k v; do
		J[$k]=$v
	done < <(python3 - "$work/jchecks" <<'EOF2'
import json, sys
for line in open(sys.argv[1]):
    key, path, expr = line.rstrip("\n").split("\t", 2)
    try:
        d = json.load(open(path))
    except Exception as e:
        print("%s\tinvalid JSON: %s" % (key, e)); continue
    try:
        r = eval(expr)
    except Exception as e:
        print("%s\t%s: %r" % (key, type(e).__name__, e)); continue
    print("%s\t%s" % (key, "ok" if r is True else "false: " + expr[:300]))
EOF2
)
	: >"$work/jchecks"
}
jr() { echo "${J[$1]:-not evaluated}"; }

# ---- 2. explain, table-driven -------------------------------------------------
ID="device_api=vfio-pci;pci_id=8086:591d"
A="$ID;type=GVTg_V5_8;aggregator=1;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0"
B="$ID;type=GVTg_V5_8;aggregator=1;software_version=1.3.0;accepted_source_versions=1.1.0-1.3.0"
expand() {
	local s=${1//\{ID\}/$ID}
	s=${s//\{A\}/$A}
	printf '%s' "${s//\{B\}/$B}"
}
reasons=(compatible x x x x x x x x x format unsupported hardware type software)
while IFS='|' read -r name checker accept src tgt want; do
	case $name in '' | '#'*) continue ;; esac
	args=(explain "$(expand "$src")" "$(expand "$tgt")" --checker "$checker")
	[ -z "$accept" ] || args+=(--accept "$accept")
	run "x-$name" "${args[@]}"
	run "xj-$name" "${args[@]}" --json
	jcheck "x-$name" "xj-$name" "d['exit_status'] == $want and d['reason'] == '${reasons[$want]}' and d['checker'] == '$checker' and d['compatible'] == ($want == 0) and d['schema'] == 'migver/1'"
done <tests/tool/explain.cases
jeval
while IFS='|' read -r name _ _ _ _ want; do
	case $name in '' | '#'*) continue ;; esac
	got=$(rc "x-$name") gotj=$(rc "xj-$name") j=$(jr "x-$name")
	if [ "$got" = "$want" ] && [ "$gotj" = "$want" ] && [ "$j" = ok ] &&
		[ ! -s "$work/x-$name.err" ]; then
		pass "tool/explain-$name"
	else
		fail "tool/explain-$name" "exit $got (json $gotj), want $want; json: $j; $(head -c 200 "$work/x-$name.out" "$work/x-$name.err" | tr '\n' ' ')"
	fi
done <tests/tool/explain.cases

# ---- 6. help, version, man page, completion ---------------------------------
run help --help
if [ "$(rc help)" = 0 ] && grep -q 'explain SOURCE TARGET-STRING' "$work/help.out" &&
	[ "$(grep -c -E '^  (list|check|explain|matrix|inspect) ' "$work/help.out")" = 5 ]; then
	pass tool/help
else
	fail tool/help "exit $(rc help): $(head -n 3 "$work/help.out")"
fi
run version --version
want_version=$(sed -n -f mk/changelog-version.sed debian/changelog)
check_eq() { # <case> <got> <want>
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
check_eq tool/version "$(rc version) $(cat "$work/version.out")" "0 migver $want_version"
man_err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l tools/migver/migver.8 2>&1 >"$work/man.txt")
if [ -s "$work/man.txt" ] && [ -z "$man_err" ]; then
	pass tool/man-warnings
else
	fail tool/man-warnings "${man_err:-empty page}"
fi
missing=
for w in list check explain matrix inspect 10 11 12 13 14 --sysfs-root --json \
	migver/1; do
	grep -q -e "$w" "$work/man.txt" || missing="$missing $w"
done
check_eq tool/man-documents-exit-status "${missing:-none}" none
comp=$(bash -c 'source tools/migver/migver.bash-completion || exit 1
	COMP_WORDS=(migver ""); COMP_CWORD=1; _migver; echo "${COMPREPLY[*]}"
	COMP_WORDS=(migver explain x y --checker ""); COMP_CWORD=5; _migver; echo "${COMPREPLY[*]}"' 2>&1)
check_eq tool/completion "$comp" "list check explain matrix inspect
semver gvt strict"

# ---- 3. against a fake /sys ----------------------------------------------------
root=$work/root
fake_sysfs "$root"
run list --sysfs-root "$root" list
if [ "$(rc list)" = 0 ] &&
	[ "$(grep -c '^parent ' "$work/list.out")" = 5 ] &&
	[ "$(grep -c '^  type ' "$work/list.out")" = 17 ] &&
	grep -q "^device $FAKE_U8 on migver0, type migver-GVTg_V5_8$" "$work/list.out" &&
	grep -q '^module mdev_migver 0.1.0, checker semver$' "$work/list.out"; then
	pass tool/list-text
else
	fail tool/list-text "exit $(rc list): $(head -n 5 "$work/list.out" "$work/list.err" | tr '\n' ' ')"
fi
run listj --sysfs-root "$root" list --json
cp "$work/listj.out" "$work/inventory.json"
jcheck j-listj listj "d['schema'] == 'migver/1' and d['module'] == {'loaded': True, 'version': '0.1.0', 'checker': 'semver'} and [p['name'] for p in d['parents']] == ['0000:00:02.0', 'migver0', 'migver1', 'migver2', 'migver3'] and d['parents'][1]['types'][3]['id'] == 'migver-GVTg_V5_8' and d['parents'][1]['types'][3]['available_instances'] == 8 and d['parents'][1]['types'][3]['devices'] == ['$FAKE_U8'] and d['parents'][1]['types'][3]['facts']['software_version'] == '1.2.0' and [(x['uuid'], x['parent'], x['type']) for x in d['devices']] == [('$FAKE_U2', 'migver1', 'migver-GVTg_V5_2'), ('$FAKE_U8', 'migver0', 'migver-GVTg_V5_8')]"
jcheck j-pci listj "d['parents'][0]['types'][0]['id'] == 'i915-GVTg_V5_4' and d['parents'][0]['types'][0]['facts']['type'] == 'GVTg_V5_4' and 'accepted_from' not in d['parents'][0]['types'][0]"
jcheck j-gvtacc listj "[(t['facts']['format'], t['facts']['accepted_source_versions'], t.get('accepted_from')) for t in d['parents'][4]['types']] == [('gvt', 'none', 'module parameters')] * 4 and 'accepted_from' not in d['parents'][1]['types'][0]"
mkdir -p "$work/empty-root"
run listnm --sysfs-root "$work/empty-root" list
run listnmj --sysfs-root "$work/empty-root" list --json
jcheck j-listnmj listnmj "d['module']['loaded'] is False and d['parents'] == [] and d['devices'] == []"

# explain with a sysfs target: its facts as the kernel holds them
T=/sys/class/mdev_bus
run xs --sysfs-root "$root" explain "$A" "$T/migver3/mdev_supported_types/migver-GVTg_V5_8" --checker semver
check_eq tool/explain-sysfs-gvt-target "$(rc xs) $(head -n 1 "$work/xs.out")" \
	"11 not compatible: unsupported (EOPNOTSUPP; checker semver, decided by the core, offline)"
# PARENT/TYPE and a uuid name sysfs directories, for SOURCE and TARGET
run xsn --sysfs-root "$root" explain migver1/migver-GVTg_V5_8 migver3/migver-GVTg_V5_8 --checker semver
run xsu --sysfs-root "$root" explain "$FAKE_U2" "$FAKE_U8" --checker semver
check_eq tool/explain-short-names "$(rc xsn) $(rc xsu) $(sed -n 2p "$work/xsu.out")" \
	"11 13   type                      source GVTg_V5_2            target GVTg_V5_8"
# device level: GVTg_V5_4 x2 has the graphics memory of one GVTg_V5_2
run xd --sysfs-root "$root" explain "$ID;type=GVTg_V5_4;aggregator=2;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0" "/sys/bus/mdev/devices/$FAKE_U2" --checker semver
check_eq tool/explain-device-equivalent "$(rc xd)" 0
run xn --sysfs-root "$root" explain "$ID;type=GVTg_V5_4;aggregator=3;software_version=1.2.0;accepted_source_versions=1.0.0-1.2.0" "/sys/bus/mdev/devices/$FAKE_U2" --checker semver
check_eq tool/explain-device-not-equivalent "$(rc xn)" 13
run xj --sysfs-root "$root" explain "$T/migver1/mdev_supported_types/migver-GVTg_V5_8" "$T/migver0/mdev_supported_types/migver-GVTg_V5_8" --checker semver --json
jcheck j-xj xj "sorted(d) == sorted(['schema', 'command', 'compatible', 'reason', 'errno', 'exit_status', 'checker', 'decided_by', 'source', 'target', 'differences']) and d['errno'] == 'ERANGE' and d['decided_by'] == 'offline' and d['target']['parent'] == 'migver0' and d['differences'] == [{'field': 'accepted_source_versions', 'source': '1.3.0', 'target': '1.0.0-1.2.0'}, {'field': 'software_version', 'source': '1.3.0', 'target': '1.2.0'}]"

# matrix: the two-host matrix of matrix.sh, from one inventory, by type
run mt matrix --sources "$work/inventory.json" --targets "$work/inventory.json" --source-types --json
# rows and columns: 0000:00:02.0's one type, then migverN's V5_1 V5_2 V5_4 V5_8
jcheck j-mt mt "len(d['sources']) == 17 and len(d['targets']) == 17 and d['checker'] == 'semver' and [[d['results'][1 + 4 * s + 3][1 + 4 * t + 3] for t in range(4)] for s in range(4)] == [['compatible', 'compatible', 'hardware', 'unsupported'], ['software', 'compatible', 'hardware', 'unsupported'], ['hardware', 'hardware', 'compatible', 'unsupported'], ['compatible', 'compatible', 'hardware', 'unsupported']] and d['results'][1 + 2][1 + 3] == 'type' and d['results'][0][1 + 2] == 'compatible'"
run md matrix --sources "$work/inventory.json" --targets "$work/inventory.json"
host=$(uname -n)
check_eq tool/matrix-devices-text "$(rc md) $(head -n 1 "$work/md.out") $(grep -c ' -> ' "$work/md.out") $(grep -c ": compatible$" "$work/md.out") $(grep -F -c "$host/$FAKE_U2 -> $host/migver3/migver-GVTg_V5_2: unsupported" "$work/md.out")" \
	"0 checker semver: 2 sources x 17 targets 34 3 1"
run mc matrix --sources "$work/inventory.json" --targets "$work/inventory.json" --checker gvt
check_eq tool/matrix-checker-option "$(rc mc) $(head -n 1 "$work/mc.out") $(grep -c ": compatible$" "$work/mc.out")" \
	"0 checker gvt: 2 sources x 17 targets 2"
# a type that does not migrate (list writes "migration_version": null, as
# for mtty's) is left out of the matrix, not an error
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d["parents"][0]["types"][0]["migration_version"] = None
json.dump(d, open(sys.argv[2], "w"))' "$work/inventory.json" "$work/inventory-null.json"
run mn matrix --sources "$work/inventory-null.json" --targets "$work/inventory-null.json" --source-types
check_eq tool/matrix-skips-non-migrating "$(rc mn) $(head -n 1 "$work/mn.out")" \
	"0 checker semver: 16 sources x 16 targets"

# ---- 4. inspect ------------------------------------------------------------------
sd=$work/streams
mkdir -p "$sd"
# the fuzzer's seeds start with 3 bytes of its own (piece sizes, page limit)
for f in tests/fuzz/stream-corpus/*; do
	tail -c +4 "$f" >"$sd/$(basename "$f")"
done
run im inspect "$sd/valid-minimal"
check_eq tool/inspect-valid-minimal "$(rc im) $(sed -n 2p "$work/im.out")" \
	"0   pages: 0, config: 256 bytes, registers: 256 bytes"
run ip inspect "$sd/valid-pages-unknown"
check_eq tool/inspect-pages-unknown "$(rc ip) $(sed -n 1,2p "$work/ip.out" | tr '\n' '|')" \
	"0 migver stream 1.0, 8928 bytes, complete (END record, count and CRC-32C valid)|  pages: 2, config: 256 bytes, registers: 256 bytes|"
run ij inspect --json - <"$sd/valid-pages-unknown"
jcheck j-ij ij "d['command'] == 'inspect' and d['stream']['pages'] == 2 and d['stream']['complete'] is True and d['version']['facts']['type'] == 'GVTg_V5_8' and d['version']['origin'] == '-'"
run io inspect "$sd/one-byte-pieces"
check_eq tool/inspect-one-byte-pieces-seed "$(rc io) $(sed -n 4p "$work/io.out")" \
	"0   vfio-pci 8086:591d GVTg_V5_8 x1, software 1.2.0"

jeval
check_eq tool/list-json "$(rc listj) $(jr j-listj)" "0 ok"
check_eq tool/list-pci-parent "$(jr j-pci)" ok
check_eq tool/list-gvt-accept-from-parameters "$(jr j-gvtacc)" ok
check_eq tool/list-no-module "$(rc listnm) $(head -n 2 "$work/listnm.out" | tr '\n' '|') $(jr j-listnmj)" \
	"0 module mdev_migver not loaded|no mdev parents| ok"
check_eq tool/explain-json-schema "$(rc xj) $(jr j-xj)" "14 ok"
check_eq tool/matrix-types-json "$(rc mt) $(jr j-mt)" "0 ok"
check_eq tool/inspect-json "$(rc ij) $(jr j-ij)" "0 ok"

# --check: the version record written into the target (here a plain file
# of a copy of the fake tree, which takes any write: the plumbing only; the
# kernel's verdicts are the guests' to test)
cp -a "$root" "$work/root-copy"
run ic --sysfs-root "$work/root-copy" inspect "$sd/valid-minimal" --check migver1/migver-GVTg_V5_2 --json
jcheck j-ic ic "d['command'] == 'inspect' and d['decided_by'] == 'kernel' and d['stream']['pages'] == 0 and d['source']['facts']['type'] == 'GVTg_V5_8' and d['offline']['reason'] == 'type' and d['offline']['agrees'] is False and d['target']['parent'] == 'migver1'"
jeval
check_eq tool/inspect-check-plumbing "$(rc ic) $(jr j-ic) $(head -c 200 "$work/root-copy/sys/devices/virtual/migver/migver1/mdev_supported_types/migver-GVTg_V5_2/migration_version")" \
	"0 ok $(sed -n 's/.*version record: //p' "$work/im.out")"

# QEMU migration images (`migrate file:`) holding our streams as VFIO device
# state, made by tests/tool/qemu-image.py as QEMU lays them out
qi() { python3 tests/tool/qemu-image.py "$@"; }
qi "$work/img1" "$sd/valid-pages-unknown" --noise
qi "$work/img2" "$sd/valid-pages-unknown" "$sd/valid-minimal:0000:00:05.0/vfio" --live --noise
run qi1 inspect "$work/img1"
check_eq tool/inspect-qemu-image "$(rc qi1) $(sed -n 1,2p "$work/qi1.out" | tr '\n' '|')" \
	"0 QEMU migration image, 1 VFIO device|device 0000:00:04.0/vfio: migver stream 1.0, 8928 bytes, complete (END record, count and CRC-32C valid)|"
run qi2 inspect "$work/img2"
check_eq tool/inspect-qemu-live-two-devices "$(rc qi2) $(grep '^device ' "$work/qi2.out" | cut -d, -f1,2 | tr '\n' '|')" \
	"0 device 0000:00:04.0/vfio: migver stream 1.0, 8928 bytes|device 0000:00:05.0/vfio: migver stream 1.0, 693 bytes|"
run qij inspect --json "$work/img2"
jcheck j-qij qij "d['command'] == 'inspect' and d['image'] == 'qemu' and [x['device'] for x in d['devices']] == ['0000:00:04.0/vfio', '0000:00:05.0/vfio'] and d['devices'][0]['stream']['pages'] == 2 and d['devices'][1]['stream']['bytes'] == 693 and d['devices'][1]['version']['facts']['type'] == 'GVTg_V5_8'"
run qid inspect "$work/img2" --device 0000:00:05.0/vfio
check_eq tool/inspect-qemu-device-option "$(rc qid) $(grep -c '^device ' "$work/qid.out") $(grep '^device ' "$work/qid.out" | cut -d: -f1-3)" \
	"0 1 device 0000:00:05.0/vfio"
cp -a "$root" "$work/root-copy2" # the first copy's target file took a write
run qic --sysfs-root "$work/root-copy2" inspect "$work/img2" --device 0000:00:04.0/vfio --check migver1/migver-GVTg_V5_2 --json
jcheck j-qic qic "d['command'] == 'inspect' and d['decided_by'] == 'kernel' and d['device'] == '0000:00:04.0/vfio' and d['stream']['pages'] == 2 and d['offline']['reason'] == 'type'"
jeval
check_eq tool/inspect-qemu-json "$(rc qij) $(jr j-qij)" "0 ok"
check_eq tool/inspect-qemu-check-plumbing "$(rc qic) $(jr j-qic)" "0 ok"

# ---- 5. bad input: one stderr line, empty stdout, exit 1 ----------------------------
bad() { # <case> <stderr pattern> <migver args...>
	local n=$1 pat=$2
	shift 2
	run "bad-$n" "$@"
	local lines
	lines=$(wc -l <"$work/bad-$n.err")
	if [ "$(rc "bad-$n")" = 1 ] && [ ! -s "$work/bad-$n.out" ] &&
		[ "$lines" = 1 ] && grep -q -E -- "$pat" "$work/bad-$n.err"; then
		pass "tool/bad-$n"
	else
		fail "tool/bad-$n" "exit $(rc "bad-$n"), $lines stderr lines, stdout $(wc -c <"$work/bad-$n.out") bytes: $(head -c 300 "$work/bad-$n.err" | tr '\n' ' ')"
	fi
}
printf 'x%.0s' $(seq 5000) >"$work/big-source"
printf '{"schema": "migver/1", "command": "list", "host": "h", "parents": [], "devices": [' >"$work/bad.json"
echo '{"schema": "migver/2", "command": "list", "host": "h", "parents": [], "devices": []}' >"$work/schema2.json"
echo '{"schema": "migver/1", "command": "matrix", "host": "h", "parents": [], "devices": []}' >"$work/cmd.json"
echo '{"schema": "migver/1", "command": "list", "host": "h", "parents": [{"name": "p", "types": 3}], "devices": []}' >"$work/types.json"
truncate -s 65M "$work/huge.json"
: >"$work/empty"
cp "$sd/valid-minimal" "$work/flipped"
printf 'X' | dd of="$work/flipped" bs=1 seek=300 conv=notrunc status=none
cp "$sd/valid-minimal" "$work/badmagic"
printf 'N' | dd of="$work/badmagic" bs=1 seek=0 conv=notrunc status=none
{ cat "$sd/valid-minimal"; printf 'x'; } >"$work/trailing"
head -c 400 "$sd/valid-minimal" >"$work/truncated"

bad no-command 'a command is needed'
bad unknown-command "unknown command 'frobnicate'" frobnicate
bad unknown-option "unknown option '--frob'" list --frob
bad explain-no-checker 'explain needs --checker' explain "$A" "$A"
bad explain-unknown-checker "unknown checker 'nope' \(known: semver gvt strict\)" explain "$A" "$A" --checker nope
bad explain-malformed-target 'TARGET-STRING is malformed' explain "$A" hello --checker semver
bad explain-bad-accept '--accept 1.0-2: not an accepted_source_versions' explain "$A" "$A" --checker semver --accept 1.0-2
bad explain-missing-args 'explain needs SOURCE and TARGET-STRING' explain "$A" --checker semver
bad check-missing-args 'check needs SOURCE and TARGET' check "$A"
bad check-no-such-target 'migver9/migver-GVTg_V5_8: no such mdev type or device' --sysfs-root "$root" check "$A" migver9/migver-GVTg_V5_8
bad check-non-mdev-dir 'not an mdev type or device with migration_version' --sysfs-root "$root" check "$A" /sys/class
bad check-empty-source 'the source string is empty' --sysfs-root "$root" check - migver0/migver-GVTg_V5_8 </dev/null
bad source-unreadable-path 'No such file or directory' explain ./no/such/file "$A" --checker semver
bad source-non-mdev-dir 'not an mdev type or device \(no migration_version\)' explain ./tests "$A" --checker semver
bad source-oversize 'larger than 4096 bytes' explain "$work/big-source" "$A" --checker semver
bad matrix-invalid-json 'invalid JSON at line 1' matrix --sources "$work/bad.json" --targets "$work/inventory.json"
bad matrix-wrong-schema 'not a migver list inventory of schema migver/1' matrix --sources "$work/schema2.json" --targets "$work/inventory.json"
bad matrix-wrong-command 'not a migver list inventory' matrix --sources "$work/inventory.json" --targets "$work/cmd.json"
bad matrix-bad-types 'parents\[0\]: types is not an array' matrix --sources "$work/inventory.json" --targets "$work/types.json"
bad matrix-missing-file 'no-such.json: No such file' matrix --sources "$work/no-such.json" --targets "$work/inventory.json"
bad matrix-oversize 'larger than 64 MiB' matrix --sources "$work/huge.json" --targets "$work/inventory.json"
bad matrix-no-targets 'matrix needs --sources FILE and --targets FILE' matrix --sources "$work/inventory.json"
bad list-extra-arg "list takes no arguments, got 'x'" list x
bad sysfs-root-missing '--sysfs-root /no/such/root: not a directory' --sysfs-root /no/such/root list
bad inspect-no-file 'inspect needs one STREAM-FILE' inspect
bad inspect-missing-file 'No such file or directory' inspect "$work/no-such-stream"
bad inspect-directory 'not a valid migver stream|Is a directory' inspect "$work"
bad inspect-empty 'truncated migver stream: ends after 0 bytes' inspect "$work/empty"
bad inspect-truncated 'truncated migver stream: ends after 400 bytes' inspect "$work/truncated"
bad inspect-bad-major 'unknown stream major version \(EPROTONOSUPPORT\)' inspect "$sd/bad-major"
bad inspect-flipped-byte 'not a valid migver stream: byte [0-9]+: .*(checksum|CRC|crc)' inspect "$work/flipped"
bad inspect-bad-magic 'not a migver stream \(magic\)' inspect "$work/badmagic"
bad inspect-trailing-bytes 'not a valid migver stream: byte [0-9]+' inspect "$work/trailing"
qi "$work/img-none"
cp "$work/img1" "$work/img-format"
printf '\002' | dd of="$work/img-format" bs=1 seek=7 conv=notrunc status=none
head -c -200 "$work/img1" >"$work/img-cut"
python3 - "$work/img1" "$work/img-noend" "$work/img-corrupt" <<'EOF2'
import sys
img = open(sys.argv[1], "rb").read()
end = bytes.fromhex("ffffffffef100001")
data = bytes.fromhex("ffffffffef100004")
last = img.rindex(end)  # after the STOP_COPY blocks
open(sys.argv[2], "wb").write(img[:last] + bytes(8) + img[last + 8:])
at = img.rindex(data) + 16 + 300  # a byte inside the device's stream
open(sys.argv[3], "wb").write(img[:at] + bytes([img[at] ^ 0xff]) + img[at + 1:])
EOF2
bad inspect-qemu-pipe 'a QEMU migration image is read from a regular file, not a pipe' inspect - < <(cat "$work/img1")
bad inspect-qemu-no-vfio 'a QEMU migration image without VFIO device state' inspect "$work/img-none"
bad inspect-qemu-format 'QEMU migration image of format 2 \(only 3 is known\)' inspect "$work/img-format"
bad inspect-qemu-block-past-end 'device 0000:00:04.0/vfio: a data block of [0-9]+ bytes at offset [0-9]+ runs past the end' inspect "$work/img-cut"
bad inspect-qemu-no-end-flag 'device 0000:00:04.0/vfio: no end-of-state flag after its data' inspect "$work/img-noend"
bad inspect-qemu-corrupt-device 'device 0000:00:04.0/vfio: not a valid migver stream: byte [0-9]+' inspect "$work/img-corrupt"
bad inspect-qemu-check-needs-device '2 VFIO devices in the image \(0000:00:04.0/vfio, 0000:00:05.0/vfio\): name one with --device ID' --sysfs-root "$work/root-copy" inspect "$work/img2" --check migver1/migver-GVTg_V5_2
bad inspect-qemu-unknown-device 'no VFIO device 0000:00:09.0/vfio in the image' inspect "$work/img2" --device 0000:00:09.0/vfio
bad inspect-device-raw-stream '--device is for a QEMU migration image; this is not one' inspect "$sd/valid-minimal" --device 0000:00:04.0/vfio
bad option-wrong-command '--checker is for explain and matrix, not list' list --checker semver
bad json-error-no-stdout 'invalid JSON' matrix --json --sources "$work/bad.json" --targets "$work/inventory.json"

# ---- 5b. the mdevctl callout ------------------------------------------------------
# co <name> <event> <action> <parent> <type> <config JSON> [checker]: as
# mdevctl 1.4 calls it (src/callouts.rs, Callout::invoke_script)
croot=$work/root-callout
cp -a "$root" "$croot"
mkdir -p "$croot/sys/devices/virtual/migver/migver0/mdev_supported_types/other-vendor_x"
CU=6d3c1e2a-1b7f-4c8e-9a55-3f2d7c9b0a11
co() {
	local n=$1
	printf '%s' "$6" | MDEVCTL_ENV_ROOT=$croot MDEV_MIGVER_BIN=$M \
		MDEV_MIGVER_CHECKER=${7:-} tools/migver/mdevctl-callout \
		-t "$5" -e "$2" -a "$3" -s none -u "$CU" -p "$4" \
		>"$work/$n.out" 2>"$work/$n.err"
	echo $? >"$work/$n.rc"
}
cfg() { # <attrs JSON list>: a config as MDev::to_json(false) writes it
	printf '{"mdev_type":"migver-GVTg_V5_8","start":"auto","attrs":%s}' "$1"
}
# co_eq <case> <run> <status> <stderr pattern, or '' for none>
co_eq() {
	local lines
	lines=$(wc -l <"$work/$2.err")
	if [ "$(rc "$2")" = "$3" ] && [ ! -s "$work/$2.out" ] &&
		{ if [ -z "$4" ]; then [ "$lines" = 0 ]; else [ "$lines" = 1 ] &&
			grep -q -E -- "$4" "$work/$2.err"; fi; }; then
		pass "$1"
	else
		fail "$1" "exit $(rc "$2") (want $3), $lines stderr lines: $(head -c 300 "$work/$2.err" | tr '\n' ' ')"
	fi
}
T8=mdev_supported_types/migver-GVTg_V5_8
s0=$(cat "$croot/sys/class/mdev_bus/migver0/$T8/migration_version")
s1=$(cat "$croot/sys/class/mdev_bus/migver1/$T8/migration_version")
s2=$(cat "$croot/sys/class/mdev_bus/migver2/$T8/migration_version")
# the kernel asked: the string written into the type's attribute (a file here)
: >"$croot/sys/class/mdev_bus/migver0/$T8/migration_version"
co co-ok pre start migver0 migver-GVTg_V5_8 "$(cfg "[{\"migration_version\":\"$s0\"}]")"
got=$(cat "$croot/sys/class/mdev_bus/migver0/$T8/migration_version")
echo "$s0" >"$croot/sys/class/mdev_bus/migver0/$T8/migration_version"
if [ "$got" = "$s0" ]; then co_eq tool/callout-compatible-kernel co-ok 0 ''
else fail tool/callout-compatible-kernel "the type's attribute holds '$got', not the configured string"; fi
co co-sw pre start migver0 migver-GVTg_V5_8 "$(cfg "[{\"migration_version\":\"$s1\"}]")" semver
co_eq tool/callout-software co-sw 14 "^refusing to start $CU: migver0/migver-GVTg_V5_8 cannot take its migration_version: software \(ERANGE, decided by the core, offline\): accepted_source_versions source 1\.3\.0 target 1\.0\.0-1\.2\.0; software_version source 1\.3\.0 target 1\.2\.0$"
co co-hw pre start migver0 migver-GVTg_V5_8 "$(cfg "[{\"migration_version\":\"$s2\"}]")" semver
co_eq tool/callout-hardware co-hw 12 ': hardware \(ENODEV, .*: device source 5912 target 591d$'
co co-fmt pre start migver0 migver-GVTg_V5_8 "$(cfg '[{"migration_version":"hello"}]')" semver
co_eq tool/callout-malformed-string co-fmt 10 ': format \(EINVAL, .*\): the string is malformed: '
# every configured string is written after the device is created: each checked
co co-2nd pre start migver0 migver-GVTg_V5_8 "$(cfg "[{\"migration_version\":\"$s0\"},{\"migration_version\":\"$s1\"}]")" semver
co_eq tool/callout-second-string co-2nd 14 ': software \(ERANGE'
# 2, "not my device": mdevctl goes on (and to any other script for the type)
co co-none pre start migver0 migver-GVTg_V5_8 "$(cfg '[{"other_attr":"1"}]')" semver
co_eq tool/callout-no-attribute co-none 2 ''
co co-other pre start migver0 other-vendor_x "$(cfg "[{\"migration_version\":\"$s1\"}]")" semver
co co-other2 pre start migver9 migver-GVTg_V5_8 "$(cfg "[{\"migration_version\":\"$s1\"}]")" semver
check_eq tool/callout-not-our-type "$(rc co-other) $(rc co-other2) $(cat "$work/co-other.err" "$work/co-other2.err")" "2 2 "
ev=
for ea in post:start pre:define pre:stop get:attributes get:capabilities notify:start live:modify; do
	co "co-$ea" "${ea%:*}" "${ea#*:}" migver0 migver-GVTg_V5_8 "$(cfg "[{\"migration_version\":\"$s1\"}]")" semver
	ev="$ev$(rc "co-$ea")$(wc -c <"$work/co-$ea.err")"
done
check_eq tool/callout-other-events "$ev" "20202020202020"
co co-badjson pre start migver0 migver-GVTg_V5_8 '{"mdev_type":"migver-GVTg_V5_8","attrs":[' semver
co_eq tool/callout-invalid-json co-badjson 1 '^migver: mdevctl-callout: the device.s config on standard input is not valid JSON: line 1: '
co co-schema1 pre start migver0 migver-GVTg_V5_8 '{"attrs":{"migration_version":"x"}}' semver
co co-schema2 pre start migver0 migver-GVTg_V5_8 '{"attrs":[{"migration_version":7}]}' semver
if [ "$(rc co-schema1)" = 1 ] && grep -q 'not an mdevctl config' "$work/co-schema1.err"; then
	co_eq tool/callout-wrong-schema co-schema2 1 'attrs\[0\]\.migration_version of the device.s config is not a string'
else
	fail tool/callout-wrong-schema "attrs not a list: exit $(rc co-schema1): $(cat "$work/co-schema1.err")"
fi

results_finish tool
