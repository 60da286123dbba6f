"""NFC on the way in: records typed decomposed (combining marks, as some
keyboards and copy-pastes produce them) or half decomposed must build
exactly the site that the same records in NFC build. The loader normalises
only the spans that can change (issue #7: it used to run utf8proc over
every byte), so this checks the real program on real files, line by line
mixed, against Python's own NFC."""
import os
import random
import shutil
import unicodedata
import unittest

from helpers import EXAMPLE, THEME, run, tmpdir, tree_snapshot

TODAY = "2025-12-20"


def rewrite_records(root, change):
    """Applies change to every record (.md, .yaml); files under static/
    are published byte for byte and stay as they are."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [x for x in dirnames if x != "static"]
        for name in filenames:
            if not name.endswith((".md", ".yaml")):
                continue
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                data = f.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            with open(p, "w", encoding="utf-8", newline="") as f:
                f.write(change(text))


class Normalisation(unittest.TestCase):
    def build(self, content, out):
        r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                 "--today", TODAY])
        self.assertEqual(r.returncode, 0, r.stderr)
        return tree_snapshot(out)

    def test_decomposed_records_build_the_nfc_site(self):
        d = tmpdir(self)
        nfc = os.path.join(d, "nfc")
        shutil.copytree(EXAMPLE, nfc)
        # The example commune is NFC already; make sure of it.
        rewrite_records(nfc, lambda t: unicodedata.normalize("NFC", t))
        want = self.build(nfc, os.path.join(d, "out-nfc"))
        self.assertTrue(any("ệ".encode() in b for b in want.values()))

        rnd = random.Random(7)

        def mixed(text):
            # Each line NFC, NFD, or NFD with the marks of its first
            # Vietnamese letter in the other canonical order (a + dot
            # below + circumflex written circumflex first).
            out = []
            for line in text.split("\n"):
                k = rnd.randrange(3)
                if k == 1:
                    line = unicodedata.normalize("NFD", line)
                elif k == 2:
                    line = unicodedata.normalize("NFD", line).replace(
                        "\u0323\u0302", "\u0302\u0323", 1)
                out.append(line)
            return "\n".join(out)

        for name, change in (
                ("nfd", lambda t: unicodedata.normalize("NFD", t)),
                ("mixed", mixed)):
            src = os.path.join(d, name)
            shutil.copytree(nfc, src)
            rewrite_records(src, change)
            got = self.build(src, os.path.join(d, "out-" + name))
            self.assertEqual(sorted(got), sorted(want), name)
            for path in want:
                self.assertEqual(got[path], want[path],
                                 "%s: %s differs" % (name, path))
            # Nothing decomposed reaches a page or the open data.
            for path, data in got.items():
                if path.endswith((".html", ".json", ".csv")):
                    text = data.decode("utf-8")
                    self.assertEqual(
                        text, unicodedata.normalize("NFC", text), path)


if __name__ == "__main__":
    unittest.main()
