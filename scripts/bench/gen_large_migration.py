#!/usr/bin/env python3
"""Generate one large dbmate migration: a data seed: one CREATE TABLE, then single-row INSERTs.

    gen_large_migration.py OUTFILE [--megabytes 50] [--seed 42]

About 31 bytes of SQL per INSERT on average, so 50 MB is about 1.6 million
statements. The same arguments always give a byte-identical file.
"""

import argparse
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outfile")
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    target = int(args.megabytes * 1_000_000)
    head = (
        "-- migrate:up\n"
        "-- Seed data for the lead scoring tables (generated).\n"
        "CREATE TABLE IF NOT EXISTS s (id bigint PRIMARY KEY);\n"
    )
    tail = "\n-- migrate:down\nDROP TABLE IF EXISTS s;\n"
    written = 0
    with open(args.outfile, "w", encoding="utf-8", newline="\n") as out:
        out.write(head)
        written += len(head)
        row = 0
        chunk = []
        while written < target - len(tail):
            row += 1
            line = f"INSERT INTO s VALUES ({rng.randrange(10**7)});\n"
            chunk.append(line)
            written += len(line)
            if len(chunk) == 10_000:
                out.write("".join(chunk))
                chunk = []
        out.write("".join(chunk))
        out.write(tail)
    print(f"{args.outfile}: {row} INSERT statements, {written + len(tail)} bytes")


if __name__ == "__main__":
    main()
