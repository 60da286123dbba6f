/*
 * Publishing: sites made by hand are committed to real repositories in a
 * temporary folder, and what was written is read back with the git
 * command (fsck, ls-tree, cat-file, log, status).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "shell.h"
#include "publish.h"
#include "publish_int.h"
#include "site.h"

static char *top; /* the temporary folder */

/* Runs ck_publish with stdout and stderr caught; returns its result. */
static int
publish(const ck_site *s, const ck_publish_opts *o, ck_buf *out, ck_buf *errs)
{
	char path_out[4096], path_err[4096];
	int saved_out, saved_err, rc;

	snprintf(path_out, sizeof(path_out), "%s/stdout", top);
	snprintf(path_err, sizeof(path_err), "%s/stderr", top);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	if (freopen(path_out, "w", stdout) == NULL ||
	    freopen(path_err, "w", stderr) == NULL)
		abort();
	rc = ck_publish(s, o);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	capture_buf(out, "cat '%s'", path_out);
	capture_buf(errs, "cat '%s'", path_err);
	return rc;
}

static void
put_file(const char *path, const char *text)
{
	FILE *f;

	if (sh("mkdir -p \"$(dirname '%s')\"", path) != 0)
		abort();
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

/* The open data of a site with the given questions, each "id status
 * answered|- answer". */
static void
add_questions(ck_site *s, const char *const *q, size_t n, int dialogues)
{
	ck_buf j = CK_BUF_INIT;
	char id[64], status[32], answered[32], answer[64];
	size_t i;
	int k;

	ck_buf_puts(&j, "{\"as_of\": \"2026-11-20\", \"questions\": [");
	for (i = 0; i < n; i++) {
		if (sscanf(q[i], "%63s %31s %31s %63s", id, status, answered,
		           answer) != 4)
			abort();
		ck_buf_printf(&j, "%s{\"id\": \"%s\", \"status\": \"%s\", ",
		              i ? ", " : "", id, status);
		if (strcmp(answered, "-") == 0)
			ck_buf_puts(&j, "\"answered\": null, \"answer_html\": "
			                "null}");
		else
			ck_buf_printf(&j,
			              "\"answered\": \"%s\", \"answer_html\": "
			              "\"<p>%s</p>\"}",
			              answered, answer);
	}
	ck_buf_puts(&j, "]}\n");
	ck_site_add(s, "data/questions.json", j.ptr, j.size);
	ck_buf_clear(&j);
	ck_buf_puts(&j, "{\"as_of\": \"2026-11-20\", \"dialogues\": [");
	for (k = 0; k < dialogues; k++)
		ck_buf_printf(&j, "%s{\"slug\": \"d%d\"}", k ? ", " : "", k);
	ck_buf_puts(&j, "]}\n");
	ck_site_add(s, "data/dialogues.json", j.ptr, j.size);
	ck_buf_free(&j);
}

static const char *const q_first[] = {
    "d1/001 received - -",
    "d1/002 in_progress - -",
};

/* A small site: nested folders, binary bytes, a non-ASCII name. */
static ck_site *
site_one(void)
{
	ck_site *s = ck_site_new();
	static const char bin[] = {'\x89', 'P',  'N',  'G',   '\0',
	                           '\r',   '\n', '\0', '\xff'};

	ck_site_add(s, "index.html", "<p>Trang chủ</p>\n", 20);
	ck_site_add(s, "doi-thoai/d1/index.html", "<p>d1</p>\n", 10);
	ck_site_add(s, "doi-thoai/d1/001/index.html", "<p>001</p>\n", 11);
	ck_site_add(s, "doi-thoai/d1/002/index.html", "<p>002</p>\n", 11);
	ck_site_add(s, "doi-thoai/index.html", "<p>all</p>\n", 11);
	ck_site_add(s, "static/logo.png", bin, sizeof(bin));
	ck_site_add(s, "static/ảnh xã.txt", "ảnh\n", 6);
	ck_site_add(s, "a-b.html", "", 0);
	ck_site_add(s, "a/b.html", "ab\n", 3);
	add_questions(s, q_first, 2, 1);
	if (ck_site_sort(s) != 0)
		abort();
	return s;
}

/*
 * The tree of rev in repo is exactly the site plus .nojekyll (and CNAME
 * when cname is set): names, modes and bytes.
 */
static void
check_tree(const char *repo, const char *rev, const ck_site *s,
           const char *cname)
{
	ck_buf want = CK_BUF_INIT, got = CK_BUF_INIT, blob = CK_BUF_INIT;
	const char *data;
	size_t i, n, len;

	n = ck_site_count(s);
	/* ls-tree sorts as git does; the site is sorted bytewise: compare
	 * the sets through sort(1). */
	for (i = 0; i < n; i++)
		ck_buf_printf(&want, "100644 blob %s\n", ck_site_path(s, i));
	ck_buf_puts(&want, "100644 blob .nojekyll\n");
	if (cname)
		ck_buf_puts(&want, "100644 blob CNAME\n");
	{
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/want", top);
		f = fopen(path, "w");
		if (f == NULL)
			abort();
		fwrite(want.ptr, 1, want.size, f);
		fclose(f);
		ck_buf_clear(&want);
		capture_buf(&want, "LC_ALL=C sort '%s'", path);
	}
	capture_buf(&got,
	            "git -c core.quotePath=false -C '%s' ls-tree -r "
	            "--full-tree '%s' | sed -E 's/ [0-9a-f]{40}\t/ /' | "
	            "LC_ALL=C sort",
	            repo, rev);
	CHECK_STR(got.ptr, want.ptr);
	for (i = 0; i < n; i++) {
		data = ck_site_data(s, i, &len);
		capture_buf(&blob, "git -C '%s' cat-file blob '%s:%s'", repo,
		            rev, ck_site_path(s, i));
		CHECK_INT(blob.size, len);
		CHECK(blob.size == len && memcmp(blob.ptr, data, len) == 0);
	}
	capture_buf(&blob, "git -C '%s' cat-file blob '%s:.nojekyll'", repo,
	            rev);
	CHECK_INT(blob.size, 0);
	if (cname) {
		capture_buf(&blob, "git -C '%s' cat-file blob '%s:CNAME'", repo,
		            rev);
		ck_buf_clear(&want);
		ck_buf_printf(&want, "%s\n", cname);
		CHECK_STR(blob.ptr, want.ptr);
	}
	ck_buf_free(&want);
	ck_buf_free(&got);
	ck_buf_free(&blob);
}

/* The working tree of repo holds exactly the site (plus .nojekyll). */
static void
check_worktree(const char *repo, const ck_site *s)
{
	ck_buf path = CK_BUF_INIT, got = CK_BUF_INIT;
	const char *data;
	size_t i, n = ck_site_count(s), len;
	char *count;

	for (i = 0; i < n; i++) {
		ck_buf_clear(&path);
		ck_buf_printf(&path, "%s/%s", repo, ck_site_path(s, i));
		capture_buf(&got, "cat '%s'", path.ptr);
		data = ck_site_data(s, i, &len);
		CHECK(got.size == len && memcmp(got.ptr, data, len) == 0);
	}
	count = capture("cd '%s' && find . -path ./.git -prune -o -type f "
	                "-print | grep -v '^./.nojekyll$' | grep -v "
	                "'^./CNAME$' | grep -v '^./notes.txt$' | wc -l",
	                repo);
	CHECK_INT(atoi(count), n);
	free(count);
	ck_buf_free(&path);
	ck_buf_free(&got);
}

static void
test_first_and_noop(void)
{
	ck_site *s = site_one();
	ck_publish_opts o = {0};
	ck_buf out = CK_BUF_INIT, errs = CK_BUF_INIT, repo = CK_BUF_INIT;
	char *id1, *id2, *msg, *head;

	ck_buf_printf(&repo, "%s/first/site", top);
	o.repo = repo.ptr;
	o.today = "2026-11-20";
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	CHECK_STR(errs.ptr, "");
	CHECK(strstr(out.ptr, "Published ") != NULL);
	CHECK_INT(sh("git -C '%s' fsck --strict --no-progress 2>&1 | "
	             "grep -q . && exit 1; git -C '%s' fsck --strict "
	             "--no-progress",
	             repo.ptr, repo.ptr),
	          0);
	head = capture("git -C '%s' symbolic-ref HEAD", repo.ptr);
	CHECK_STR(head, "refs/heads/main");
	free(head);
	check_tree(repo.ptr, "main", s, NULL);
	check_worktree(repo.ptr, s);
	msg = capture("git -C '%s' status --porcelain --ignored", repo.ptr);
	CHECK_STR(msg, "");
	free(msg);
	msg = capture("git -C '%s' log -1 --format=%%s", repo.ptr);
	CHECK_STR(msg, "Công khai lần đầu: 2 câu hỏi, 1 đối thoại");
	free(msg);
	/* No records repository: no Source-Commit. */
	msg = capture("git -C '%s' log -1 --format=%%B | git "
	              "interpret-trailers --parse",
	              repo.ptr);
	CHECK_STR(msg, "As-Of: 2026-11-20");
	free(msg);
	msg = capture("git -C '%s' log -1 --format=%%B", repo.ptr);
	CHECK(strstr(msg, "\nTrang mới:\n- .nojekyll\n- a-b.html\n- "
	                  "a/b.html\n") != NULL);
	CHECK(strstr(msg, "Trang thay đổi:") == NULL);
	free(msg);
	msg = capture("git -C '%s' rev-list --count main", repo.ptr);
	CHECK_STR(msg, "1");
	free(msg);

	/* The same site again: no commit, and it says so. */
	id1 = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	id2 = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_STR(id2, id1);
	CHECK(strncmp(out.ptr, "Nothing changed: main stays at ", 31) == 0);
	CHECK(strncmp(out.ptr + 31, id1, 12) == 0);
	free(id1);
	free(id2);
	ck_site_free(s);
	ck_buf_free(&out);
	ck_buf_free(&errs);
	ck_buf_free(&repo);
}

static void
test_changes(void)
{
	static const char *const q2[] = {
	    "d1/001 answered 2026-11-10 first",
	    "d1/002 resolved 2026-11-01 second",
	    "d1/003 received - -",
	};
	static const char *const q3[] = {
	    "d1/001 answered 2026-11-10 edited",
	    "d1/003 escalated - -",
	};
	ck_site *s = site_one(), *s2 = ck_site_new(), *s3 = ck_site_new();
	ck_publish_opts o = {0};
	ck_buf out = CK_BUF_INIT, errs = CK_BUF_INIT, repo = CK_BUF_INIT;
	char *id1, *parent, *msg;
	size_t i, n;

	ck_buf_printf(&repo, "%s/changes", top);
	o.repo = repo.ptr;
	o.today = "2026-11-20";
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	id1 = capture("git -C '%s' rev-parse main", repo.ptr);

	/* A user's own file in the working tree is left alone. */
	ck_buf_clear(&out);
	ck_buf_printf(&out, "%s/notes.txt", repo.ptr);
	put_file(out.ptr, "mine\n");

	/* Question 001 answered, 002 answered and resolved, 003 new; one
	 * page changed, one gone, one new. */
	n = ck_site_count(s);
	for (i = 0; i < n; i++) {
		const char *p = ck_site_path(s, i), *d;
		size_t len;

		if (strncmp(p, "data/", 5) == 0 ||
		    strcmp(p, "doi-thoai/d1/002/index.html") == 0)
			continue;
		d = ck_site_data(s, i, &len);
		if (strcmp(p, "index.html") == 0)
			ck_site_add(s2, p, "<p>new home</p>\n", 16);
		else
			ck_site_add(s2, p, d, len);
	}
	ck_site_add(s2, "doi-thoai/d1/003/index.html", "<p>003</p>\n", 11);
	add_questions(s2, q2, 3, 1);
	CHECK_INT(ck_site_sort(s2), 0);
	o.cname = "xa-mau.example.vn";
	CHECK_INT(publish(s2, &o, &out, &errs), 0);
	CHECK_STR(errs.ptr, "");
	check_tree(repo.ptr, "main", s2, "xa-mau.example.vn");
	check_worktree(repo.ptr, s2);
	msg = capture("git -C '%s' status --porcelain", repo.ptr);
	CHECK_STR(msg, "?? notes.txt");
	free(msg);
	parent = capture("git -C '%s' rev-parse main^", repo.ptr);
	CHECK_STR(parent, id1);
	free(parent);
	msg = capture("git -C '%s' log -1 --format=%%s", repo.ptr);
	CHECK_STR(msg, "Công khai: 1 câu hỏi mới, 2 câu trả lời mới, 1 câu "
	               "hỏi đã giải quyết");
	free(msg);
	msg = capture("git -C '%s' log -1 --format=%%B", repo.ptr);
	CHECK(strstr(msg, "\n\nTrang mới:\n- CNAME\n- "
	                  "doi-thoai/d1/003/index.html\n\nTrang thay đổi:\n- "
	                  "data/questions.json\n- "
	                  "index.html\n\nTrang bỏ:\n- "
	                  "doi-thoai/d1/002/index.html\n\nAs-Of: 2026-11-20") !=
	      NULL);
	free(msg);
	CHECK_INT(sh("git -C '%s' fsck --strict --no-progress --no-dangling",
	             repo.ptr),
	          0);

	/* An answer edited after the fact, a status change, a question
	 * gone; and --message replacing the summary only. */
	n = ck_site_count(s2);
	for (i = 0; i < n; i++) {
		const char *p = ck_site_path(s2, i), *d;
		size_t len;

		if (strncmp(p, "data/", 5) == 0)
			continue;
		d = ck_site_data(s2, i, &len);
		ck_site_add(s3, p, d, len);
	}
	add_questions(s3, q3, 2, 1);
	CHECK_INT(ck_site_sort(s3), 0);
	CHECK_INT(publish(s3, &o, &out, &errs), 0);
	msg = capture("git -C '%s' log -1 --format=%%s", repo.ptr);
	CHECK_STR(msg, "Công khai: 1 câu trả lời được sửa, 1 câu hỏi đổi "
	               "trạng thái, 1 câu hỏi bị gỡ");
	free(msg);
	/* A page that changes nothing citizens read. */
	ck_site_free(s3);
	s3 = ck_site_new();
	n = ck_site_count(s2);
	for (i = 0; i < n; i++) {
		const char *p = ck_site_path(s2, i), *d;
		size_t len;

		if (strncmp(p, "data/", 5) == 0)
			continue;
		d = ck_site_data(s2, i, &len);
		if (strcmp(p, "a/b.html") == 0)
			ck_site_add(s3, p, "changed\n", 8);
		else
			ck_site_add(s3, p, d, len);
	}
	add_questions(s3, q3, 2, 1);
	CHECK_INT(ck_site_sort(s3), 0);
	o.message = "Sửa lỗi chính tả";
	CHECK_INT(publish(s3, &o, &out, &errs), 0);
	msg = capture("git -C '%s' log -1 --format=%%B", repo.ptr);
	CHECK_STR(msg, "Sửa lỗi chính tả\n\nTrang thay đổi:\n- a/b.html\n\n"
	               "As-Of: 2026-11-20");
	free(msg);
	msg = capture("git -C '%s' rev-list --count main", repo.ptr);
	CHECK_STR(msg, "4");
	free(msg);
	msg = capture("git -C '%s' status --porcelain", repo.ptr);
	CHECK_STR(msg, "?? notes.txt");
	free(msg);

	free(id1);
	ck_site_free(s);
	ck_site_free(s2);
	ck_site_free(s3);
	ck_buf_free(&out);
	ck_buf_free(&errs);
	ck_buf_free(&repo);
}

static void
test_reproducible(void)
{
	ck_site *s = site_one();
	ck_publish_opts o = {0};
	ck_buf out = CK_BUF_INIT, errs = CK_BUF_INIT, repo = CK_BUF_INIT;
	char *a, *b, *who;

	setenv("SOURCE_DATE_EPOCH", "1763600000", 1);
	o.today = "2026-11-20";
	ck_buf_printf(&repo, "%s/repro-a", top);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	a = capture("git -C '%s' rev-parse main", repo.ptr);
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/repro-b", top);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	b = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_STR(a, b);
	CHECK_INT(strlen(a), 40);
	free(b);
	b = capture("git -C '%s' log -1 --format='%%ad|%%cd' --date=raw",
	            repo.ptr);
	CHECK_STR(b, "1763600000 +0700|1763600000 +0700");
	free(b);
	who = capture("git -C '%s' log -1 --format='%%an <%%ae>|%%cn <%%ce>'",
	              repo.ptr);
	CHECK_STR(who,
	          "Test <test@example.invalid>|Test <test@example.invalid>");
	free(who);

	/* Another author makes another commit. */
	setenv("GIT_AUTHOR_NAME", "Xã Mẫu", 1);
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/repro-c", top);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	b = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK(strcmp(a, b) != 0);
	free(b);

	/* Without the environment: the repository's configuration, then
	 * congkhai's own name. */
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/repro-d", top);
	CHECK_INT(sh("git init -q '%s' && git -C '%s' config user.name "
	             "'Văn phòng UBND' && git -C '%s' config user.email "
	             "vp@example.invalid",
	             repo.ptr, repo.ptr, repo.ptr),
	          0);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	who = capture("git -C '%s' log -1 --format='%%an <%%ae>|%%cn <%%ce>' "
	              "main",
	              repo.ptr);
	CHECK_STR(who, "Văn phòng UBND <vp@example.invalid>|Văn phòng UBND "
	               "<vp@example.invalid>");
	free(who);
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/repro-e", top);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	who = capture("git -C '%s' log -1 --format='%%an <%%ae>'", repo.ptr);
	CHECK_STR(who, "congkhai <congkhai@localhost>");
	free(who);

	setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/repro-f", top);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, "SOURCE_DATE_EPOCH") != NULL);

	git_test_env(top);
	unsetenv("SOURCE_DATE_EPOCH");
	free(a);
	ck_site_free(s);
	ck_buf_free(&out);
	ck_buf_free(&errs);
	ck_buf_free(&repo);
}

/* A records repository: content/ committed, plus a dirty file outside. */
static void
make_records(const char *repo)
{
	ck_buf p = CK_BUF_INIT;

	CHECK_INT(sh("git init -q -b main '%s'", repo), 0);
	ck_buf_printf(&p, "%s/content/site.yaml", repo);
	put_file(p.ptr, "name: Xã Mẫu\n");
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/content/dialogues/d1/index.md", repo);
	put_file(p.ptr, "---\ntitle: d1\n---\n");
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/README", repo);
	put_file(p.ptr, "records\n");
	CHECK_INT(sh("cd '%s' && git add -A && git commit -q -m records", repo),
	          0);
	ck_buf_free(&p);
}

static void
test_dirty(void)
{
	ck_publish_opts o = {0};
	ck_buf repo = CK_BUF_INIT, c = CK_BUF_INIT, p = CK_BUF_INIT;
	char saved[4096];
	int fd;

	ck_buf_printf(&repo, "%s/dirty", top);
	ck_buf_printf(&c, "%s/content", repo.ptr);
	make_records(repo.ptr);
	o.content_dir = c.ptr;
	CHECK_INT(ck_publish_check_clean(&o), 0);

	/* A change outside the content folder does not count. */
	ck_buf_printf(&p, "%s/README", repo.ptr);
	put_file(p.ptr, "changed\n");
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/content2/x.md", repo.ptr);
	put_file(p.ptr, "sibling\n");
	CHECK_INT(ck_publish_check_clean(&o), 0);

	/* An edit, an untracked file, a staged file: each refused. */
	fflush(stderr);
	fd = dup(2);
	snprintf(saved, sizeof(saved), "%s/dirty-err", top);
	if (freopen(saved, "w", stderr) == NULL)
		abort();
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/content/site.yaml", repo.ptr);
	put_file(p.ptr, "name: Xã Mẫu 2\n");
	CHECK_INT(ck_publish_check_clean(&o), -1);
	CHECK_INT(sh("git -C '%s' checkout -q content/site.yaml", repo.ptr), 0);
	CHECK_INT(ck_publish_check_clean(&o), 0);
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/content/dialogues/d1/questions/001.md", repo.ptr);
	put_file(p.ptr, "new\n");
	CHECK_INT(ck_publish_check_clean(&o), -1);
	CHECK_INT(sh("git -C '%s' add content", repo.ptr), 0);
	CHECK_INT(ck_publish_check_clean(&o), -1);
	/* Ignored files are not uncommitted changes. */
	CHECK_INT(sh("cd '%s' && git commit -q -m q && echo '*.swp' > "
	             ".gitignore && git add .gitignore && git commit -q -m i "
	             "&& touch content/x.swp",
	             repo.ptr),
	          0);
	CHECK_INT(ck_publish_check_clean(&o), 0);
	CHECK_INT(sh("rm '%s/content/dialogues/d1/index.md'", repo.ptr), 0);
	CHECK_INT(ck_publish_check_clean(&o), -1);
	o.allow_dirty = true;
	CHECK_INT(ck_publish_check_clean(&o), 0);
	o.allow_dirty = false;
	/* From a sub-folder, the same. */
	ck_buf_clear(&c);
	ck_buf_printf(&c, "%s/content/dialogues", repo.ptr);
	o.content_dir = c.ptr;
	CHECK_INT(ck_publish_check_clean(&o), -1);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	capture_buf(&p, "cat '%s'", saved);
	CHECK(strstr(p.ptr, "has uncommitted changes:\n  "
	                    "content/dialogues/d1/index.md\n") != NULL);
	CHECK(strstr(p.ptr, "--allow-dirty") != NULL);

	/* Not in a repository: nothing to check. */
	ck_buf_clear(&c);
	ck_buf_printf(&c, "%s/loose/content", top);
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/x.md", c.ptr);
	put_file(p.ptr, "x\n");
	o.content_dir = c.ptr;
	CHECK_INT(ck_publish_check_clean(&o), 0);
	ck_buf_free(&repo);
	ck_buf_free(&c);
	ck_buf_free(&p);
}

/*
 * Publishing into the records' own repository, on a branch that is not
 * checked out: only that branch moves.
 */
static void
test_off_branch(void)
{
	ck_site *s = site_one(), *s2 = ck_site_new();
	ck_publish_opts o = {0};
	ck_buf out = CK_BUF_INIT, errs = CK_BUF_INIT, repo = CK_BUF_INIT,
	       c = CK_BUF_INIT, p = CK_BUF_INIT;
	char *head, *status, *index, *files, *x, *src;

	ck_buf_printf(&repo, "%s/records", top);
	ck_buf_printf(&c, "%s/content", repo.ptr);
	make_records(repo.ptr);
	/* Some state that must survive: a staged change, an edit, an
	 * untracked file. */
	ck_buf_printf(&p, "%s/README", repo.ptr);
	put_file(p.ptr, "staged\n");
	CHECK_INT(sh("git -C '%s' add README", repo.ptr), 0);
	put_file(p.ptr, "edited after staging\n");
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/untracked.txt", repo.ptr);
	put_file(p.ptr, "u\n");

	head = capture("git -C '%s' rev-parse HEAD; git -C '%s' symbolic-ref "
	               "HEAD",
	               repo.ptr, repo.ptr);
	status = capture("git -C '%s' status --porcelain", repo.ptr);
	index = capture("sha1sum < '%s/.git/index'", repo.ptr);
	files = capture("cd '%s' && find . -path ./.git -prune -o -type f "
	                "-print0 | sort -z | xargs -0 sha1sum",
	                repo.ptr);

	o.repo = repo.ptr;
	o.branch = "gh-pages";
	o.content_dir = c.ptr;
	o.today = "2026-11-20";
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	CHECK_STR(errs.ptr, "");
	check_tree(repo.ptr, "gh-pages", s, NULL);
	/* An unborn branch: the first commit has no parent. */
	x = capture("git -C '%s' rev-list --count gh-pages", repo.ptr);
	CHECK_STR(x, "1");
	free(x);
	src = capture("git -C '%s' rev-parse main", repo.ptr);
	x = capture("git -C '%s' log -1 --format=%%B gh-pages | git "
	            "interpret-trailers --parse",
	            repo.ptr);
	ck_buf_clear(&p);
	ck_buf_printf(&p, "Source-Commit: %s\nAs-Of: 2026-11-20", src);
	CHECK_STR(x, p.ptr);
	free(x);

	/* Again with a change: still only the branch. */
	ck_site_add(s2, "index.html", "<p>v2</p>\n", 10);
	CHECK_INT(ck_site_sort(s2), 0);
	CHECK_INT(publish(s2, &o, &out, &errs), 0);
	check_tree(repo.ptr, "gh-pages", s2, NULL);
	x = capture("git -C '%s' rev-list --count gh-pages", repo.ptr);
	CHECK_STR(x, "2");
	free(x);

	x = capture("git -C '%s' rev-parse HEAD; git -C '%s' symbolic-ref "
	            "HEAD",
	            repo.ptr, repo.ptr);
	CHECK_STR(x, head);
	free(x);
	x = capture("git -C '%s' status --porcelain", repo.ptr);
	CHECK_STR(x, status);
	free(x);
	x = capture("sha1sum < '%s/.git/index'", repo.ptr);
	CHECK_STR(x, index);
	free(x);
	x = capture("cd '%s' && find . -path ./.git -prune -o -type f "
	            "-print0 | sort -z | xargs -0 sha1sum",
	            repo.ptr);
	CHECK_STR(x, files);
	free(x);
	CHECK_INT(sh("git -C '%s' fsck --strict --no-progress --no-dangling",
	             repo.ptr),
	          0);

	/* The branch checked out over the records: refused, nothing
	 * written. */
	o.branch = "main";
	CHECK_INT(publish(s, &o, &out, &errs), -2);
	CHECK(strstr(errs.ptr, "holds the records") != NULL);
	x = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_STR(x, src);
	free(x);
	/* Not a branch name. */
	o.branch = "a..b";
	CHECK_INT(publish(s, &o, &out, &errs), -2);
	CHECK_INT(ck_publish_branch_valid("gh-pages"), 1);
	CHECK_INT(ck_publish_branch_valid("feature/x"), 1);
	CHECK_INT(ck_publish_branch_valid("a b"), 0);
	CHECK_INT(ck_publish_branch_valid(""), 0);
	CHECK_INT(ck_publish_branch_valid("-x"), 0);
	CHECK_INT(ck_publish_branch_valid("HEAD"), 0);

	free(src);
	free(head);
	free(status);
	free(index);
	free(files);
	ck_site_free(s);
	ck_site_free(s2);
	ck_buf_free(&out);
	ck_buf_free(&errs);
	ck_buf_free(&repo);
	ck_buf_free(&c);
	ck_buf_free(&p);
}

/* Sites git cannot hold, a held lock, a dead checkout to finish. */
static void
test_failures(void)
{
	ck_site *s = site_one(), *bad = ck_site_new(), *s2 = ck_site_new();
	ck_publish_opts o = {0};
	ck_buf out = CK_BUF_INIT, errs = CK_BUF_INIT, repo = CK_BUF_INIT;
	char *tip, *x, *y;

	ck_buf_printf(&repo, "%s/failures", top);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	tip = capture("git -C '%s' rev-parse main", repo.ptr);

	ck_site_add(bad, "a", "file\n", 5);
	ck_site_add(bad, "a/b", "under a file\n", 13);
	CHECK_INT(publish(bad, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, "a/b: two files, or a file and a folder, "
	                       "have that name") != NULL);
	ck_site_free(bad);
	bad = ck_site_new();
	ck_site_add(bad, ".git/config", "x\n", 2);
	CHECK_INT(publish(bad, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, ".git/config") != NULL);
	x = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_STR(x, tip);
	free(x);

	/* A lock held on the branch (another process, or a killed one). */
	ck_site_add(s2, "index.html", "<p>v2</p>\n", 10);
	CHECK_INT(ck_site_sort(s2), 0);
	CHECK_INT(sh("cp '%s/.git/refs/heads/main' "
	             "'%s/.git/refs/heads/main.lock'",
	             repo.ptr, repo.ptr),
	          0);
	CHECK_INT(publish(s2, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, "nothing was lost") != NULL);
	x = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_STR(x, tip);
	free(x);
	CHECK_INT(sh("git -C '%s' fsck --strict --no-progress --no-dangling",
	             repo.ptr),
	          0);
	CHECK_INT(sh("rm '%s/.git/refs/heads/main.lock'", repo.ptr), 0);
	/* git's index lock: refused before the branch moves. */
	CHECK_INT(sh("touch '%s/.git/index.lock'", repo.ptr), 0);
	CHECK_INT(publish(s2, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, "index.lock exists") != NULL);
	x = capture("git -C '%s' rev-parse main", repo.ptr);
	CHECK_STR(x, tip);
	free(x);
	CHECK_INT(sh("rm '%s/.git/index.lock'", repo.ptr), 0);

	/*
	 * A publish that died after moving the branch, before updating
	 * the working tree: the next one finishes the checkout.
	 */
	o.branch = "other";
	CHECK_INT(publish(s2, &o, &out, &errs), 0);
	CHECK_INT(sh("git -C '%s' update-ref refs/heads/main other", repo.ptr),
	          0);
	o.branch = "main";
	x = capture("git -C '%s' status --porcelain | wc -l", repo.ptr);
	CHECK(atoi(x) > 0);
	free(x);
	CHECK_INT(publish(s2, &o, &out, &errs), 0);
	CHECK(strncmp(out.ptr, "Nothing changed", 15) == 0);
	x = capture("git -C '%s' status --porcelain", repo.ptr);
	CHECK_STR(x, "");
	free(x);
	check_worktree(repo.ptr, s2);
	/* Files edited by hand in the working tree are put back. */
	ck_buf_clear(&out);
	ck_buf_printf(&out, "%s/index.html", repo.ptr);
	put_file(out.ptr, "vandalised\n");
	CHECK_INT(publish(s2, &o, &out, &errs), 0);
	check_worktree(repo.ptr, s2);
	x = capture("git -C '%s' status --porcelain", repo.ptr);
	CHECK_STR(x, "");
	free(x);

	/* A bare repository: only the branch. */
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/bare.git", top);
	CHECK_INT(sh("git init -q --bare '%s'", repo.ptr), 0);
	o.repo = repo.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	check_tree(repo.ptr, "main", s, NULL);
	y = capture("ls '%s'", repo.ptr);
	CHECK(strstr(y, "index") == NULL);
	free(y);

	free(tip);
	ck_site_free(s);
	ck_site_free(s2);
	ck_site_free(bad);
	ck_buf_free(&out);
	ck_buf_free(&errs);
	ck_buf_free(&repo);
}

static void
test_push(void)
{
	ck_site *s = site_one(), *s2 = ck_site_new();
	ck_publish_opts o = {0};
	ck_buf out = CK_BUF_INIT, errs = CK_BUF_INIT, repo = CK_BUF_INIT,
	       bare = CK_BUF_INIT;
	char *a, *b;

	ck_buf_printf(&repo, "%s/push/site", top);
	ck_buf_printf(&bare, "%s/push/remote.git", top);
	CHECK_INT(sh("git init -q --bare -b main '%s'", bare.ptr), 0);
	o.repo = repo.ptr;
	o.push = bare.ptr;
	CHECK_INT(publish(s, &o, &out, &errs), 0);
	CHECK_STR(errs.ptr, "");
	CHECK(strstr(out.ptr, "Pushed main to ") != NULL);
	a = capture("git -C '%s' rev-parse main", repo.ptr);
	b = capture("git -C '%s' rev-parse main", bare.ptr);
	CHECK_STR(a, b);
	free(a);
	free(b);
	CHECK_INT(sh("git -C '%s' fsck --strict --no-progress --no-dangling",
	             bare.ptr),
	          0);

	/* A named remote, with a fast-forward. */
	CHECK_INT(sh("git -C '%s' remote add origin '%s'", repo.ptr, bare.ptr),
	          0);
	ck_site_add(s2, "index.html", "<p>v2</p>\n", 10);
	CHECK_INT(ck_site_sort(s2), 0);
	o.push = "origin";
	CHECK_INT(publish(s2, &o, &out, &errs), 0);
	CHECK_STR(errs.ptr, "");
	a = capture("git -C '%s' rev-parse main", repo.ptr);
	b = capture("git -C '%s' rev-parse main", bare.ptr);
	CHECK_STR(a, b);
	free(a);
	free(b);

	/* Someone else moved the remote branch: rejected, exit 3. */
	CHECK_INT(
	    sh("cd '%s/push' && git clone -q -b main remote.git other && cd "
	       "other && echo x > x && git add x && git commit -q -m x "
	       "&& git push -q origin main",
	       top),
	    0);
	b = capture("git -C '%s' rev-parse main", bare.ptr);
	CHECK_INT(publish(s, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, "push to origin rejected refs/heads/main") !=
	      NULL);
	a = capture("git -C '%s' rev-parse main", bare.ptr);
	CHECK_STR(a, b);
	free(a);
	free(b);
	/* The local commit stands. */
	a = capture("git -C '%s' rev-list --count main", repo.ptr);
	CHECK_STR(a, "3");
	free(a);

	/* No such remote. */
	o.push = "no-such-remote";
	CHECK_INT(publish(s, &o, &out, &errs), -3);
	CHECK(strstr(errs.ptr, "no remote named 'no-such-remote'") != NULL);

	ck_site_free(s);
	ck_site_free(s2);
	ck_buf_free(&out);
	ck_buf_free(&errs);
	ck_buf_free(&repo);
	ck_buf_free(&bare);
}

/*
 * The blob cache on disk: read back whole for the commit it was written
 * for; stale for another commit; damaged when one byte changes or it is
 * cut short; absent when deleted. A damaged or stale cache lends nothing.
 */
static void
test_blob_cache(void)
{
	git_repository *repo = NULL;
	struct ck_pub_cached files[2];
	struct ck_pub_cache c;
	const struct ck_pub_cached *hit;
	git_oid commit, other;
	ck_buf dir = CK_BUF_INIT, path = CK_BUF_INIT;
	uint64_t h1[2], h2[2];
	FILE *f;
	long size;

	git_libgit2_init();
	ck_buf_printf(&dir, "%s/cache-repo", top);
	CHECK(git_repository_init(&repo, dir.ptr, 0) == 0);
	ck_buf_printf(&path, "%s/.git/congkhai/blobcache", dir.ptr);
	git_oid_fromstr(&commit, "0123456789abcdef0123456789abcdef01234567");
	git_oid_fromstr(&other, "89abcdef0123456789abcdef0123456789abcdef");
	memset(files, 0, sizeof(files));
	files[0].path = "a b/index.html";
	ck_hash128(files[0].hash, "<p>1</p>", 8);
	files[0].size = 8;
	git_oid_fromstr(&files[0].id,
	                "1111111111111111111111111111111111111111");
	files[1].path = "z";
	ck_hash128(files[1].hash, "", 0);
	git_oid_fromstr(&files[1].id,
	                "2222222222222222222222222222222222222222");
	/* The fast hash sees every byte and the length. */
	ck_hash128(h1, "<p>1</p>", 8);
	ck_hash128(h2, "<p>2</p>", 8);
	CHECK(h1[0] != h2[0] && h1[1] != h2[1]);
	ck_hash128(h2, "<p>1</p>\0", 9);
	CHECK(h1[0] != h2[0] && h1[1] != h2[1]);

	CHECK(ck_pub_cache_save(repo, &commit, files, 2) == 0);
	ck_pub_cache_load(&c, repo, &commit);
	CHECK_INT(c.state, CK_CACHE_VALID);
	CHECK_INT(c.len, 2);
	hit = ck_pub_cache_find(&c, "a b/index.html");
	CHECK(hit != NULL && hit->size == 8 &&
	      hit->hash[0] == files[0].hash[0] &&
	      git_oid_equal(&hit->id, &files[0].id));
	CHECK(ck_pub_cache_find(&c, "a") == NULL);
	ck_pub_cache_free(&c);

	ck_pub_cache_load(&c, repo, &other);
	CHECK_INT(c.state, CK_CACHE_STALE);
	CHECK(c.len == 0 && ck_pub_cache_find(&c, "z") == NULL);
	ck_pub_cache_free(&c);

	/* One digit of a blob id changed: the checksum no longer holds. */
	CHECK(sh("sed -i 's/1111111111/1111111112/' '%s'", path.ptr) == 0);
	ck_pub_cache_load(&c, repo, &commit);
	CHECK_INT(c.state, CK_CACHE_DAMAGED);
	CHECK(ck_pub_cache_find(&c, "a b/index.html") == NULL);
	ck_pub_cache_free(&c);

	CHECK(ck_pub_cache_save(repo, &commit, files, 2) == 0);
	f = fopen(path.ptr, "r");
	CHECK(f != NULL && fseek(f, 0, SEEK_END) == 0);
	size = f ? ftell(f) : 0;
	if (f)
		fclose(f);
	CHECK(truncate(path.ptr, size - 1) == 0);
	ck_pub_cache_load(&c, repo, &commit);
	CHECK_INT(c.state, CK_CACHE_DAMAGED);
	ck_pub_cache_free(&c);

	CHECK(unlink(path.ptr) == 0);
	ck_pub_cache_load(&c, repo, &commit);
	CHECK_INT(c.state, CK_CACHE_ABSENT);
	ck_pub_cache_free(&c);

	git_repository_free(repo);
	git_libgit2_shutdown();
	ck_buf_free(&dir);
	ck_buf_free(&path);
}

/* A file holding n bytes, opened for reading, in top. */
static int
bytes_file(const char *name, const char *bytes, size_t n)
{
	ck_buf path = CK_BUF_INIT;
	int fd;

	ck_buf_printf(&path, "%s/%s", top, name);
	fd = open(path.ptr, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, bytes, n) != (ssize_t)n)
		abort();
	ck_buf_free(&path);
	return fd;
}

