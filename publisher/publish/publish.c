/*
 * Publishing (publish.h): the dirty check, opening or creating the target,
 * reading the tip, the commit, the compare-and-swap branch move and the
 * working tree's update, in that order. The tree is written by
 * publish_tree.c, the message by publish_message.c, the push by
 * publish_push.c.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "gitutil.h"
#include "publish_int.h"

/* The most uncommitted paths the dirty refusal names. */
#define MAX_DIRTY 10
/* Commits are dated in the commune's time zone, UTC+7. */
#define TZ_MINUTES 420

/* Prints "congkhai publish: <what>: <libgit2's last error>"; returns -3. */
int
ck_pub_git_fail(const char *fmt, ...)
{
	const git_error *e = git_error_last();
	va_list ap;

	fprintf(stderr, "congkhai publish: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n",
	        e && e->message ? e->message : "unknown git error");
	return -3;
}

/* The abbreviated id of id, as git shows it, into out. */
static void
short_id(char out[13], const git_oid *id)
{
	git_oid_tostr(out, 13, id);
}

/* Opens the repository holding dir (searching upward, as git does). */
static int
open_source_repo(git_repository **out, const char *dir)
{
	return git_repository_open_ext(out, dir, 0,
	                               getenv("GIT_CEILING_DIRECTORIES"));
}

/*
 * Appends the uncommitted paths (staged, modified, deleted, untracked but
 * not ignored) under prefix to list, one a line, and returns their count;
 * negative on a git failure.
 */
static long
dirty_paths(ck_buf *list, git_repository *repo, const char *prefix)
{
	git_status_options so;
	git_status_list *sl = NULL;
	const git_status_entry *e;
	const char *path;
	char *spec = (char *)prefix;
	size_t i, n, plen = strlen(prefix);
	long count = 0;

	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	           GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	           GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	if (plen > 0) {
		so.pathspec.strings = &spec;
		so.pathspec.count = 1;
	}
	if (git_status_list_new(&sl, repo, &so) < 0)
		return -1;
	n = git_status_list_entrycount(sl);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(sl, i);
		if (e->status == GIT_STATUS_CURRENT ||
		    (e->status & GIT_STATUS_IGNORED))
			continue;
		if (e->index_to_workdir)
			path = e->index_to_workdir->new_file.path;
		else
			path = e->head_to_index->new_file.path;
		/* The pathspec is a prefix; a sibling "content2" is not ours.
		 */
		if (plen > 0 &&
		    (strncmp(path, prefix, plen) != 0 || path[plen] != '/'))
			continue;
		if (count < MAX_DIRTY)
			ck_buf_printf(list, "  %s\n", path);
		count++;
	}
	git_status_list_free(sl);
	return count;
}

/* The dirty check before a publication (see publish.h). */
int
ck_publish_check_clean(const ck_publish_opts *opts)
{
	git_repository *repo = NULL;
	ck_buf prefix = CK_BUF_INIT, list = CK_BUF_INIT;
	long n;
	int rc = 0;

	if (opts->allow_dirty || opts->content_dir == NULL)
		return 0;
	git_libgit2_init();
	rc = open_source_repo(&repo, opts->content_dir);
	if (rc == GIT_ENOTFOUND) {
		rc = 0;
		goto done;
	}
	if (rc < 0) {
		rc = ck_pub_git_fail("%s", opts->content_dir);
		goto done;
	}
	if (ck_git_workdir_path(&prefix, repo, opts->content_dir) != 0)
		goto done; /* bare, or not in its working tree */
	n = dirty_paths(&list, repo, prefix.ptr);
	if (n < 0) {
		rc = ck_pub_git_fail("%s: status", opts->content_dir);
		goto done;
	}
	if (n > 0) {
		fprintf(stderr,
		        "congkhai publish: %s has uncommitted changes:\n%s",
		        opts->content_dir, list.ptr);
		if (n > MAX_DIRTY)
			fprintf(stderr, "  ... and %ld more\n", n - MAX_DIRTY);
		fprintf(stderr, "Commit them, or pass --allow-dirty to publish "
		                "anyway.\n");
		rc = -1;
	}
done:
	git_repository_free(repo);
	git_libgit2_shutdown();
	ck_buf_free(&prefix);
	ck_buf_free(&list);
	return rc;
}

