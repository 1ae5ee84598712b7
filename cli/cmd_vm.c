// SPDX-License-Identifier: MIT
/*
 * The userspace VM from the command line, no root needed:
 *   run --vm FILE [--type xdp|socket_filter|raw] [--data F] [--repeat N]
 *       prints the two lines of the kernel's `run` (r0, duration)
 *   run --vm FILE --pcap F
 *       runs once per packet of a pcap/pcapng capture and prints how many
 *       packets got each verdict (XDP_PASS..., or "accept N" lengths)
 *   conformance --vm FILE|DIR...
 *       bpf_conformance tests on the VM, PASS/FAIL lines and a closing count
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <bpfkit/asm.h>
#include <bpfkit/conformance.h>
#include <bpfkit/vm.h>

#include "cmd_vm.h"

bool bk_cli_want_vm(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--vm"))
			return true;
	return false;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
			buf[size] = '\0';
			*len = (size_t)size;
		} else {
			free(buf);
			buf = NULL;
			errno = EIO;
		}
	}
	fclose(f);
	return buf;
}

/* The device BPF_PROG_TEST_RUN puts packets on, so context reads match `run`. */
#define LOOPBACK 1

struct vm_args {
	const char *file, *data, *type, *pcap;
	unsigned long repeat;
	enum bk_dialect dialect;
};

static int parse(int argc, char **argv, struct vm_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!arg)
			return -1;
		if (!strcmp(arg, "--vm"))
			continue;
		if (val && !strcmp(arg, "--type"))
			a->type = val;
		else if (val && !strcmp(arg, "--data"))
			a->data = val;
		else if (val && !strcmp(arg, "--pcap"))
			a->pcap = val;
		else if (val && !strcmp(arg, "--repeat"))
			a->repeat = strtoul(val, NULL, 0);
		else if (val && !strcmp(arg, "-d"))
			a->dialect = !strcmp(val, "conformance") ? BK_DIALECT_CONFORMANCE
								 : BK_DIALECT_LLVM;
		else if (!a->file && arg[0] != '-') {
			a->file = arg;
			continue;
		} else
			return -1;
		i++;
	}
	return a->file ? 0 : -1;
}

static int vm_type(const char *name)
{
	if (!strcmp(name, "xdp"))
		return BK_VM_XDP;
	if (!strcmp(name, "socket_filter") || !strcmp(name, "socket"))
		return BK_VM_SOCKET_FILTER;
	if (!strcmp(name, "raw"))
		return BK_VM_RAW;
	return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/* Assemble (or take raw) FILE and load it into vm; NULL after printing why. */
static struct bk_vm_prog *load(struct bk_cli *cli, struct bk_vm *vm, const char *file,
			       enum bk_dialect dialect, int type)
{
	struct bk_insn *insns = NULL;
	size_t len, n;
	struct bk_diag d;
	char *text = slurp(file, &len), where[320];
	struct bk_vm_prog *p;

	if (!text)
		return bk_cli_fail(cli, "cannot read %s: %s", file, strerror(errno)), NULL;
	if (ends_with(file, ".bin")) {
		n = len / 8;
		insns = (struct bk_insn *)(void *)text;
		text = NULL;
	} else if (bk_asm(text, len,
			  BK_OPTS(bk_asm_opts, .dialect = dialect, .file = file,
				  .map_fd = bk_vm_map_ref, .map_ctx = vm),
			  &insns, &n, &d)) {
		fprintf(cli->err, "%s\n", bk_diag_format(&d, where, sizeof(where)));
		free(text);
		return NULL;
	}
	free(text);
	p = bk_vm_load(vm, insns, n, BK_OPTS(bk_vm_load_opts, .type = type), &d);
	free(insns);
	if (!p)
		fprintf(cli->err, "bpfkit: %s: rejected by the VM: %s\n", file,
			bk_diag_format(&d, where, sizeof(where)));
	return p;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run_failed(struct bk_cli *cli, const char *file, const struct bk_diag *d)
{
	char where[320];

	return bk_cli_fail(cli, "%s: %s", file, bk_diag_format(d, where, sizeof(where)));
}

static int run_data(struct bk_cli *cli, struct bk_vm_prog *p, const struct vm_args *a, int type)
{
	uint8_t pkt[64] = { 0 };
	size_t dlen = sizeof(pkt);
	char *data = NULL;
	struct bk_vm_result res = { 0 };
	struct bk_diag d;
	unsigned long runs = a->repeat ? a->repeat : 1;
	double t0;

	if (a->data && !(data = slurp(a->data, &dlen)))
		return bk_cli_fail(cli, "cannot read %s: %s", a->data, strerror(errno));
	t0 = now_ns();
	for (unsigned long i = 0; i < runs; i++) {
		/* like test-run, a repeat sees the packet as the previous run left it */
		if (bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = data ? (void *)data : pkt,
					 .data_len = dlen, .ifindex = LOOPBACK), &res, &d)) {
			free(data);
			return run_failed(cli, a->file, &d);
		}
	}
	free(data);
	if (type != BK_VM_RAW)
		res.r0 = (uint32_t)res.r0; /* the kernel's test-run returns 32 bits */
	fprintf(cli->out, "r0 = %llu (0x%llx)\nduration = %.0f ns/run over %lu run(s)\n",
		(unsigned long long)res.r0, (unsigned long long)res.r0,
		(now_ns() - t0) / (double)runs, runs);
	return 0;
}

