/* The in-memory site, its buffer, arena and values, and the folder writer
 * (staging folder swapped in whole, .git kept, no stale files). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "harness.h"
#include "site.h"
#include "value.h"

static char *
slurp(const char *path)
{
	ck_buf b = CK_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_buf_put(&b, chunk, n);
	fclose(f);
	return ck_buf_detach(&b);
}

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int
count_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static void
test_buf(void)
{
	ck_buf b = CK_BUF_INIT;
	char *s;

	CHECK(b.ptr != NULL && b.ptr[0] == '\0' && b.size == 0);
	ck_buf_puts(&b, "Xã ");
	ck_buf_printf(&b, "%s %d", "Chợ Mới", 2025);
	CHECK_STR(b.ptr, "Xã Chợ Mới 2025");
	ck_buf_clear(&b);
	ck_buf_put_html(&b, "<a href=\"x\">T&'", 16);
	CHECK_STR(b.ptr, "&lt;a href=&quot;x&quot;&gt;T&amp;&#39;");
	{
		/* Eight bytes at a time: each special byte at every place of
		 * strings of every length up to 40, among bytes that are not
		 * special (Vietnamese UTF-8, controls), as a byte-by-byte
		 * escape would give. */
		static const char special[] = "&<>\"'";
		static const char filler[] = "a\xe1\xbb\x87\x01\x7f\xff\x80 ";
		char in[41];
		ck_buf want = CK_BUF_INIT;
		size_t len, at, k, j, bad = 0;

		for (len = 0; len <= 40; len++)
			for (at = 0; at <= len; at++)
				for (k = 0; k < 5; k++) {
					for (j = 0; j < len; j++)
						in[j] = filler[(j * 7 + k) % 9];
					if (at < len)
						in[at] = special[k];
					if (len > 20 && at + 9 < len)
						in[at + 9] = special[(k + 1) % 5];
					ck_buf_clear(&want);
					for (j = 0; j < len; j++) {
						switch (in[j]) {
						case '&': ck_buf_puts(&want, "&amp;"); break;
						case '<': ck_buf_puts(&want, "&lt;"); break;
						case '>': ck_buf_puts(&want, "&gt;"); break;
						case '"': ck_buf_puts(&want, "&quot;"); break;
						case '\'': ck_buf_puts(&want, "&#39;"); break;
						default: ck_buf_putc(&want, in[j]);
						}
					}
					ck_buf_clear(&b);
					ck_buf_put_html(&b, in, len);
					bad += b.size != want.size ||
					       memcmp(b.ptr, want.ptr, b.size) != 0;
				}
		CHECK_INT((long long)bad, 0);
		ck_buf_free(&want);
		ck_buf_clear(&b);
		ck_buf_put_html(&b, "<a href=\"x\">T&'", 16);
	}
	ck_buf_truncate(&b, 4);
	CHECK_STR(b.ptr, "&lt;");
	s = ck_buf_detach(&b);
	CHECK_STR(s, "&lt;");
	CHECK(b.ptr != NULL && b.size == 0 && b.ptr[0] == '\0');
	free(s);
	for (int i = 0; i < 10000; i++)
		ck_buf_putc(&b, 'a' + i % 26);
	CHECK_INT(b.size, 10000);
	CHECK_INT(b.ptr[10000], 0);
	ck_buf_free(&b);
	ck_buf_free(&b); /* twice is fine */
	CHECK(b.ptr != NULL);
}

static void
test_values(void)
{
	ck_arena *a = ck_arena_new();
	ck_value *m = ck_value_map(a), *l = ck_value_list(a);
	int i;

	ck_value_set_str(m, "name", "Thôn 1");
	ck_value_set_int(m, "count", 3);
	ck_value_set_str(m, "name", "Thôn 2"); /* replaces, keeps place */
	ck_value_set(m, "list", l);
	for (i = 0; i < 100; i++)
		ck_value_push(l, ck_value_int(a, i));
	CHECK_INT(ck_value_len(m), 3);
	CHECK_STR(ck_value_key_at(m, 0), "name");
	CHECK_STR(ck_value_get_str(ck_value_get(m, "name"), NULL), "Thôn 2");
	CHECK_INT(ck_value_get_int(ck_value_at(l, 99)), 99);
	CHECK(ck_value_get(m, "missing") == NULL);
	CHECK(!ck_value_truthy(ck_value_str(a, "")));
	CHECK(!ck_value_truthy(ck_value_list(a)));
	CHECK(ck_value_truthy(l));
	CHECK(ck_value_kind(ck_value_str(a, NULL)) == CK_VNULL);
	/* Many small allocations and a big one all die with the arena. */
	for (i = 0; i < 50000; i++)
		ck_arena_strdup(a, "một chuỗi ngắn");
	CHECK(ck_arena_alloc(a, 1 << 20) != NULL);
	ck_arena_free(a);
	ck_arena_free(NULL);
}

