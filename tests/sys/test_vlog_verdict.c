// SPDX-License-Identifier: MIT
/* Finding the verifier's complaint: in logs the running kernel writes for
 * real rejections, and in the log shapes the verifier has used since 5.x. */
#include <errno.h>
#include <string.h>

#include <bpfkit/isa.h>
#include <bpfkit/sys.h>

#include "../lib/bk_test.h"

TestSuite(sys_vlog_verdict, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

static struct bk_vlog_verdict verdict_of(const char *log)
{
	struct bk_vlog_verdict v;

	cr_assert_eq(bk_vlog_verdict(log, strlen(log), &v), 0, "no complaint found in: %s", log);
	return v;
}

/* Load insns expecting a rejection; return the verdict on its log. */
static struct bk_vlog_verdict reject(uint32_t type, const struct bk_insn *insns, size_t n,
				     struct bk_vlog *log)
{
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = type, .insns = insns,
					  .insn_cnt = n, .vlog = log));

	cr_assert_lt(fd, 0, "the kernel accepted a bad program");
	log->len = strlen(log->text);
	return verdict_of(log->text);
}

Test(sys_vlog_verdict, uninitialised_register_in_a_real_log)
{
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R0, 0), BK_MOV64_REG(BK_R0, BK_R3),
					 BK_EXIT() };
	struct bk_vlog log = { .level = 1 };
	struct bk_vlog_verdict v;

	BK_REQUIRE_KERNEL();
	v = reject(BK_PROG_TYPE_SOCKET_FILTER, insns, 3, &log);
	cr_assert_eq(v.insn, 1);
	cr_assert_eq(v.lines, 1);
	cr_assert_eq(v.msg_len, strlen("R3 !read_ok"));
	cr_assert_eq(memcmp(v.msg, "R3 !read_ok", v.msg_len), 0);
	cr_assert_eq(v.processed, 2, "two instructions walked");
	bk_vlog_free(&log);
}

Test(sys_vlog_verdict, complaint_before_the_walk_names_its_instruction)
{
	/* Control-flow checks run before the walk: no instruction lines, so
	 * the instruction comes from the complaint itself. */
	const struct bk_insn far[] = { BK_MOV64_IMM(BK_R0, 0), BK_JA(5), BK_EXIT() };
	const struct bk_insn dead[] = { BK_MOV64_IMM(BK_R0, 0), BK_JA(-2), BK_EXIT() };
	struct bk_vlog log = { .level = 1 };
	struct bk_vlog_verdict v;

	BK_REQUIRE_KERNEL();
	v = reject(BK_PROG_TYPE_SOCKET_FILTER, far, 3, &log);
	cr_assert_eq(v.insn, 1, "the jump is insn 1: %.*s", (int)v.msg_len, v.msg);
	cr_assert_eq(v.processed, 0);
	v = reject(BK_PROG_TYPE_SOCKET_FILTER, dead, 3, &log);
	cr_assert_eq(v.insn, 2, "nothing reaches the exit at 2: %.*s", (int)v.msg_len, v.msg);
	bk_vlog_free(&log);
}

