// SPDX-License-Identifier: MIT
/* Telling bpf object fds apart, taking fds from callers, and reading the
 * small kernel files (sysfs, tracefs) the objects layer consults. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "obj_int.h"

/* Kind names as /proc spells them, with '-' and '_' alike: a new link's fd
 * says "bpf_link", the same link opened from a pin or an id "bpf-link". */
static bool same_kind(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

/* The info call alone would accept a program fd where a map was meant and
 * fill the wrong struct; /proc names the kind. Without /proc mounted there
 * is no telling, and the fd is taken at its word. */
int bk__fd_check_kind(int fd, const char *anon_name)
{
	char path[64], link[64];
	ssize_t n;

	if (fcntl(fd, F_GETFD) < 0)
		return bk__err(-errno);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : bk__err(-errno);
	link[n] = '\0';
	if (strncmp(link, "anon_inode:", 11) != 0 || !same_kind(link + 11, anon_name))
		return bk__err(-EINVAL);
	return 0;
}

int bk__fd_dup_kind(int fd, const char *anon_name)
{
	int err, dup_fd;

	if (fd < 0)
		return bk__err(-EBADF);
	err = bk__fd_check_kind(fd, anon_name);
	if (err)
		return err;
	/* Above 2 and close-on-exec, like every fd the library hands out. */
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return dup_fd < 0 ? bk__err(-errno) : dup_fd;
}

int bk__fd_get_pinned_kind(const char *path, const char *anon_name)
{
	int fd, err;

	if (!path)
		return bk__err(-EINVAL);
	fd = bk_sys_obj_get(path, NULL);
	if (fd < 0)
		return fd;
	err = bk__fd_check_kind(fd, anon_name);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

ssize_t bk__read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return bk__err(-errno);
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = bk__err(-errno);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}
