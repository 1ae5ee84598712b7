// SPDX-License-Identifier: MIT
/*
 * Running a bpf_conformance test on the kernel: wrap (confrun_wrap.c), load
 * as XDP, BPF_PROG_TEST_RUN with the test's memory as the packet, read the
 * 64-bit r0 back from the one-entry array map, judge.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/confrun.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"
#include "confrun_int.h"

#define XDP_PASS 2
#define MIN_PACKET 64 /* XDP test runs want at least an Ethernet header */
#define SENTINEL 0xbadc0ffee0ddf00dULL

static void verdict(struct bk_conf_outcome *o, enum bk_conf_status s, const char *fmt,
		    const char *arg)
{
	o->status = s;
	snprintf(o->reason, sizeof(o->reason), fmt, arg);
}

/* The verifier's last non-empty line that is not its statistics: its reason. */
static void last_complaint(const char *log, char *out, size_t size)
{
	const char *end = log + strlen(log), *best = NULL, *best_end = NULL;

	while (end > log) {
		const char *start = end;

		while (start > log && start[-1] != '\n')
			start--;
		if (end > start && strncmp(start, "processed ", 10) != 0 &&
		    strncmp(start, "verification time", 17) != 0 &&
		    strncmp(start, "stack depth", 11) != 0) {
			best = start;
			best_end = end;
			break;
		}
		end = start > log ? start - 1 : log;
	}
	if (best)
		snprintf(out, size, "%.*s", (int)(best_end - best), best);
	else
		snprintf(out, size, "no verifier log");
}

static int make_result_map(void)
{
	uint32_t key = 0;
	uint64_t sentinel = SENTINEL;
	int fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
					   .key_size = 4, .value_size = 8, .max_entries = 1,
					   .map_name = "bk_conf_r0"));

	if (fd >= 0 && bk_sys_map_update_elem(fd, &key, &sentinel, 0) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Load the wrapped program; -EACCES/-EINVAL etc. leave the log's reason. */
static int load_wrapped(const struct bk_insn *w, size_t n, char *reason, size_t size)
{
	struct bk_vlog log = { .level = BK_VLOG_LEVEL1 };
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
					  .insns = w, .insn_cnt = n, .prog_name = "bk_conformance",
					  .vlog = &log));

	if (fd < 0) {
		char words[200];

		last_complaint(log.text ? log.text : "", words, sizeof(words));
		snprintf(reason, size, "kernel rejects it (%s): %s", bk_errname(fd), words);
	}
	bk_vlog_free(&log);
	return fd;
}

static int execute(int prog_fd, int map_fd, const struct bk_conf_test *t,
		   struct bk_conf_outcome *o)
{
	uint8_t *pkt = calloc(1, t->mem_len > MIN_PACKET ? t->mem_len : MIN_PACKET);
	struct bk_test_run_opts run = { .sz = sizeof(run), .repeat = 1 };
	uint32_t key = 0;
	int err;

	if (!pkt)
		return bk__err(-ENOMEM);
	if (t->mem_len)
		memcpy(pkt, t->mem, t->mem_len);
	run.data_in = pkt;
	run.data_size_in = (uint32_t)(t->mem_len > MIN_PACKET ? t->mem_len : MIN_PACKET);
	err = bk_sys_prog_test_run(prog_fd, &run);
	free(pkt);
	if (err)
		return err;
	o->retval = run.retval;
	return bk_sys_map_lookup_elem(map_fd, &key, &o->r0, 0);
}

static void judge(const struct bk_conf_test *t, struct bk_conf_outcome *o)
{
	char detail[160];

	if (o->retval != XDP_PASS || o->r0 == SENTINEL) {
		snprintf(detail, sizeof(detail), "the program never reached its exit (XDP "
			 "returned %u)", o->retval);
		verdict(o, BK_CONF_FAIL, "%s", detail);
	} else if (t->expect_error) {
		snprintf(detail, sizeof(detail), "expected a rejection, but it ran (r0 = 0x%llx)",
			 (unsigned long long)o->r0);
		verdict(o, BK_CONF_FAIL, "%s", detail);
	} else if (!t->has_result || o->r0 == t->result) {
		verdict(o, BK_CONF_PASS, "%s", "");
	} else {
		snprintf(detail, sizeof(detail), "r0 = 0x%llx, expected 0x%llx",
			 (unsigned long long)o->r0, (unsigned long long)t->result);
		verdict(o, BK_CONF_FAIL, "%s", detail);
	}
}

int bk__conf_run_insns(const struct bk_conf_test *t, const struct bk_insn *code, size_t n,
		       struct bk_conf_outcome *o)
{
	struct bk_insn *w = NULL;
	size_t wn = 0;
	struct bk_diag d;
	int map_fd, prog_fd, err;

	memset(o, 0, sizeof(*o));
	map_fd = make_result_map();
	if (map_fd < 0)
		return map_fd;
	err = bk_conf_wrap(code, n, t->mem_len, map_fd, &w, &wn, &d);
	if (err) {
		close(map_fd);
		verdict(o, BK_CONF_FAIL, "cannot wrap the program: %s", d.msg);
		return err == -ENOMEM ? err : 0;
	}
	prog_fd = load_wrapped(w, wn, o->reason, sizeof(o->reason));
	free(w);
	if (prog_fd < 0) {
		close(map_fd);
		if (prog_fd == -EPERM)
			return prog_fd; /* no privilege: not a verdict on the test */
		o->status = t->expect_error ? BK_CONF_PASS : BK_CONF_SKIP;
		return 0;
	}
	err = execute(prog_fd, map_fd, t, o);
	close(prog_fd);
	close(map_fd);
	if (err) {
		verdict(o, BK_CONF_FAIL, "test run failed: %s", bk_strerror(BK_CMD_PROG_TEST_RUN, err));
		return 0;
	}
	judge(t, o);
	return 0;
}
