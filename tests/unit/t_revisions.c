/*
 * Revision history: real repositories made with the git command in a
 * temporary folder; what ck_revisions finds is compared with what
 * `git log --follow` says about the same file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "shell.h"
#include "revisions.h"

static char *top; /* the temporary folder */

static void
put_file(const char *dir, const char *rel, const char *text)
{
	ck_buf p = CK_BUF_INIT;
	FILE *f;

	ck_buf_printf(&p, "mkdir -p \"$(dirname '%s/%s')\"", dir, rel);
	if (system(p.ptr) != 0)
		abort();
	ck_buf_clear(&p);
	ck_buf_printf(&p, "%s/%s", dir, rel);
	f = fopen(p.ptr, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	ck_buf_free(&p);
}

/* Commits everything in repo with committer/author date `date`. */
static void
commit_all(const char *repo, const char *date, const char *msg)
{
	if (sh("cd '%s' && git add -A && GIT_AUTHOR_DATE='%s' "
	       "GIT_COMMITTER_DATE='%s' git commit -q -m '%s'",
	       repo, date, date, msg) != 0)
		abort();
}

/*
 * The revisions as "date commit" lines, oldest first, the way the tests
 * spell what git log says.
 */
static char *
revs_text(const ck_revisions *r, const char *rel)
{
	ck_buf b = CK_BUF_INIT;
	const ck_revision *v;
	size_t i, n;

	v = ck_revisions_for(r, rel, &n);
	for (i = 0; i < n; i++)
		ck_buf_printf(&b, "%s%s %s", i ? "\n" : "", v[i].date,
		              v[i].commit);
	return ck_buf_detach(&b);
}

/* git log --follow of repo/path, oldest first, as "date commit" lines
 * (dates in UTC+7, abbreviations of 12). */
static char *
git_follow(const char *repo, const char *path)
{
	return capture("cd '%s' && TZ=Asia/Ho_Chi_Minh git log --no-merges "
	               "--follow --format='%%cd %%H' "
	               "--date=format-local:%%Y-%%m-%%d -- '%s' | tac | "
	               "sed -E 's/ (.{12}).*/ \\1/'",
	               repo, path);
}

static void
check_follow(const ck_revisions *r, const char *repo, const char *prefix,
             const char *rel)
{
	char *got = revs_text(r, rel), *want;
	ck_buf p = CK_BUF_INIT;

	ck_buf_printf(&p, "%s%s", prefix, rel);
	want = git_follow(repo, p.ptr);
	CHECK(want[0] != '\0');
	CHECK_STR(got, want);
	free(got);
	free(want);
	ck_buf_free(&p);
}

static void
test_no_repository(void)
{
	ck_revisions *r = (ck_revisions *)&r;
	ck_buf d = CK_BUF_INIT;
	size_t n = 99;

	ck_buf_printf(&d, "%s/plain/content", top);
	put_file(d.ptr, "a.md", "x\n");
	CHECK_INT(ck_revisions_load(&r, d.ptr), 0);
	CHECK(r != NULL);
	CHECK(ck_revisions_for(r, "a.md", &n) == NULL);
	CHECK_INT(n, 0);
	ck_revisions_free(r);

	/* A repository without commits. */
	CHECK_INT(sh("git init -q '%s/plain'", top), 0);
	CHECK_INT(ck_revisions_load(&r, d.ptr), 0);
	CHECK(ck_revisions_for(r, "a.md", &n) == NULL);
	CHECK_INT(n, 0);
	ck_revisions_free(r);
	ck_revisions_free(NULL);
	ck_buf_free(&d);
}

static void
test_linear(void)
{
	ck_revisions *r = NULL;
	ck_buf repo = CK_BUF_INIT, c = CK_BUF_INIT;
	char *h1, *h3, *h4, *s;
	const ck_revision *v;
	size_t n;
	int fd;

	ck_buf_printf(&repo, "%s/linear", top);
	ck_buf_printf(&c, "%s/content", repo.ptr);
	CHECK_INT(sh("git init -q '%s'", repo.ptr), 0);
	put_file(c.ptr, "q/a.md", "a one\nline two\nline three\nline four\n");
	put_file(repo.ptr, "README", "outside\n");
	/* 20:30 UTC is already the next day in UTC+7. */
	commit_all(repo.ptr, "2025-03-01T20:30:00+00:00", "one");
	h1 = capture("git -C '%s' rev-parse HEAD", repo.ptr);
	put_file(c.ptr, "q/b.md", "b\n");
	commit_all(repo.ptr, "2025-03-05T08:00:00+07:00", "two");
	put_file(c.ptr, "q/a.md", "a one\nline two\nline three\nline 4\n");
	commit_all(repo.ptr, "2025-03-06T08:00:00+07:00", "three");
	h3 = capture("git -C '%s' rev-parse HEAD", repo.ptr);
	/* A rename with an edit. */
	CHECK_INT(
	    sh("cd '%s' && git mv content/q/a.md content/q/x.md", repo.ptr), 0);
	put_file(c.ptr, "q/x.md", "a one\nline two\nline three\nline 4!\n");
	commit_all(repo.ptr, "2025-03-07T23:59:00+07:00", "four");
	h4 = capture("git -C '%s' rev-parse HEAD", repo.ptr);
	/* Outside the content folder: not a revision of anything. */
	put_file(repo.ptr, "README", "outside, changed\n");
	commit_all(repo.ptr, "2025-03-08T08:00:00+07:00", "five");
	CHECK_INT(sh("cd '%s' && git rm -q content/q/b.md", repo.ptr), 0);
	commit_all(repo.ptr, "2025-03-09T08:00:00+07:00", "six");

	CHECK_INT(ck_revisions_load(&r, c.ptr), 0);
	v = ck_revisions_for(r, "q/x.md", &n);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(v[0].date, "2025-03-02");
		CHECK(strncmp(v[0].commit, h1, 12) == 0);
		CHECK_INT(strlen(v[0].commit), 12);
		CHECK_STR(v[1].date, "2025-03-06");
		CHECK(strncmp(v[1].commit, h3, 12) == 0);
		CHECK_STR(v[2].date, "2025-03-07");
		CHECK(strncmp(v[2].commit, h4, 12) == 0);
	}
	check_follow(r, repo.ptr, "content/", "q/x.md");
	/* The old name is no file now. */
	CHECK(ck_revisions_for(r, "q/a.md", &n) == NULL);
	CHECK_INT(n, 0);
	CHECK(ck_revisions_for(r, "README", &n) == NULL);
	CHECK(ck_revisions_for(r, "../README", &n) == NULL);
	/* A deleted file keeps its history under its name. */
	s = revs_text(r, "q/b.md");
	CHECK_INT(strlen(s), 2 * 23 + 1);
	free(s);
	ck_revisions_free(r);

	/* From a sub-folder of the content, and through "..". */
	ck_buf_clear(&c);
	ck_buf_printf(&c, "%s/content/q/../q", repo.ptr);
	CHECK_INT(ck_revisions_load(&r, c.ptr), 0);
	check_follow(r, repo.ptr, "content/q/", "x.md");
	ck_revisions_free(r);

	/* The top of the repository as the content folder. */
	CHECK_INT(ck_revisions_load(&r, repo.ptr), 0);
	check_follow(r, repo.ptr, "", "content/q/x.md");
	check_follow(r, repo.ptr, "", "README");
	ck_revisions_free(r);

	/*
	 * A shallow clone (what CI checks out): the history starts at its
	 * edge, whose commit is taken as a root, as git log shows it.
	 */
	CHECK_INT(sh("git clone -q --depth 2 'file://%s' '%s/shallow'",
	             repo.ptr, top),
	          0);
	ck_buf_clear(&c);
	ck_buf_printf(&c, "%s/shallow/content", top);
	fflush(stderr);
	fd = dup(2);
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/shallow-err", top);
	if (freopen(repo.ptr, "w", stderr) == NULL)
		abort();
	CHECK_INT(ck_revisions_load(&r, c.ptr), 0);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	s = capture("cat '%s'", repo.ptr);
	CHECK(strstr(s, "shallow clone") != NULL);
	free(s);
	v = ck_revisions_for(r, "q/x.md", &n);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_STR(v[0].date, "2025-03-08");
	ck_buf_clear(&repo);
	ck_buf_printf(&repo, "%s/shallow", top);
	check_follow(r, repo.ptr, "content/", "q/x.md");
	ck_revisions_free(r);

	free(h1);
	free(h3);
	free(h4);
	ck_buf_free(&repo);
	ck_buf_free(&c);
}

