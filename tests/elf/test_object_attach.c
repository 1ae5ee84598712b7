// SPDX-License-Identifier: MIT
/*
 * bk_object_attach(): the corpus object attach.bpf.o attached by its
 * sections in a world of the test's own (network namespace with a veth
 * pair, temporary cgroup, a UDP socket), then each hook made to fire:
 * frames through XDP, a datagram through the socket filter, getpid()
 * through the tracepoint, raw tracepoint and tp_btf programs, the task
 * iterator read. Sections that cannot attach say what is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpfkit/object.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"
#include "../obj/test_link.h"

static struct bk_object *loaded(const char *name, struct bk_diag *d)
{
	char path[512];
	struct bk_object *obj;
	struct bk_object_map *ro;

	BK_REQUIRE_KERNEL();
	obj = bk_object_open_file(bk_corpus_obj(name, path, sizeof(path)),
				  BK_OPTS(bk_object_opts, .diag = d));
	cr_assert_not_null(obj, "%s", d->msg);
	ro = bk_object_map_by_name(obj, ".rodata");
	if (ro) { /* attach.bpf.c: the iterator prints the task whose tgid is want_tgid */
		int *want = bk_object_map_data(ro, NULL);

		cr_assert_not_null(want);
		*want = getpid();
	}
	cr_assert_eq(bk_object_load(obj), 0, "%s: %s", name, d->msg);
	return obj;
}

static uint64_t hits(struct bk_object *obj, uint32_t slot)
{
	uint64_t v = 0;

	cr_assert_eq(bk_map_lookup(bk_object_map_map(bk_object_map_by_name(obj, "hits")), &slot, 4,
				   &v, 8, 0), 0);
	return v;
}

Test(object_attach, every_section_attached_and_firing)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	char cg[256];
	uint16_t port;
	int cg_fd, sock, tx, n;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char *text = NULL;
	size_t len = 0;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_tracefs(), 0);
	cr_assert_eq(bk_test_netns("bko0", "bko1"), 0);
	cr_assert_eq(bk_test_cgroup_create(cg, sizeof(cg)), 0);
	cg_fd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(cg_fd, 0);
	sock = udp_bound(&port);
	obj = loaded("attach", &d);
	n = bk_object_attach(obj, BK_OPTS(bk_object_attach_opts, .ifindex = bk_test_ifindex("bko0"),
					  .cgroup_fd = cg_fd, .sock_fd = sock));
	/* xdp, socket, cgroup_skb, cgroup/connect4, tp, raw_tp, tp_btf, iter, sk_lookup;
	 * classic "tc" has no direction and is left alone */
	cr_assert_eq(n, 9, "attached %d: %s", n, d.msg);

	tl_send_frames("bko1", 3);
	cr_assert_geq(tl_count_wait(bk_object_map_map(bk_object_map_by_name(obj, "hits")), 0, 3), 3,
		      "XDP saw the frames");

	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	to.sin_port = htons(port);
	cr_assert_eq(sendto(tx, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	cr_assert_eq(udp_drain(sock, 1000), 1);
	cr_assert_eq(hits(obj, 3), 1, "the socket filter saw the datagram once");
	close(tx);

	{
		uint64_t tp = hits(obj, 6), raw = hits(obj, 7), btf = hits(obj, 8);

		for (int i = 0; i < 5; i++)
			syscall(SYS_getpid);
		cr_assert_geq(hits(obj, 6) - tp, 5, "tracepoint");
		cr_assert_geq(hits(obj, 7) - raw, 5, "raw tracepoint");
		cr_assert_geq(hits(obj, 8) - btf, 5, "tp_btf");
	}
	{
		struct bk_object_prog *it = bk_object_prog_by_name(obj, "on_iter_task");
		struct bk_link *l = bk_object_prog_attach(it, NULL);

		cr_assert_not_null(l, "%s", d.msg);
		cr_assert_eq(bk_link_iter_read(l, &text, &len), 0);
		char self[32];

		snprintf(self, sizeof(self), "self %d\n", getpid());
		cr_assert_str_eq(text, self, "the iterator printed %zu bytes: %.100s", len, text);
		cr_assert_gt(hits(obj, 9), 1);
		cr_assert_eq(((int *)bk_object_map_data(bk_object_map_by_name(obj, ".rodata"), NULL))[0],
			     getpid(), "the frozen .rodata reads back through its mapping");
		free(text);
		bk_link_close(l);
	}
	bk_object_close(obj); /* closes the links: detached */
	close(sock);
	close(cg_fd);
	bk_test_cgroup_remove(cg);
}

Test(object_attach, what_is_missing_is_said)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_tracefs(), 0);
	obj = loaded("attach", &d);
	cr_assert_null(bk_object_prog_attach(bk_object_prog_by_name(obj, "on_xdp"), NULL));
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(d.msg, "an interface"), "%s", d.msg);
	cr_assert_null(bk_object_prog_attach(bk_object_prog_by_name(obj, "on_cgroup_skb"), NULL));
	cr_assert(strstr(d.msg, "a cgroup"), "%s", d.msg);
	cr_assert_null(bk_object_prog_attach(bk_object_prog_by_name(obj, "on_tc"),
					     BK_OPTS(bk_object_attach_opts, .ifindex = 1)));
	cr_assert(strstr(d.msg, "classic tc"), "%s", d.msg);
	cr_assert_eq(bk_object_attach(obj, NULL), 5, "tp, raw_tp, tp_btf, iter, sk_lookup need no place (%s)",
		     d.msg);
	bk_object_close(obj);
}