/* The records' repository: HEAD's id for Source-Commit, and whether the
 * records differ from it (published anyway with --allow-dirty). */
static int
read_source(struct ck_publisher *p)
{
	git_repository *src = NULL;
	ck_buf prefix = CK_BUF_INIT, list = CK_BUF_INIT;
	git_oid id;
	long n;
	int rc;

	if (p->o->content_dir == NULL)
		return 0;
	rc = open_source_repo(&src, p->o->content_dir);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return ck_pub_git_fail("%s", p->o->content_dir);
	rc = 0;
	if (ck_git_workdir_path(&prefix, src, p->o->content_dir) != 0)
		goto done;
	if (git_reference_name_to_id(&id, src, "HEAD") == 0)
		git_oid_tostr(p->source, sizeof(p->source), &id);
	n = dirty_paths(&list, src, prefix.ptr);
	if (n < 0) {
		rc = ck_pub_git_fail("%s: status", p->o->content_dir);
		goto done;
	}
	p->source_dirty = n > 0;
done:
	git_repository_free(src);
	ck_buf_free(&prefix);
	ck_buf_free(&list);
	return rc;
}

/* Opens --repo, or creates it (non-bare, HEAD on the branch). */
static int
open_target(struct ck_publisher *p)
{
	git_repository_init_options io;
	int rc;

	rc = git_repository_open_ext(&p->repo, p->o->repo,
	                             GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_repository_init_options_init(
		    &io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		io.flags = GIT_REPOSITORY_INIT_MKPATH;
		io.initial_head = p->o->branch;
		rc = git_repository_init_ext(&p->repo, p->o->repo, &io);
		if (rc == 0)
			printf("Created the git repository %s (branch %s).\n",
			       p->o->repo, p->o->branch);
	}
	if (rc < 0)
		return ck_pub_git_fail("%s", p->o->repo);
	if (git_repository_odb(&p->odb, p->repo) < 0)
		return ck_pub_git_fail("%s: object database", p->o->repo);
	return 0;
}

/* Whether the branch is the one checked out in the target's working tree;
 * refuses when that working tree holds the records themselves. */
static int
find_checkout(struct ck_publisher *p)
{
	git_reference *head = NULL;
	ck_buf where = CK_BUF_INIT;
	int rc = 0;

	if (git_repository_is_bare(p->repo))
		return 0;
	if (git_reference_lookup(&head, p->repo, "HEAD") < 0)
		return ck_pub_git_fail("%s: HEAD", p->o->repo);
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    strcmp(git_reference_symbolic_target(head), p->ref.ptr) == 0)
		p->checked_out = 1;
	if (p->checked_out && p->o->content_dir != NULL &&
	    ck_git_workdir_path(&where, p->repo, p->o->content_dir) == 0) {
		fprintf(stderr,
		        "congkhai publish: %s is the branch checked out in %s, "
		        "whose working tree holds the records; publish to "
		        "another branch (for example --branch gh-pages)\n",
		        p->o->branch, p->o->repo);
		rc = -2;
	}
	git_reference_free(head);
	ck_buf_free(&where);
	return rc;
}

/* The branch tip, its commit and tree; none for an unborn branch. */
static int
read_tip(struct ck_publisher *p)
{
	git_reference *ref = NULL;
	int rc;

	rc = git_reference_lookup(&ref, p->repo, p->ref.ptr);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return ck_pub_git_fail("%s: %s", p->o->repo, p->ref.ptr);
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		fprintf(stderr,
		        "congkhai publish: %s: %s is a symbolic reference\n",
		        p->o->repo, p->ref.ptr);
		git_reference_free(ref);
		return -3;
	}
	git_oid_cpy(&p->old_id, git_reference_target(ref));
	git_reference_free(ref);
	p->have_old = 1;
	if (git_commit_lookup(&p->old_commit, p->repo, &p->old_id) < 0 ||
	    git_commit_tree(&p->old_tree, p->old_commit) < 0)
		return ck_pub_git_fail("%s: %s", p->o->repo, p->ref.ptr);
	return 0;
}

