"""congkhai new dialogue|question|conclusion: a record from the theme's
archetype that `check` accepts as written, with the next free id and
today's date; ids checked against site.yaml with a suggestion; never an
existing file overwritten, never a file written outside the content
folder."""
import os
import shutil
import unittest

from helpers import (FIXTURES, THEME, TOP, read_json, run, tmpdir,
                     tree_snapshot, write)

DLG = "content/dialogues/hoi-nghi-2025"


class NewRecords(unittest.TestCase):
    TODAY = "2025-07-01"

    def setUp(self):
        self.dir = tmpdir(self)
        self.content = os.path.join(self.dir, "content")
        shutil.copytree(os.path.join(FIXTURES, "minimal"), self.content)

    def new(self, *args, rc=0):
        r = run(["new"] + list(args) + ["--theme", THEME, "--today",
                                        self.TODAY], cwd=self.dir)
        self.assertEqual(r.returncode, rc, r.stderr)
        return r

    def read(self, rel):
        with open(os.path.join(self.dir, rel), encoding="utf-8") as f:
            return f.read()

    def check_clean(self):
        """check accepts the content: exit 0 and not one error."""
        r = run(["check", "-C", "content", "--today", self.TODAY],
                cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(": error: ", r.stderr)
        return r

    def test_new_dialogue_passes_check(self):
        r = self.new("dialogue", "hoi-nghi-2026")
        path = "content/dialogues/hoi-nghi-2026/index.md"
        self.assertEqual(r.stdout, path + "\n")
        text = self.read(path)
        self.assertTrue(text.startswith("---\n"))
        self.assertIn("\npublished: 2025-07-01", text)
        self.assertIn("\n# date: 2025-07-01", text)
        self.assertIn("# hamlets:  # mã thôn (bỏ trống: tất cả các thôn): "
                      "thon-1, na-mo\n", text)
        self.check_clean()
        # ... and builds: the dialogue is on the site.
        r = run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                 "--today", self.TODAY], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        dialogues = read_json(os.path.join(self.dir, "site", "data",
                                           "dialogues.json"))
        self.assertIn("hoi-nghi-2026", str(dialogues))

    def test_new_question_takes_the_next_id(self):
        r = self.new("question", "hoi-nghi-2025", "--hamlet", "na-mo",
                     "--channel", "mttq")
        self.assertEqual(r.stdout, DLG + "/questions/003.md\n")
        text = self.read(DLG + "/questions/003.md")
        for line in ("hamlet: na-mo  # Thôn Nà Mò", "topic: dat-dai  #",
                     "channel: mttq  #", "received: 2025-07-01\n"):
            self.assertIn("\n" + line, text)
        self.check_clean()
        # The next one is 004; a wider id sets the width.
        r = self.new("question", "hoi-nghi-2025")
        self.assertEqual(r.stdout, DLG + "/questions/004.md\n")
        self.assertIn("\nhamlet: thon-1  #", self.read(r.stdout.strip()))
        self.assertIn("\nchannel: registered  #",
                      self.read(r.stdout.strip()))
        shutil.copy(os.path.join(self.dir, DLG, "questions", "004.md"),
                    os.path.join(self.dir, DLG, "questions", "0041.md"))
        r = self.new("question", "hoi-nghi-2025")
        self.assertEqual(r.stdout, DLG + "/questions/0042.md\n")
        self.check_clean()
        r = run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                 "--today", self.TODAY], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        qs = read_json(os.path.join(self.dir, "site", "data",
                                    "questions.json"))
        self.assertIn("hoi-nghi-2025/0042", str(qs))

    def test_first_question_of_a_new_dialogue(self):
        self.new("dialogue", "tiep-xuc-thon-1")
        r = self.new("question", "tiep-xuc-thon-1", "--topic", "dat-dai")
        self.assertEqual(r.stdout,
                         "content/dialogues/tiep-xuc-thon-1/questions/"
                         "001.md\n")
        self.check_clean()

    def test_new_conclusion_and_no_overwrite(self):
        r = self.new("conclusion", "hoi-nghi-2025")
        path = DLG + "/conclusion.md"
        self.assertEqual(r.stdout, path + "\n")
        self.assertIn("\nissued: 2025-07-01", self.read(path))
        self.check_clean()
        # A second time: refused, the file untouched.
        write(os.path.join(self.dir, path),
              self.read(path).replace("Nội dung", "Đã sửa"))
        before = tree_snapshot(self.content)
        r = self.new("conclusion", "hoi-nghi-2025", rc=1)
        self.assertIn(path + ":1:1: error: already exists", r.stderr)
        self.assertEqual(r.stdout, "")
        r = self.new("dialogue", "hoi-nghi-2025", rc=1)
        self.assertIn(DLG + "/index.md:1:1: error: already exists",
                      r.stderr)
        self.assertEqual(tree_snapshot(self.content), before)

    def test_today_in_either_notation(self):
        r = run(["new", "conclusion", "hoi-nghi-2025", "-C", "content",
                 "--theme", THEME, "--today", "5/7/2025"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.read(DLG + "/conclusion.md")
        self.assertIn("\nissued: 2025-07-05", text)
        self.assertIn("ngày 05/07/2025", text)

    def test_conclusion_not_before_the_dialogue(self):
        # Written before the dialogue's day (2025-06-10): issued that day,
        # never earlier than the dialogue itself.
        r = run(["new", "conclusion", "hoi-nghi-2025", "--theme", THEME,
                 "--today", "2025-06-01"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.read(DLG + "/conclusion.md")
        self.assertIn("\nissued: 2025-06-10", text)
        self.assertIn("ngày 01/06/2025", text)

    def test_same_input_same_bytes(self):
        other = tmpdir(self)
        shutil.copytree(self.content, os.path.join(other, "content"))
        self.new("question", "hoi-nghi-2025", "--topic", "dat-dai")
        r = run(["new", "question", "hoi-nghi-2025", "--topic", "dat-dai",
                 "--theme", THEME, "--today", self.TODAY], cwd=other)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(tree_snapshot(self.content),
                         tree_snapshot(os.path.join(other, "content")))

    def test_unknown_ids_are_refused_with_a_suggestion(self):
        before = tree_snapshot(self.content)
        for args, msg in (
                (["--hamlet", "na-mo2"],
                 "--hamlet: unknown hamlet 'na-mo2' (did you mean 'na-mo'?)"),
                (["--topic", "dat-da"],
                 "--topic: unknown topic 'dat-da' (did you mean 'dat-dai'?)"),
                (["--topic", "giao-thong"], "unknown topic 'giao-thong'; "),
                (["--channel", "writen"],
                 "unknown channel 'writen' (did you mean 'written'?)")):
            r = self.new("question", "hoi-nghi-2025", *args, rc=2)
            self.assertIn(msg, r.stderr)
        r = self.new("question", "hoi-nghi-2024", rc=2)
        self.assertIn("no dialogue 'hoi-nghi-2024' in content/dialogues "
                      "(did you mean 'hoi-nghi-2025'?)", r.stderr)
        r = self.new("conclusion", "hoi-nghi", rc=2)
        self.assertIn("no dialogue 'hoi-nghi'", r.stderr)
        for bad in ("Hội-nghị", "-x", "a/b", "0912345678"):
            r = self.new("dialogue", bad, rc=2)
            self.assertEqual(r.stdout, "")
        r = self.new("dialogue", "x", "--hamlet", "na-mo", rc=2)
        self.assertIn("are for a question", r.stderr)
        r = self.new("topic", "x", rc=2)
        self.assertIn("'topic' is not a kind of record", r.stderr)
        for opt in ("--hamlet", "--topic", "--channel", "-C", "--theme",
                    "--today"):
            r = run(["new", "question", "hoi-nghi-2025", opt], cwd=self.dir)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("congkhai new: option '%s' needs a value" % opt,
                          r.stderr)
        r = run(["new", "question"], cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("say what to make", r.stderr)
        self.assertEqual(tree_snapshot(self.content), before)

    def test_site_yaml_errors_stop_it(self):
        with open(os.path.join(self.content, "site.yaml"), "a",
                  encoding="utf-8") as f:
            f.write("bogus: 1\n")
        before = tree_snapshot(self.content)
        r = self.new("dialogue", "hoi-nghi-2026", rc=1)
        self.assertIn("content/site.yaml:", r.stderr)
        self.assertIn("unknown key 'bogus'", r.stderr)
        self.assertEqual(tree_snapshot(self.content), before)

    def test_never_writes_outside_the_content_folder(self):
        # questions/ is a link to a folder elsewhere: refused, nothing
        # written there.
        outside = tmpdir(self)
        qdir = os.path.join(self.dir, DLG, "questions")
        shutil.rmtree(qdir)
        os.symlink(outside, qdir)
        r = self.new("question", "hoi-nghi-2025", rc=1)
        self.assertIn("outside the content folder", r.stderr)
        self.assertEqual(os.listdir(outside), [])

    def test_theme_archetypes_override(self):
        theme = os.path.join(self.dir, "theme")
        shutil.copytree(THEME, theme)
        write(os.path.join(theme, "archetypes", "conclusion.md"),
              "---\nissued: {{today}}\nnumber: 1/TB-UBND\n---\n"
              "Kết luận của {{dialogue}}.\n")
        # A theme without a question archetype uses the default theme's.
        os.remove(os.path.join(theme, "archetypes", "question.md"))
        r = run(["new", "conclusion", "hoi-nghi-2025", "-C", self.content,
                 "--theme", theme, "--today", self.TODAY], cwd=TOP)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read(DLG + "/conclusion.md"),
                         "---\nissued: 2025-07-01\nnumber: 1/TB-UBND\n---\n"
                         "Kết luận của hoi-nghi-2025.\n")
        r = run(["new", "question", "hoi-nghi-2025", "-C", self.content,
                 "--theme", theme, "--today", self.TODAY], cwd=TOP)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\nreceived: 2025-07-01",
                      self.read(DLG + "/questions/003.md"))
        self.check_clean()


if __name__ == "__main__":
    unittest.main()
