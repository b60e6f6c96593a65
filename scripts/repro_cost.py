#!/usr/bin/env python3
"""What an ARTn campaign cost, from its event log (docs/reproduction.md):

    scripts/repro_cost.py EVENTS.jsonl [EVENTS.jsonl ...]

Sums the searches' own wall clocks (the "wall" of each search's line, its
restarts included) and prints the total in hours and per atom searched and
per atom with an event. One thread per search, so the total bounds the
core-hours from above (a clock also counts time the process waited for a
shared core). One line per log."""
import json
import sys


def cost(path):
    wall, atoms, found = 0.0, set(), set()
    with open(path) as f:
        f.readline()  # the header: the campaign's options
        for line in f:
            d = json.loads(line)
            if "wall" not in d:
                continue  # a claim, not a search
            wall += d["wall"]
            atoms.add(d["atom"])
            if d.get("status") == "ok":
                found.add(d["atom"])
    print(f"{path}: the searches' wall clocks summed {wall / 3600:.1f} h; {wall / max(len(atoms), 1):.2f} s per atom "
          f"searched ({len(atoms)}), {wall / max(len(found), 1):.2f} s per atom with an event ({len(found)})")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        cost(path)


if __name__ == "__main__":
    main()
