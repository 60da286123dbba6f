"""Kept list pages (issue #7): a list page whose fingerprint (the program,
the theme's templates, the page's values with each question's row by its
own fingerprint) is the one the output folder's manifest, or publishing's
blob cache, recorded for it is neither made nor rendered again. Checked on
real builds: every rebuild, after each kind of change that can reach a
list page, is byte-identical to a build into an empty folder, and with
CONGKHAI_CHECK_KEEP set every list page that is rendered must have the
fingerprint its rows' stand-in gave (the program stops otherwise)."""
import os
import re
import shutil
import subprocess
import unittest

from helpers import (CONGKHAI, THEME, GeneratedCorpus, copy_example,
                     replace_once, tmpdir, tree_snapshot, write)
from test_publish import Base

TODAY = "2027-02-01"
Q = os.path.join("dialogues", "doi-thoai-2025", "questions", "003.md")
# The first page of the topic of Q (dat-dai): a list page that shows Q.
TOPIC_PAGE = os.path.join("linh-vuc", "dat-dai", "index.html")


def list_pages(root):
    """The list pages of a built site: the topics', hamlets', statuses',
    departments', all questions' and the reports' lists."""
    out = set()
    for top in ("linh-vuc", "thon", "trang-thai", "co-quan", "cau-hoi"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            out |= {os.path.relpath(os.path.join(dirpath, f), root)
                    for f in files if f == "index.html"}
    bao_cao = os.path.join(root, "bao-cao")
    for period in os.listdir(bao_cao):
        p = os.path.join(bao_cao, period)
        if not os.path.isdir(p):
            continue
        for dirpath, _, files in os.walk(p):
            if dirpath != p and "index.html" in files:
                out.add(os.path.relpath(os.path.join(dirpath, "index.html"),
                                        root))
    return out


def question_pages(root):
    """The questions' pages: doi-thoai/<dialogue>/<id>/index.html."""
    top = os.path.join(root, "doi-thoai")
    return {os.path.relpath(os.path.join(dirpath, "index.html"), root)
            for dirpath, _, files in os.walk(top)
            if "index.html" in files
            and os.path.relpath(dirpath, top).count(os.sep) == 1}


def dialogue_pages(root):
    """The dialogues' pages: doi-thoai/<dialogue>/index.html."""
    top = os.path.join(root, "doi-thoai")
    return {os.path.join("doi-thoai", d, "index.html")
            for d in os.listdir(top)
            if os.path.isfile(os.path.join(top, d, "index.html"))}


def dialogue_data_files(root):
    """The open data of each dialogue: data/doi-thoai/<dialogue>.json."""
    top = os.path.join(root, "data", "doi-thoai")
    return {os.path.join("data", "doi-thoai", f) for f in os.listdir(top)
            if f.endswith(".json")}


def search_doc_chunks(root):
    """The search index's document chunks: tim-kiem/d/<n>.js."""
    top = os.path.join(root, "tim-kiem", "d")
    return {os.path.join("tim-kiem", "d", f) for f in os.listdir(top)
            if f.endswith(".js")}


class Keep(unittest.TestCase):
    def setUp(self):
        self.dir = tmpdir(self)
        self.content = copy_example(self.dir)
        self.theme = os.path.join(self.dir, "theme")
        shutil.copytree(THEME, self.theme)
        self.env = dict(os.environ, XDG_CACHE_HOME=os.path.join(self.dir,
                                                                "cache"),
                        CONGKHAI_BUILD_STATS="1", CONGKHAI_CHECK_KEEP="1")
        self.env.pop("CONGKHAI_NO_KEEP", None)

    def path(self, *rel):
        return os.path.join(self.dir, *rel)

    def build(self, out="site", today=TODAY, env=None):
        r = subprocess.run(
            [CONGKHAI, "build", "-C", "content", "--theme", self.theme,
             "-o", out, "--today", today], cwd=self.dir,
            env=dict(self.env, **(env or {})), capture_output=True,
            text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        line = [ln for ln in r.stderr.splitlines()
                if ln.startswith("congkhai build: ")][-1]
        words = line.replace(",", "").replace(":", "").split()
        return {"files": int(words[2]), "written": int(words[4]),
                "kept": int(words[10])}

    def assert_as_fresh(self, today=TODAY):
        shutil.rmtree(self.path("fresh"), ignore_errors=True)
        self.build("fresh", today=today)
        self.assertEqual(tree_snapshot(self.path("site")),
                         tree_snapshot(self.path("fresh")))

    def edit(self, rel, old, new):
        replace_once(self, os.path.join(self.content, rel), old, new)

    def read(self, rel):
        with open(self.path("site", rel), "rb") as f:
            return f.read()

    def test_unchanged_list_pages_are_kept(self):
        first = self.build()
        self.assertEqual(first["kept"], 0)
        lists = list_pages(self.path("site"))
        self.assertIn(TOPIC_PAGE, lists)
        again = self.build()
        # Every list page, and nothing else, is kept; nothing is written.
        self.assertEqual(again["kept"], len(lists))
        self.assertEqual(again["written"], 0)
        self.assertEqual(again["files"], first["files"])
        self.assert_as_fresh()
        # Without keeping (CONGKHAI_NO_KEEP) they render to the same bytes.
        self.assertEqual(self.build(env={"CONGKHAI_NO_KEEP": "1"}),
                         {"files": first["files"], "written": 0, "kept": 0})
        # ... and that build recorded no fingerprints: nothing to keep.
        self.assertEqual(self.build()["kept"], 0)
        self.assertEqual(self.build()["kept"], len(lists))

    def test_every_change_reaches_the_list_pages(self):
        self.build()
        lists = len(list_pages(self.path("site")))
        before = self.read(TOPIC_PAGE)

        # The question's first words are its row's summary.
        self.edit(Q, "Từ khi đổi đơn vị thu gom", "Từ khi thay đơn vị thu gom")
        s = self.build()
        after = self.read(TOPIC_PAGE)
        self.assertNotEqual(after, before)
        self.assertIn("Từ khi thay đơn vị thu gom".encode(), after)
        self.assertGreater(s["kept"], 0)
        self.assertLess(s["kept"], lists)
        self.assert_as_fresh()

        # Its status: it leaves one status's list for another's.
        self.edit(Q, "    status: resolved\n", "    status: in_progress\n")
        self.build()
        self.assert_as_fresh()

        # Its topic: it moves between the topics' lists.
        self.edit(Q, "topic: dat-dai", "topic: nong-nghiep")
        self.build()
        self.assertNotIn("Từ khi thay đơn vị thu gom".encode(),
                         self.read(TOPIC_PAGE))
        self.assert_as_fresh()

        # What every page shows: the commune's name. Nothing is kept.
        self.edit("site.yaml", "name: Xã Tân Phong Lạc",
                  "name: Xã Tân Phong Lạc Mới")
        self.assertEqual(self.build()["kept"], 0)
        self.assert_as_fresh()

        # The day judged against.
        self.build(today="2027-06-01")
        self.assert_as_fresh(today="2027-06-01")

    def test_theme_changes_are_not_kept(self):
        self.build()
        # A partial only the rows use: every list page is made again.
        row = os.path.join(self.theme, "templates", "partials",
                           "question-row.mustache")
        with open(row, encoding="utf-8") as f:
            text = f.read()
        write(row, text.replace('<li class="q" data-item>',
                                '<li class="q hang" data-item>', 1))
        self.assertEqual(self.build()["kept"], 0)
        self.assertIn(b'<li class="q hang" data-item>',
                      self.read(TOPIC_PAGE))
        self.assert_as_fresh()
        # A label the lists show.
        labels = os.path.join(self.theme, "labels.yaml")
        with open(labels, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("  resolved: Đã giải quyết\n", text)
        self.build()
        write(labels, text.replace("  resolved: Đã giải quyết\n",
                                   "  resolved: Đã giải quyết xong\n", 1))
        self.assertEqual(self.build()["kept"], 0)
        self.assert_as_fresh()

    def test_question_pages_kept_unless_what_they_show_changed(self):
        """A question's page counts its question's view by what the view
        is made from, a dialogue's page its view and its questions' rows
        (views_keep.c): kept when that is the same, made again after each
        kind of change that reaches it, and every rebuild byte-identical
        to a build into an empty folder. Without CONGKHAI_CHECK_KEEP, which
        would make them anyway."""
        self.env.pop("CONGKHAI_CHECK_KEEP")
        self.build()
        site = self.path("site")
        lists, pages = list_pages(site), question_pages(site)
        dialogues = dialogue_pages(site)
        self.assertEqual(len(dialogues), len(os.listdir(
            os.path.join(self.content, "dialogues"))))
        page = os.path.join("doi-thoai", "doi-thoai-2025", "003",
                            "index.html")
        self.assertIn(page, pages)
        qdirs = [os.path.join(self.content, "dialogues", d, "questions")
                 for d in os.listdir(os.path.join(self.content,
                                                  "dialogues"))]
        self.assertEqual(len(pages), len([
            f for q in qdirs if os.path.isdir(q) for f in os.listdir(q)
            if f.endswith(".md")]))
        # Each dialogue's open data is kept as well (views_data.c), and
        # the search index's document chunks (views_search.c).
        data = dialogue_data_files(site)
        self.assertEqual(len(data), len(dialogues))
        chunks = search_doc_chunks(site)
        self.assertGreater(len(chunks), 0)
        every = (len(lists) + len(pages) + len(dialogues) + len(data) +
                 len(chunks))
        again = self.build()
        self.assertEqual(again["kept"], every)
        self.assertEqual(again["written"], 0)

        def changed(must_show=None):
            s = self.build()
            self.assertLess(s["kept"], every)
            if must_show is not None:
                self.assertIn(must_show.encode(), self.read(page))
            self.assert_as_fresh()

        # Its text, a progress note and status, its escalation.
        self.edit(Q, "Từ khi đổi đơn vị thu gom", "Từ khi thay đơn vị thu gom")
        changed("Từ khi thay đơn vị thu gom")
        self.edit(Q, "ba lần mỗi tuần (thứ Hai", "bốn lần mỗi tuần (thứ Hai")
        changed("bốn lần mỗi tuần")
        self.edit(Q, "    status: resolved\n", "    status: escalated\n")
        self.edit(Q, "due: 2025-12-15\n",
                  "due: 2025-12-15\nescalation:\n  to: UBND tỉnh Phú Thọ\n"
                  "  number: 999/UBND-VP\n  sent: 2025-12-01\n"
                  "  reply_due: 2026-01-05\n")
        changed("999/UBND-VP")
        # Its dialogue (its title shows on the page), and a directive of
        # the dialogue's conclusion that comes to name it.
        self.edit(os.path.join("dialogues", "doi-thoai-2025", "index.md"),
                  "title: Hội nghị đối thoại trực tiếp",
                  "title: Hội nghị đối thoại trực tiếp (sửa)")
        changed("(sửa)")
        self.edit(os.path.join("dialogues", "doi-thoai-2025",
                               "conclusion.md"),
                  '    questions: ["001"]\n', '    questions: ["001", "003"]\n')
        changed("cap-giay-dong-cham")
        # A holiday moves the working days counted on it; the day judged
        # against; a label of the site's.
        self.edit("site.yaml", "  - 2026-02-14..2026-02-22\n",
                  "  - 2026-02-14..2026-02-22\n  - 2026-01-02\n")
        changed()
        self.build(today="2027-06-01")
        self.assert_as_fresh(today="2027-06-01")
        self.edit("site.yaml", "name: Xã Tân Phong Lạc",
                  "name: Xã Tân Phong Lạc Mới")
        self.assertEqual(self.build()["kept"], 0)
        self.assert_as_fresh()

    def reused(self, today=TODAY):
        """How many of the open data's records the build copied from the
        last one's files (CONGKHAI_BUILD_STATS), and of how many."""
        r = subprocess.run(
            [CONGKHAI, "build", "-C", "content", "--theme", self.theme,
             "-o", "site", "--today", today], cwd=self.dir, env=self.env,
            capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        line = [ln for ln in r.stderr.splitlines()
                if ln.startswith("congkhai open data: ")][-1]
        words = line.split()
        return int(words[3]), int(words[5])

    def test_open_data_records_reused(self):
        """The open data's records are copied from the last build's
        files when made from the same inputs (views_data.c): all of them
        after no change, all but the changed question's after one, none
        when the memo or the files are not the ones written; the files
        always byte-identical to a build into an empty folder. Without
        CONGKHAI_CHECK_KEEP, which makes them anyway."""
        self.env.pop("CONGKHAI_CHECK_KEEP")
        # Into an empty folder: nothing to reuse, yet the memo is kept,
        # so the first rebuild reuses them all.
        reused, n = self.reused()
        self.assertEqual(reused, 0)
        self.assertGreater(n, 10)
        self.assertEqual(self.reused(), (n, n))
        self.edit(Q, "ba lần mỗi tuần (thứ Hai", "bốn lần mỗi tuần (thứ Hai")
        self.assertEqual(self.reused(), (n - 1, n))
        self.assertIn("bốn lần mỗi tuần".encode(),
                      self.read(os.path.join("data", "questions.json")))
        self.assertIn("bốn lần mỗi tuần".encode(),
                      self.read(os.path.join("data", "doi-thoai",
                                             "doi-thoai-2025.json")))
        self.assert_as_fresh()
        # A label the records show (status labels): none is reused.
        labels = os.path.join(self.theme, "labels.yaml")
        with open(labels, encoding="utf-8") as f:
            text = f.read()
        write(labels, text.replace("  resolved: Đã giải quyết\n",
                                   "  resolved: Đã giải quyết xong\n", 1))
        self.assertEqual(self.reused(), (0, n))
        self.assert_as_fresh()
        # The day counted to moves what the records count.
        self.assertEqual(self.reused(today="2027-09-01"), (0, n))
        self.assert_as_fresh(today="2027-09-01")
        self.assertEqual(self.reused(today="2027-09-01"), (n, n))
        # A damaged memo, or a file of the open data edited by hand: none
        # is reused, and the file is made right again.
        memos = os.path.join(self.dir, "cache", "congkhai", "manifests")
        for memo in [f for f in os.listdir(memos)
                     if f.endswith(".records")]:  # site's, and fresh's
            with open(os.path.join(memos, memo), "r+b") as f:
                f.seek(40)
                b = f.read(1)
                f.seek(40)
                f.write(bytes([b[0] ^ 1]))
        self.assertEqual(self.reused(today="2027-09-01"), (0, n))
        data = self.path("site", "data", "questions.csv")
        with open(data, "ab") as f:
            f.write(b"x")
        self.assertEqual(self.reused(today="2027-09-01"), (0, n))
        self.assert_as_fresh(today="2027-09-01")

    def test_hand_edited_list_page_is_made_again(self):
        self.build()
        page = self.path("site", TOPIC_PAGE)
        with open(page, "r+b") as f:  # same size, other bytes
            b = f.read()
            f.seek(0)
            f.write(b"X" + b[1:])
        s = self.build()
        self.assertEqual(s["written"], 1)
        self.assertEqual(s["kept"], len(list_pages(self.path("site"))) - 1)
        self.assert_as_fresh()


class KeepSearch(GeneratedCorpus):
    """The search index's document chunks (tim-kiem/d/<n>.js, 200
    documents each) are kept when made from the same documents, as the
    memo of the last build ("search") and the output say: all of them
    after no change, all but the changed question's after one, none after
    a damaged memo, and not one edited by hand; the index always
    byte-identical to a build into an empty folder. Without
    CONGKHAI_CHECK_KEEP, which makes them anyway."""

    QUESTIONS = 700
    PREFIX = "ck-keep-search-"

    def setUp(self):
        self.env = dict(os.environ, CONGKHAI_BUILD_STATS="1",
                        XDG_CACHE_HOME=os.path.join(self.dir, "cache"))
        self.env.pop("CONGKHAI_CHECK_KEEP", None)
        self.env.pop("CONGKHAI_NO_KEEP", None)

    def build(self, out="site"):
        """(chunks kept, chunks) of a build into out."""
        r = subprocess.run(
            [CONGKHAI, "build", "-C", self.content, "--theme", THEME, "-o",
             os.path.join(self.dir, out), "--today", TODAY], env=self.env,
            capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"congkhai search: (\d+) of (\d+) document chunks "
                      r"kept", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        return int(m.group(1)), int(m.group(2))

    def assert_as_fresh(self):
        fresh = os.path.join(self.dir, "fresh")
        shutil.rmtree(fresh, ignore_errors=True)
        self.build("fresh")
        self.assertEqual(tree_snapshot(os.path.join(self.dir, "site")),
                         tree_snapshot(fresh))

    def test_chunks_kept_unless_their_documents_changed(self):
        kept, n = self.build()
        self.assertEqual(kept, 0)
        self.assertGreaterEqual(n, 3)
        self.assertEqual(self.build(), (n, n))
        # One question of the last dialogue: its chunk (the last) only.
        top = os.path.join(self.content, "dialogues")
        qdir = os.path.join(top, sorted(os.listdir(top))[-1], "questions")
        q = os.path.join(qdir, sorted(os.listdir(qdir))[0])
        with open(q, encoding="utf-8") as f:
            text = f.read()
        try:
            with open(q, "a", encoding="utf-8") as f:
                f.write("\nNgười dân hỏi thêm về đường liên thôn.\n")
            self.assertEqual(self.build(), (n - 1, n))
            # Its words are found ("lien" is a new word of the corpus).
            index = os.path.join(self.dir, "site", "tim-kiem")
            words = ""
            for name in os.listdir(os.path.join(index, "w")):
                with open(os.path.join(index, "w", name),
                          encoding="utf-8") as f:
                    words += f.read()
            self.assertTrue('"lien":' in words)
            self.assert_as_fresh()
            # A damaged memo: nothing kept, the same bytes made.
            memos = os.path.join(self.dir, "cache", "congkhai",
                                 "manifests")
            for memo in [f for f in os.listdir(memos)
                         if f.endswith(".search")]:
                with open(os.path.join(memos, memo), "r+b") as f:
                    f.seek(30)
                    b = f.read(1)
                    f.seek(30)
                    f.write(bytes([b[0] ^ 1]))
            self.assertEqual(self.build(), (0, n))
            self.assertEqual(self.build(), (n, n))
            # A chunk edited by hand (same size) is made again.
            first = os.path.join(index, "d", "0.js")
            with open(first, "r+b") as f:
                b = f.read()
                f.seek(len(b) // 2)
                f.write(b"X" if b[len(b) // 2:len(b) // 2 + 1] != b"X"
                        else b"Y")
            self.assertEqual(self.build(), (n - 1, n))
            self.assert_as_fresh()
        finally:
            with open(q, "w", encoding="utf-8") as f:
                f.write(text)


class KeepPublish(Base):
    """Publishing keeps list pages by its blob cache: the tree is always
    the plain build's."""

    def stats(self, r):
        line = [ln for ln in r.stderr.splitlines() if "stats:" in ln][-1]
        return int(line.rsplit("kept ", 1)[1])

    def test_publish_keeps_and_stays_exact(self):
        env = dict(self.env, CONGKHAI_PUBLISH_STATS="1",
                   CONGKHAI_CHECK_KEEP="1")
        site = self.path("site")
        r = self.publish(env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.stats(r), 0)
        r = self.publish(env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        built = self.build("built")
        self.assertEqual(self.stats(r), len(list_pages(self.path("built"))))
        self.assert_tree_is(site, "main", built)

        q = self.path("content", Q)
        with open(q, encoding="utf-8") as f:
            text = f.read()
        with open(q, "w", encoding="utf-8") as f:
            f.write(text.replace("Từ khi đổi đơn vị thu gom",
                                 "Từ khi thay đơn vị thu gom", 1))
        r = self.publish(env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        shutil.rmtree(self.path("built"))
        built = self.build("built")
        kept = self.stats(r)
        self.assertGreater(kept, 0)
        self.assertLess(kept, len(list_pages(self.path("built"))))
        self.assert_tree_is(site, "main", built)
        self.fsck(site)

        # Without the check, the questions' pages are kept too; the one
        # whose question changed is made again.
        env["CONGKHAI_CHECK_KEEP"] = ""  # unset, the suite's too (run.py)
        every = (len(list_pages(self.path("built"))) +
                 len(question_pages(self.path("built"))) +
                 len(dialogue_pages(self.path("built"))) +
                 len(dialogue_data_files(self.path("built"))) +
                 len(search_doc_chunks(self.path("built"))))
        r = self.publish(env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.stats(r), every)
        with open(q, "w", encoding="utf-8") as f:
            f.write(text.replace("ba lần mỗi tuần (thứ Hai",
                                 "bốn lần mỗi tuần (thứ Hai", 1))
        r = self.publish(env=dict(env, CONGKHAI_BUILD_STATS="1"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLess(self.stats(r), every)
        # The open data's records too, from the checkout (publish.c
        # pub_earlier): all but the changed question's.
        line = [ln for ln in r.stderr.splitlines()
                if ln.startswith("congkhai open data: ")][-1].split()
        self.assertEqual(int(line[3]), int(line[5]) - 1)
        shutil.rmtree(self.path("built"))
        built = self.build("built")
        self.assert_tree_is(site, "main", built)
        self.fsck(site)
        # A checkout file edited by hand is not read: none is reused, and
        # the published files stay the build's.
        with open(self.path("site", "data", "questions.csv"), "ab") as f:
            f.write(b"x")
        with open(q, "w", encoding="utf-8") as f:
            f.write(text)
        r = self.publish(env=dict(env, CONGKHAI_BUILD_STATS="1"))
        self.assertEqual(r.returncode, 0, r.stderr)
        line = [ln for ln in r.stderr.splitlines()
                if ln.startswith("congkhai open data: ")][-1].split()
        self.assertEqual(int(line[3]), 0)
        shutil.rmtree(self.path("built"))
        built = self.build("built")
        self.assert_tree_is(site, "main", built)


if __name__ == "__main__":
    unittest.main()
