"""The static search (issue #9 item 1) and question references (item 4),
checked on real builds: the index files are scripts calling
ckSearchLoaded(name, JSON), parsed here with a real JSON parser; they are
deterministic, name only files that exist, fold words as the browser does
("đất đai" is under "dat" and "dai"), and hold nothing private. References
("DT2025-001") are unique, in questions.json/CSV and on the pages.
(The browser side: test_search_browser.py.)"""
import csv
import glob
import io
import json
import os
import re
import shutil
import unicodedata
import unittest

from helpers import (EXAMPLE, THEME, FixtureCase, read_json, run, tmpdir,
                     tree_snapshot, write)

CALL = re.compile(r'\AckSearchLoaded\("([a-z]+(?:/[a-z0-9_-]+)?)",(.*)\);\n\Z',
                  re.S)


def fold(s):
    """What search.js does to what is typed."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.category(c).startswith("M"))
    return s.lower().replace("đ", "d")


def fnv1a(data):
    h = 2166136261
    for c in data:
        h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    return h


def load_index(site):
    """{name: data} of every tim-kiem/*.js file, checking its shape."""
    files = {}
    for p in glob.glob(os.path.join(site, "tim-kiem", "**", "*.js"),
                       recursive=True):
        with open(p, encoding="utf-8") as f:
            text = f.read()
        m = CALL.match(text)
        assert m, "%s is not one ckSearchLoaded call" % p
        rel = os.path.relpath(p, os.path.join(site, "tim-kiem"))
        assert rel == m.group(1) + ".js", (rel, m.group(1))
        files[m.group(1)] = json.loads(m.group(2))
    return files


def words_of(index):
    """{folded word: [doc ids]} across the word chunks."""
    out = {}
    for first, name, _ in index["meta"]["words"]:
        chunk = index[name]
        assert min(chunk) == first, name
        for w, deltas in chunk.items():
            ids, cur = [], 0
            for i, d in enumerate(deltas):
                cur = cur + d if i else d
                ids.append(cur)
            out[w] = ids
    return out


def docs_of(index):
    meta = index["meta"]
    docs = []
    for name, _ in meta["docs"]:
        docs.extend(index[name])
    assert len(docs) == meta["count"]
    return docs


class ExampleIndex(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="congkhai-search-")
        cls.site = os.path.join(cls.dir, "site")
        r = run(["build", "-C", EXAMPLE, "--theme", THEME, "-o", cls.site,
                 "--today", "2026-11-20"])
        assert r.returncode == 0, r.stderr
        cls.index = load_index(cls.site)
        cls.words = words_of(cls.index)
        cls.docs = docs_of(cls.index)
        cls.questions = read_json(os.path.join(cls.site, "data",
                                               "questions.json"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def doc_paths(self, word):
        return {self.docs[i][3] for i in self.words.get(word, [])}

    def test_every_file_is_named_by_meta(self):
        meta = self.index["meta"]
        named = {"meta", meta["filters"][0]} | {n for n, _ in meta["docs"]} | {
            n for _, n, _ in meta["words"]}
        self.assertEqual(named, set(self.index))
        firsts = [f for f, _, _ in meta["words"]]
        self.assertEqual(firsts, sorted(firsts))
        # Each file's version is the FNV-1a hash of its data.
        for name, v in [w[1:] for w in meta["words"]] + meta["docs"] + [
                meta["filters"]]:
            with open(os.path.join(self.site, "tim-kiem", name + ".js"),
                      "rb") as f:
                data = f.read()
            data = data[len('ckSearchLoaded("%s",' % name):-len(");\n")]
            self.assertEqual(v, "%08x" % fnv1a(data), name)

    def test_words_are_folded(self):
        q = next(q for q in self.questions["questions"]
                 if "đất đai" in q["question_html"])
        for w in ("dat", "dai"):
            self.assertIn(q["path"], self.doc_paths(w))
        for w in self.words:
            self.assertEqual(w, fold(w), w)
            self.assertNotIn("đ", w)

    def test_every_question_is_a_document_with_its_reference(self):
        by_path = {d[3]: d for d in self.docs}
        for q in self.questions["questions"]:
            d = by_path[q["path"]]
            self.assertEqual(d[0], "q")
            self.assertEqual(d[1], q["ref"])
            # The reference is one word too: typed whole, it finds one.
            self.assertEqual(self.doc_paths(fold(q["ref"])), {q["path"]})

    def test_filters_match_the_open_data(self):
        meta = self.index["meta"]
        filt = self.index[meta["filters"][0]]
        hamlets = [h[0] for h in meta["hamlets"]]
        statuses = [s[0] for s in meta["statuses"]]
        by_path = {q["path"]: q for q in self.questions["questions"]}
        for i, d in enumerate(self.docs):
            if d[0] != "q":
                self.assertEqual(filt["h"][i], -1)
                continue
            q = by_path[d[3]]
            self.assertEqual(hamlets[filt["h"][i]], q["hamlet"]["id"])
            self.assertEqual(statuses[filt["s"][i]], q["status"])

    def test_pages_and_dialogues_are_found(self):
        kinds = {d[0] for d in self.docs}
        self.assertEqual(kinds, {"p", "d", "q"})
        dl = read_json(os.path.join(self.site, "data", "dialogues.json"))
        for d in dl["dialogues"]:
            self.assertIn(d["path"], self.doc_paths(fold(d["code"])))

    def test_every_page_has_the_search_box(self):
        for p in glob.glob(os.path.join(self.site, "**", "index.html"),
                           recursive=True):
            rel = os.path.relpath(p, self.site)
            with open(p, encoding="utf-8") as f:
                html = f.read()
            if rel == "tim-kiem/index.html":
                continue
            root = "../" * rel.count("/")
            self.assertIn('<form class="search-box" action="%stim-kiem/'
                          'index.html" method="get"' % root, html, rel)

    def test_without_javascript_the_search_page_links_to_the_lists(self):
        with open(os.path.join(self.site, "tim-kiem", "index.html"),
                  encoding="utf-8") as f:
            html = f.read()
        for h in self.questions["site"]["hamlets"]:
            self.assertIn('href="../thon/%s/index.html"' % h["id"], html)
        for t in self.questions["site"]["topics"]:
            self.assertIn('href="../linh-vuc/%s/index.html"' % t["id"], html)
        self.assertIn('href="../doi-thoai/index.html"', html)
        # The search form needs the script: hidden until it runs.
        self.assertRegex(html, r'<form id="tim"[^>]* hidden>')

    def test_references_on_pages_and_in_the_csv(self):
        with open(os.path.join(self.site, "data", "questions.csv"),
                  encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        refs = [q["ref"] for q in self.questions["questions"]]
        self.assertEqual([r["ref"] for r in rows], refs)
        self.assertEqual(len(set(refs)), len(refs))
        for q in self.questions["questions"]:
            self.assertEqual(q["ref"], "%s-%s" % (
                {"doi-thoai-2025": "DT2025",
                 "tiep-xuc-dong-cham-go-mit-2026": "GM2026",
                 "tiep-cong-dan-thang-10-2026": "TCDT10.2026",
                 "doi-thoai-quy-1-2027": "DTQ1.2027"}[q["dialogue"]],
                q["id"].split("/")[1]))
            with open(os.path.join(self.site, q["path"]),
                      encoding="utf-8") as f:
                self.assertIn("<strong>%s</strong>" % q["ref"], f.read())
        dlg = "doi-thoai/doi-thoai-2025/index.html"
        with open(os.path.join(self.site, dlg), encoding="utf-8") as f:
            self.assertIn('<span class="q-ref">DT2025-001</span>', f.read())


class IndexBuilds(FixtureCase):
    def index_files(self):
        return {k: v for k, v in tree_snapshot(self.out).items()
                if k.startswith("tim-kiem/")}

    def test_deterministic(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        first = self.index_files()
        self.assertGreater(len(first), 4)
        r = run(["build", "-C", "content", "--theme", THEME, "-o", "site",
                 "--today", self.TODAY, "--jobs", "3"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.index_files(), first)

    def test_nothing_private_in_the_index(self):
        # Words found nowhere but in the private block: folded, they must
        # not be index words either.
        q1 = "content/dialogues/hoi-nghi-2025/questions/001.md"
        self.edit(q1, "  name: Nguyễn Văn Bí Mật",
                  "  name: Nguyễn Văn Bí Mật\n  note: Xyzquắt Đờmbiệt")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        index = load_index(self.out)
        words = words_of(index)
        self.assertIn("giay", words)  # the question's text is there
        for w in ("xyzquat", "dombiet", "0912", "345", "678"):
            self.assertNotIn(w, words)
        for data in self.index_files().values():
            text = data.decode()
            for raw in ("Bí Mật", "0912", "Xyzqu", "private"):
                self.assertNotIn(raw, text)

    def test_a_page_may_not_be_named_tim_kiem(self):
        write(self.path("content/pages/tim-kiem.md"),
              "---\ntitle: Tìm\n---\nx\n")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("tim-kiem", r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before)


class FewFilesChange(unittest.TestCase):
    """A new question in the latest dialogue changes few index files, so a
    publish commits (and its message lists) little besides its pages."""

    def commune(self, root, n):
        write(os.path.join(root, "site.yaml"),
              "name: Xã Nhiều Câu\nbase_url: https://many.example/\n"
              "hamlets: [{id: h1, name: Thôn Một}]\n"
              "topics: [{id: t1, name: Đất đai}]\n")
        for d, day in (("hn-2024", "2024-11-14"), ("hn-2025", "2025-11-14")):
            write(os.path.join(root, "dialogues", d, "index.md"),
                  "---\ntitle: Hội nghị\ndate: %s\nlocation: Hội trường\n"
                  "chairs: [Chủ tịch]\n---\n\nKế hoạch.\n" % day)
        for i in range(n):
            d = "hn-2024" if i < n // 2 else "hn-2025"
            # Words of its own, so the index has many word chunks.
            text = " ".join("tu%dx%d" % (i, k) for k in range(40))
            write(os.path.join(root, "dialogues", d, "questions",
                               "%03d.md" % i),
                  "---\nhamlet: h1\ntopic: t1\nchannel: written\n"
                  "received: 2025-11-10\n---\n\nCâu hỏi %s.\n" % text)

    def test_a_new_question(self):
        d = tmpdir(self)
        content = os.path.join(d, "content")
        self.commune(content, 500)
        site = os.path.join(d, "site")

        def build():
            r = run(["build", "-C", content, "--theme", THEME, "-o", site,
                     "--today", "2025-12-01"])
            self.assertEqual(r.returncode, 0, r.stderr)
            return {k: v for k, v in tree_snapshot(site).items()
                    if k.startswith("tim-kiem/")}

        before = build()
        words = [k for k in before if k.startswith("tim-kiem/w/")]
        self.assertGreater(len(words), 5)
        self.assertEqual(len([k for k in before
                              if k.startswith("tim-kiem/d/")]), 3)
        write(os.path.join(content, "dialogues", "hn-2025", "questions",
                           "999.md"),
              "---\nhamlet: h1\ntopic: t1\nchannel: written\n"
              "received: 2025-11-20\n---\n\nCâu hỏi tu7x3 tu400x9 mới "
              "zzmoi.\n")
        after = build()
        self.assertEqual(set(before) - set(after), set())
        changed = {k for k in after if before.get(k) != after[k]}
        self.assertIn("tim-kiem/d/2.js", changed)  # the last document chunk
        self.assertNotIn("tim-kiem/d/0.js", changed)
        self.assertNotIn("tim-kiem/d/1.js", changed)
        # Only the chunks of its words change: each changed one holds a
        # word of the new question (the last document).
        index = load_index(site)
        new_doc = index["meta"]["count"] - 1
        changed_words = {k for k in changed if k.startswith("tim-kiem/w/")}
        for k in changed_words:
            chunk = index[k[len("tim-kiem/"):-len(".js")]]
            self.assertTrue(any(sum(deltas) == new_doc
                                for deltas in chunk.values()), k)
        self.assertLess(len(changed_words), len(words) // 2)


class References(FixtureCase):
    def add_dialogue(self, slug, extra=""):
        base = "content/dialogues/%s" % slug
        write(self.path(base + "/index.md"),
              "---\ntitle: Thêm\n%sdate: 2025-06-12\nlocation: Xã\n"
              "chairs:\n  - Chủ tịch UBND xã\n---\nx\n" % extra)
        write(self.path(base + "/questions/001.md"),
              "---\nhamlet: thon-1\ntopic: dat-dai\nchannel: written\n"
              "received: 2025-06-12\n---\nCâu hỏi thêm.\n")

    def refs(self):
        return {q["id"]: q["ref"] for q in read_json(
            os.path.join(self.out, "data", "questions.json"))["questions"]}

    def test_made_from_the_slug(self):
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.refs()["hoi-nghi-2025/001"], "HN2025-001")

    def test_a_code_collision_is_an_error_at_its_place(self):
        # hoi-nghi-2025 and hop-nhan-2025 both make HN2025.
        self.add_dialogue("hop-nhan-2025")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(
            r.stderr, r"content/dialogues/hop-nhan-2025/index\.md:2:1: "
            r"error: dialogue code 'HN2025' is already used by "
            r"content/dialogues/hoi-nghi-2025/index\.md")
        self.assertEqual(tree_snapshot(self.out), self.before)

    def test_a_given_code_settles_it(self):
        self.add_dialogue("hop-nhan-2025", "code: hn2025b\n")
        r = self.build()
        self.assertEqual(r.returncode, 0, r.stderr)
        refs = self.refs()
        self.assertEqual(refs["hop-nhan-2025/001"], "HN2025B-001")
        self.assertEqual(refs["hoi-nghi-2025/001"], "HN2025-001")

    def test_a_given_code_that_collides_points_at_it(self):
        self.add_dialogue("hop-nhan-2025", "code: HN2025\n")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("content/dialogues/hop-nhan-2025/index.md:3:7: error: "
                      "dialogue code 'HN2025'", r.stderr)

    def test_a_bad_code(self):
        self.add_dialogue("hop-nhan-2025", "code: \"HN 2025/1\"\n")
        r = self.build()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("content/dialogues/hop-nhan-2025/index.md:3:7: error: "
                      "code 'HN 2025/1' must be", r.stderr)
        self.assertEqual(tree_snapshot(self.out), self.before)


if __name__ == "__main__":
    unittest.main()
