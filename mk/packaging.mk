# SPDX-License-Identifier: GPL-2.0-only
#
# Packaging and installation targets, included by the top-level Makefile.
# (Standalone: make -f Makefile -f mk/packaging.mk <target>.)
#
# The version has one home: the first entry of debian/changelog (upstream
# part, without epoch or Debian revision; mk/changelog-version.sed).  DKMS,
# the .deb, the .rpm and the module's MODULE_VERSION all take it from there.
# A DKMS source tree has no debian/: every install path writes the version
# to <tree>/VERSION, which Kbuild reads when debian/changelog is absent.
#
#   dkms-install     copy the sources to /usr/src/mdev-migver-<version>,
#                    register them with DKMS and build + install the module
#                    for KERNELRELEASE.  Re-running replaces that version.
#   dkms-uninstall   remove every DKMS build of that version and its sources.
#                    Running it when nothing is installed is fine.
#   modules_install  build and install mdev_migver.ko into
#                    $(INSTALL_MOD_PATH)/lib/modules/<kernel>/updates/.
#   deb              the .debs (mdev-migver-dkms, mdev-migver-tools), built on
#                    this machine with dpkg-buildpackage (needs: dpkg-dev
#                    debhelper dh-dkms libjansson-dev) into build/pkg/.
#   deb-chroot       the same in a clean cached Debian bookworm root (needs:
#                    debootstrap, root), as the tests do.
#   rpm              the .rpms (mdev-migver-dkms noarch, mdev-migver-tools)
#                    and the .src.rpm with rpmbuild into build/pkg/.  On a
#                    Debian host (package `rpm`, plus gcc, make and
#                    libjansson-dev) rpm's database knows none of the
#                    spec's BuildRequires: RPMBUILD_FLAGS=--nodeps.
#   package-test     tests/package/run.sh (DKMS, .deb and .rpm tests).

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
INSTALL_MOD_PATH ?=
DKMS ?= dkms
RPMBUILD_FLAGS ?=

MIGVER_PKG_NAME := mdev-migver
MIGVER_PKG_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
MIGVER_VERSION := $(shell sed -n -f $(MIGVER_PKG_TOP)/mk/changelog-version.sed \
	$(MIGVER_PKG_TOP)/debian/changelog)
MIGVER_PKGDIR := $(MIGVER_PKG_TOP)/build/pkg
MIGVER_USRSRC := /usr/src/$(MIGVER_PKG_NAME)-$(MIGVER_VERSION)
# Files a DKMS/Kbuild build needs (tests/ is not among them).
MIGVER_DKMS_FILES := Kbuild include src

.PHONY: dkms-install dkms-uninstall modules_install deb deb-chroot rpm \
	package-test package-version

package-version:
	@echo $(MIGVER_VERSION)

dkms-install: dkms-uninstall
	install -d $(MIGVER_USRSRC)
	cd $(MIGVER_PKG_TOP) && cp -a $(MIGVER_DKMS_FILES) $(MIGVER_USRSRC)/
	find $(MIGVER_USRSRC) \( -name '*.o' -o -name '*.ko' -o -name '*.ko.*' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' \
		-o -name modules.order -o -name Module.symvers \
		-o -name compat_generated.h -o -name '*.md' \) -delete
	echo $(MIGVER_VERSION) >$(MIGVER_USRSRC)/VERSION
	sed 's/#MODULE_VERSION#/$(MIGVER_VERSION)/' $(MIGVER_PKG_TOP)/dkms.conf \
		>$(MIGVER_USRSRC)/dkms.conf
	$(DKMS) add -m $(MIGVER_PKG_NAME) -v $(MIGVER_VERSION)
	$(DKMS) install -m $(MIGVER_PKG_NAME) -v $(MIGVER_VERSION) -k $(KERNELRELEASE)

dkms-uninstall:
	@if [ -n "$$($(DKMS) status -m $(MIGVER_PKG_NAME) -v $(MIGVER_VERSION) 2>/dev/null)" ]; then \
		echo "$(DKMS) remove -m $(MIGVER_PKG_NAME) -v $(MIGVER_VERSION) --all"; \
		$(DKMS) remove -m $(MIGVER_PKG_NAME) -v $(MIGVER_VERSION) --all || exit 1; \
	fi
	rm -rf $(MIGVER_USRSRC)

modules_install:
	$(MAKE) -C $(KDIR) M=$(MIGVER_PKG_TOP) modules
	$(MAKE) -C $(KDIR) M=$(MIGVER_PKG_TOP) INSTALL_MOD_DIR=updates \
		$(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) \
		modules_install

# A clean copy of the tree (tracked and untracked-but-not-ignored files, as
# they are in the working tree; never build products) in build/pkg/src/.
define migver_export
	rm -rf $(MIGVER_PKGDIR)/src/$(1)
	mkdir -p $(MIGVER_PKGDIR)/src/$(1)
	cd $(MIGVER_PKG_TOP) && \
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - ; \
	else \
		tar --exclude=./build --exclude-vcs -cf - . ; \
	fi | tar -C $(MIGVER_PKGDIR)/src/$(1) -xf -
endef

deb:
	$(call migver_export,$(MIGVER_PKG_NAME)-$(MIGVER_VERSION))
	cd $(MIGVER_PKGDIR)/src/$(MIGVER_PKG_NAME)-$(MIGVER_VERSION) && \
		dpkg-buildpackage -b -us -uc
	mv $(MIGVER_PKGDIR)/src/$(MIGVER_PKG_NAME)*.deb \
		$(MIGVER_PKGDIR)/src/$(MIGVER_PKG_NAME)*.changes \
		$(MIGVER_PKGDIR)/src/$(MIGVER_PKG_NAME)*.buildinfo $(MIGVER_PKGDIR)/
	@ls -1 $(MIGVER_PKGDIR)/*.deb

deb-chroot:
	bash $(MIGVER_PKG_TOP)/tests/package/build.sh deb $(MIGVER_PKGDIR)

rpm:
	$(call migver_export,$(MIGVER_PKG_NAME)-$(MIGVER_VERSION))
	mkdir -p $(MIGVER_PKGDIR)/rpmbuild/SOURCES
	tar -C $(MIGVER_PKGDIR)/src -czf \
		$(MIGVER_PKGDIR)/rpmbuild/SOURCES/$(MIGVER_PKG_NAME)-$(MIGVER_VERSION).tar.gz \
		$(MIGVER_PKG_NAME)-$(MIGVER_VERSION)
	mkdir -p $(MIGVER_PKGDIR)/rpmbuild/SPECS
	sed 's/^%{!?migver_version:.*/%global migver_version $(MIGVER_VERSION)/' \
		$(MIGVER_PKG_TOP)/rpm/mdev-migver.spec \
		>$(MIGVER_PKGDIR)/rpmbuild/SPECS/mdev-migver.spec
	rpmbuild -ba $(RPMBUILD_FLAGS) --define '_topdir $(MIGVER_PKGDIR)/rpmbuild' \
		$(MIGVER_PKGDIR)/rpmbuild/SPECS/mdev-migver.spec
	cp $(MIGVER_PKGDIR)/rpmbuild/RPMS/*/$(MIGVER_PKG_NAME)-*-$(MIGVER_VERSION)-*.rpm \
		$(MIGVER_PKGDIR)/rpmbuild/SRPMS/$(MIGVER_PKG_NAME)-$(MIGVER_VERSION)-*.src.rpm \
		$(MIGVER_PKGDIR)/
	@ls -1 $(MIGVER_PKGDIR)/*.rpm

package-test:
	bash $(MIGVER_PKG_TOP)/tests/package/run.sh
