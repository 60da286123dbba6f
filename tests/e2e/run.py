#!/usr/bin/env python3
"""Runs the end-to-end tests (tests/e2e/test_*.py, unittest style) against
the program named by $CONGKHAI and prints "N passed, N failed"."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
# The output folders' manifests (congkhai.1, build) go with the test build,
# not into the home folder the tests give git and congkhai.
os.environ.setdefault("XDG_CACHE_HOME", os.path.join(
    os.path.dirname(os.path.dirname(here)), "tests", ".build", "cache"))
# Every build of the suite makes the pages it could keep by a fingerprint
# of the model (question pages, views_keep.c) anyway, and stops when one
# made from the same fingerprint as before has other bytes: a fingerprint
# that misses something the page shows fails whichever test reaches it.
# The tests of keeping itself take it away.
os.environ.setdefault("CONGKHAI_CHECK_KEEP", "1")


class Counting(unittest.TextTestResult):
    pass


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(here, pattern=pattern)
    runner = unittest.TextTestRunner(verbosity=1, resultclass=Counting,
                                     stream=sys.stderr)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
