// SPDX-License-Identifier: MIT
/* Shared test fixtures; see bk_test.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bk_test.h"

#ifndef __NR_bpf
#define __NR_bpf 321
#endif

bool bk_test_kernel_required(void)
{
	const char *v = getenv("BK_REQUIRE_KERNEL");

	return v && strcmp(v, "1") == 0;
}

const char *bk_test_kernel_unavailable(void)
{
	char attr[128] = { 0 };
	long r;

	if (geteuid() != 0)
		return "not running as root (CAP_BPF and CAP_NET_ADMIN are needed)";
	/* BPF_PROG_GET_NEXT_ID (11) with start_id 0: any errno but ENOSYS/EPERM
	 * means bpf() is reachable and we may use it. */
	r = syscall(__NR_bpf, 11, attr, sizeof(attr));
	if (r < 0 && errno == ENOSYS)
		return "the kernel has no bpf() system call";
	if (r < 0 && errno == EPERM)
		return "bpf() is not permitted here (seccomp or missing capabilities)";
	return NULL;
}

bool bk_test_have_tool(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

char *bk_test_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 1 << 16;
	char *buf = malloc(cap);

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_not_null(buf);
	for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
	}
	cr_assert_not(ferror(f), "%s: read error", path);
	fclose(f);
	buf[n] = '\0';
	if (size)
		*size = n;
	return buf;
}

int bk_test_run(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, cap = 4096;
	char *buf;
	int st;

	if (!p)
		return -1;
	buf = malloc(cap);
	if (!buf) {
		pclose(p);
		return -1;
	}
	for (;;) {
		size_t got;

		if (len + 1024 + 1 > cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		got = fread(buf + len, 1, cap - len - 1, p);
		if (got == 0)
			break;
		len += got;
	}
	buf[len] = '\0';
	st = pclose(p);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool if_running(int s, const char *name)
{
	struct ifreq r;

	memset(&r, 0, sizeof(r));
	snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", name);
	return ioctl(s, SIOCGIFFLAGS, &r) == 0 && (r.ifr_flags & IFF_RUNNING);
}

/*
 * "ip link set up" returns before the kernel's link watch has seen the
 * carrier and swapped the device's noop qdisc (which drops every frame) for
 * a real one; on a busy machine that takes a while. Wait for both ends to
 * run, then a little more for the qdisc swap that follows the flag.
 */
static int wait_running(const char *veth0, const char *veth1)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int i;

	if (s < 0)
		return -errno;
	for (i = 0; i < 500 && !(if_running(s, veth0) && if_running(s, veth1)); i++)
		nanosleep(&tick, NULL);
	close(s);
	nanosleep(&tick, NULL);
	return i < 500 ? 0 : -ETIMEDOUT;
}

int bk_test_netns(const char *veth0, const char *veth1)
{
	char cmd[256];

	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	if (system("ip link set lo up") != 0)
		return -EIO;
	if (!veth0 || !veth1)
		return 0;
	snprintf(cmd, sizeof(cmd),
		 "ip link add %s type veth peer name %s && ip link set %s up && ip link set %s up",
		 veth0, veth1, veth0, veth1);
	if (system(cmd) != 0)
		return -EIO;
	return wait_running(veth0, veth1);
}

unsigned bk_test_ifindex(const char *name)
{
	return if_nametoindex(name);
}

int bk_test_bpffs(char *dir, size_t size)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	/* A fresh bpffs over the usual place, seen by this process (and its
	 * children) alone: the host's /sys/fs/bpf, mounted or not, is
	 * untouched, and no directory is left behind on the host. */
	snprintf(dir, size, "/sys/fs/bpf");
	if (mount("bpf", dir, "bpf", 0, "mode=0700") < 0)
		return -errno;
	return 0;
}

int bk_test_tracefs(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	/* Mounting over an existing tracefs is fine: the new one hides it,
	 * in this namespace only. */
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0)
		return -errno;
	return 0;
}

static const char *cgroup2_root(void)
{
	static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	struct stat st;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		char probe[256];

		snprintf(probe, sizeof(probe), "%s/cgroup.procs", roots[i]);
		if (stat(probe, &st) == 0) {
			char cmd[320];
			char *out = NULL;

			snprintf(cmd, sizeof(cmd), "stat -f -c %%T %s", roots[i]);
			if (bk_test_run(cmd, &out) == 0 && strstr(out, "cgroup2")) {
				free(out);
				return roots[i];
			}
			free(out);
		}
	}
	return NULL;
}

int bk_test_cgroup_create(char *dir, size_t size)
{
	const char *root = cgroup2_root();

	if (!root)
		return -ENOENT;
	snprintf(dir, size, "%s/bk-test-%d-XXXXXX", root, (int)getpid());
	/* mkdtemp on cgroupfs creates a real cgroup with a unique name. */
	if (!mkdtemp(dir))
		return -errno;
	return 0;
}

int bk_test_cgroup_remove(const char *dir)
{
	char procs[300], parent[300], line[32];
	FILE *f;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	strncat(parent, "/cgroup.procs", sizeof(parent) - strlen(parent) - 1);
	f = fopen(procs, "r");
	while (f && fgets(line, sizeof(line), f)) {
		FILE *p = fopen(parent, "w");

		if (p) {
			fputs(line, p);
			fclose(p);
		}
	}
	if (f)
		fclose(f);
	return rmdir(dir) < 0 ? -errno : 0;
}

int bk_test_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

static int fd_baseline = -1;

void bk_test_fd_snapshot(void)
{
	fd_baseline = bk_test_fd_count();
}

void bk_test_fd_check(void)
{
	int now = bk_test_fd_count();

	if (fd_baseline >= 0)
		cr_assert_eq(now, fd_baseline, "fd leak: %d fds open after the test, %d before", now,
			     fd_baseline);
}

const char *bk_test_cli(void)
{
	const char *p = getenv("BK_CLI");

	return p ? p : "build/bpfkit";
}

const char *bk_test_srcdir(void)
{
	const char *p = getenv("BK_SRCDIR");

	return p ? p : ".";
}

const char *bk_test_conformance_dir(void)
{
	static char dir[512];
	const char *env = getenv("BK_CONFORMANCE_DIR");

	if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/conformance/tests", bk_test_srcdir());
	if (access(dir, R_OK) != 0)
		BK_SKIP_OR_FAIL("no bpf_conformance files at %s (set BK_CONFORMANCE_DIR to the "
				"tests/ directory of github.com/Alan-Jowett/bpf_conformance)",
				dir);
	return dir;
}