/* name and email from the environment, else the repository's
 * configuration, else congkhai's own. */
static int
signature(git_signature **out, git_config *cfg, const char *env_name,
          const char *env_email, git_time_t when)
{
	const char *name = getenv(env_name), *email = getenv(env_email);
	const char *cname = NULL, *cemail = NULL;

	if (cfg != NULL) {
		if (git_config_get_string(&cname, cfg, "user.name") < 0)
			cname = NULL;
		if (git_config_get_string(&cemail, cfg, "user.email") < 0)
			cemail = NULL;
	}
	if (name == NULL || *name == '\0')
		name = cname && *cname ? cname : "congkhai";
	if (email == NULL || *email == '\0')
		email = cemail && *cemail ? cemail : "congkhai@localhost";
	if (git_signature_new(out, name, email, when, TZ_MINUTES) < 0)
		return ck_pub_git_fail("signature '%s <%s>'", name, email);
	return 0;
}

/* The commit time: SOURCE_DATE_EPOCH when set (reproducible), else now. */
static int
commit_time(git_time_t *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (s == NULL || *s == '\0') {
		*out = (git_time_t)time(NULL);
		return 0;
	}
	errno = 0;
	t = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || t < 0) {
		fprintf(stderr,
		        "congkhai publish: SOURCE_DATE_EPOCH='%s' is not a "
		        "count of seconds\n",
		        s);
		return -3;
	}
	*out = (git_time_t)t;
	return 0;
}

/*
 * Commits the new tree on top of the old tip (none for an unborn branch)
 * without moving any reference; its id in p->commit_id.
 */
static int
make_commit(struct ck_publisher *p, const char *message)
{
	git_config *cfg = NULL;
	git_signature *author = NULL, *committer = NULL;
	const git_commit *parents[1];
	git_time_t when;
	int rc;

	if ((rc = commit_time(&when)) < 0)
		return rc;
	if (git_repository_config_snapshot(&cfg, p->repo) < 0)
		cfg = NULL; /* no configuration: the defaults */
	if ((rc = signature(&author, cfg, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
	                    when)) < 0 ||
	    (rc = signature(&committer, cfg, "GIT_COMMITTER_NAME",
	                    "GIT_COMMITTER_EMAIL", when)) < 0)
		goto done;
	parents[0] = p->old_commit;
	if (git_commit_create(&p->commit_id, p->repo, NULL, author, committer,
	                      NULL, message, p->new_tree, p->have_old ? 1 : 0,
	                      parents) < 0)
		rc = ck_pub_git_fail("creating the commit");
done:
	git_signature_free(author);
	git_signature_free(committer);
	git_config_free(cfg);
	return rc;
}

/*
 * Serialises congkhai publishers on one working tree: the branch move and
 * the checkout that follows it happen under this lock, so the files on
 * disk always end up those of the last commit to win. flock(2) is released
 * by the kernel when a publisher dies, so a kill leaves no stale lock.
 */
static int
lock_worktree(struct ck_publisher *p)
{
	ck_buf path = CK_BUF_INIT;
	int fd;

	ck_buf_printf(&path, "%scongkhai-publish.lock",
	              git_repository_path(p->repo));
	fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		warn("%s", path.ptr);
	else if (flock(fd, LOCK_EX) != 0) {
		warn("%s", path.ptr);
		close(fd);
		fd = -1;
	}
	ck_buf_free(&path);
	return fd;
}

/*
 * Refuses before the branch moves when git's index lock is taken: the
 * checkout after the move could not finish.
 */
static int
check_index_lock(struct ck_publisher *p)
{
	ck_buf path = CK_BUF_INIT;
	struct stat st;
	int rc = 0;

	ck_buf_printf(&path, "%sindex.lock", git_repository_path(p->repo));
	if (lstat(path.ptr, &st) == 0) {
		fprintf(stderr,
		        "congkhai publish: %s exists: a git command is running "
		        "in %s, or one was killed (then remove the file); "
		        "nothing was changed\n",
		        path.ptr, p->o->repo);
		rc = -3;
	}
	ck_buf_free(&path);
	return rc;
}