Test(sys_vlog_verdict, helper_argument_complaint_in_a_real_log)
{
	/* bpf_map_lookup_elem with a number where a map belongs. */
	const struct bk_insn insns[] = { BK_MOV64_IMM(BK_R1, 0), BK_MOV64_REG(BK_R2, BK_R10),
					 BK_ALU64_IMM(BK_ADD, BK_R2, -8),
					 BK_ST_MEM(BK_DW, BK_R10, -8, 0),
					 BK_CALL_HELPER(1),
					 BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	struct bk_vlog log = { .level = 1 };
	struct bk_vlog_verdict v;

	BK_REQUIRE_KERNEL();
	v = reject(BK_PROG_TYPE_SOCKET_FILTER, insns, 7, &log);
	cr_assert_eq(v.insn, 4);
	cr_assert(memmem(v.msg, v.msg_len, "R1", 2), "%.*s", (int)v.msg_len, v.msg);
	bk_vlog_free(&log);
}

Test(sys_vlog_verdict, multi_line_complaint_spans_its_lines)
{
	const char *log = "0: R1=ctx() R10=fp0\n"
			  "; return x; @ prog.c:7\n"
			  "0: (61) r2 = *(u32 *)(r1 +0)          ; R1=ctx() R2_w=pkt(r=0)\n"
			  "1: (71) r0 = *(u8 *)(r2 +0)\n"
			  "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\n"
			  "R2 offset is outside of the packet\n"
			  "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0\n"
			  "verification time 10 usec\n";
	struct bk_vlog_verdict v = verdict_of(log);

	cr_assert_eq(v.insn, 1);
	cr_assert_eq(v.lines, 2);
	cr_assert_eq(v.processed, 2);
	cr_assert_eq(strncmp(v.msg, "invalid access to packet", 24), 0);
	cr_assert_eq(v.msg + v.msg_len, strstr(log, " packet\nprocessed") + 7,
		     "the span ends with the complaint's last line");
}

Test(sys_vlog_verdict, state_and_branch_lines_are_not_complaints)
{
	const char *log = "func#0 @0\n"
			  "0: R1=ctx() R10=fp0\n"
			  "0: (b7) r0 = 0                        ; R0_w=0\n"
			  "1: (15) if r1 == 0x0 goto pc+1\n"
			  "from 1 to 3: R0_w=0 R1=0 R10=fp0\n"
			  "3: (95) exit\n"
			  "R0 leaks addr as return value\n";
	struct bk_vlog_verdict v = verdict_of(log);

	cr_assert_eq(v.insn, 3);
	cr_assert_eq(v.processed, 0, "no summary line");
	cr_assert_eq(v.msg_len, strlen("R0 leaks addr as return value"));
}

Test(sys_vlog_verdict, successful_logs_have_no_complaint)
{
	const char *ok = "0: R1=ctx() R10=fp0\n"
			 "0: (b7) r0 = 0                        ; R0_w=0\n"
			 "1: (95) exit\n"
			 "processed 2 insns (limit 1000000) max_states_per_insn 0\n";
	struct bk_vlog_verdict v;

	cr_assert_eq(bk_vlog_verdict(ok, strlen(ok), &v), -ENOENT);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(v.insn, -1);
	cr_assert_eq(v.processed, 2);
	cr_assert_eq(bk_vlog_verdict("", 0, &v), -ENOENT);
	cr_assert_eq(bk_vlog_verdict(NULL, 0, &v), -ENOENT);
	cr_assert_eq(bk_vlog_verdict(NULL, 4, &v), -EINVAL);
	cr_assert_eq(bk_vlog_verdict(ok, 4, NULL), -EINVAL);
}

Test(sys_vlog_verdict, a_nul_or_the_length_ends_the_log)
{
	const char log[] = "0: (b7) r0 = 0\nfirst complaint\0second complaint\n";
	struct bk_vlog_verdict v;

	cr_assert_eq(bk_vlog_verdict(log, sizeof(log) - 1, &v), 0);
	cr_assert_eq(v.msg_len, strlen("first complaint"));
	cr_assert_eq(bk_vlog_verdict(log, 12, &v), -ENOENT, "cut inside the insn line");
	cr_assert_eq(bk_vlog_verdict(log, 20, &v), 0);
	cr_assert_eq(v.msg_len, 5, "'first' up to the given length");
}

Test(sys_vlog_verdict, windows_line_ends_and_trailing_blanks)
{
	const char *log = "4: (85) call bpf_map_lookup_elem#1  \r\n"
			  "R1 type=scalar expected=map_ptr  \r\n\r\n";
	struct bk_vlog_verdict v = verdict_of(log);

	cr_assert_eq(v.insn, 4);
	cr_assert_eq(v.msg_len, strlen("R1 type=scalar expected=map_ptr"));
}