/* Verdict counts of a capture run, by r0 (or "error"). */
struct tally_vm {
	struct bk_vm_prog *prog;
	struct bk_cli *cli;
	uint64_t values[64];
	unsigned long counts[64], other, errors, packets;
	struct bk_diag first_err;
};

static int per_packet(void *ctx, const uint8_t *pkt, size_t len)
{
	struct tally_vm *t = ctx;
	struct bk_vm_result res;
	struct bk_diag d;
	uint8_t *copy = malloc(len ? len : 1);
	size_t i;

	if (!copy) { /* stop, and say so: the counts would be incomplete */
		if (!t->errors++)
			snprintf(t->first_err.msg, sizeof(t->first_err.msg), "out of memory");
		return 1;
	}
	memcpy(copy, pkt, len);
	t->packets++;
	if (bk_vm_run(t->prog, BK_OPTS(bk_vm_run_opts, .data = copy, .data_len = len,
					 .ifindex = LOOPBACK), &res, &d)) {
		if (!t->errors++)
			t->first_err = d;
		free(copy);
		return 0;
	}
	free(copy);
	res.r0 = (uint32_t)res.r0;
	for (i = 0; i < 64 && t->counts[i] && t->values[i] != res.r0; i++)
		;
	if (i == 64) {
		t->other++;
		return 0;
	}
	t->values[i] = res.r0;
	t->counts[i]++;
	return 0;
}

static void print_verdict(FILE *out, int type, uint64_t v, unsigned long count)
{
	static const char *const xdp[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					   "XDP_REDIRECT" };

	if (type == BK_VM_XDP && v < 5)
		fprintf(out, "%s: %lu\n", xdp[v], count);
	else if (type == BK_VM_SOCKET_FILTER)
		if (v)
			fprintf(out, "accept %llu: %lu\n", (unsigned long long)v, count);
		else
			fprintf(out, "drop: %lu\n", count);
	else
		fprintf(out, "r0 = %llu: %lu\n", (unsigned long long)v, count);
}

static int run_pcap(struct bk_cli *cli, struct bk_vm_prog *p, const struct vm_args *a, int type)
{
	struct tally_vm *t = calloc(1, sizeof(*t));
	size_t len;
	char *buf = slurp(a->pcap, &len), err[256];
	int n;

	if (!t || !buf) {
		free(t);
		free(buf);
		return bk_cli_fail(cli, "cannot read %s: %s", a->pcap, strerror(errno));
	}
	t->prog = p;
	t->cli = cli;
	n = bk_pcap_each((const uint8_t *)buf, len, per_packet, t, err, sizeof(err));
	free(buf);
	if (n < 0) {
		free(t);
		return bk_cli_fail(cli, "%s: %s", a->pcap, err);
	}
	for (size_t i = 0; i < 64 && t->counts[i]; i++)
		print_verdict(cli->out, type, t->values[i], t->counts[i]);
	if (t->other)
		fprintf(cli->out, "other values: %lu\n", t->other);
	if (t->errors) {
		fprintf(cli->out, "errors: %lu\n", t->errors);
		run_failed(cli, a->file, &t->first_err);
	}
	fprintf(cli->out, "packets: %lu\n", t->packets);
	n = t->errors ? 1 : 0;
	free(t);
	return n;
}

int bk_cmd_run_vm(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "run --vm FILE [--type xdp|socket_filter|raw] [--data F] "
				    "[--repeat N] [--pcap F] [-d DIALECT]";
	struct vm_args a = { .type = "xdp", .repeat = 1 };
	struct bk_vm *vm;
	struct bk_vm_prog *p;
	int type, rc;

	if (parse(argc, argv, &a))
		return bk_cli_usage(cli, usage);
	type = vm_type(a.type);
	if (type < 0)
		return bk_cli_fail(cli, "the VM runs xdp, socket_filter and raw programs, not '%s'",
				   a.type);
	vm = bk_vm_new();
	if (!vm)
		return bk_cli_fail(cli, "cannot create the VM: %s", strerror(errno));
	p = load(cli, vm, a.file, a.dialect, type);
	if (!p) {
		bk_vm_free(vm);
		return 1;
	}
	rc = a.pcap ? run_pcap(cli, p, &a, type) : run_data(cli, p, &a, type);
	bk_vm_prog_free(p);
	bk_vm_free(vm);
	return rc;
}

