/*
 * Pushing the published branch: to a remote of the target repository, or
 * to a path or URL; credentials from an SSH agent or CONGKHAI_GIT_TOKEN;
 * the server's messages shown and its rejections reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "publish_int.h"

/* Push: the state the callbacks share. */
struct push_state {
	const char *remote;
	ck_buf rejected; /* "ref: reason" lines */
	int tried_agent, tried_token, tried_user;
	ck_buf line; /* the server's message being received */
};

/*
 * libgit2's credentials callback: each kind of credential once, in turn
 * (a user name, the SSH agent's keys, CONGKHAI_GIT_TOKEN), then an error
 * saying what was refused. What *out gets belongs to libgit2.
 */
static int
push_credentials(git_credential **out, const char *url,
                 const char *user_from_url, unsigned int allowed, void *payload)
{
	struct push_state *st = payload;
	const char *token = getenv("CONGKHAI_GIT_TOKEN");
	const char *user = getenv("CONGKHAI_GIT_USER");

	if ((allowed & GIT_CREDENTIAL_USERNAME) && !st->tried_user) {
		st->tried_user = 1;
		return git_credential_username_new(
		    out, user_from_url ? user_from_url : "git");
	}
	if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !st->tried_agent) {
		st->tried_agent = 1;
		return git_credential_ssh_key_from_agent(
		    out, user_from_url ? user_from_url : "git");
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !st->tried_token &&
	    token != NULL && *token != '\0') {
		st->tried_token = 1;
		if (user == NULL || *user == '\0')
			user = user_from_url ? user_from_url : "x-access-token";
		return git_credential_userpass_plaintext_new(out, user, token);
	}
	if (st->tried_token)
		git_error_set_str(GIT_ERROR_NET,
		                  "the server refused the token in "
		                  "CONGKHAI_GIT_TOKEN");
	else if (st->tried_agent)
		git_error_set_str(
		    GIT_ERROR_NET,
		    "the server accepted no key of the SSH agent");
	else
		git_error_set_str(GIT_ERROR_NET,
		                  "authentication needed (ssh: an SSH agent; "
		                  "https: a token in CONGKHAI_GIT_TOKEN)");
	return GIT_EAUTH;
}

/* libgit2's report on a pushed reference: a rejection is kept. */
static int
push_update(const char *refname, const char *status, void *payload)
{
	struct push_state *st = payload;

	if (status != NULL)
		ck_buf_printf(&st->rejected, "%s: %s\n", refname, status);
	return 0;
}

/* One line from the server: shown, unless it is progress ("... 42% (n/m)"). */
static void
show_remote_line(struct push_state *st)
{
	if (st->line.size > 0 && strstr(st->line.ptr, "% (") == NULL)
		fprintf(stderr, "remote: %s\n", st->line.ptr);
	ck_buf_clear(&st->line);
}

/* The server's messages (hooks and the like), for the user to read. */
static int
push_sideband(const char *str, int len, void *payload)
{
	struct push_state *st = payload;
	int i;

	for (i = 0; i < len; i++) {
		if (str[i] == '\n')
			show_remote_line(st);
		else if (str[i] == '\r')
			ck_buf_clear(&st->line); /* overwritten progress */
		else
			ck_buf_putc(&st->line, str[i]);
	}
	return 0;
}

/* Pushes the branch (see publish_int.h). */
int
ck_pub_push(struct ck_publisher *p)
{
	git_remote *remote = NULL;
	git_push_options po;
	struct push_state st = {0};
	ck_buf spec = CK_BUF_INIT;
	char *specs[1], *abs = NULL;
	git_strarray refspecs = {specs, 1};
	const char *name = p->o->push, *url;
	struct stat sb;
	int valid = 0, rc;

	st.remote = name;
	ck_buf_init(&st.rejected);
	ck_buf_init(&st.line);
	if (git_remote_name_is_valid(&valid, name) == 0 && valid)
		rc = git_remote_lookup(&remote, p->repo, name);
	else
		rc = GIT_ENOTFOUND;
	if (rc == GIT_ENOTFOUND) {
		/* A path or URL; a relative path means from here, not from
		 * the repository. */
		url = name;
		if (strstr(name, "://") == NULL && stat(name, &sb) == 0 &&
		    (abs = realpath(name, NULL)) != NULL)
			url = abs;
		if (url == name && strstr(name, "://") == NULL &&
		    strchr(name, ':') == NULL && strchr(name, '/') != NULL) {
			/* A path (not scp-like host:path) that is not there. */
			fprintf(stderr,
			        "congkhai publish: --push: no repository at "
			        "%s\n",
			        name);
			rc = -3;
			goto done;
		}
		if (url == name && valid) {
			fprintf(stderr,
			        "congkhai publish: --push: %s has no remote "
			        "named '%s', and there is no such folder\n",
			        p->o->repo, name);
			rc = -3;
			goto done;
		}
		rc = git_remote_create_anonymous(&remote, p->repo, url);
	}
	if (rc < 0) {
		rc = ck_pub_git_fail("push to %s", name);
		goto done;
	}
	ck_buf_printf(&spec, "%s:%s", p->ref.ptr, p->ref.ptr);
	specs[0] = spec.ptr;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	po.callbacks.credentials = push_credentials;
	po.callbacks.push_update_reference = push_update;
	po.callbacks.sideband_progress = push_sideband;
	po.callbacks.payload = &st;
	rc = git_remote_push(remote, &refspecs, &po);
	show_remote_line(&st);
	if (rc == GIT_ENONFASTFORWARD) {
		fprintf(stderr,
		        "congkhai publish: push to %s rejected %s: "
		        "non-fast-forward (the remote branch has commits that "
		        "%s does not have)\n",
		        name, p->ref.ptr, p->o->repo);
		rc = -3;
		goto done;
	}
	if (rc < 0) {
		rc = ck_pub_git_fail("push to %s", name);
		goto done;
	}
	if (st.rejected.size > 0) {
		ck_buf_truncate(&st.rejected, st.rejected.size - 1);
		fprintf(stderr, "congkhai publish: push to %s rejected %s\n",
		        name, st.rejected.ptr);
		rc = -3;
		goto done;
	}
	printf("Pushed %s to %s.\n", p->o->branch, name);
done:
	free(abs);
	ck_buf_free(&spec);
	ck_buf_free(&st.rejected);
	ck_buf_free(&st.line);
	git_remote_free(remote);
	return rc;
}
