// SPDX-License-Identifier: MIT
/* BTF into the kernel: BPF_BTF_LOAD with the kernel's complaint kept. */
#include <stdlib.h>
#include <string.h>

#include <bpfkit/btf.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"
#include "btf_int.h"

#define PRIVATE_LOG (64u * 1024)

/* The last non-empty line of log, into diag and the library log. */
static void report(const char *log, int err, struct bk_diag *diag)
{
	size_t n = strnlen(log, PRIVATE_LOG);
	size_t end, start;

	while (n && (log[n - 1] == '\n' || log[n - 1] == ' '))
		n--;
	end = n;
	while (n && log[n - 1] != '\n')
		n--;
	start = n;
	if (end > start) {
		bk__diag(diag, err, "BPF_BTF_LOAD: %.*s", (int)(end - start), log + start);
		bk__warn("BTF rejected by the kernel: %.*s", (int)(end - start), log + start);
	} else {
		bk__diag(diag, err, "BPF_BTF_LOAD failed (no log)");
		bk__warn("BTF rejected by the kernel (errno %d, no log)", -err);
	}
}

int bk_btf_load_kernel(const void *raw, size_t size, const struct bk_btf_kload_opts *opts)
{
	struct bk_btf_load_opts lo = { .sz = sizeof(lo) };
	struct bk_diag *diag = BK_OPT(struct bk_btf_kload_opts, opts, diag, NULL);
	char *own = NULL;
	int fd, err = bk__opts_check(opts, sizeof(*opts));

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (err)
		return bk__diag(diag, err, "bad options");
	if (!raw || !size || size > UINT32_MAX)
		return bk__diag(diag, bk__err(-EINVAL), "no BTF, or larger than 4 GiB");
	lo.log_buf = BK_OPT(struct bk_btf_kload_opts, opts, log_buf, NULL);
	lo.log_size = BK_OPT(struct bk_btf_kload_opts, opts, log_size, 0);
	lo.log_level = BK_OPT(struct bk_btf_kload_opts, opts, log_level, 0);
	lo.btf_token_fd = BK_OPT(struct bk_btf_kload_opts, opts, token_fd, 0);
	if (lo.btf_token_fd)
		lo.btf_flags = BK_F_TOKEN_FD;
	if (!lo.log_buf || !lo.log_size)
		lo.log_buf = NULL, lo.log_size = 0, lo.log_level = 0;
	fd = bk_sys_btf_load(raw, (uint32_t)size, &lo);
	if (fd >= 0)
		return fd;
	err = fd;
	if (!lo.log_buf) { /* load again, this time for the log alone */
		own = calloc(1, PRIVATE_LOG);
		if (own) {
			lo.log_buf = own;
			lo.log_size = PRIVATE_LOG;
			lo.log_level = 1;
			fd = bk_sys_btf_load(raw, (uint32_t)size, &lo);
			if (fd >= 0) { /* it changed its mind: keep the success */
				free(own);
				return fd;
			}
		}
	}
	if (lo.log_buf) {
		lo.log_buf[lo.log_size - 1] = '\0';
		report(lo.log_buf, err, diag);
	} else {
		report("", err, diag);
	}
	free(own);
	return bk__err(err);
}

int bk_btf_builder_load(const struct bk_btf_builder *b, const struct bk_btf_kload_opts *opts)
{
	struct bk_diag *diag = BK_OPT(struct bk_btf_kload_opts, opts, diag, NULL);
	size_t size;
	void *raw;
	int fd;

	if (bk__btf_builder_split(b))
		return bk__diag(diag, -EOPNOTSUPP, "split BTF is loaded by modules, not BPF_BTF_LOAD");
	raw = bk_btf_builder_encode(b, &size, diag);
	if (!raw)
		return -errno;
	fd = bk_btf_load_kernel(raw, size, opts);
	free(raw);
	return fd;
}
