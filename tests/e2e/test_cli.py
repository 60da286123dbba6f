"""The command line's usage errors (exit 2) say what is wrong: an option
without its value, a --theme folder that is not a theme, a path too long;
and none of them builds, writes or commits anything."""
import os
import unittest

from helpers import FIXTURES, THEME, run, tmpdir, write

MINIMAL = os.path.join(FIXTURES, "minimal")


class CommandLine(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)

    def usage_error(self, args, message):
        r = run(args, cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(message, r.stderr)
        self.assertEqual(os.listdir(self.dir), [])
        return r

    def test_missing_option_value(self):
        for cmd, opt in [("build", "-o"), ("build", "-C"),
                         ("build", "--theme"), ("build", "--today"),
                         ("build", "--output"), ("check", "-C"),
                         ("publish", "--repo"), ("publish", "--branch"),
                         ("publish", "-m")]:
            r = self.usage_error(
                [cmd, opt], "congkhai %s: option '%s' needs a value"
                % (cmd, opt))
            self.assertNotIn("bad option", r.stderr)

    def test_unknown_option_is_still_a_bad_option(self):
        self.usage_error(["build", "--bogus"],
                         "congkhai build: bad option '--bogus'")
        self.usage_error(["check", "-x"], "congkhai check: bad option '-x'")

    def test_theme_that_is_not_a_theme(self):
        # A folder that exists (the content folder, given by mistake).
        out = os.path.join(self.dir, "out")
        r = run(["build", "-C", MINIMAL, "--theme", MINIMAL, "-o", out],
                cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("'%s' is not a theme" % MINIMAL, r.stderr)
        self.assertFalse(os.path.exists(out))
        # templates/ without the page templates is no theme either.
        theme = os.path.join(self.dir, "theme")
        write(os.path.join(theme, "templates", "x.mustache"), "x\n")
        r = run(["build", "-C", MINIMAL, "--theme", theme, "-o", out],
                cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is not a theme", r.stderr)
        self.assertFalse(os.path.exists(out))
        r = run(["publish", "-C", MINIMAL, "--theme", theme, "--repo",
                 os.path.join(self.dir, "repo")], cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is not a theme", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "repo")))

    def test_real_theme_still_builds(self):
        r = run(["build", "-C", MINIMAL, "--theme", THEME, "-o",
                 os.path.join(self.dir, "out"), "--today", "2025-07-01"],
                cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_path_too_long(self):
        long_name = "a" * 300          # beyond NAME_MAX (255)
        long_path = "a/" * 3000        # beyond PATH_MAX (4096)
        cases = [(["build", "-C", long_name], "-C"),
                 (["check", "-C", long_path], "-C"),
                 (["build", "-C", MINIMAL, "--theme", long_name], "--theme"),
                 (["build", "-C", MINIMAL, "-o", long_path], "-o"),
                 (["build", "-C", MINIMAL, "-o", "x/" + long_name], "-o"),
                 (["publish", "-C", MINIMAL, "--repo", long_name], "--repo")]
        for args, opt in cases:
            r = self.usage_error(args, "%s: the path '" % opt)
            self.assertIn("is too long", r.stderr)
            self.assertNotIn("not found", r.stderr)
            # Named by its start, not buried in thousands of characters.
            self.assertLess(len(r.stderr), 400, r.stderr)


if __name__ == "__main__":
    unittest.main()
