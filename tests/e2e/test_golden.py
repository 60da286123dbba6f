"""Golden builds: small hand-written communes (tests/golden/<case>/content)
built with a fixed --today and compared with reviewed output
(tests/golden/<case>/expected): the list of every output path, the open
data files whole, and the <main> of chosen pages.

CONGKHAI_UPDATE_GOLDEN=1 rewrites the expected files from the program's
output; review the diff before committing it."""
import difflib
import os
import shutil
import unittest

from helpers import THEME, TOP, run, tmpdir

GOLDEN = os.path.join(TOP, "tests", "golden")
UPDATE = os.environ.get("CONGKHAI_UPDATE_GOLDEN") == "1"

# case: (--today, the pages whose <main> is compared)
CASES = {
    "basic": ("2025-12-20", [
        "index.html",
        "doi-thoai/index.html",
        "doi-thoai/hoi-nghi-2025/index.html",
        "doi-thoai/hoi-nghi-2025/002/index.html",
        "doi-thoai/hoi-nghi-2025/003/index.html",
        "doi-thoai/tiep-xuc-to-3-2026/index.html",
        "linh-vuc/dat-dai/index.html",
        "thon/to-2/index.html",
        "trang-thai/qua-han/index.html",
        "trang-thai/resolved/index.html",
        "co-quan/dia-chinh/index.html",
        "gioi-thieu/index.html",
        "tim-kiem/index.html",
    ]),
    "edge": ("2025-12-20", [
        "index.html",
        "doi-thoai/index.html",
        "doi-thoai/chua-co-ngay/index.html",
        "doi-thoai/da-huy/index.html",
        "doi-thoai/ket-luan-muon/index.html",
        "doi-thoai/hoi-nghi-loi/index.html",
        "doi-thoai/hoi-nghi-loi/001/index.html",
        "doi-thoai/hoi-nghi-loi/002/index.html",
        "linh-vuc/t2/index.html",
        "thon/khu-b/index.html",
        "trang-thai/qua-han/index.html",
        "hoi-dap/index.html",
        "404.html",
    ]),
    # Issue #8: escalations, directives, supervision, staleness, lateness.
    "followup": ("2025-12-20", [
        "doi-thoai/hoi-nghi-2025/index.html",
        "doi-thoai/hoi-nghi-2025/001/index.html",
        "doi-thoai/hoi-nghi-2025/002/index.html",
        "doi-thoai/hoi-nghi-2025/003/index.html",
        "doi-thoai/hoi-nghi-2025/004/index.html",
        "doi-thoai/chua-co-ngay/001/index.html",
        "chuyen-cap/index.html",
    ]),
}
DATA = ["data/questions.json", "data/dialogues.json", "data/questions.csv",
        "data/schema/questions.json", "data/schema/dialogues.json",
        "tim-kiem/meta.js", "feed.xml", "sitemap.xml", "robots.txt"]


def main_of(html):
    """The <main> element of a page (the part the page itself renders)."""
    start = html.find("<main")
    end = html.find("</main>")
    if start < 0 or end < 0:
        return html
    return html[start:end + len("</main>")] + "\n"


class Golden(unittest.TestCase):
    def build(self, case):
        today = CASES[case][0]
        d = tmpdir(self)
        # Outside any git repository, so revisions are [] and stable.
        content = os.path.join(d, "content")
        shutil.copytree(os.path.join(GOLDEN, case, "content"), content)
        out = os.path.join(d, "site")
        r = run(["build", "-C", content, "--theme", THEME, "-o", out,
                 "--today", today])
        self.assertEqual(r.returncode, 0, r.stderr)
        return out

    def actual(self, case, out):
        """{expected file: text} of one build."""
        files = {}
        paths = []
        for dirpath, _, names in os.walk(out):
            for n in names:
                paths.append(os.path.relpath(os.path.join(dirpath, n), out)
                             .replace(os.sep, "/"))
        files["paths.txt"] = "".join(p + "\n" for p in sorted(paths))
        for p in DATA:
            with open(os.path.join(out, p), "rb") as f:
                files[p] = f.read().decode("utf-8")
        for p in CASES[case][1]:
            with open(os.path.join(out, p), encoding="utf-8") as f:
                files[p] = main_of(f.read())
        return files

    def check(self, case):
        out = self.build(case)
        got = self.actual(case, out)
        exp_dir = os.path.join(GOLDEN, case, "expected")
        if UPDATE:
            shutil.rmtree(exp_dir, True)
            for rel, text in got.items():
                p = os.path.join(exp_dir, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
        problems = []
        for rel, text in sorted(got.items()):
            p = os.path.join(exp_dir, rel)
            if not os.path.exists(p):
                problems.append("missing expected file %s" % rel)
                continue
            with open(p, encoding="utf-8", newline="") as f:
                want = f.read()
            if want != text:
                diff = difflib.unified_diff(
                    want.splitlines(True), text.splitlines(True),
                    "expected/" + rel, "actual/" + rel)
                problems.append("".join(list(diff)[:80]))
        self.assertEqual(problems, [], "\n".join(problems))

    def test_basic(self):
        self.check("basic")

    def test_edge(self):
        self.check("edge")

    def test_followup(self):
        self.check("followup")

    def test_same_output_twice(self):
        a = self.actual("edge", self.build("edge"))
        b = self.actual("edge", self.build("edge"))
        self.assertEqual(a, b)


if __name__ == "__main__":
    unittest.main()
