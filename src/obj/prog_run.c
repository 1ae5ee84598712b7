// SPDX-License-Identifier: MIT
/* What one does with a loaded program: run it, ask about it, read it back. */
#include <stdlib.h>
#include <string.h>

#include "prog_int.h"

int bk_prog_test_run(const struct bk_prog *prog, struct bk_test_run_opts *opts)
{
	if (!prog || !opts)
		return bk__err(-EINVAL);
	return bk_sys_prog_test_run(prog->fd, opts);
}

int bk_prog_run_data(const struct bk_prog *prog, const void *data, uint32_t size,
		     uint32_t *retval)
{
	struct bk_test_run_opts run = { .sz = sizeof(run), .data_in = data, .data_size_in = size };
	int err;

	if (!prog || !retval)
		return bk__err(-EINVAL);
	err = bk_sys_prog_test_run(prog->fd, &run);
	if (err)
		return err;
	*retval = run.retval;
	return 0;
}

int bk_prog_info(const struct bk_prog *prog, struct bk_info_prog *out)
{
	if (!prog || !out)
		return bk__err(-EINVAL);
	return bk_info_prog(prog->fd, out);
}

int bk_prog_xlated(const struct bk_prog *prog, struct bk_insn **out, size_t *count)
{
	struct bk_insn *insns;
	uint32_t cap = 0, n = 0;
	int err;

	if (!prog || !out || !count)
		return bk__err(-EINVAL);
	*out = NULL;
	*count = 0;
	err = bk_info_prog_xlated(prog->fd, NULL, 0, &cap);
	if (err)
		return err;
	if (cap == 0) /* the kernel hides them (kptr_restrict, no CAP_SYS_ADMIN) */
		return bk__err(-EPERM);
	insns = calloc(cap, sizeof(*insns));
	if (!insns)
		return bk__err(-ENOMEM);
	err = bk_info_prog_xlated(prog->fd, insns, cap, &n);
	if (err) {
		free(insns);
		return err;
	}
	*out = insns;
	*count = n < cap ? n : cap;
	return 0;
}

int bk_prog_dump_xlated(const struct bk_prog *prog, const struct bk_disasm_opts *opts,
			bk_sink_fn sink, void *ctx)
{
	const struct bk_disasm_opts dflt = { .sz = sizeof(dflt),
					     .dialect = BK_DIALECT_LLVM,
					     .helper_names = true,
					     .index = true };
	struct bk_insn *insns;
	size_t n;
	int err;

	if (!sink)
		return bk__err(-EINVAL);
	err = bk_prog_xlated(prog, &insns, &n);
	if (err)
		return err;
	err = bk_disasm(insns, n, opts ? opts : &dflt, sink, ctx);
	free(insns);
	return err;
}

int bk_prog_enable_stats(void)
{
	return bk_sys_enable_stats(BK_STATS_RUN_TIME);
}
