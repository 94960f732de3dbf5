# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # read by the scripts that source this
# The method of `make bench` in one place: guest entry bench.sh, the host's
# tests/bench/run.sh and tests/bench/readme.sh (which writes README's
# "How each row is measured" from tests/bench/method.md and these values)
# all read this file, so the text cannot name a number the code does not use.

# 1. check latency: timed writes per round and side, rounds, untimed
#    warm-up writes per side first
BENCH_LAT_ITERS=2000
BENCH_LAT_ROUNDS=10
BENCH_LAT_WARMUP=2000
# 2. create+remove cycles per driver
BENCH_CYCLES=500
# 3. live instances whose memory is measured
BENCH_MEM_LIVE=64
# 4. live-instance levels, and timed creates per driver at each level
BENCH_SCALE=10,100,1000
BENCH_SCALE_EXTRA=100
# 5. userspace rounds (best one counts) and checks per round
BENCH_CORE_ROUNDS=5
BENCH_CORE_ITERS=2000000
# 6-8. live migration (vfio-mig bench) between GVTg_V5_1 vGPUs (4 MiB of
#    graphics memory, every page written): pre-copy rounds, and pages of the
#    working set rewritten in each and once more before STOP_COPY (64 pages
#    = 256 KiB); the same number of rounds times two for the throughput
BENCH_MIG_ROUNDS=3
BENCH_MIG_WSET=64
# 9. `migver matrix` on the host (tests/bench/matrix.sh): source devices and
#    target types of the generated inventories, timed runs per checker (the
#    best one counts, as does the core loop's best), the checkers (the first
#    is the one the target inventory names, which the target applies to),
#    the CPU everything is pinned to, and the targets
BENCH_MATRIX_SOURCES=1000
BENCH_MATRIX_TARGETS=1000
BENCH_MATRIX_ROUNDS=5
BENCH_MATRIX_CHECKERS="semver gvt strict"
BENCH_MATRIX_CPU=1
BENCH_MATRIX_MIN_RATE=5000000
BENCH_MATRIX_MAX_RSS_MB=64
