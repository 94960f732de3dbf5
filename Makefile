# SPDX-License-Identifier: GPL-2.0-only
#
# mdev-migver: wrapper for people working from source.  Kbuild itself reads
# ./Kbuild; this file only drives it and the test suites.  `make help` lists
# the targets.

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
INSTALL_MOD_PATH ?=
MIGVER_CACHE ?= /var/cache/mdev-migver
export MIGVER_CACHE

.PHONY: all modules clean deps check harness-test kunit fuzz fuzz-long qemu-test vmm-test twohost-test libvirt-test demo lint \
	debug-lane bench help migver tool-test

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build

# What `make demo` and `make check` need from Debian 12's archive, installed
# when missing (as root); a no-op when everything is there.
deps:
	bash tests/deps.sh check

# The README's test command: every suite, one closing "N passed, N failed".
check:
	bash tests/deps.sh check
	bash tests/run-all.sh

harness-test:
	bash tests/harness/run.sh

kunit:
	bash tests/kunit/run.sh

fuzz:
	bash tests/fuzz/run.sh

fuzz-long:
	bash tests/fuzz/run.sh --long

qemu-test:
	bash tests/qemu/run.sh

vmm-test:
	MIGVER_ENTRY=vmm bash tests/qemu/run.sh

twohost-test:
	MIGVER_ENTRY=twohost bash tests/qemu/run.sh

libvirt-test:
	MIGVER_ENTRY=libvirt bash tests/qemu/run.sh

demo:
	bash tests/deps.sh demo
	bash tests/qemu/demo.sh

lint:
	bash tests/lint/run.sh

debug-lane:
	bash tests/debug/run.sh

bench:
	bash tests/bench/run.sh

# The userspace tool (tools/migver: its front end and the core, with jansson).
migver:
	$(MAKE) -C tools/migver O=$(CURDIR)/build/migver

tool-test:
	bash tests/tool/run.sh

include mk/packaging.mk

help:
	@echo 'Targets:'
	@echo '  modules      build mdev_migver.ko for KDIR (default: running kernel)'
	@echo '  clean        remove build products'
	@echo '  deps         install what demo and check need (Debian 12, as root; no-op when present)'
	@echo '  check        run every test suite (what CI runs; calls deps first)'
	@echo '  harness-test self-tests of the test harness (plans, verdicts, apt, deps)'
	@echo '  kunit        KUnit suites on a stock kernel tree (UML, kunit.py)'
	@echo '  fuzz         bounded libFuzzer run over parser, emitter, checkers'
	@echo '  fuzz-long    the same, 10 million executions'
	@echo '  qemu-test    driver scenarios on Debian 6.1, 6.12, newest and next kernels, then the libvirt and twohost boots'
	@echo '  vmm-test     real QEMU (10.0/11.1) live-migrating a VM with our vGPUs, 6.1/6.12/7.2'
	@echo '  twohost-test the same between two test VMs, 6.12 (QEMU 10.0) <-> 7.2 (QEMU 11.1), over TCP'
	@echo '  libvirt-test libvirtd, virsh, mdevctl and udevd of Debian 12, 13 and sid against the module (6.1, 6.12, 7.2)'
	@echo '  demo         boot a Debian kernel in QEMU and show the module at work'
	@echo '  lint         checkpatch --strict, sparse, W=1'
	@echo '  debug-lane   KUnit, scenarios, stress, fault injection, kmemleak on a KASAN/lockdep 6.12 kernel'
	@echo '  migver       build the migver tool (build/migver/migver; needs libjansson-dev)'
	@echo '  tool-test    the migver tool on the host: explain table, fake sysfs, streams, bad input'
	@echo '  bench        ours vs mtty in one QEMU boot (6.12) + core vs sscanf, not a test; + migver matrix 1000x1000 (fails below its target)'
	@echo '  modules_install  install mdev_migver.ko under $$(INSTALL_MOD_PATH)/lib/modules'
	@echo '  dkms-install / dkms-uninstall  register the source tree with DKMS (idempotent)'
	@echo '  deb / rpm    build the mdev-migver-dkms packages into build/pkg/'
	@echo '  package-test DKMS, .deb and .rpm install/remove tests in clean Debian roots'
	@echo 'Variables: KDIR, KERNELRELEASE, INSTALL_MOD_PATH, MIGVER_CACHE'
