"""Reading the dialogues and questions and rendering on several threads (--jobs,
CONGKHAI_JOBS) changes nothing but the time: the example commune and a generated corpus of 3000 questions build
to byte-identical trees, with identical messages, on 1, 2, 4 and 7 threads
(7: more threads than cores, and an odd count); a template that fails on
many pages at once reports the same first failure whatever the threads; bad
thread counts are usage errors."""
import os
import shutil
import subprocess
import sys
import unittest

from helpers import EXAMPLE, THEME, TOP, run, tmpdir, tree_snapshot, write

TODAY = "2026-11-20"
JOBS = [1, 2, 4, 7]


def build(content, out, jobs, theme=THEME, env=None):
    args = ["build", "-C", content, "--theme", theme, "-o", out,
            "--today", TODAY]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    return run(args, env=env, timeout=900)


class SameOutputAnyJobs(unittest.TestCase):
    def assert_same_builds(self, content, theme=THEME, expect_rc=0):
        """Builds content with every JOBS count; returns the first build's
        (returncode, stderr, tree) after checking the others are equal."""
        d = tmpdir(self)
        first = None
        for jobs in JOBS:
            out = os.path.join(d, "out-%d" % jobs)
            r = build(content, out, jobs, theme)
            self.assertEqual(r.returncode, expect_rc,
                             "--jobs %d: %s" % (jobs, r.stderr[-2000:]))
            tree = tree_snapshot(out) if os.path.isdir(out) else None
            got = (r.returncode, r.stdout, r.stderr, tree)
            if first is None:
                first = got
                continue
            self.assertEqual(got[:3], first[:3],
                             "--jobs %d printed otherwise" % jobs)
            if got[3] != first[3]:
                differ = sorted(p for p in set(got[3]) | set(first[3])
                                if got[3].get(p) != first[3].get(p))
                self.fail("--jobs %d: %d files differ from --jobs 1, "
                          "e.g. %s" % (jobs, len(differ), differ[:5]))
        return first

    def test_example_commune(self):
        rc, _, _, tree = self.assert_same_builds(EXAMPLE)
        # The pages that go through the worker pool are really there.
        self.assertIn("doi-thoai/index.html", tree)
        self.assertTrue(any(p.startswith("linh-vuc/") for p in tree))
        self.assertTrue(sum(p.count("/") == 3 and p.endswith("index.html")
                            for p in tree) > 10)

    def test_questions_read_on_threads_report_alike(self):
        """The dialogues and questions are read on several threads too: a
        corpus with problems in many files, and in whole dialogues, gives the same messages, in the same
        order, and the same exit status, to check and to build, whatever
        the threads (CONGKHAI_JOBS for check, --jobs for build)."""
        d = tmpdir(self)
        content = os.path.join(d, "content")
        subprocess.run([sys.executable,
                        os.path.join(TOP, "tests", "bench", "gen_corpus.py"),
                        content, "600"], check=True, capture_output=True)
        dialogues = os.path.join(content, "dialogues")
        n = 0
        for slug in sorted(os.listdir(dialogues)):
            qdir = os.path.join(dialogues, slug, "questions")
            for name in sorted(os.listdir(qdir)):
                n += 1
                path = os.path.join(qdir, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                if n % 7 == 0:  # an error in the front matter
                    text = text.replace("hamlet: thon-", "hamlet: xom-", 1)
                if n % 11 == 0:  # a citizen's phone number in the body
                    text += "\nGọi 0912 345 678 để biết thêm.\n"
                if n % 13 == 0:  # a date that does not exist
                    text = text.replace("received: 2025-", "received: 2025-02-30"
                                        " #", 1)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            # A stray file among the questions: a warning.
            write(os.path.join(qdir, "ghi-chu.txt"), "nháp\n")
        # Problems of whole dialogues, read on other threads than their
        # neighbours' (a province's dialogues are shared among them): a
        # plan with an impossible date, a conclusion that is not a
        # record, a folder without its plan.
        slugs = sorted(os.listdir(dialogues))
        self.assertGreaterEqual(len(slugs), 8)
        plan = os.path.join(dialogues, slugs[2], "index.md")
        with open(plan, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("\ndate: ", text)
        with open(plan, "w", encoding="utf-8") as f:
            f.write(text.replace("\ndate: ", "\ndate: 2025-13-01 #", 1))
        write(os.path.join(dialogues, slugs[4], "conclusion.md"),
              "không phải kết luận\n")
        os.remove(os.path.join(dialogues, slugs[6], "index.md"))
        seen = None
        for jobs in ("1", "2", "7"):
            r = run(["check", "-C", content, "--today", TODAY],
                    env={"CONGKHAI_JOBS": jobs}, timeout=600)
            self.assertEqual(r.returncode, 1, r.stderr[-2000:])
            got = (r.stdout, r.stderr)
            if seen is None:
                seen = got
                errors = [ln for ln in r.stderr.splitlines()
                          if ": error: " in ln]
                # Every injected problem is there, each once.
                self.assertGreater(len(errors), 600 // 7 + 600 // 11)
                self.assertEqual(len(errors), len(set(errors)))
                self.assertIn("ghi-chu.txt:1:1: warning: ignored",
                              r.stderr)
                for slug, what in ((slugs[2], "index.md:"),
                                   (slugs[4], "conclusion.md:1:1: error:"),
                                   (slugs[6], "index.md:1:1: error: missing")):
                    self.assertIn("%s/%s" % (slug, what), r.stderr)
            self.assertEqual(got, seen, "CONGKHAI_JOBS=%s" % jobs)
        for jobs in (1, 4):
            r = build(content, os.path.join(d, "out"), jobs)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stderr, seen[1], "--jobs %d" % jobs)
            self.assertFalse(os.path.exists(os.path.join(d, "out")))

    def test_generated_corpus(self):
        d = tmpdir(self)
        content = os.path.join(d, "content")
        subprocess.run([sys.executable,
                        os.path.join(TOP, "tests", "bench", "gen_corpus.py"),
                        content, "3000"], check=True, capture_output=True)
        rc, _, err, tree = self.assert_same_builds(content)
        questions = [p for p in tree
                     if p.startswith("doi-thoai/") and p.count("/") == 3]
        self.assertEqual(len(questions), 3000)
        # Lists cut into many pages (trang-N) come out the same too.
        self.assertTrue(any("/trang-2/" in p for p in tree))
        # The environment and the automatic count give the same bytes.
        for env, jobs in (({"CONGKHAI_JOBS": "3"}, None),
                          ({"CONGKHAI_JOBS": ""}, None),
                          ({"CONGKHAI_JOBS": "5"}, 1)):
            out = os.path.join(d, "env")
            shutil.rmtree(out, ignore_errors=True)
            r = build(content, out, jobs, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, err)
            self.assertTrue(tree_snapshot(out) == tree,
                            "CONGKHAI_JOBS=%r --jobs %s" % (env, jobs))

    def test_template_failing_on_many_pages(self):
        # A partial that includes itself, reached from every answered
        # question's page: several threads fail at once, and what is
        # reported must still be the first failure in page order, as on
        # one thread; nothing is written.
        d = tmpdir(self)
        theme = os.path.join(d, "theme")
        shutil.copytree(THEME, theme)
        qt = os.path.join(theme, "templates", "question.mustache")
        with open(qt, encoding="utf-8") as f:
            src = f.read()
        self.assertIn("{{#has_answer}}", src)
        write(qt, src.replace("{{#has_answer}}",
                              "{{#has_answer}}{{>partials/loop}}", 1))
        write(os.path.join(theme, "templates", "partials",
                           "loop.mustache"), "x{{>partials/loop}}")
        rc, out, err, tree = self.assert_same_builds(EXAMPLE, theme,
                                                     expect_rc=1)
        self.assertIsNone(tree)
        self.assertIn("cannot render template 'question'", err)
        self.assertEqual(err.count("partial 'partials/loop'"), 1, err)

    def test_bad_job_counts(self):
        d = tmpdir(self)
        for jobs in ("0", "-1", "x", "2x", "65", ""):
            r = build(EXAMPLE, os.path.join(d, "o"), jobs)
            self.assertEqual(r.returncode, 2, (jobs, r.stderr))
            self.assertIn("--jobs", r.stderr)
        r = run(["build", "-C", EXAMPLE, "--theme", THEME, "-o",
                 os.path.join(d, "o")], env={"CONGKHAI_JOBS": "many"})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("CONGKHAI_JOBS", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "o")))
        # check reads its questions on threads: the same rule.
        r = run(["check", "-C", EXAMPLE, "--today", TODAY],
                env={"CONGKHAI_JOBS": "many"})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("CONGKHAI_JOBS", r.stderr)
        r = run(["check", "-C", EXAMPLE, "--today", TODAY, "--jobs", "0"])
        self.assertEqual(r.returncode, 2, r.stderr)


if __name__ == "__main__":
    unittest.main()