Test(object_attach, kprobe_sections_load_and_refuse_to_attach_by_name)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = loaded("kprobe", &d);
	struct bk_object_prog *p = bk_object_prog_by_name(obj, "on_kprobe");

	cr_assert_not_null(p);
	cr_assert_null(bk_object_prog_attach(p, NULL));
	cr_assert_eq(errno, EOPNOTSUPP);
	cr_assert(strstr(d.msg, "kprobes"), "%s", d.msg);
	bk_object_close(obj);
}

/* fentry/fexit/fmod_ret/lsm: the host refuses their loads with EPERM before the
 * verifier runs; the target's BTF id is still found by name. */
Test(object_attach, tracing_targets_resolved_by_name)
{
	char path[512];
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_object_prog *p;
	int err;

	BK_REQUIRE_KERNEL();
	obj = bk_object_open_file(bk_corpus_obj("tracing", path, sizeof(path)),
				  BK_OPTS(bk_object_opts, .diag = &d));
	cr_assert_not_null(obj);
	p = bk_object_prog_by_name(obj, "on_fentry");
	cr_assert_not_null(p);
	for (size_t i = 0; i < bk_object_prog_count(obj); i++)
		if (bk_object_prog_at(obj, i) != p)
			bk_object_prog_set_autoload(bk_object_prog_at(obj, i), false);
	err = bk_object_load(obj);
	if (err == -EPERM) {
		bk_object_close(obj);
		/* the target resolved (a wrong name fails before the kernel, with ESRCH) */
		obj = bk_object_open_file(path, BK_OPTS(bk_object_opts, .diag = &d));
		p = bk_object_prog_by_name(obj, "on_fentry");
		for (size_t i = 0; i < bk_object_prog_count(obj); i++)
			if (bk_object_prog_at(obj, i) != p)
				bk_object_prog_set_autoload(bk_object_prog_at(obj, i), false);
		cr_assert_eq(bk_object_prog_set_attach_target(p, 0, "bk_no_such_function"), 0);
		cr_assert_eq(bk_object_load(obj), -ESRCH);
		cr_assert(strstr(d.msg, "bk_no_such_function"), "%s", d.msg);
		bk_object_close(obj);
		BK_SKIP_FEATURE("fentry loads: the host refuses them with EPERM (probed by the load; target resolution checked)");
	}
	cr_assert_eq(err, 0, "%s", d.msg);
	bk_object_close(obj);
}