static void
test_site_list(void)
{
	ck_site *s = ck_site_new();
	ck_buf b = CK_BUF_INIT;
	size_t len;

	CHECK_INT(ck_site_add(s, "index.html", "home", 4), 0);
	CHECK_INT(ck_site_add(s, "data/questions.json", "{}", 2), 0);
	ck_buf_puts(&b, "body");
	CHECK_INT(ck_site_add_buf(s, "doi-thoai/index.html", &b), 0);
	CHECK(b.size == 0);
	CHECK_INT(ck_site_sort(s), 0);
	CHECK_INT(ck_site_count(s), 3);
	CHECK_STR(ck_site_path(s, 0), "data/questions.json");
	CHECK_STR(ck_site_path(s, 2), "index.html");
	CHECK_STR(ck_site_find(s, "doi-thoai/index.html", &len), "body");
	CHECK_INT(len, 4);
	CHECK(ck_site_find(s, "nope", NULL) == NULL);
	CHECK(ck_site_has(s, "index.html"));
	CHECK(!ck_site_has(s, "index"));
	CHECK(!ck_site_failed(s));
	CHECK_INT(ck_site_add(s, "data/questions.json", "x", 1), 0);
	CHECK_INT(ck_site_sort(s), -1); /* the duplicate is found */
	ck_site_free(s);
	ck_site_free(NULL);
}

/* A sink that keeps "path:len" lines, and refuses a path named "full". */
static int
record_sink(void *arg, const char *path, const void *data, size_t len,
            const uint64_t *fp)
{
	ck_buf *seen = arg;

	(void)data;
	if (strcmp(path, "full") == 0)
		return -1;
	ck_buf_printf(seen, "%s:%zu", path, len);
	if (fp != NULL)
		ck_buf_printf(seen, ":made %llu.%llu",
		              (unsigned long long)fp[0],
		              (unsigned long long)fp[1]);
	ck_buf_putc(seen, '\n');
	return 0;
}

/* Keeps "kept.html" when it was made from {7, 8}; fails on "broken". */
static int
keep_sink(void *arg, const char *path, const uint64_t fp[2])
{
	(void)arg;
	if (strcmp(path, "broken") == 0)
		return -1;
	return strcmp(path, "kept.html") == 0 && fp[0] == 7 && fp[1] == 8;
}

/*
 * A sink that keeps: a page it has from the same fingerprint counts as
 * added without its bytes; any other is added with its fingerprint.
 */
static void
test_site_keep(void)
{
	ck_buf seen = CK_BUF_INIT;
	ck_site *mem = ck_site_new();
	ck_site *s = ck_site_new_sink(record_sink, &seen);
	const uint64_t made[2] = {7, 8}, other[2] = {7, 9};

	/* A site in memory, or a sink without the keep form: never. */
	CHECK(!ck_site_can_keep(mem));
	CHECK_INT(ck_site_keep(mem, "kept.html", made), 0);
	ck_site_set_keep(mem, keep_sink);
	CHECK(!ck_site_can_keep(mem));
	CHECK(!ck_site_can_keep(s));
	CHECK_INT(ck_site_keep(s, "kept.html", made), 0);

	ck_site_set_keep(s, keep_sink);
	CHECK(ck_site_can_keep(s));
	CHECK_INT(ck_site_keep(s, "kept.html", other), 0);
	CHECK_INT(ck_site_keep(s, "new.html", made), 0);
	CHECK_INT(ck_site_count(s), 0);
	CHECK_INT(ck_site_keep(s, "kept.html", made), 1);
	CHECK_INT(ck_site_add_made(s, "new.html", "abc", 3, other), 0);
	CHECK_STR(seen.ptr, "new.html:3:made 7.9\n");
	CHECK_INT(ck_site_sort(s), 0);
	CHECK_INT(ck_site_count(s), 2);
	CHECK(ck_site_has(s, "kept.html"));
	CHECK(ck_site_has(s, "new.html"));
	/* A keep that fails fails the site. */
	CHECK_INT(ck_site_keep(s, "broken", made), -1);
	CHECK(ck_site_failed(s));
	CHECK_INT(ck_site_keep(s, "kept.html", made), -1);
	ck_site_free(s);
	ck_site_free(mem);
	ck_buf_free(&seen);
}