static void
test_renames_and_merges(void)
{
	ck_revisions *r = NULL;
	ck_buf repo = CK_BUF_INIT, c = CK_BUF_INIT;
	const ck_revision *v;
	char *side, *s, *t;
	size_t n;

	ck_buf_printf(&repo, "%s/merge", top);
	ck_buf_printf(&c, "%s/content", repo.ptr);
	CHECK_INT(sh("git init -q -b main '%s'", repo.ptr), 0);
	put_file(c.ptr, "p.md", "the first file, long enough to be similar\n");
	put_file(c.ptr, "q.md", "the second file, also long enough here\n");
	commit_all(repo.ptr, "2025-01-01T08:00:00+07:00", "base");
	/* Swap the two names in one commit. */
	CHECK_INT(sh("cd '%s/content' && git mv p.md tmp && git mv q.md p.md "
	             "&& git mv tmp q.md",
	             repo.ptr),
	          0);
	commit_all(repo.ptr, "2025-01-02T08:00:00+07:00", "swap");
	/* A side branch edits q.md; main edits p.md; then a merge. */
	CHECK_INT(sh("cd '%s' && git checkout -q -b side", repo.ptr), 0);
	put_file(c.ptr, "q.md", "the first file, long enough to be similar!\n");
	commit_all(repo.ptr, "2025-01-03T08:00:00+07:00", "side edit");
	side = capture("git -C '%s' rev-parse HEAD", repo.ptr);
	CHECK_INT(sh("cd '%s' && git checkout -q main", repo.ptr), 0);
	put_file(c.ptr, "p.md", "the second file, also long enough here!\n");
	commit_all(repo.ptr, "2025-01-04T08:00:00+07:00", "main edit");
	CHECK_INT(sh("cd '%s' && GIT_COMMITTER_DATE=2025-01-05T08:00:00+07:00 "
	             "git merge -q --no-ff -m merge side",
	             repo.ptr),
	          0);
	/* A whole folder renamed. */
	put_file(c.ptr, "d/one.md", "folder file one with enough text\n");
	commit_all(repo.ptr, "2025-01-06T08:00:00+07:00", "folder");
	CHECK_INT(sh("cd '%s/content' && git mv d e", repo.ptr), 0);
	commit_all(repo.ptr, "2025-01-07T08:00:00+07:00", "folder renamed");

	CHECK_INT(ck_revisions_load(&r, c.ptr), 0);
	/* q.md now holds what p.md held first: base, swap, side edit. */
	v = ck_revisions_for(r, "q.md", &n);
	CHECK_INT(n, 3);
	if (n == 3)
		CHECK(strncmp(v[2].commit, side, 12) == 0);
	s = revs_text(r, "q.md");
	t = git_follow(repo.ptr, "content/q.md");
	CHECK_STR(s, t);
	free(s);
	free(t);
	check_follow(r, repo.ptr, "content/", "p.md");
	v = ck_revisions_for(r, "e/one.md", &n);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(v[0].date, "2025-01-06");
		CHECK_STR(v[1].date, "2025-01-07");
	}
	CHECK(ck_revisions_for(r, "d/one.md", &n) == NULL);
	ck_revisions_free(r);
	free(side);
	ck_buf_free(&repo);
	ck_buf_free(&c);
}

