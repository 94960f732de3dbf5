# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# The make arguments of the harness's module builds (tests/qemu/run.sh,
# tests/qemu/demo.sh, tests/lint/kbuild.sh): W=1, sparse (C=1) and a frame
# limit of 511 bytes, which the lint lane judges (store-stack-<suite>).
# None of them changes the code gcc generates, so the module the QEMU lane
# boots is the build the lint lane judges, and build-module.sh's cache
# serves both from one compilation.
# shellcheck disable=SC2034 # used by the scripts that source this file
MIGVER_KBUILD_ARGS="W=1 C=1 KCFLAGS=-Wframe-larger-than=511"
