# SPDX-License-Identifier: GPL-2.0-only
# The release: the upstream part (no epoch, no Debian revision) of the first
# debian/changelog entry.  sed -n -f mk/changelog-version.sed debian/changelog
# (mk/packaging.mk and Kbuild both read the version this way).
1{s/^[^(]*(\([^)]*\)).*/\1/;s/^[0-9]*://;s/-[^-]*$//;p;q;}
