"""Every input costs time in proportion to its size, or is refused with a
clear limit: a run never hangs on a hostile or mistaken file.

The inputs are sized so that the quadratic code these tests guard against
takes minutes (100 000 keys took 12 s, 80 000 list markers 40 s, and each
grows with the square), while a linear run takes well under a second
plain and seconds under the sanitizers: the generous timeout cannot be
met by a quadratic implementation, yet does not trip on a busy machine.
(The timings themselves belong in tests/bench.)"""
import os
import subprocess
import unittest

from helpers import FixtureCase, tree_snapshot, write

Q3 = "content/dialogues/hoi-nghi-2025/questions/003.md"
HEAD = ("---\nhamlet: thon-1\ntopic: dat-dai\nchannel: registered\n"
        "received: 2025-06-01\n")
TIMEOUT = 60


class Limits(FixtureCase):
    TIMEOUT = TIMEOUT

    def build(self):
        try:
            return FixtureCase.build(self)
        except subprocess.TimeoutExpired:
            self.fail("no result within %d s: the cost is not linear"
                      % TIMEOUT)

    def test_many_extra_keys(self):
        n = 300000
        keys = "".join("  k%d: v%d\n" % (i, i) for i in range(n))
        write(os.path.join(self.dir, Q3),
              HEAD + "extra:\n" + keys + "---\nCâu hỏi.\n")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertTrue(os.path.exists(os.path.join(
            self.out, "doi-thoai/hoi-nghi-2025/003/index.html")))

    def test_many_extra_keys_with_duplicates(self):
        n = 300000
        keys = "".join("  k%d: v%d\n" % (i, i) for i in range(n))
        # Two duplicates at the end, each told with both lines.
        keys += "  k7: again\n  k%d: again\n" % (n - 1)
        write(os.path.join(self.dir, Q3),
              HEAD + "extra:\n" + keys + "---\nCâu hỏi.\n")
        r = self.build()
        self.assertEqual(r.returncode, 1)
        first = 7 + n  # HEAD is lines 1-5, extra: line 6, k0 line 7
        self.assertEqual(
            [l for l in r.stderr.splitlines() if ": error: " in l],
            ["%s:%d:3: error: duplicate key 'k7' (first at line 14)"
             % (Q3, first),
             "%s:%d:3: error: duplicate key 'k%d' (first at line %d)"
             % (Q3, first + 1, n - 1, first - 1)])
        self.assertEqual(tree_snapshot(self.out), self.before)

    def assert_refused(self, body, line, col):
        write(os.path.join(self.dir, Q3), HEAD + "---\n" + body)
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr[-2000:])
        want = ("%s:%d:%d: error: lists and block quotes nested deeper "
                "than 64 levels" % (Q3, line, col))
        self.assertIn(want, r.stderr.splitlines())
        self.assertEqual(tree_snapshot(self.out), self.before)
        return r

    def test_nested_list_markers_on_one_line(self):
        # The body starts on line 7; the 65th `- ` is at column 129.
        self.assert_refused("- " * 80000 + "x\n", 7, 129)

    def test_nested_block_quotes_and_lazy_lines(self):
        self.assert_refused("> " * 80000 + "x\n" + "y\n" * 100000, 7, 129)

    def test_nested_lists_by_indent_and_lazy_lines(self):
        # Level k is indented 2k columns; level 65 (line 7 + 64) is refused,
        # and so is every deeper line, each once.
        body = "".join("  " * k + "- a\n" for k in range(2000))
        r = self.assert_refused(body + "y\n" * 100000, 7 + 64, 129)
        self.assertEqual(r.stderr.count("nested deeper"), 2000 - 64)

    def test_deep_but_allowed_nesting_builds(self):
        body = "".join("  " * k + "- a\n" for k in range(64))
        write(os.path.join(self.dir, Q3), HEAD + "---\n" + body)
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        with open(os.path.join(
                self.out, "doi-thoai/hoi-nghi-2025/003/index.html"),
                encoding="utf-8") as f:
            self.assertGreaterEqual(f.read().count("<ul>"), 64)


if __name__ == "__main__":
    unittest.main()
