/*
 * otarepo: a versions repository for tests (see otarepo.h).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "otarepo.h"

static void
check(int rc, const char *what)
{
	if (rc < 0) {
		const git_error *e = git_error_last();

		fprintf(stderr, "otarepo: %s: %s\n", what, e != NULL ? e->message : "failed");
		exit(99);
	}
}

void
otarepo_make(const char *path, const char *service, int commits)
{
	git_repository *repo;
	git_commit *parent = NULL;
	int i;

	git_libgit2_init();
	check(git_repository_init(&repo, path, 1), "init");
	for (i = 0; i < commits; i++) {
		git_treebuilder *root, *folder;
		git_oid blob_id, folder_id, tree_id, commit_id;
		git_signature *sig;
		git_tree *tree;
		char text[512], message[256];

		snprintf(text, sizeof(text), "# Terms\n\nVersion %d of the terms. We may change "
			 "these terms at any time.\n\nClause %d: you agree to arbitration.\n",
			 i, i * 7);
		check(git_blob_create_from_buffer(&blob_id, repo, text, strlen(text)), "blob");
		check(git_treebuilder_new(&folder, repo, NULL), "treebuilder");
		check(git_treebuilder_insert(NULL, folder, "Terms of Service.md", &blob_id,
					     GIT_FILEMODE_BLOB), "insert");
		check(git_treebuilder_write(&folder_id, folder), "write tree");
		check(git_treebuilder_new(&root, repo, NULL), "treebuilder");
		check(git_treebuilder_insert(NULL, root, service, &folder_id, GIT_FILEMODE_TREE),
		      "insert");
		check(git_treebuilder_write(&tree_id, root), "write tree");
		check(git_tree_lookup(&tree, repo, &tree_id), "tree");
		check(git_signature_new(&sig, "OTA-Bot", "bot@example.org",
					1600000000 + (git_time_t)i * 86400, 0), "signature");
		snprintf(message, sizeof(message), "%s %s Terms of Service\n",
			 i == 0 ? "Start tracking" : "Record new changes of", service);
		check(git_commit_create_v(&commit_id, repo, "HEAD", sig, sig, NULL, message, tree,
					  parent != NULL ? 1 : 0, parent), "commit");
		git_signature_free(sig);
		git_tree_free(tree);
		git_treebuilder_free(root);
		git_treebuilder_free(folder);
		git_commit_free(parent);
		check(git_commit_lookup(&parent, repo, &commit_id), "lookup");
	}
	git_commit_free(parent);
	git_repository_free(repo);
	git_libgit2_shutdown();
}
