#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""KUnit results as the harness's case lines.

    kunit_results.py <results.json> [<kunit.py log>]

Reads the JSON that the kernel tree's kunit.py writes (`run --json` or
`parse --json`) and prints one line per case, named <suite>.<case> and, for
a parameterised case, <suite>.<case>.<parameter>:

    PASS <name>
    FAIL <name>: <the diagnostics kunit.py logged for it>
    SKIP <name>: skipped

and "ALLSKIP <suite>" for a suite whose every case was skipped.  Used by the
KUnit lane (UML) and the debug lane (the module on a KUnit kernel).
"""
import json
import re
import sys


def diagnostics(log_path):
    """kunit.py's log: a failed case's diagnostics precede "[FAILED] name"."""
    why = {}
    notes = []
    if not log_path:
        return why
    with open(log_path, errors="replace") as f:
        for line in f:
            line = re.sub(r"^\[[0-9:]+\] ", "", line.rstrip("\n"))
            line = re.sub(r"\x1b\[[0-9;]*m", "", line)
            m = re.match(r"=* ?\[(PASSED|FAILED|SKIPPED|CRASHED)\] (\S+)", line)
            if m:
                if m.group(1) != "PASSED":
                    text = " ".join(n.strip() for n in notes[:6])
                    why.setdefault(m.group(2), []).append(text)
                notes = []
            elif "FAILED at" in line or notes:
                notes.append(line)
    return why


def walk(group, prefix, why, tally):
    for case in group.get("test_cases", []):
        name = prefix + case["name"]
        status = case["status"]
        if status == "PASS":
            print("PASS " + name)
        elif status == "SKIP":
            print("SKIP " + name + ": skipped")
        else:
            status = "FAIL"
            detail = why.get(case["name"]) or [case["status"]]
            print("FAIL " + name + ": " + (detail.pop(0) or case["status"]))
        tally[status] += 1
    for sub in group.get("sub_groups", []):
        sub_tally = {"PASS": 0, "FAIL": 0, "SKIP": 0}
        walk(sub, prefix + sub["name"] + ".", why, sub_tally)
        if sub_tally["SKIP"] and not sub_tally["PASS"] and not sub_tally["FAIL"]:
            print("ALLSKIP " + prefix + sub["name"])
        for k in tally:
            tally[k] += sub_tally[k]


def main():
    with open(sys.argv[1]) as f:
        top = json.load(f)
    why = diagnostics(sys.argv[2] if len(sys.argv) > 2 else None)
    tally = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    # The top level is kunit.py's own group ("KUnit Test Group"): its
    # sub-groups are the suites.
    walk(top, "", why, tally)


if __name__ == "__main__":
    main()
