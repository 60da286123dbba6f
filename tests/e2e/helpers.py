"""Shared helpers for the end-to-end tests: run the real program on real
files in a temporary folder, read its output with real parsers."""
import json
import os
import shutil
import subprocess
import tempfile

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
