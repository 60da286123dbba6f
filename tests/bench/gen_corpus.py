#!/usr/bin/env python3
"""Generates a province-sized corpus of records for the benchmarks:

    gen_corpus.py [--hugo HUGO_DIR] OUT_DIR QUESTIONS [DIALOGUES]

With --hugo, also writes the equivalent Hugo site (same questions, same
Markdown, same lists) into HUGO_DIR, so `make bench` can time Hugo side by
side. The Hugo site mirrors congkhai's default theme: a page per question,
taxonomies topic (linh-vuc), hamlet (thon), status (trang-thai) and dialogue
(doi-thoai) whose term pages list their questions 100 a page like congkhai's
lists, the dialogue list, a home page with counts and the latest answers,
and the same style sheet. What differs is listed in README.md (Benchmarks).
The output is deterministic (seeded), so runs compare like with like."""
import argparse
import os
import random

STATUSES = ["received", "in_progress", "escalated", "answered", "resolved",
            "declined"]
STATUS_TEXT = {"received": "Đã tiếp nhận", "in_progress": "Đang giải quyết",
               "escalated": "Chuyển cấp trên", "answered": "Đã trả lời",
               "resolved": "Đã giải quyết xong", "declined": "Không thuộc thẩm quyền"}
HERE = os.path.dirname(os.path.abspath(__file__))
THEME_CSS = os.path.join(HERE, "..", "..", "themes", "default", "assets",
                         "style.css")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def corpus(nq, nd):
    """The questions, as dicts, in the order both generators write them."""
    rnd = random.Random(42)
    hamlets = ["thon-%d" % i for i in range(1, 41)]
    topics = ["linh-vuc-%d" % i for i in range(1, 11)]
    dialogues, q = [], 0
    for d in range(nd):
        day, month = 1 + d % 28, 1 + (d // 28) % 12
        dlg = {"slug": "doi-thoai-%05d" % d, "n": d,
               "date": "2025-%02d-%02d" % (month, day), "questions": []}
        per = nq // nd + (1 if d < nq % nd else 0)
        for i in range(per):
            st = rnd.choice(STATUSES)
            dlg["questions"].append({
                "file": "%04d" % i, "q": q, "status": st,
                "hamlet": rnd.choice(hamlets), "topic": rnd.choice(topics)})
            q += 1
        dialogues.append(dlg)
    return hamlets, topics, dialogues, q


def question_body(dlg, qn):
    body = ("Đề nghị xem xét việc sửa chữa đường giao thông nông thôn "
            "và hệ thống thoát nước của thôn, câu hỏi số %d.\n" % qn["q"])
    if qn["status"] != "received":
        body += ("\n## Trả lời\n\nUBND đã tiếp thu và sẽ bố trí kinh phí "
                 "trong năm; | a | b |\n")
    return body


def write_congkhai(out, hamlets, topics, dialogues):
    site = ["name: Tỉnh Thử Nghiệm\nbase_url: https://bench.example.invalid/\n",
            "hamlets:\n"]
    site += ["  - id: %s\n    name: Thôn %s\n" % (h, h[5:]) for h in hamlets]
    site.append("topics:\n")
    site += ["  - id: %s\n    name: Lĩnh vực %s\n" % (t, t[9:]) for t in topics]
    site.append("departments:\n  - id: dia-chinh\n    name: Địa chính\n")
    write(os.path.join(out, "site.yaml"), "".join(site))
    for dlg in dialogues:
        ddir = os.path.join(out, "dialogues", dlg["slug"])
        write(os.path.join(ddir, "index.md"),
              "---\ntitle: Hội nghị đối thoại số %d\ndate: %s\n"
              "location: Hội trường\nchairs:\n  - Chủ tịch UBND\n---\n"
              "Kế hoạch tổ chức **hội nghị** đối thoại.\n"
              % (dlg["n"], dlg["date"]))
        for qn in dlg["questions"]:
            fm = ("---\nhamlet: %s\ntopic: %s\nchannel: registered\n"
                  "received: %s\n" % (qn["hamlet"], qn["topic"], dlg["date"]))
            if qn["status"] != "received":
                fm += ("answer:\n  by: Chủ tịch UBND\n  date: %s\n"
                       "progress:\n  - date: %s\n    status: %s\n"
                       "    note: Đang xử lý theo quy định.\n"
                       % (dlg["date"], dlg["date"], qn["status"]))
            write(os.path.join(ddir, "questions", qn["file"] + ".md"),
                  fm + "---\n" + question_body(dlg, qn))


# The Hugo layouts: the same page structure as themes/default (header, menu,
# footer with the open-data links, facts list, rows with status badge,
# hamlet, topic, date and dialogue), in Go templates.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }}{{ end }} – {{ site.Title }}</title>
<meta name="description" content="{{ block "description" . }}Công khai kết quả tiếp xúc, đối thoại giữa chính quyền {{ site.Title }} với Nhân dân: câu hỏi, kiến nghị và việc trả lời, giải quyết.{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<a class="skip" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
<header class="top"><div class="wrap">
<a class="brand" href="/"><strong>{{ site.Title }}</strong><small>Đối thoại với Nhân dân</small></a>
<nav class="menu" aria-label="Trang chính"><ul>
<li><a href="/">Trang chủ</a></li>
<li><a href="/doi-thoai/">Các cuộc đối thoại</a></li>
</ul></nav>
</div></header>
<main id="noi-dung" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="foot"><div class="wrap">
<p class="foot-name"><strong>{{ site.Title }}</strong></p>
<p>Dữ liệu mở, dùng lại tự do: <a href="/data/questions.csv">câu hỏi (CSV, mở bằng Excel)</a> · <a href="/data/questions.json">câu hỏi (JSON)</a></p>
</div></footer>
</body>
</html>
""",
    "partials/row.html": """<li class="q">
<a class="q-title" href="{{ .RelPermalink }}"><span class="q-no">Số {{ .Params.number }}</span> {{ .Summary | plainify }}</a>
{{ $st := index (index .Params "trang-thai") 0 }}{{ $h := index (index .Params "thon") 0 }}{{ $t := index (index .Params "linh-vuc") 0 }}{{ $d := index (index .Params "doi-thoai") 0 }}
<p class="q-meta"><span class="badge st-{{ $st }}">{{ index site.Data.names.status $st }}</span> <span>{{ index site.Data.names.hamlet $h }}</span> · <span>{{ index site.Data.names.topic $t }}</span> · <span>nhận {{ .Date.Format "02/01/2006" }}</span></p>
<p class="q-from"><a href="/doi-thoai/{{ $d }}/">{{ index site.Data.names.dialogue $d }}</a></p>
</li>
""",
    "partials/pager.html": """{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}
<nav class="pager" aria-label="Các trang của danh sách">
<p>Trang {{ $p.PageNumber }}/{{ $p.TotalPages }}, {{ $p.TotalNumberOfElements }} câu</p>
<ul>
{{ if $p.HasPrev }}<li><a rel="prev" href="{{ $p.Prev.URL }}">← Trang trước</a></li>{{ end }}
{{ range $p.Pagers }}{{ if or (eq .PageNumber 1) (eq .PageNumber $p.TotalPages) (and (ge .PageNumber (sub $p.PageNumber 2)) (le .PageNumber (add $p.PageNumber 2))) }}{{ if eq .PageNumber $p.PageNumber }}<li><span aria-current="page">{{ .PageNumber }}</span></li>{{ else }}<li><a href="{{ .URL }}">{{ .PageNumber }}</a></li>{{ end }}{{ end }}{{ end }}
{{ if $p.HasNext }}<li><a rel="next" href="{{ $p.Next.URL }}">Trang sau →</a></li>{{ end }}
</ul>
</nav>
{{ end }}""",
    "_default/single.html": """{{ define "title" }}Câu hỏi số {{ .Params.number }}{{ end }}
{{ define "description" }}{{ .Summary | plainify }}{{ end }}
{{ define "main" }}
{{ $st := index (index .Params "trang-thai") 0 }}{{ $h := index (index .Params "thon") 0 }}{{ $t := index (index .Params "linh-vuc") 0 }}{{ $d := index (index .Params "doi-thoai") 0 }}
<nav class="crumbs" aria-label="Đường dẫn"><a href="/">Trang chủ</a> › <a href="/doi-thoai/">Các cuộc đối thoại</a> › <a href="/doi-thoai/{{ $d }}/">{{ index site.Data.names.dialogue $d }}</a></nav>
<h1>Câu hỏi số {{ .Params.number }}</h1>
<p class="sub"><span class="badge st-{{ $st }}">{{ index site.Data.names.status $st }}</span></p>
<dl class="facts">
<dt>Thôn, tổ dân phố</dt><dd><a href="/thon/{{ $h }}/">{{ index site.Data.names.hamlet $h }}</a></dd>
<dt>Lĩnh vực</dt><dd><a href="/linh-vuc/{{ $t }}/">{{ index site.Data.names.topic $t }}</a></dd>
<dt>Hình thức</dt><dd>Đăng ký trước</dd>
<dt>Ngày tiếp nhận</dt><dd>{{ .Date.Format "02/01/2006" }}</dd>
<dt>Tại</dt><dd><a href="/doi-thoai/{{ $d }}/">{{ index site.Data.names.dialogue $d }}</a></dd>
<dt>Tình trạng</dt><dd><a href="/trang-thai/{{ $st }}/">{{ index site.Data.names.status $st }}</a></dd>
</dl>
<section><h2>Nội dung câu hỏi</h2><div class="prose">{{ .Content }}</div></section>
<nav class="more" aria-label="Xem thêm"><ul>
<li><a href="/doi-thoai/{{ $d }}/">← Các câu hỏi khác của cuộc đối thoại</a></li>
<li><a href="/linh-vuc/{{ $t }}/">Câu hỏi về {{ index site.Data.names.topic $t }}</a></li>
<li><a href="/thon/{{ $h }}/">Câu hỏi của {{ index site.Data.names.hamlet $h }}</a></li>
</ul></nav>
{{ end }}
""",
    # Term pages: one topic, hamlet, status or dialogue, 100 questions a page.
    "_default/taxonomy.html": """{{ define "title" }}{{ .Title }}{{ end }}
{{ define "main" }}
<nav class="crumbs" aria-label="Đường dẫn"><a href="/">Trang chủ</a> › {{ .Data.Plural }}</nav>
<h1>{{ .Title }}</h1>
{{ .Content }}
<p class="summary">{{ len .Pages }} câu hỏi, kiến nghị.</p>
<ol class="qs">
{{ range .Paginator.Pages }}{{ partial "row.html" . }}{{ end }}
</ol>
{{ partial "pager.html" . }}
{{ end }}
""",
    # Taxonomy pages: the dialogues (congkhai's doi-thoai/index.html) and
    # the lists of topics, hamlets and statuses.
    "_default/terms.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="cards">
{{ range .Data.Terms.Alphabetical }}<li class="card"><h3><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></h3><p><span class="k">Câu hỏi, kiến nghị:</span> {{ .Count }}</p></li>
{{ end }}
</ul>
{{ end }}
""",
    # Sections (only cau-hoi/): a short page, no list of 100k questions.
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<p><a href="/doi-thoai/">Các cuộc đối thoại</a></p>
{{ end }}
""",
    "index.html": """{{ define "title" }}Đối thoại với Nhân dân{{ end }}
{{ define "main" }}
<section class="intro">
<h1>{{ site.Title }}: đối thoại với Nhân dân</h1>
<ul class="stats">
<li><a href="/doi-thoai/"><b>{{ len (index site.Taxonomies "doi-thoai") }}</b> cuộc đối thoại</a></li>
<li><b>{{ len (where site.RegularPages "Section" "cau-hoi") }}</b> câu hỏi, kiến nghị</li>
</ul>
</section>
<section><h2>Trả lời mới nhất</h2>
<ol class="qs">
{{ range first 10 (where site.RegularPages.ByDate.Reverse "Params.answered" true) }}{{ partial "row.html" . }}{{ end }}
</ol></section>
<section><h2>Tra cứu câu hỏi</h2>
<h3>Theo tình trạng</h3><ul class="groups">
{{ range $k, $v := index site.Taxonomies "trang-thai" }}<li><a href="/trang-thai/{{ $k }}/"><span class="badge st-{{ $k }}">{{ index site.Data.names.status $k }}</span> <b>{{ $v.Count }}</b></a></li>{{ end }}
</ul>
<h3>Theo lĩnh vực</h3><ul class="groups">
{{ range $k, $v := index site.Taxonomies "linh-vuc" }}<li><a href="/linh-vuc/{{ $k }}/">{{ index site.Data.names.topic $k }} <b>{{ $v.Count }}</b></a></li>{{ end }}
</ul>
<h3>Theo thôn, tổ dân phố</h3><ul class="groups">
{{ range $k, $v := index site.Taxonomies "thon" }}<li><a href="/thon/{{ $k }}/">{{ index site.Data.names.hamlet $k }} <b>{{ $v.Count }}</b></a></li>{{ end }}
</ul>
</section>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Không tìm thấy trang</h1><p><a href="/">Về trang chủ</a></p>{{ end }}
""",
}


def yq(s):
    """A YAML scalar, double-quoted."""
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def write_hugo(out, hamlets, topics, dialogues):
    write(os.path.join(out, "config.toml"),
          'baseURL = "https://bench.example.invalid/"\n'
          'languageCode = "vi"\ntitle = "Tỉnh Thử Nghiệm"\n'
          "paginate = 100\n"
          # congkhai writes no feed, sitemap or robots.txt.
          'disableKinds = ["RSS", "sitemap", "robotsTXT"]\n'
          "[taxonomies]\n"
          '  topic = "linh-vuc"\n  hamlet = "thon"\n'
          '  status = "trang-thai"\n  dialogue = "doi-thoai"\n')
    for path, text in HUGO_LAYOUTS.items():
        write(os.path.join(out, "layouts", path), text)
    with open(THEME_CSS, encoding="utf-8") as f:
        write(os.path.join(out, "static", "assets", "style.css"), f.read())
    # Names by id, as congkhai takes them from site.yaml.
    names = ["hamlet:\n"]
    names += ["  %s: %s\n" % (h, yq("Thôn " + h[5:])) for h in hamlets]
    names.append("topic:\n")
    names += ["  %s: %s\n" % (t, yq("Lĩnh vực " + t[9:])) for t in topics]
    names.append("status:\n")
    names += ["  %s: %s\n" % (s, yq(STATUS_TEXT[s])) for s in STATUSES]
    names.append("dialogue:\n")
    names += ["  %s: %s\n" % (d["slug"], yq("Hội nghị đối thoại số %d" % d["n"]))
              for d in dialogues]
    write(os.path.join(out, "data", "names.yaml"), "".join(names))
    for kind, ids, label in (("thon", hamlets, lambda h: "Thôn " + h[5:]),
                             ("linh-vuc", topics,
                              lambda t: "Lĩnh vực " + t[9:]),
                             ("trang-thai", STATUSES, STATUS_TEXT.get)):
        for i in ids:
            write(os.path.join(out, "content", kind, i, "_index.md"),
                  "---\ntitle: %s\n---\n" % yq(label(i)))
    for kind, title in (("thon", "Thôn, tổ dân phố"), ("linh-vuc", "Lĩnh vực"),
                        ("trang-thai", "Tình trạng"),
                        ("doi-thoai", "Các cuộc đối thoại"),
                        ("cau-hoi", "Câu hỏi")):
        write(os.path.join(out, "content", kind, "_index.md"),
              "---\ntitle: %s\n---\n" % yq(title))
    for dlg in dialogues:
        # The dialogue page is the dialogue's term page, its plan the body.
        write(os.path.join(out, "content", "doi-thoai", dlg["slug"],
                           "_index.md"),
              "---\ntitle: %s\ndate: %s\nlocation: Hội trường\n---\n"
              "Kế hoạch tổ chức **hội nghị** đối thoại.\n"
              % (yq("Hội nghị đối thoại số %d" % dlg["n"]), dlg["date"]))
        for qn in dlg["questions"]:
            write(os.path.join(out, "content", "cau-hoi", dlg["slug"],
                               qn["file"] + ".md"),
                  "---\ntitle: %s\nnumber: %d\ndate: %s\nanswered: %s\n"
                  "linh-vuc: [%s]\nthon: [%s]\ntrang-thai: [%s]\n"
                  "doi-thoai: [%s]\n---\n%s"
                  % (yq("Câu hỏi số %d" % (int(qn["file"]) + 1)),
                     int(qn["file"]) + 1, dlg["date"],
                     "true" if qn["status"] != "received" else "false",
                     qn["topic"], qn["hamlet"], qn["status"], dlg["slug"],
                     question_body(dlg, qn)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hugo", metavar="HUGO_DIR",
                    help="also write the equivalent Hugo site here")
    ap.add_argument("out")
    ap.add_argument("questions", type=int)
    ap.add_argument("dialogues", type=int, nargs="?")
    args = ap.parse_args()
    nd = args.dialogues or max(1, args.questions // 50)
    hamlets, topics, dialogues, nq = corpus(args.questions, nd)
    write_congkhai(args.out, hamlets, topics, dialogues)
    if args.hugo:
        write_hugo(args.hugo, hamlets, topics, dialogues)
    print("%d questions in %d dialogues under %s%s"
          % (nq, nd, args.out, " and " + args.hugo if args.hugo else ""))


if __name__ == "__main__":
    main()
