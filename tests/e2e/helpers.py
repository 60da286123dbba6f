"""Shared helpers for the end-to-end tests: run the real program on real
files in a temporary folder, read its output with real parsers."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONGKHAI = os.environ.get("CONGKHAI", os.path.join(TOP, "publisher", "congkhai"))
THEME = os.path.join(TOP, "themes", "default")
EXAMPLE = os.path.join(TOP, "content")
FIXTURES = os.path.join(TOP, "tests", "fixtures")


def run(args, cwd=None, env=None, input=None, timeout=300):
    """Runs congkhai with args; returns CompletedProcess (text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([CONGKHAI] + list(args), cwd=cwd, env=e,
                          input=input, capture_output=True, text=True,
                          timeout=timeout)


def git(args, cwd, env=None, check=True):
    e = dict(os.environ)
    e.setdefault("GIT_AUTHOR_NAME", "Test")
    e.setdefault("GIT_AUTHOR_EMAIL", "test@example.invalid")
    e.setdefault("GIT_COMMITTER_NAME", "Test")
    e.setdefault("GIT_COMMITTER_EMAIL", "test@example.invalid")
    if env:
        e.update(env)
    r = subprocess.run(["git"] + list(args), cwd=cwd, env=e,
                       capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError("git %s failed: %s" % (" ".join(args), r.stderr))
    return r


def tmpdir(testcase):
    d = tempfile.mkdtemp(prefix="congkhai-test-")
    testcase.addCleanup(shutil.rmtree, d, True)
    return d


def copy_example(dest):
    """A copy of the example commune at dest/content."""
    shutil.copytree(EXAMPLE, os.path.join(dest, "content"))
    return os.path.join(dest, "content")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def replace_once(test, path, old, new):
    """Replaces the first old in the file at path with new; test fails
    when old is not there (an edit that silently did nothing)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    test.assertIn(old, text)
    write(path, text.replace(old, new, 1))


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def tree_snapshot(root):
    """{relative path: bytes} of every file under root (skipping .git)."""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                snap[os.path.relpath(p, root)] = f.read()
    return snap


class GeneratedCorpus(unittest.TestCase):
    """A test class whose tests share a corpus of QUESTIONS generated
    questions (tests/bench/gen_corpus.py): cls.content, in the temporary
    folder cls.dir, removed after the class's tests."""
    QUESTIONS = 1000
    PREFIX = "ck-corpus-"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix=cls.PREFIX)
        cls.dir = cls.tmp.name
        cls.content = os.path.join(cls.dir, "content")
        subprocess.run([sys.executable, os.path.join(
            TOP, "tests", "bench", "gen_corpus.py"), cls.content,
            str(cls.QUESTIONS)], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()


class FixtureCase(unittest.TestCase):
    """A copy of the minimal fixture commune at self.dir/content and an
    earlier build's output at self.dir/site (self.before: its snapshot),
    which a failed build must leave exactly as it was."""
    TODAY = "2025-07-01"
    TIMEOUT = 300

    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        os.path.join(self.dir, "content"))
        self.out = os.path.join(self.dir, "site")
        write(os.path.join(self.out, "index.html"), "old page\n")
        write(os.path.join(self.out, "stale", "x.html"), "old\n")
        self.before = tree_snapshot(self.out)

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def edit(self, rel, old, new):
        replace_once(self, self.path(rel), old, new)

    def build(self):
        return run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                    "--today", self.TODAY], cwd=self.dir,
                   timeout=self.TIMEOUT)
