// SPDX-License-Identifier: MIT
/*
 * What every kernel link shares, against the running kernel: pinning on a
 * private bpffs (the program stays attached without the object, comes back
 * by path, goes with the last reference), adopting an fd, the generic
 * BPF_LINK_CREATE, and bad input. XDP on a veth pair in a private network
 * namespace is the hook, because frames make attachment observable.
 */
#include <fcntl.h>

#include "test_link.h"

TestSuite(obj_link, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

#define N_FRAMES 9

static const struct bk_link_opts skb_mode = { .sz = sizeof(skb_mode),
					      .flags = BK_XDP_FLAGS_SKB_MODE };

/* Send a batch and return how many more frames slot 0 counted. */
static uint64_t counted(const struct bk_map *counts)
{
	uint64_t before = tl_count(counts, 0);

	tl_send_frames("bkl0", N_FRAMES);
	return tl_count_wait(counts, 0, before + N_FRAMES) - before;
}

Test(obj_link, pinned_link_outlives_the_object_until_unlinked)
{
	char dir[128], path[192];
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_link *link, *back, *other;
	struct bk_info_link info;
	uint32_t id;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	cr_assert_eq(bk_test_bpffs(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/xdp_link", dir);
	counts = tl_counts();
	prog = tl_xdp_counter(counts, 0, 2);
	link = bk_link_xdp(prog, (int)bk_test_ifindex("bkl1"), &skb_mode);
	cr_assert_not_null(link, "%s", strerror(errno));
	id = bk_link_id(link);
	cr_assert_eq(bk_link_pin(link, path), 0, "%s", strerror(errno));
	cr_assert_eq(bk_link_pin(link, path), -EEXIST);
	bk_link_close(link);
	bk_prog_close(prog);
	cr_assert_eq(counted(counts), N_FRAMES, "pinned: still attached without any fd");

	back = bk_link_open_pinned(path);
	cr_assert_not_null(back, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(back), BK_LINK_KIND_GENERIC);
	cr_assert_eq(bk_link_id(back), id, "the same kernel link");
	cr_assert_eq(bk_link_info(back, &info), 0);
	cr_assert_eq(info.ifindex, bk_test_ifindex("bkl1"));
	other = bk_link_from_fd(bk_link_fd(back));
	cr_assert_not_null(other, "an fd from a pin names itself bpf-link: %s", strerror(errno));
	bk_link_close(other);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(counted(counts), N_FRAMES, "unpinned, but our object holds it");
	bk_link_close(back);
	cr_assert_eq(counted(counts), 0, "the last reference went: detached");
	cr_assert_null(bk_link_open_pinned(path));
	cr_assert_eq(errno, ENOENT);
	bk_map_close(counts);
}

Test(obj_link, from_fd_and_generic_create)
{
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_link *link, *other;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	counts = tl_counts();
	prog = tl_xdp_counter(counts, 0, 2);
	link = bk_link_create(prog, (int)bk_test_ifindex("bkl1"), BK_ATTACH_XDP, &skb_mode);
	cr_assert_not_null(link, "%s", strerror(errno));
	cr_assert_eq(bk_link_kind(link), BK_LINK_KIND_GENERIC);
	cr_assert_eq(counted(counts), N_FRAMES);

	other = bk_link_from_fd(bk_link_fd(link));
	cr_assert_not_null(other, "%s", strerror(errno));
	cr_assert_neq(bk_link_fd(other), bk_link_fd(link), "a duplicate, not the caller's fd");
	cr_assert(fcntl(bk_link_fd(other), F_GETFD) & FD_CLOEXEC);
	cr_assert_eq(bk_link_id(other), bk_link_id(link));
	bk_link_close(other);
	cr_assert_eq(counted(counts), N_FRAMES, "the first object still holds the link");
	cr_assert_eq(bk_link_update(link, prog), 0, "generic links update through the kernel");
	cr_assert_eq(bk_link_detach(link), 0);
	cr_assert_eq(counted(counts), 0, "detached while the object lives");
	bk_link_close(link);
	bk_prog_close(prog);
	bk_map_close(counts);
}

Test(obj_link, bad_input)
{
	struct {
		struct bk_link_opts o;
		uint64_t newer;
	} future = { .o.sz = sizeof(future), .newer = 1 };
	struct bk_map *counts;
	struct bk_prog *prog;
	struct bk_info_link info;
	char *out;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	counts = tl_counts();
	prog = tl_xdp_counter(counts, 0, 2);
	cr_assert_null(bk_link_create(NULL, (int)bk_test_ifindex("bkl1"), BK_ATTACH_XDP, NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_create(prog, (int)bk_test_ifindex("bkl1"), BK_ATTACH_XDP,
				      &future.o));
	cr_assert_eq(errno, EINVAL, "a field this library does not know is set");
	cr_assert_null(bk_link_from_fd(bk_map_fd(counts)));
	cr_assert_eq(errno, EINVAL, "a map fd is no link");
	cr_assert_null(bk_link_from_fd(-1));
	cr_assert_eq(errno, EBADF);
	cr_assert_null(bk_link_open_pinned(NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(bk_link_open_pinned("/sys/fs/bpf/bk_no_such_link_here"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(bk_link_update(NULL, prog), -EINVAL);
	cr_assert_eq(bk_link_detach(NULL), -EINVAL);
	cr_assert_eq(bk_link_pin(NULL, "/x"), -EINVAL);
	cr_assert_eq(bk_link_info(NULL, &info), -EINVAL);
	cr_assert_eq(bk_link_iter_read(NULL, &out, NULL), -EINVAL);
	bk_link_close(NULL);
	bk_prog_close(prog);
	bk_map_close(counts);
}

Test(obj_link, pin_outside_bpffs_is_refused)
{
	char dir[] = "/tmp/bk-link-pin-XXXXXX", path[64];
	struct bk_prog *prog;
	struct bk_link *link;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/link", dir);
	prog = tl_load(BK_PROG_TYPE_XDP, BK_ATTACH_XDP, NULL, "r0 = 2\nexit\n");
	link = bk_link_xdp(prog, (int)bk_test_ifindex("bkl1"), &skb_mode);
	cr_assert_not_null(link);
	cr_assert_eq(bk_link_pin(link, path), -EPERM, "not a bpffs: %s", strerror(errno));
	cr_assert_eq(errno, EPERM);
	rmdir(dir);
	bk_link_close(link);
	bk_prog_close(prog);
}
