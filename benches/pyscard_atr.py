#!/usr/bin/python3
"""Time pyscard's ATR parser on the corpus that benches/atr.rs parses.

Run with Debian's interpreter (python3-pyscard): /usr/bin/python3 benches/pyscard_atr.py
It parses every ATR of benches/data/atr_corpus.txt with smartcard.ATR.ATR (the
constructor decodes the interface and historical bytes, like simcore's
Atr::parse) and prints the median of 21 runs, per corpus and per ATR. ATRs that
pyscard rejects with an exception still count (the time to reject them).
"""
import os
import statistics
import sys
import time

import smartcard
from smartcard.ATR import ATR

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus():
    with open(os.path.join(HERE, "data", "atr_corpus.txt")) as f:
        return [[int(x, 16) for x in line.split()] for line in f if line.strip() and not line.startswith("#")]


def run(atrs):
    start = time.perf_counter()
    for data in atrs:
        try:
            ATR(data)
        except Exception:
            pass
    return time.perf_counter() - start


def main():
    atrs = corpus()
    run(atrs)  # warm-up
    times = [run(atrs) for _ in range(21)]
    median = statistics.median(times)
    version = getattr(smartcard, "__version__", None)
    if version is None:
        try:
            from importlib.metadata import version as v
            version = v("pyscard")
        except Exception:
            version = "unknown"
    print(f"pyscard {version}, Python {sys.version.split()[0]}: {len(atrs)} ATRs")
    print(f"median of 21 runs: {median * 1e3:.2f} ms per corpus, {median / len(atrs) * 1e6:.2f} µs per ATR")


if __name__ == "__main__":
    main()