/* Whether the branch points at id now. */
static int
branch_at(struct ck_publisher *p, const git_oid *id)
{
	git_oid now;

	return git_reference_name_to_id(&now, p->repo, p->ref.ptr) == 0 &&
	       git_oid_equal(&now, id);
}

/* Moves the branch from the old tip to the new commit, or fails when it
 * is no longer at the old tip. */
static int
move_branch(struct ck_publisher *p, const char *summary)
{
	git_reference *ref = NULL;
	ck_buf log = CK_BUF_INIT;
	int rc;

	ck_buf_printf(&log, "congkhai publish: %s", summary);
	if (p->have_old)
		rc = git_reference_create_matching(&ref, p->repo, p->ref.ptr,
		                                   &p->commit_id, 1, &p->old_id,
		                                   log.ptr);
	else
		rc = git_reference_create(&ref, p->repo, p->ref.ptr,
		                          &p->commit_id, 0, log.ptr);
	git_reference_free(ref);
	ck_buf_free(&log);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		fprintf(stderr,
		        "congkhai publish: %s moved while publishing (another "
		        "publisher?); nothing was lost, run publish again\n",
		        p->o->branch);
		return -3;
	}
	if (rc == GIT_ELOCKED) {
		fprintf(stderr,
		        "congkhai publish: %s is locked by another process "
		        "(%s%s.lock); nothing was lost, run publish again (if "
		        "no git command or publisher is running, the lock "
		        "is left from one that was killed: remove it)\n",
		        p->o->branch, git_repository_path(p->repo), p->ref.ptr);
		return -3;
	}
	if (rc < 0)
		return ck_pub_git_fail("%s: moving %s", p->o->repo,
		                       p->o->branch);
	return 0;
}

/*
 * Remembers the files' blob ids for the next publish, for commit (the
 * branch tip now); unless the cache on disk says so already.
 */
static void
save_cache(struct ck_publisher *p, const git_oid *commit)
{
	if (p->cache.state == CK_CACHE_VALID && !p->stats.hashed &&
	    !p->files.made_changed && git_oid_equal(commit, &p->old_id))
		return;
	ck_pub_cache_save(p->repo, commit, p->files.v, p->files.len);
}

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* With CONGKHAI_PUBLISH_STATS set: what the publish hashed and wrote. */
static void
print_stats(const struct ck_publisher *p)
{
	static const char *const state[] = {"absent", "stale", "damaged",
	                                    "valid"};
	const struct ck_pub_stats *s = &p->stats;
	const char *env = getenv("CONGKHAI_PUBLISH_STATS");

	if (env == NULL || *env == '\0')
		return;
	fprintf(stderr,
	        "congkhai publish: stats: cache %s, files %zu, reused %zu, "
	        "hashed %zu, new blobs %zu, tree %s (%zu put, %zu removed), "
	        "packs %zu, packed objects %zu, open data deltas %zu, "
	        "streamed %zu, checked out "
	        "from the build %zu (linked %zu); seconds: tree %.3f, commit "
	        "and pack %.3f, working tree %.3f; earlier files: looked at "
	        "early %zu, by the index %zu; kept %zu\n",
	        state[p->cache.state], s->files, s->reused, s->hashed,
	        s->written, s->incremental ? "edited" : "whole", s->upserted,
	        s->removed, s->packs, s->packed, s->deltas, s->streamed,
	        s->from_build, s->linked, s->t_tree, s->t_commit, s->t_worktree,
	        s->early, s->by_index, s->kept);
}

enum { PUB_NOT_BEGUN, PUB_BEGUN, PUB_FAILED };

ck_publisher *
ck_publisher_new(const ck_publish_opts *opts)
{
	ck_publisher *p = calloc(1, sizeof(*p));

	if (p == NULL)
		err(3, "calloc");
	pthread_mutex_init(&p->mu, NULL);
	p->opts = *opts;
	if (p->opts.repo == NULL)
		p->opts.repo = "site";
	if (p->opts.branch == NULL)
		p->opts.branch = "main";
	p->o = &p->opts;
	ck_buf_init(&p->ref);
	git_libgit2_init();
	return p;
}

