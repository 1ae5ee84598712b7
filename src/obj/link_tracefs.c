// SPDX-License-Identifier: MIT
/*
 * Where tracefs is, and a tracepoint's id in it: the one thing perf needs to
 * open an event on a tracepoint, and the kernel offers it only as a file.
 */
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "link_int.h"

/* The events/ directory under the first tracefs (or debugfs) in our mount
 * namespace's table, into dir; false when there is none. */
static bool events_from_mounts(char *dir, size_t size)
{
	struct mntent ent;
	char buf[1024];
	bool found = false;
	FILE *f = setmntent("/proc/self/mounts", "re");

	if (!f)
		return false;
	while (!found && getmntent_r(f, &ent, buf, sizeof(buf))) {
		if (strcmp(ent.mnt_type, "tracefs") == 0)
			found = snprintf(dir, size, "%s/events", ent.mnt_dir) < (int)size;
		else if (strcmp(ent.mnt_type, "debugfs") == 0)
			found = snprintf(dir, size, "%s/tracing/events", ent.mnt_dir) < (int)size;
	}
	endmntent(f);
	return found;
}

/* Without /proc, try where tracefs is normally mounted. An empty
 * /sys/kernel/tracing (nothing mounted) has no events/ and is skipped. */
static bool events_from_defaults(char *dir, size_t size)
{
	static const char *const paths[] = { "/sys/kernel/tracing/events",
					     "/sys/kernel/debug/tracing/events" };
	struct stat st;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(dir, size, "%s", paths[i]);
			return true;
		}
	}
	return false;
}

/* One path component of events/: no separators, no "." or "..". */
static bool valid_component(const char *s)
{
	return s && *s && *s != '.' && !strchr(s, '/');
}

static int read_id(const char *path, uint64_t *id)
{
	char text[32], *end;
	ssize_t n = bk__read_text(path, text, sizeof(text));

	if (n <= 0)
		return n < 0 ? (int)n : bk__err(-EIO);
	*id = strtoull(text, &end, 10);
	return end == text ? bk__err(-EIO) : 0;
}

int bk__tracefs_event_id(const char *category, const char *name, uint64_t *id)
{
	char dir[512], path[1024];

	if (!valid_component(category) || !valid_component(name))
		return bk__err(-EINVAL);
	if (!events_from_mounts(dir, sizeof(dir)) && !events_from_defaults(dir, sizeof(dir))) {
		bk__debug("tracepoint %s:%s: tracefs is not mounted (mount -t tracefs nodev "
			  "/sys/kernel/tracing)",
			  category, name);
		return bk__err(-ENOENT);
	}
	if (snprintf(path, sizeof(path), "%s/%s/%s/id", dir, category, name) >= (int)sizeof(path))
		return bk__err(-ENAMETOOLONG);
	return read_id(path, id);
}
