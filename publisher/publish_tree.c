/*
 * The site's tree: every file written as a blob straight into the target's
 * object database, one tree per folder, bottom-up, without an index or a
 * working tree.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish_int.h"

/* A file of the site, by its path. */
struct entry {
	const char *path;
	size_t i; /* index in the site */
};

/* Writes a blob unless the object database has it already; its id in id. */
static int
put_blob(struct pub *p, git_oid *id, const void *data, size_t len)
{
	if (git_odb_hash(id, data, len, GIT_OBJECT_BLOB) < 0)
		return -1;
	if (git_odb_exists(p->odb, id))
		return 0;
	return git_odb_write(id, p->odb, data, len, GIT_OBJECT_BLOB);
}

/* Orders entries bytewise by path (qsort). */
static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
	              ((const struct entry *)b)->path);
}

/*
 * Puts name (a file or folder of path) in the tree being built; refuses a
 * name taken already, which the site's flat list of paths cannot rule out.
 */
static int
tb_insert(git_treebuilder *tb, const char *name, const git_oid *id,
          git_filemode_t mode, const char *path)
{
	if (git_treebuilder_get(tb, name) != NULL) {
		fprintf(stderr,
		        "congkhai publish: %s: two files, or a file and a "
		        "folder, have that name\n",
		        path);
		return -3;
	}
	if (git_treebuilder_insert(NULL, tb, name, id, mode) < 0)
		return ck_pub_git_fail("cannot put %s in a git tree", path);
	return 0;
}

/*
 * Writes the tree of the files e[lo..hi), which all start with the same
 * folder prefix of plen bytes; bottom-up, one tree per folder. Trees that
 * exist already are not written again (the object database sees to it).
 */
static int
write_tree(struct pub *p, git_oid *out, const struct entry *e, size_t lo,
           size_t hi, size_t plen, int root)
{
	git_treebuilder *tb = NULL;
	ck_buf name = CK_BUF_INIT;
	const char *rest, *slash, *data;
	size_t i = lo, j, len, nlen;
	git_oid id;
	int rc;

	if (git_treebuilder_new(&tb, p->repo, NULL) < 0)
		return ck_pub_git_fail("tree builder");
	while (i < hi) {
		rest = e[i].path + plen;
		slash = strchr(rest, '/');
		if (slash == NULL) {
			data = ck_site_data(p->site, e[i].i, &len);
			if (put_blob(p, &id, data, len) < 0) {
				rc = ck_pub_git_fail("%s", e[i].path);
				goto done;
			}
			if ((rc = tb_insert(tb, rest, &id, GIT_FILEMODE_BLOB,
			                    e[i].path)) < 0)
				goto done;
			i++;
			continue;
		}
		nlen = (size_t)(slash - rest);
		for (j = i + 1; j < hi; j++)
			if (strncmp(e[j].path + plen, rest, nlen + 1) != 0)
				break;
		ck_buf_clear(&name);
		ck_buf_put(&name, rest, nlen);
		if ((rc = write_tree(p, &id, e, i, j, plen + nlen + 1, 0)) <
		        0 ||
		    (rc = tb_insert(tb, name.ptr, &id, GIT_FILEMODE_TREE,
		                    e[i].path)) < 0)
			goto done;
		i = j;
	}
	if (root) {
		/* Pages hosts must not run the site through Jekyll. */
		if (put_blob(p, &id, "", 0) < 0 ||
		    git_treebuilder_insert(NULL, tb, ".nojekyll", &id,
		                           GIT_FILEMODE_BLOB) < 0) {
			rc = ck_pub_git_fail(".nojekyll");
			goto done;
		}
		if (p->o->cname != NULL && *p->o->cname != '\0') {
			ck_buf_clear(&name);
			ck_buf_printf(&name, "%s\n", p->o->cname);
			if (put_blob(p, &id, name.ptr, name.size) < 0 ||
			    git_treebuilder_insert(NULL, tb, "CNAME", &id,
			                           GIT_FILEMODE_BLOB) < 0) {
				rc = ck_pub_git_fail("CNAME");
				goto done;
			}
		}
	}
	if (git_treebuilder_write(out, tb) < 0) {
		rc = ck_pub_git_fail("writing a tree");
		goto done;
	}
	rc = 0;
done:
	git_treebuilder_free(tb);
	ck_buf_free(&name);
	return rc;
}

/*
 * Writes the site's tree, .nojekyll and CNAME with it: its id in
 * p->tree_id, the tree in p->new_tree (owned by p).
 */
int
ck_pub_build_tree(struct pub *p)
{
	size_t i, n = ck_site_count(p->site);
	struct entry *e = calloc(n ? n : 1, sizeof(*e));
	int rc;

	if (e == NULL)
		err(3, "calloc");
	for (i = 0; i < n; i++) {
		e[i].path = ck_site_path(p->site, i);
		e[i].i = i;
	}
	/* Files of one folder must be neighbours: sorted bytewise, they are. */
	qsort(e, n, sizeof(*e), cmp_entry);
	rc = write_tree(p, &p->tree_id, e, 0, n, 0, 1);
	free(e);
	if (rc == 0 && git_tree_lookup(&p->new_tree, p->repo, &p->tree_id) < 0)
		rc = ck_pub_git_fail("reading the new tree");
	return rc;
}
