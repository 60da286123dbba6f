"""`make install` honours PREFIX and DESTDIR and installs the program, both
man pages and the default theme; the installed program runs."""
import os
import subprocess
import unittest

from helpers import FIXTURES, TOP, tmpdir


class Install(unittest.TestCase):
    def test_prefix_and_destdir(self):
        dest = tmpdir(self)
        r = subprocess.run(["make", "-s", "install", "DESTDIR=" + dest,
                            "PREFIX=/opt/ck"], cwd=TOP, capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = os.path.join(dest, "opt", "ck")
        for rel in ["bin/congkhai", "share/man/man1/congkhai.1",
                    "share/man/man5/congkhai.5",
                    "share/congkhai/themes/default/templates/base.mustache"]:
            self.assertTrue(os.path.isfile(os.path.join(root, rel)), rel)
        self.assertTrue(os.access(os.path.join(root, "bin/congkhai"), os.X_OK))
        # Nothing outside DESTDIR/PREFIX.
        self.assertEqual(os.listdir(dest), ["opt"])
        out = os.path.join(dest, "out")
        r = subprocess.run([os.path.join(root, "bin/congkhai"), "build",
                            "-C", os.path.join(FIXTURES, "minimal"),
                            "--theme", os.path.join(
                                root, "share/congkhai/themes/default"),
                            "-o", out, "--today", "2025-07-01"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(os.path.join(out, "index.html")))


if __name__ == "__main__":
    unittest.main()
