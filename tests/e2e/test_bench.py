"""The benchmark script (tests/bench/run.sh, `make bench`) runs on a small
generated corpus and prints its table: every congkhai step, its files
written counted as the issue asks (none when nothing changed), each
one-change step sampled BENCH_ONE_RUNS times, what each publish adds to
the repository's objects. Its times are not judged
here: figures come from `make bench` on the benchmark's machine."""
import os
import subprocess
import unittest

from helpers import CONGKHAI, TOP


class Bench(unittest.TestCase):
    def test_table(self):
        env = dict(os.environ, CONGKHAI=CONGKHAI, BENCH_HUGO_MAX="0",
                   BENCH_ROUNDS="1", BENCH_ONE_RUNS="2")
        r = subprocess.run(["sh", os.path.join(TOP, "tests", "bench",
                                               "run.sh"), "150"],
                           cwd=TOP, env=env, capture_output=True, text=True,
                           timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = {}
        for line in r.stdout.splitlines():
            if not line.startswith("150 "):
                continue
            step = line[9:31].strip()
            rows[step] = line[31:].split()
        for step in ("congkhai build (empty)", "cp -r of its output",
                     "congkhai rebuild noop", "congkhai rebuild one",
                     "congkhai publish fresh", "congkhai publish one"):
            self.assertIn(step, rows, r.stdout)
        # median, range, rss, files, ratio, loose, git_KB
        self.assertEqual(rows["congkhai rebuild noop"][3], "0", r.stdout)
        one = rows["congkhai rebuild one"]
        self.assertTrue(0 < int(one[3]) < 20, r.stdout)
        self.assertNotEqual(one[1], "-", r.stdout)  # two samples: a range
        pub = rows["congkhai publish one"]
        self.assertTrue(0 < int(pub[3]) < 20, r.stdout)
        self.assertEqual(pub[5], "0", r.stdout)  # no loose objects
        # What a publish adds to .git: all of it fresh, its pack after one
        # change, which is far smaller.
        fresh = int(rows["congkhai publish fresh"][6])
        self.assertTrue(0 < int(pub[6]) < fresh / 4, r.stdout)
        self.assertIn("one-change steps 2 per round", r.stdout)


if __name__ == "__main__":
    unittest.main()