static void
test_site_sink(void)
{
	ck_buf seen = CK_BUF_INIT, b = CK_BUF_INIT;
	ck_site *s = ck_site_new_sink(record_sink, &seen);
	size_t len = 99;

	CHECK_INT(ck_site_add(s, "b.html", "bee", 3), 0);
	ck_buf_puts(&b, "a page");
	CHECK_INT(ck_site_add_buf(s, "a.html", &b), 0);
	CHECK(b.size == 0);
	CHECK_STR(seen.ptr, "b.html:3\na.html:6\n");
	CHECK_INT(ck_site_sort(s), 0);
	CHECK_INT(ck_site_count(s), 2);
	/* Paths are kept, bytes are not. */
	CHECK_STR(ck_site_path(s, 0), "a.html");
	CHECK(ck_site_data(s, 0, &len) == NULL);
	CHECK(ck_site_find(s, "a.html", &len) == NULL);
	CHECK(ck_site_has(s, "b.html"));
	/* A refusing sink fails the site; nothing more is passed on. */
	CHECK(!ck_site_failed(s));
	CHECK_INT(ck_site_add(s, "full", "x", 1), -1);
	CHECK(ck_site_failed(s));
	CHECK_INT(ck_site_add(s, "c.html", "x", 1), -1);
	CHECK_STR(seen.ptr, "b.html:3\na.html:6\n");
	ck_site_free(s);
	ck_buf_free(&seen);
}

static void
test_write_dir(void)
{
	char tmpl[] = "/tmp/ck-site-XXXXXX", path[1024], out[256];
	char *root = mkdtemp(tmpl), *text;
	ck_site *s = ck_site_new();

	if (root == NULL) {
		CHECK(root != NULL);
		return;
	}
	snprintf(out, sizeof(out), "%s/site", root);
	ck_site_add(s, "index.html", "<p>mới</p>\n", 13);
	ck_site_add(s, "a/b/c.txt", "deep", 4);
	ck_site_sort(s);

	/* A first build creates the folder. */
	CHECK_INT(ck_site_write_dir(s, out), 0);
	snprintf(path, sizeof(path), "%s/a/b/c.txt", out);
	text = slurp(path);
	CHECK_STR(text, "deep");
	free(text);

	/* Stale files go, a .git stays, no staging folder is left behind. */
	snprintf(path, sizeof(path), "%s/stale.html", out);
	put(path, "old");
	snprintf(path, sizeof(path), "%s/.git", out);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/.git/HEAD", out);
	put(path, "ref: refs/heads/main\n");
	CHECK_INT(ck_site_write_dir(s, out), 0);
	snprintf(path, sizeof(path), "%s/stale.html", out);
	CHECK(!exists(path));
	snprintf(path, sizeof(path), "%s/.git/HEAD", out);
	text = slurp(path);
	CHECK_STR(text, "ref: refs/heads/main\n");
	free(text);
	snprintf(path, sizeof(path), "%s/index.html", out);
	text = slurp(path);
	CHECK_STR(text, "<p>mới</p>\n");
	free(text);
	CHECK_INT(count_entries(root, "site."), 0);
	CHECK_INT(count_entries(root, ".site."), 0);

	/* An output path that is a file: failure, and the file untouched. */
	snprintf(path, sizeof(path), "%s/file", root);
	put(path, "keep me");
	CHECK_INT(ck_site_write_dir(s, path), -1);
	text = slurp(path);
	CHECK_STR(text, "keep me");
	free(text);
	CHECK_INT(count_entries(root, "file."), 0);
	CHECK_INT(count_entries(root, ".file."), 0);

	ck_site_free(s);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	CHECK_INT(system(path), 0);
}

int
main(void)
{
	test_buf();
	test_values();
	test_site_list();
	test_site_sink();
	test_site_keep();
	test_write_dir();
	return ck_t_done("t_site");
}