/*
 * A large history made with fast-import: thousands of files, hundreds of
 * commits. It must be one walk (fast), and agree with git log.
 */
static void
test_large(void)
{
	ck_revisions *r = NULL;
	ck_buf repo = CK_BUF_INIT, c = CK_BUF_INIT, p = CK_BUF_INIT;
	const int nfiles = 5000, ncommits = 600;
	struct timespec t0, t1;
	size_t n, total = 0;
	double secs;
	FILE *fi;
	int i, k;

	ck_buf_printf(&repo, "%s/large", top);
	ck_buf_printf(&c, "%s/content", repo.ptr);
	CHECK_INT(sh("git init -q -b main '%s'", repo.ptr), 0);
	ck_buf_printf(&p, "cd '%s' && git fast-import --quiet", repo.ptr);
	fi = popen(p.ptr, "w");
	if (fi == NULL)
		abort();
	for (k = 0; k < ncommits; k++) {
		fprintf(fi,
		        "commit refs/heads/main\n"
		        "committer T <t@example.invalid> %d +0700\n"
		        "data 2\nc\n",
		        1735700000 + k * 3600);
		if (k == 0) {
			for (i = 0; i < nfiles; i++)
				fprintf(fi,
				        "M 644 inline content/d%02d/q%04d.md\n"
				        "data <<EOF\nquestion %d, first words "
				        "of a long enough text\nEOF\n",
				        i % 50, i, i);
		} else {
			/* Each commit edits a few files; some renames. */
			for (i = 0; i < 5; i++) {
				int f = (k * 37 + i * 1009) % nfiles;

				fprintf(fi,
				        "M 644 inline content/d%02d/q%04d.md\n"
				        "data <<EOF\nquestion %d, first words "
				        "of a long enough text\nedit %d\nEOF\n",
				        f % 50, f, f, k);
			}
		}
		/* One-off: content/d00/q0000.md moves away and back. */
		if (k == 100)
			fprintf(fi,
			        "R content/d00/q0000.md content/moved.md\n");
		if (k == 200)
			fprintf(fi,
			        "R content/moved.md content/d00/q0000.md\n");
	}
	pclose(fi);
	CHECK_INT(sh("cd '%s' && git checkout -q -f main", repo.ptr), 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(ck_revisions_load(&r, c.ptr), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* Generous (sanitizers, a loaded CI machine); a walk per file would
	 * take minutes. */
	CHECK(secs < 20.0);
	for (i = 0; i < nfiles; i++) {
		ck_buf_clear(&p);
		ck_buf_printf(&p, "d%02d/q%04d.md", i % 50, i);
		ck_revisions_for(r, p.ptr, &n);
		CHECK(n >= 1);
		if (n < 1)
			break;
		total += n;
	}
	/* 5 edits in each of 599 commits, some files twice in one. */
	CHECK(total > (size_t)nfiles + 2500);
	check_follow(r, repo.ptr, "content/", "d00/q0000.md");
	check_follow(r, repo.ptr, "content/", "d37/q0037.md");
	check_follow(r, repo.ptr, "content/", "d12/q1012.md");
	ck_revisions_free(r);
	ck_buf_free(&repo);
	ck_buf_free(&c);
	ck_buf_free(&p);
}

int
main(void)
{
	char tmpl[] = "/tmp/ck-t-revisions-XXXXXX";

	top = mkdtemp(tmpl);
	if (top == NULL)
		abort();
	git_test_env(top);

	test_no_repository();
	test_linear();
	test_renames_and_merges();
	test_large();

	sh("rm -rf '%s'", top);
	return ck_t_done("t_revisions");
}
