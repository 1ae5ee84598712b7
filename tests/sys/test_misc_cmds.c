// SPDX-License-Identifier: MIT
/* BTF load with a hand-built blob, task fd query, stats, tokens, streams. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(sys_misc, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

/* BTF: header, one INT type "int" (32-bit signed), strings "\0int\0". */
struct tiny_btf {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint32_t name_off, info, size, encoding;
	char strings[5];
} __attribute__((packed));

static struct tiny_btf make_btf(void)
{
	struct tiny_btf b = {
		.magic = 0xeb9f, .version = 1, .hdr_len = 24, .type_off = 0, .type_len = 16,
		.str_off = 16, .str_len = 5, .name_off = 1, .info = 1u << 24 /* INT */, .size = 4,
		.encoding = (1u << 24) | 32 /* signed, 32 bits */,
	};

	memcpy(b.strings, "\0int", 5);
	return b;
}

Test(sys_misc, btf_load_accepts_a_valid_blob_and_explains_a_bad_one)
{
	struct tiny_btf b = make_btf();
	char log[1024] = "";
	int fd;

	BK_REQUIRE_KERNEL();
	fd = bk_sys_btf_load(&b, sizeof(b), NULL);
	cr_assert_geq(fd, 3, "%s", bk_strerror(BK_CMD_BTF_LOAD, fd));
	close(fd);
	b.info = 99u << 24; /* no such kind */
	cr_assert_eq(bk_sys_btf_load(&b, sizeof(b),
				     BK_OPTS(bk_btf_load_opts, .log_buf = log, .log_size = sizeof(log))),
		     -EINVAL);
	cr_assert_neq(log[0], '\0', "the kernel said why");
	cr_assert_eq(bk_sys_btf_load(NULL, 0, NULL), -EINVAL);
}

Test(sys_misc, task_fd_query_on_a_raw_tracepoint_link)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_task_fd_query q;
	char name[64];
	int prog, link;

	BK_REQUIRE_KERNEL();
	prog = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts,
					.prog_type = BK_PROG_TYPE_RAW_TRACEPOINT, .insns = p,
					.insn_cnt = 2));
	cr_assert_geq(prog, 3);
	link = bk_sys_raw_tracepoint_open("sys_enter", prog, 0);
	cr_assert_geq(link, 3);
	memset(&q, 0, sizeof(q));
	q.buf = name;
	q.buf_len = sizeof(name);
	cr_assert_eq(bk_sys_task_fd_query(getpid(), link, &q), 0);
	cr_assert_str_eq(name, "sys_enter");
	cr_assert_gt(q.prog_id, 0);
	cr_assert_lt(bk_sys_task_fd_query(getpid(), 0, &q), 0, "stdin is no BPF link");
	close(link);
	close(prog);
}

Test(sys_misc, enable_stats_fd)
{
	int fd;

	BK_REQUIRE_KERNEL();
	fd = bk_sys_enable_stats(BK_STATS_RUN_TIME);
	cr_assert_geq(fd, 3);
	close(fd);
	cr_assert_eq(bk_sys_enable_stats(99), -EINVAL);
}

Test(sys_misc, token_create_needs_a_delegating_bpffs)
{
	BK_REQUIRE_KERNEL();
	/* fd 0 is not a bpffs mount; a real token needs a user-namespace bpffs
	 * with delegate_* options, which the objects layer's tests cover. */
	cr_assert(bk_sys_token_create(0, 0) < 0);
}

Test(sys_misc, stream_read_of_a_program_without_output)
{
	const struct bk_insn p[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	char buf[64];
	int prog, n;

	BK_REQUIRE_KERNEL();
	prog = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
					.insns = p, .insn_cnt = 2));
	cr_assert_geq(prog, 3);
	n = bk_sys_prog_stream_read(prog, 2, buf, sizeof(buf));
	cr_assert(n == 0 || n == -EINVAL || n == -ENOSYS, "nothing was printed: %d", n);
	close(prog);
}

Test(sys_misc, strerror_is_per_command_and_never_null)
{
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_UPDATE_ELEM, E2BIG),
			 "the map is full (max_entries reached)");
	cr_assert_str_eq(bk_strerror(BK_CMD_MAP_CREATE, E2BIG),
			 "the key or value size is too large for this map type");
	cr_assert_not_null(strstr(bk_strerror(BK_CMD_PROG_LOAD, EPERM), "CAP_BPF"));
	cr_assert_not_null(strstr(bk_strerror(BK_CMD_MAP_CREATE, EPERM), "CAP_BPF"));
	cr_assert_not_null(strstr(bk_strerror(BK_CMD_LINK_CREATE, EINVAL), "attach"));
	cr_assert_str_eq(bk_strerror(-1, 12345), "unknown error");
	cr_assert_str_eq(bk_errname(-EACCES), "EACCES");
	cr_assert_str_eq(bk_errname(99999), "E?");
}
