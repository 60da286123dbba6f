"""Revisions a citizen can use (issue #9, item 6): with site.yaml
`source_url` each revision links to the forge's view of that commit of that
file (GitHub, GitLab and Gitea forms; the file's path in that commit, checked
with the real `git show`), and each revision says what it changed in the
public fields (`changes` in questions.json, words on the page), derived by
parsing every older version on its own: never from, nor showing, the private
block or personal data an older version held; an older version that does not
parse gives no description (null), not an error."""
import html
import json
import os
import re
import shutil
import subprocess
import unittest

from helpers import CONGKHAI, FIXTURES, THEME, tmpdir, tree_snapshot, write
from test_publish import clean_env, git_env

TODAY = "2025-12-01"
# The records live below the repository's top: links need the prefix.
Q = "records/content/dialogues/hoi-nghi-2025/questions/002.md"

HEAD = """---
hamlet: na-mo
topic: dat-dai
channel: at_meeting
received: 2025-06-10
private:
  name: Trần Thị Riêng Tư
  phone: {phone}
{extra}---
Đường vào thôn bị sạt lở.
{body}"""


class RevisionLinks(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        shutil.copytree(os.path.join(FIXTURES, "minimal"),
                        self.path("records", "content"))
        self.env = clean_env(git_env(self.dir))
        self.git("init", "-q", "-b", "main")
        self.n = 0

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def git(self, *args):
        r = subprocess.run(["git", "-C", self.dir] + list(args),
                           env=self.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def version(self, extra="", body="", phone="0987 654 321"):
        write(self.path(Q), HEAD.format(extra=extra, body=body, phone=phone))
        self.commit()

    def commit(self):
        self.n += 1
        date = "2025-06-%02dT10:00:00+07:00" % (10 + self.n)
        self.git("add", "-A")
        e = dict(self.env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        r = subprocess.run(["git", "-C", self.dir, "commit", "-q", "-m",
                            "v%d" % self.n], env=e, capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def site_yaml(self, lines):
        p = self.path("records", "content", "site.yaml")
        with open(p, encoding="utf-8") as f:
            text = f.read()
        write(p, text + lines)

    def build(self, expect=0):
        out = self.path("out")
        shutil.rmtree(out, ignore_errors=True)
        r = subprocess.run([CONGKHAI, "build", "-C", "records/content",
                            "--theme", THEME, "--today", TODAY, "-o", out],
                           cwd=self.dir, env=self.env, capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(r.returncode, expect, r.stderr)
        return r

    def revisions(self):
        with open(self.path("out", "data", "questions.json"),
                  encoding="utf-8") as f:
            qs = json.load(f)["questions"]
        return [q for q in qs if q["id"] == "hoi-nghi-2025/002"][0]["revisions"]

    def page(self):
        with open(self.path("out", "doi-thoai", "hoi-nghi-2025", "002",
                            "index.html"), encoding="utf-8") as f:
            return f.read()

    def history(self):
        """A question's life: asked, answered (with a number staff later
        took out), the answer reworded, resolved; one broken version."""
        self.site_yaml("source_url: https://github.com/xa-thu-nghiem/ho-so/\n")
        self.commit()  # v1: everything, the question as in the fixture
        self.version()  # v2: our question as HEAD gives it
        self.version(extra="answer:\n  by: Chủ tịch UBND xã\n"
                     "  date: 2025-06-15\n",
                     body="\n## Trả lời\n\nGọi 0912 000 111 để được hẹn.\n")
        self.version(extra="answer:\n  by: Chủ tịch UBND xã\n"
                     "  date: 2025-06-15\n",
                     body="\n## Trả lời\n\nXã sẽ khắc phục trong tháng 7.\n")
        write(self.path(Q), "---\nhamlet: [unclosed\n---\nHỏng.\n")
        self.commit()  # v5: does not parse
        self.version(extra="answer:\n  by: Chủ tịch UBND xã\n"
                     "  date: 2025-06-15\n"
                     "progress:\n  - date: 2025-07-20\n    status: resolved\n"
                     "    note: Đã làm xong.\n",
                     body="\n## Trả lời\n\nXã sẽ khắc phục trong tháng 7.\n",
                     phone="0977 111 222")

    def test_changes_in_words_and_codes(self):
        self.history()
        self.build()
        codes = [r["changes"] for r in self.revisions()]
        self.assertEqual(codes, [
            ["created"],          # v1: the fixture's file
            ["status_changed"],   # v2: its progress gone: back to received
            ["answer_added", "status_changed"],
            ["answer_changed"],
            None,                 # v5 does not parse
            None])                # v6: nothing sound to compare it with

    def test_each_change_described(self):
        self.history()
        self.build()
        codes = [r["changes"] for r in self.revisions()]
        # v2 (the rewrite): progress gone, in_progress -> received.
        self.assertEqual(codes[1], ["status_changed"])
        self.assertEqual(codes[2], ["answer_added", "status_changed"])
        page = html.unescape(self.page())
        self.assertIn("có câu trả lời", page)
        self.assertIn("tình trạng: Đã tiếp nhận → Đã trả lời", page)
        self.assertIn("tình trạng: Đang giải quyết → Đã tiếp nhận", page)

    def test_answer_reworded_then_resolved(self):
        self.history()
        # A sound version after the broken one, so there is one to compare.
        self.version(extra="answer:\n  by: Chủ tịch UBND xã\n"
                     "  date: 2025-06-15\n"
                     "progress:\n  - date: 2025-07-20\n    status: resolved\n"
                     "    note: Đã làm xong.\n  - date: 2025-07-25\n"
                     "    status: resolved\n    note: Nghiệm thu.\n",
                     body="\n## Trả lời\n\nĐã khắc phục xong.\n")
        self.build()
        codes = [r["changes"] for r in self.revisions()]
        self.assertEqual(codes[-1], ["answer_changed", "progress_added"])
        self.assertIn("câu trả lời được sửa", html.unescape(self.page()))

    def test_links_to_the_file_in_that_commit(self):
        self.history()
        self.build()
        revs = self.revisions()
        page = self.page()
        links = re.findall(r'href="(https://github\.com/[^"]+)"', page)
        self.assertEqual(len(links), len(revs))
        full = self.git("log", "--format=%H", "--", Q).split()
        full.reverse()
        for link, rev, commit in zip(links, revs, full):
            m = re.fullmatch(r"https://github\.com/xa-thu-nghiem/ho-so/"
                             r"blob/([0-9a-f]{40})/(.+)", link)
            self.assertIsNotNone(m, link)
            self.assertEqual(m.group(1), commit)
            self.assertTrue(commit.startswith(rev["commit"]))
            self.assertEqual(m.group(2), Q)
            # The real git finds that file in that commit.
            self.git("cat-file", "-e", "%s:%s" % (commit, m.group(2)))

    def test_renamed_file_links_to_its_old_path(self):
        self.history()
        os.makedirs(self.path("records", "content", "dialogues",
                              "hoi-nghi-2025", "questions"), exist_ok=True)
        self.git("mv", Q, Q.replace("002.md", "003.md"))
        self.commit()
        self.build()
        with open(self.path("out", "doi-thoai", "hoi-nghi-2025", "003",
                            "index.html"), encoding="utf-8") as f:
            links = re.findall(r'href="(https://github\.com/[^"]+)"', f.read())
        self.assertTrue(links[0].endswith("/questions/002.md"), links[0])
        self.assertTrue(links[-1].endswith("/questions/003.md"), links[-1])
        for link in links:
            commit, path = re.search(r"/blob/([0-9a-f]{40})/(.+)$",
                                     link).groups()
            self.git("cat-file", "-e", "%s:%s" % (commit, path))

    def test_an_older_name_with_personal_data_gets_no_link(self):
        # Named after the citizen's phone once, renamed since: today's name
        # is checked by the loader, the older one only here.
        self.site_yaml("source_url: https://github.com/xa/ho-so\n")
        old = Q.replace("002.md", "0912345678.md")
        self.commit()
        self.git("mv", Q, old)
        self.commit()
        self.git("mv", old, Q)
        self.commit()
        self.build()
        links = re.findall(r'href="(https://github\.com/[^"]+)"', self.page())
        self.assertEqual(len(self.revisions()), 3)
        self.assertEqual(len(links), 2)
        for rel, data in tree_snapshot(self.path("out")).items():
            self.assertNotIn(b"0912345678", data, rel)

    def test_gitlab_and_gitea_forms(self):
        for url, kind, form in (
                ("https://gitlab.com/xa/ho-so", None, "/-/blob/"),
                ("https://git.xa.example/xa/ho-so", "gitlab", "/-/blob/"),
                ("https://codeberg.org/xa/ho-so", None, "/src/commit/"),
                ("https://github.com/xa/ho-so", "gitea", "/src/commit/")):
            with self.subTest(url=url):
                p = self.path("records", "content", "site.yaml")
                with open(p, encoding="utf-8") as f:
                    text = re.sub(r"(?m)^source_(url|kind):.*\n", "", f.read())
                text += "source_url: %s\n" % url
                if kind:
                    text += "source_kind: %s\n" % kind
                write(p, text)
                self.commit()
                self.build()
                links = re.findall(r'href="(%s[^"]*)"' % re.escape(url),
                                   self.page())
                self.assertTrue(links)
                for link in links:
                    self.assertTrue(link.startswith(url + form), link)
                    self.assertTrue(link.endswith("/questions/002.md"), link)

    def test_source_url_is_validated(self):
        for bad, msg in (("ftp://github.com/o/r", "source_url"),
                         ("github.com/o/r", "source_url"),
                         ("https://", "source_url")):
            with self.subTest(bad=bad):
                p = self.path("records", "content", "site.yaml")
                with open(p, encoding="utf-8") as f:
                    text = re.sub(r"(?m)^source_url:.*\n", "", f.read())
                write(p, text + "source_url: %s\n" % bad)
                r = self.build(expect=1)
                self.assertRegex(r.stderr, r"site\.yaml:\d+:\d+: error: .*"
                                 + msg)
        write(p, text + "source_url: https://github.com/o/r\n"
              "source_kind: bitbucket\n")
        r = self.build(expect=1)
        self.assertIn("source_kind", r.stderr)

    def test_no_personal_data_of_older_versions_anywhere(self):
        self.history()
        self.build()
        snap = tree_snapshot(self.path("out"))
        for rel, data in snap.items():
            text = data.decode("utf-8", "replace")
            for secret in ("0912 000 111", "0912000111", "Riêng Tư",
                           "0987 654 321", "0977 111 222", "Gọi 0912"):
                self.assertNotIn(secret, text, rel)

    def test_without_source_url_no_links_but_changes(self):
        self.commit()
        self.version()
        self.build()
        self.assertNotIn("/blob/", self.page())
        self.assertEqual(self.revisions()[0]["changes"], ["created"])


if __name__ == "__main__":
    unittest.main()