void
ck_publisher_free(ck_publisher *p)
{
	size_t i;

	if (p == NULL)
		return;
	/* A failed build: its blobs are written, and forgotten. */
	ck_pub_early_end(p);
	ck_pub_stream_wait(p);
	ck_pub_look_end(p);
	ck_pub_cache_free(&p->cache);
	for (i = 0; i < p->nspooled; i++)
		close(p->spooled[i].fd);
	free(p->spooled);
	free(p->changes);
	free(p->files.v);
	ck_arena_free(p->files.arena);
	git_tree_free(p->new_tree);
	git_tree_free(p->old_tree);
	git_commit_free(p->old_commit);
	git_odb_free(p->odb);
	git_repository_free(p->repo);
	ck_buf_free(&p->ref);
	git_libgit2_shutdown();
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/*
 * What the first file needs: the repository opened (or created), the
 * branch tip read, the object database readied. Sets p->state.
 */
static void
begin(ck_publisher *p)
{
	int rc;

	p->state = PUB_FAILED;
	if (!ck_publish_branch_valid(p->o->branch)) {
		fprintf(stderr,
		        "congkhai publish: '%s' is not a valid branch "
		        "name\n",
		        p->o->branch);
		p->begin_rc = -2;
		return;
	}
	ck_buf_printf(&p->ref, "refs/heads/%s", p->o->branch);
	if ((rc = read_source(p)) < 0 || (rc = open_target(p)) < 0 ||
	    (rc = find_checkout(p)) < 0 || (rc = read_tip(p)) < 0 ||
	    (rc = ck_pub_begin_tree(p)) < 0) {
		p->begin_rc = rc;
		return;
	}
	p->state = PUB_BEGUN;
}

int
ck_pub_ensure_begun(ck_publisher *p)
{
	int rc;

	pthread_mutex_lock(&p->mu);
	if (p->state == PUB_NOT_BEGUN)
		begin(p);
	rc = p->state == PUB_BEGUN ? 0 : -1;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void
ck_publisher_stage(void *arg, ck_site_stage_id stage)
{
	ck_publisher *p = arg;

	if (stage == CK_SITE_FILES_NEXT) {
		ck_pub_early_start(p);
	} else if (stage == CK_SITE_LAST_NEXT) {
		/* The sitemap takes a province's build 0.3 s on one CPU:
		 * the look at the checkout (120,000 lstat(2)s, on every
		 * CPU) that the update of the working tree needs is taken
		 * meanwhile, rather than after it. */
		pthread_mutex_lock(&p->mu);
		if (p->state == PUB_BEGUN)
			ck_pub_look_start(p);
		pthread_mutex_unlock(&p->mu);
	}
}

/*
 * Adds a file, its bytes at data or (data NULL) in fd, hashed already:
 * the first file begins the publication. Returns 0 or -1 (p failed).
 */
static int
add_hashed(ck_publisher *p, const char *path, const void *data, int fd,
           size_t len, const uint64_t hash[2], const uint64_t *made)
{
	int rc = -1;

	pthread_mutex_lock(&p->mu);
	if (p->state == PUB_NOT_BEGUN)
		begin(p);
	if (p->state == PUB_BEGUN) {
		rc = data != NULL || fd < 0
		         ? ck_pub_add_file(p, path, data, len, hash, made)
		         : ck_pub_add_file_fd(p, path, fd, len, hash);
		if (rc < 0) {
			p->state = PUB_FAILED;
			p->begin_rc = -3;
		}
	}
	pthread_mutex_unlock(&p->mu);
	return rc < 0 ? -1 : 0;
}

int
ck_publisher_put(void *arg, const char *path, const void *data, size_t len,
                 const uint64_t *made)
{
	uint64_t hash[2];

	/* The fast hash, the costly part for unchanged pages, in parallel. */
	ck_hash128(hash, data, len);
	return add_hashed(arg, path, data, -1, len, hash, made);
}

int
ck_publisher_keep(void *arg, const char *path, const uint64_t made[2])
{
	ck_publisher *p = arg;
	int rc = -1;

	pthread_mutex_lock(&p->mu);
	if (p->state == PUB_NOT_BEGUN)
		begin(p);
	if (p->state == PUB_BEGUN)
		rc = ck_pub_keep_file(p, path, made);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
ck_publisher_put_fd(void *arg, const char *path, int fd, size_t len,
                    const uint64_t hash[2])
{
	/* The stream asks the early look for its base under the lock that
	 * the look's thread takes to begin: that thread ends first. */
	ck_pub_early_wait(arg);
	return add_hashed(arg, path, NULL, fd, len, hash, NULL);
}

/*
 * The sink's memory (ck_site_memory; see publish.h). A large file was
 * looked at early (publish_early.c). Otherwise each call reads the
 * checkout's index as the last publication left it, and drops it (a
 * province's takes 20 MB), outside the lock: the page workers' files go
 * on meanwhile.
 */
static int
pub_earlier(void *arg, const char *path, uint64_t hash[2])
{
	ck_publisher *p = arg;
	const struct ck_pub_cached *had = NULL;
	const git_index_entry *e = NULL;
	git_index *index = NULL;
	ck_buf full = CK_BUF_INIT, workdir = CK_BUF_INIT;
	struct stat st;
	int fd = -1;

	ck_pub_early_wait(p);
	if ((fd = ck_pub_early_open(p, path, hash)) != -2) {
		pthread_mutex_lock(&p->mu);
		p->stats.early++;
		pthread_mutex_unlock(&p->mu);
		return fd;
	}
	fd = -1;
	pthread_mutex_lock(&p->mu);
	if (p->state == PUB_NOT_BEGUN)
		begin(p);
	/* The cache stays as begin loaded it until p is freed. */
	if (p->state == PUB_BEGUN && p->checked_out &&
	    git_repository_workdir(p->repo) != NULL &&
	    (had = ck_pub_cache_find(&p->cache, path)) != NULL) {
		ck_buf_puts(&workdir, git_repository_workdir(p->repo));
		ck_buf_printf(&full, "%sindex", git_repository_path(p->repo));
		p->stats.by_index++;
	}
	pthread_mutex_unlock(&p->mu);
	if (had != NULL) {
		if (git_index_open(&index, full.ptr) < 0) {
			git_error_clear();
			index = NULL;
		}
		e = index ? git_index_get_bypath(index, path, 0) : NULL;
		/* The blob the cache has the hash of, as checked out. */
		if (e != NULL && (!git_oid_equal(&e->id, &had->id) ||
		                  ck_pub_stat_differs(&full, workdir.ptr, e)))
			e = NULL;
		if (e != NULL) {
			hash[0] = had->hash[0];
			hash[1] = had->hash[1];
			fd = ck_pub_open_checkout(workdir.ptr, path);
			if (fd >= 0 &&
			    (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
			     (uint64_t)st.st_size != had->size)) {
				close(fd);
				fd = -1;
			}
		}
	}
	git_index_free(index);
	ck_buf_free(&full);
	ck_buf_free(&workdir);
	return fd;
}

/* A memo's file: <gitdir>/congkhai/blobcache.<name>. */
static int
pub_memo_path(void *arg, const char *name, ck_buf *out)
{
	ck_publisher *p = arg;
	int rc = -1;

	pthread_mutex_lock(&p->mu);
	if (p->state == PUB_NOT_BEGUN)
		begin(p);
	if (p->state == PUB_BEGUN) {
		ck_buf_printf(out, "%scongkhai/blobcache.%s",
		              git_repository_path(p->repo), name);
		rc = 0;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

const ck_site_memory ck_publisher_memory = {pub_earlier, pub_memo_path};

/* Whether git accepts branch as a branch's name (see publish.h). */
int
ck_publish_branch_valid(const char *branch)
{
	ck_buf ref = CK_BUF_INIT;
	int valid = 0;

	git_libgit2_init();
	ck_buf_printf(&ref, "refs/heads/%s", branch);
	if (*branch == '\0' || *branch == '-' || strcmp(branch, "HEAD") == 0 ||
	    git_reference_name_is_valid(&valid, ref.ptr) < 0)
		valid = 0;
	ck_buf_free(&ref);
	git_libgit2_shutdown();
	return valid;
}

/*
 * One publication: the tree written, then committed and the branch moved
 * unless nothing changed, the working tree updated, the push (see
 * publish.h).
 */
int
ck_publisher_finish(ck_publisher *p, const char *today, const char *cname)
{
	ck_buf message = CK_BUF_INIT, summary = CK_BUF_INIT;
	char id[13];
	int rc, lock = -1;
	double t;

	p->opts.today = today;
	p->opts.cname = cname;
	ck_pub_early_end(p);
	if (p->state == PUB_NOT_BEGUN)
		begin(p); /* a site without files */
	if (p->state != PUB_BEGUN) {
		rc = p->begin_rc ? p->begin_rc : -3;
		goto done;
	}
	/* The checkout is looked at while the blobs are finished and the
	 * commit made. */
	ck_pub_look_start(p);
	t = now();
	if ((rc = ck_pub_stream_wait(p)) < 0 || (rc = ck_pub_build_tree(p)) < 0)
		goto done;
	p->stats.t_tree = now() - t;

	if (p->have_old &&
	    git_oid_equal(&p->tree_id, git_tree_id(p->old_tree))) {
		if (p->checked_out) {
			/* An earlier publish may have died before its
			 * checkout: finish it. */
			if ((lock = lock_worktree(p)) < 0) {
				rc = -3;
				goto done;
			}
			/* Unless another publisher moved the branch meanwhile
			 * (and checked out its own commit). */
			t = now();
			if (branch_at(p, &p->old_id) &&
			    ((rc = check_index_lock(p)) < 0 ||
			     (rc = ck_pub_update_worktree(p)) < 0))
				goto done;
			p->stats.t_worktree = now() - t;
		}
		save_cache(p, &p->old_id);
		short_id(id, &p->old_id);
		printf("Nothing changed: %s stays at %s.\n", p->o->branch, id);
	} else {
		t = now();
		if ((rc = ck_pub_compose_message(p, &message, &summary)) < 0 ||
		    (rc = make_commit(p, message.ptr)) < 0 ||
		    (rc = ck_pub_write_pack(p)) < 0)
			goto done;
		p->stats.t_commit = now() - t;
		if (p->checked_out && (lock = lock_worktree(p)) < 0) {
			rc = -3;
			goto done;
		}
		if ((p->checked_out && (rc = check_index_lock(p)) < 0) ||
		    (rc = move_branch(p, summary.ptr)) < 0)
			goto done;
		save_cache(p, &p->commit_id);
		t = now();
		if (p->checked_out && (rc = ck_pub_update_worktree(p)) < 0)
			goto done;
		p->stats.t_worktree = now() - t;
		short_id(id, &p->commit_id);
		printf("Published %s to %s in %s: %s\n", id, p->o->branch,
		       p->o->repo, summary.ptr);
	}
	if (lock >= 0) {
		close(lock);
		lock = -1;
	}
	if (p->o->push != NULL)
		rc = ck_pub_push(p);
done:
	if (lock >= 0)
		close(lock);
	print_stats(p);
	fflush(stdout);
	ck_buf_free(&message);
	ck_buf_free(&summary);
	return rc;
}

int
ck_publish(const ck_site *site, const ck_publish_opts *opts)
{
	ck_publisher *p = ck_publisher_new(opts);
	const char *data;
	size_t i, len = 0;
	int rc = 0;

	for (i = 0; i < ck_site_count(site) && rc == 0; i++) {
		data = ck_site_data(site, i, &len);
		rc =
		    ck_publisher_put(p, ck_site_path(site, i), data, len, NULL);
	}
	/* A failed put is reported, with its own status, by finish. */
	rc = ck_publisher_finish(p, opts->today, opts->cname);
	ck_publisher_free(p);
	return rc;
}
