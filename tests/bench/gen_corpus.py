#!/usr/bin/env python3
"""Generates a province-sized corpus of records for the benchmarks:
gen_corpus.py OUT_DIR QUESTIONS [DIALOGUES]."""
import os
import random
import sys


def main():
    out = sys.argv[1]
    nq = int(sys.argv[2])
    nd = int(sys.argv[3]) if len(sys.argv) > 3 else max(1, nq // 50)
    rnd = random.Random(42)
    hamlets = ["thon-%d" % i for i in range(1, 41)]
    topics = ["linh-vuc-%d" % i for i in range(1, 11)]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("name: Tỉnh Thử Nghiệm\nbase_url: https://bench.example.invalid/\n")
        f.write("hamlets:\n")
        for h in hamlets:
            f.write("  - id: %s\n    name: Thôn %s\n" % (h, h[5:]))
        f.write("topics:\n")
        for t in topics:
            f.write("  - id: %s\n    name: Lĩnh vực %s\n" % (t, t[9:]))
        f.write("departments:\n  - id: dia-chinh\n    name: Địa chính\n")
    statuses = ["received", "in_progress", "escalated", "answered",
                "resolved", "declined"]
    q = 0
    for d in range(nd):
        slug = "doi-thoai-%05d" % d
        ddir = os.path.join(out, "dialogues", slug, "questions")
        os.makedirs(ddir, exist_ok=True)
        day = 1 + d % 28
        month = 1 + (d // 28) % 12
        with open(os.path.join(out, "dialogues", slug, "index.md"), "w",
                  encoding="utf-8") as f:
            f.write("---\ntitle: Hội nghị đối thoại số %d\ndate: 2025-%02d-%02d\n"
                    "location: Hội trường\nchairs:\n  - Chủ tịch UBND\n---\n"
                    "Kế hoạch tổ chức **hội nghị** đối thoại.\n" % (d, month, day))
        per = nq // nd + (1 if d < nq % nd else 0)
        for i in range(per):
            st = rnd.choice(statuses)
            with open(os.path.join(ddir, "%04d.md" % i), "w", encoding="utf-8") as f:
                f.write("---\nhamlet: %s\ntopic: %s\nchannel: registered\n"
                        "received: 2025-%02d-%02d\n" % (rnd.choice(hamlets),
                                                        rnd.choice(topics), month, day))
                if st != "received":
                    f.write("answer:\n  by: Chủ tịch UBND\n  date: 2025-%02d-%02d\n"
                            "progress:\n  - date: 2025-%02d-%02d\n    status: %s\n"
                            "    note: Đang xử lý theo quy định.\n"
                            % (month, day, month, day, st))
                f.write("---\nĐề nghị xem xét việc sửa chữa đường giao thông nông thôn "
                        "và hệ thống thoát nước của thôn, câu hỏi số %d.\n" % q)
                if st != "received":
                    f.write("\n## Trả lời\n\nUBND đã tiếp thu và sẽ bố trí kinh phí "
                            "trong năm; | a | b |\n")
            q += 1
    print("%d questions in %d dialogues under %s" % (q, nd, out))


if __name__ == "__main__":
    main()
