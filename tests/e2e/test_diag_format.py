"""check/build/publish --format: the same diagnostics as the default
compiler form, as GitHub/Gitea Actions workflow commands (escaped as the
Actions toolkit escapes them) or as one JSON object a line."""
import json
import os
import re
import shutil
import unittest

from helpers import (FIXTURES, THEME, replace_once, run, tmpdir,
                     tree_snapshot, write)

# A content folder whose name holds the characters an Actions property
# must escape (',' and ':') and a '%', which every value must.
FOLDER = "nội dung,50%:x"
Q1 = "dialogues/hoi-nghi-2025/questions/001.md"
Q2 = "dialogues/hoi-nghi-2025/questions/002.md"

TEXT_LINE = re.compile(r"^(.*):(\d+):(\d+): (error|warning|note): (.*)$")


def unescape_data(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(s):
    return (s.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r")
            .replace("%0A", "\n").replace("%25", "%"))


def parse_github(line):
    m = re.match(r"^::(error|warning|notice) file=([^,]*),line=(\d+),"
                 r"col=(\d+)::(.*)$", line)
    assert m, "not a workflow command: %r" % line
    sev = {"notice": "note"}.get(m.group(1), m.group(1))
    return (unescape_property(m.group(2)), int(m.group(3)), int(m.group(4)),
            sev, unescape_data(m.group(5)))


class DiagnosticFormats(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = os.path.join(self.dir, FOLDER)
        shutil.copytree(os.path.join(FIXTURES, "minimal"), self.content)
        # An error whose message holds '%', a warning (a plan published
        # after the dialogue) and a note (a public number).
        self.edit(Q1, "topic: dat-dai", "topic: dat-dai\n50%: x")
        self.edit("dialogues/hoi-nghi-2025/index.md", "location:",
                  "published: 2025-06-12\nlocation:")
        self.edit("site.yaml", "hamlets:",
                  "public_numbers:\n  - \"0912 345 678\"\nhamlets:")
        self.edit(Q2, "Đường vào thôn bị sạt lở.",
                  "Đường vào thôn bị sạt lở. Ủng hộ: 0912 345 678.")

    def edit(self, rel, old, new):
        replace_once(self, os.path.join(self.content, rel), old, new)

    def check(self, *extra):
        return run(["check", "-C", FOLDER, "--today", "2025-07-01"] +
                   list(extra), cwd=self.dir)

    def text_diags(self):
        r = self.check()
        self.assertEqual(r.returncode, 1, r.stderr)
        diags = []
        for line in r.stderr.splitlines():
            m = TEXT_LINE.match(line)
            self.assertTrue(m, line)
            diags.append((m.group(1), int(m.group(2)), int(m.group(3)),
                          m.group(4), m.group(5)))
        sevs = {d[3] for d in diags}
        self.assertEqual(sevs, {"error", "warning", "note"}, r.stderr)
        return diags

    def test_github_annotations(self):
        text = self.text_diags()
        r = self.check("--format", "github")
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual([parse_github(l) for l in lines], text)
        # Escaped as the toolkit does: the property's ',' ':' '%', the
        # message's '%' (its ':' stays).
        err = [l for l in lines if l.startswith("::error ")]
        self.assertTrue(any(
            l.startswith("::error file=nội dung%2C50%25%3Ax/" + Q1 + ",")
            and l.endswith("::unknown key '50%25'") for l in err), err)
        self.assertTrue(any(l.startswith("::notice file=") for l in lines))
        self.assertTrue(any(l.startswith("::warning file=") for l in lines))

    def test_json_lines(self):
        text = self.text_diags()
        r = self.check("--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        objs = [json.loads(l) for l in r.stderr.splitlines()]
        for o in objs:
            self.assertEqual(list(o), ["file", "line", "col", "severity",
                                       "message"])
        self.assertEqual([(o["file"], o["line"], o["col"], o["severity"],
                           o["message"]) for o in objs], text)

    def test_text_is_the_default(self):
        self.assertEqual(self.check("--format", "text").stderr,
                         self.check().stderr)

    def test_build_and_publish_accept_it(self):
        out = os.path.join(self.dir, "site")
        write(os.path.join(out, "index.html"), "old\n")
        before = tree_snapshot(out)
        r = run(["build", "-C", FOLDER, "--theme", THEME, "-o", "site",
                 "--today", "2025-07-01", "--format", "json"], cwd=self.dir)
        self.assertEqual(r.returncode, 1, r.stderr)
        objs = [json.loads(l) for l in r.stderr.splitlines()]
        self.assertIn("unknown key '50%'",
                      [o["message"] for o in objs if o["severity"] == "error"])
        self.assertEqual(tree_snapshot(out), before)
        r = run(["publish", "-C", FOLDER, "--theme", THEME, "--repo", "pub",
                 "--today", "2025-07-01", "--allow-dirty", "--format",
                 "github"], cwd=self.dir)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertTrue(all(l.startswith("::") for l in
                            r.stderr.splitlines()), r.stderr)
        self.assertIn("::unknown key '50%25'", r.stderr)

    def test_bad_format_is_a_usage_error(self):
        for cmd in ("check", "build", "publish"):
            r = run([cmd, "-C", FOLDER, "--format", "xml"], cwd=self.dir)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--format: 'xml'", r.stderr)
            r = run([cmd, "--format"], cwd=self.dir)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("option '--format' needs a value", r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), [FOLDER])


if __name__ == "__main__":
    unittest.main()
