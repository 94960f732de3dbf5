#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""qemu-image.py OUT STREAM[:ID] [STREAM[:ID]...] [--live] [--noise]

Writes a QEMU migration image (the `migrate file:` format, format 3) that
carries each STREAM as one VFIO device's state, laid out as QEMU 8.0-11.1
write it (migration/savevm.c, hw/vfio/migration.c): a section start with
the device's idstr ("<device path>/vfio") and DEV_SETUP_STATE; then the
data in blocks of DEV_DATA_STATE + be64 size inside section parts (--live:
PRE_COPY, one part per device and round, devices interleaved, the first
round closed by DEV_INIT_DATA_SENT) and a section end (STOP_COPY), each
part closed by END_OF_STATE and QEMU's section footer.  Around them, a RAM
section and a device section whose bytes are not VFIO's (--noise: RAM
pages that hold the DEV_DATA_STATE flag itself, not after a VFIO section
header, which `migver inspect` must not take for device data).

Only for the tool lane: real images come from the vmm guest entry.
"""
import struct
import sys

START, PART, END, FULL, EOF, FOOTER = 0x01, 0x02, 0x03, 0x04, 0x1f, 0x7e
END_OF_STATE = 0xffffffffef100001
SETUP = 0xffffffffef100003
DATA = 0xffffffffef100004
INIT_DATA_SENT = 0xffffffffef100005


def be32(v):
    return struct.pack(">I", v)


def be64(v):
    return struct.pack(">Q", v)


def section_start(sid, idstr, instance=0, version=1):
    b = idstr.encode()
    return bytes([START]) + be32(sid) + bytes([len(b)]) + b + be32(instance) + be32(version)


def footer(sid):
    return bytes([FOOTER]) + be32(sid)


def blocks(data, size):
    out = b""
    for i in range(0, len(data), size):
        piece = data[i:i + size]
        out += be64(DATA) + be64(len(piece)) + piece
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    live = "--live" in sys.argv
    noise = "--noise" in sys.argv
    out, streams = args[0], args[1:]
    devs = []
    for n, spec in enumerate(streams):
        path, _, idstr = spec.partition(":")
        devs.append((n + 3, idstr or "0000:00:%02x.0/vfio" % (n + 4), open(path, "rb").read()))

    img = be32(0x5145564d) + be32(3)
    # configuration section, then RAM's start (its encoding is not parsed)
    img += bytes([0x07]) + be32(9) + b"pc-q35-10.0"
    img += section_start(1, "ram") + be64(0x04) + bytes(64) + footer(1)
    for sid, idstr, _ in devs:
        img += section_start(sid, idstr) + be64(SETUP) + be64(END_OF_STATE) + footer(sid)
    if noise:
        page = (be64(DATA) + be64(16)) * 256
        img += bytes([PART]) + be32(1) + page + footer(1)
    # PRE_COPY rounds: half of each stream, in pieces of 100 bytes
    sent = {sid: 0 for sid, _, _ in devs}
    if live:
        for rnd in range(2):
            for sid, _, data in devs:
                half = len(data) // 2
                lo, hi = rnd * half // 2, (rnd + 1) * half // 2
                img += bytes([PART]) + be32(sid) + blocks(data[lo:hi], 100)
                img += be64(INIT_DATA_SENT if rnd == 0 else END_OF_STATE) + footer(sid)
                sent[sid] = hi
    # STOP_COPY: the rest in blocks of up to 1 MiB (QEMU's buffer)
    for sid, _, data in devs:
        img += bytes([END]) + be32(sid) + blocks(data[sent[sid]:], 1 << 20)
        img += be64(END_OF_STATE) + footer(sid)
    # a non-iterative section, as the VFIO device's own config would be
    img += bytes([FULL]) + be32(20) + bytes([8]) + b"timer/00" + be32(0) + be32(2) + bytes(24) + footer(20)
    img += bytes([EOF])
    with open(out, "wb") as f:
        f.write(img)


main()