/* ---- conformance --vm ------------------------------------------------------ */

struct conf_tally {
	unsigned pass, fail;
};

/* The program of a test: its raw slots, or its assembled text. */
static int conf_program(const struct bk_conf_test *t, const char *path, struct bk_insn **insns,
			size_t *n, struct bk_diag *d)
{
	if (t->raw) {
		*insns = malloc(t->raw_count * sizeof(**insns));
		if (!*insns)
			return -ENOMEM;
		memcpy(*insns, t->raw, t->raw_count * sizeof(**insns));
		*n = t->raw_count;
		return 0;
	}
	return bk_asm(t->asm_text, strlen(t->asm_text),
		      BK_OPTS(bk_asm_opts, .dialect = BK_DIALECT_CONFORMANCE, .file = path), insns,
		      n, d);
}

/* Run one test; returns the verdict line's reason in why ("" for a plain pass). */
static bool conf_judge(const struct bk_conf_test *t, const char *path, char *why, size_t len)
{
	struct bk_insn *insns = NULL;
	struct bk_vm *vm = bk_vm_new();
	struct bk_vm_prog *p = NULL;
	struct bk_vm_result res;
	struct bk_diag d;
	char where[320];
	size_t n = 0;
	bool ok;
	int err = vm ? conf_program(t, path, &insns, &n, &d) : -ENOMEM;

	if (!err) {
		p = bk_vm_load(vm, insns, n, NULL, &d);
		err = p ? 0 : -errno;
	}
	if (!err)
		err = bk_vm_run(p, BK_OPTS(bk_vm_run_opts, .data = t->mem, .data_len = t->mem_len),
				&res, &d);
	if (err)
		bk_diag_format(&d, where, sizeof(where));
	if (t->expect_error) {
		ok = err != 0;
		snprintf(why, len, "%s", ok ? where : "expected an error, but the program ran");
	} else if (err) {
		ok = false;
		snprintf(why, len, "%s", where);
	} else {
		ok = !t->has_result || res.r0 == t->result;
		if (ok)
			why[0] = '\0';
		else
			snprintf(why, len, "r0 = 0x%llx, expected 0x%llx",
				 (unsigned long long)res.r0, (unsigned long long)t->result);
	}
	bk_vm_prog_free(p);
	bk_vm_free(vm);
	free(insns);
	return ok;
}

static void conf_file(struct bk_cli *cli, const char *path, struct conf_tally *t)
{
	struct bk_conf_test test;
	struct bk_diag d;
	char why[400];
	bool ok;

	if (bk_conf_load(path, &test, &d)) {
		fprintf(cli->out, "FAIL %s: %s\n", path, bk_diag_format(&d, why, sizeof(why)));
		t->fail++;
		return;
	}
	/* the program may write the test's mem: it is freed right after */
	ok = conf_judge(&test, path, why, sizeof(why));
	bk_conf_free(&test);
	fprintf(cli->out, "%s %s%s%s\n", ok ? "PASS" : "FAIL", path, why[0] ? ": " : "", why);
	if (ok)
		t->pass++;
	else
		t->fail++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_data(const struct dirent *e)
{
	return ends_with(e->d_name, ".data");
}

static void conf_dir(struct bk_cli *cli, const char *dir, struct conf_tally *t)
{
	struct dirent **names;
	int n = scandir(dir, &names, only_data, by_name);

	if (n < 0) {
		bk_cli_fail(cli, "cannot read directory %s", dir);
		t->fail++;
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		conf_file(cli, path, t);
		free(names[i]);
	}
	free(names);
}

int bk_cmd_conformance_vm(struct bk_cli *cli, int argc, char **argv)
{
	struct conf_tally t = { 0 };
	int files = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (!strcmp(argv[i], "--vm"))
			continue;
		files++;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			conf_dir(cli, argv[i], &t);
		else
			conf_file(cli, argv[i], &t);
	}
	if (!files)
		return bk_cli_usage(cli, "conformance --vm FILE|DIR...");
	fprintf(cli->out, "%u passed, %u failed, 0 skipped\n", t.pass, t.fail);
	return t.fail ? 1 : 0;
}
