// SPDX-License-Identifier: MIT
/* The raw call: fds above 2 and close-on-exec, errno convention. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

static int tiny_map(void)
{
	return bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
					 .key_size = 4, .value_size = 4, .max_entries = 1));
}

Test(bpf_raw, fds_are_cloexec)
{
	int fd;

	BK_REQUIRE_KERNEL();
	fd = tiny_map();
	cr_assert_geq(fd, 3);
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

Test(bpf_raw, fds_never_land_on_0_1_2)
{
	pid_t pid;
	int st;

	BK_REQUIRE_KERNEL();
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int fd;

		close(0);
		close(1);
		close(2);
		fd = tiny_map();
		_exit(fd >= 3 && (fcntl(fd, F_GETFD) & FD_CLOEXEC) && fcntl(0, F_GETFD) < 0 ? 0 : 1);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a map took fd 0-2 or fd 0 stayed open");
}

Test(bpf_raw, errors_are_negative_errno_with_errno_set)
{
	union bk_bpf_attr a;

	BK_REQUIRE_KERNEL();
	memset(&a, 0, sizeof(a));
	errno = 0;
	cr_assert_eq(bk_sys_bpf(9999, &a, sizeof(a)), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	a.elem.map_fd = 1000000; /* no such fd */
	cr_assert_eq(bk_sys_bpf(BK_CMD_MAP_LOOKUP_ELEM, &a, sizeof(a)), -EBADF);
	cr_assert_eq(errno, EBADF);
}
