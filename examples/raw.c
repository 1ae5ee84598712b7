// SPDX-License-Identifier: MIT
/* One level down: the kernel interface itself. Load five instructions with
 * the verifier's log, run them once on a frame, release the log. */
#include <stdio.h>
#include <unistd.h>

#include <bpfkit/sys.h>

static const struct bk_insn prog[] = {
	BK_MOV64_IMM(BK_R0, 1),              /* r0 = XDP_DROP          */
	BK_LDX_MEM(BK_W, BK_R2, BK_R1, 0),   /* r2 = ctx->data         */
	BK_JMP_IMM(BK_JEQ, BK_R2, 0, 1),     /* if r2 == 0 goto +1     */
	BK_MOV64_IMM(BK_R0, 2),              /* r0 = XDP_PASS          */
	BK_EXIT(),
};

int main(void)
{
	struct bk_vlog log = { .level = BK_VLOG_LEVEL1 };
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
					  .insns = prog, .insn_cnt = 5, .vlog = &log));
	if (fd < 0) { /* -EACCES: the verifier said no; log.text says why */
		printf("%s\n%s", bk_strerror(BK_CMD_PROG_LOAD, fd), log.text ? log.text : "");
		bk_vlog_free(&log);
		return 1;
	}
	uint8_t frame[64] = { 1 };
	struct bk_test_run_opts run = { .sz = sizeof(run), .data_in = frame,
					.data_size_in = sizeof(frame) };
	int err = bk_sys_prog_test_run(fd, &run);
	printf("fd %d: returned %u; the verifier's log has %zu bytes\n", fd, run.retval, log.len);
	bk_vlog_free(&log); /* the log is kept after a success too */
	close(fd);
	return err ? 1 : 0;
}