/* One version put into a new open-data pack of gitdir (against base,
 * whose bytes base_fd holds, when base_id is set); the deltas it made. */
static size_t
bigpack_put_one(git_oid *id, const char *gitdir, int fd, size_t len,
                int base_fd, const git_oid *base_id)
{
	struct ck_pub_bigpack *b = ck_pub_bigpack_new(gitdir);
	size_t deltas = 99;

	CHECK_INT(ck_pub_bigpack_put(b, id, "data/questions.json", fd, len,
	                             base_fd, base_id),
	          0);
	CHECK_INT(ck_pub_bigpack_finish(b, &deltas), 0);
	ck_pub_bigpack_free(b);
	return deltas;
}

/*
 * The open data's pack makes a delta only against the bytes of the
 * version it names: a checkout file that passed the look (size and
 * times) but holds other bytes gives a whole blob, so git reads back
 * every version as it was.
 */
static void
test_bigpack_base_checked(void)
{
	enum { N = 300000 };
	ck_buf a = CK_BUF_INIT, forged = CK_BUF_INIT, b = CK_BUF_INIT;
	ck_buf c = CK_BUF_INIT, gitdir = CK_BUF_INIT, got = CK_BUF_INIT;
	git_oid ida, idb, idc;
	char hex[GIT_OID_HEXSZ + 1];
	int fa, ff, fb, fc;
	size_t i;

	for (i = 0; i < N; i++)
		ck_buf_putc(&a, "{\"id\": 1234567890}\n"[i % 20]);
	/* b and c: a byte changed each time; forged: a's size, with the
	 * bytes of b (a delta of b against it would copy them all, and
	 * git, reading that against a, would give a). */
	ck_buf_put(&b, a.ptr, a.size);
	b.ptr[N / 3] = 'Y';
	ck_buf_put(&forged, b.ptr, b.size);
	ck_buf_put(&c, b.ptr, b.size);
	c.ptr[N / 4] = 'Z';
	CHECK_INT(sh("git init -q '%s/bp'", top), 0);
	ck_buf_printf(&gitdir, "%s/bp/.git/", top);
	fa = bytes_file("a", a.ptr, a.size);
	ff = bytes_file("forged", forged.ptr, forged.size);
	fb = bytes_file("b", b.ptr, b.size);
	fc = bytes_file("c", c.ptr, c.size);
	CHECK_INT(bigpack_put_one(&ida, gitdir.ptr, fa, N, -1, NULL), 0);
	/* Against the forged file, said to hold a: whole. */
	CHECK_INT(bigpack_put_one(&idb, gitdir.ptr, fb, N, ff, &ida), 0);
	/* Against b's own bytes: a delta. */
	CHECK_INT(bigpack_put_one(&idc, gitdir.ptr, fc, N, fb, &idb), 1);
	/* git reads each back as it was written. */
	git_oid_tostr(hex, sizeof(hex), &idb);
	capture_buf(&got, "git -C '%s/bp' cat-file blob %s", top, hex);
	CHECK(ck_buf_equal(&got, &b));
	git_oid_tostr(hex, sizeof(hex), &idc);
	capture_buf(&got, "git -C '%s/bp' cat-file blob %s", top, hex);
	CHECK(ck_buf_equal(&got, &c));
	CHECK_INT(
	    sh("git -C '%s/bp' fsck --strict --no-dangling >/dev/null 2>&1",
	       top),
	    0);
	close(fa);
	close(ff);
	close(fb);
	close(fc);
	ck_buf_free(&a);
	ck_buf_free(&forged);
	ck_buf_free(&b);
	ck_buf_free(&c);
	ck_buf_free(&gitdir);
	ck_buf_free(&got);
}

int
main(void)
{
	char tmpl[] = "/tmp/ck-t-publish-XXXXXX";

	top = mkdtemp(tmpl);
	if (top == NULL)
		abort();
	git_test_env(top);
	unsetenv("SOURCE_DATE_EPOCH");
	unsetenv("CONGKHAI_GIT_TOKEN");

	test_first_and_noop();
	test_changes();
	test_reproducible();
	test_dirty();
	test_off_branch();
	test_failures();
	test_push();
	test_blob_cache();
	test_bigpack_base_checked();

	sh("rm -rf '%s'", top);
	return ck_t_done("t_publish");
}
