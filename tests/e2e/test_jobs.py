"""Rendering on several threads (--jobs, CONGKHAI_JOBS) changes nothing but
the time: the example commune and a generated corpus of 3000 questions build
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
        # check renders nothing: the variable does not concern it.
        r = run(["check", "-C", EXAMPLE, "--today", TODAY],
                env={"CONGKHAI_JOBS": "many"})
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
