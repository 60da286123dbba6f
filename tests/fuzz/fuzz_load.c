/*
 * Fuzz target for the loader and the views: each input is written as one
 * question file of a small commune in a temporary folder, which is then
 * loaded, validated, derived and (when it loads) rendered with the default
 * theme. Nothing may crash, leak or trip a sanitizer, whatever the file says.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "model.h"
#include "site.h"
#include "views.h"

static char *root;
static char question[4096];

static void
put(const char *rel, const char *text, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((f = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	fwrite(text, 1, len, f);
	fclose(f);
}

static void
cleanup(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		warnx("could not remove %s", root);
}

static void
setup(void)
{
	static char tmpl[] = "/tmp/ck-fuzz-load-XXXXXX";
	static const char site[] =
	    "name: Xã Thử\nbase_url: https://x.invalid/\n"
	    "hamlets:\n  - {id: thon-1, name: Thôn 1}\n"
	    "topics:\n  - {id: dat-dai, name: Đất đai}\n"
	    "departments:\n  - {id: dia-chinh, name: Địa chính}\n";
	static const char dialogue[] =
	    "---\ntitle: Hội nghị\ndate: 2025-06-10\nlocation: Hội trường\n"
	    "chairs: [Chủ tịch]\n---\nKế hoạch.\n";
	char path[4096];

	if ((root = mkdtemp(tmpl)) == NULL)
		err(1, "mkdtemp");
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/dialogues", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/dialogues/hn", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/dialogues/hn/questions", root);
	mkdir(path, 0755);
	put("site.yaml", site, sizeof(site) - 1);
	put("dialogues/hn/index.md", dialogue, sizeof(dialogue) - 1);
	snprintf(question, sizeof(question), "dialogues/hn/questions/001.md");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ck_diags *d = ck_diags_new();
	ck_model *m = NULL;
	ck_site *s;

	if (root == NULL)
		setup();
	put(question, (const char *)data, size);
	if (ck_model_load(&m, root, ck_day_from_ymd(2025, 7, 1), 1, false, d) ==
	    0) {
		s = ck_site_new();
		/* One thread: a fuzzer runs many inputs, each small. */
		if (access("themes/default", F_OK) == 0)
			ck_views_render_jobs(s, m, "themes/default", 1, d);
		ck_site_free(s);
		ck_model_report_status(m, d);
	}
	ck_model_free(m);
	ck_diags_free(d);
	return 0;
}
