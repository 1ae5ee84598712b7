// SPDX-License-Identifier: MIT
/*
 * `bpfkit feature [probe [kernel]]`: what the running kernel supports, as
 * bpftool's `feature probe kernel` lays it out (syscall_config,
 * program_types, map_types, helpers as "<type>_available_helpers" lists,
 * misc), plus attach_types. bpftool's system_config (sysctls and kernel
 * config) is not reproduced. Names come
 * from the kernel's own BTF, so types newer than bpfkit are listed too.
 * A probe that could not decide is null in JSON and "unknown" in text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/probe.h>

#include "cli.h"
#include "json.h"

/* One section: the kernel enum it walks, the prefix to strip, and the probe. */
struct section {
	const char *json_name;	/* "program_types" */
	const char *text_name;	/* "program_type" */
	const char *enum_name;	/* "bpf_prog_type" */
	const char *prefix;	/* "BPF_PROG_TYPE_" */
	const char *key_fmt;	/* "have_%s_prog_type" */
	int (*probe)(uint32_t v);
};

static const struct section sections[] = {
	{ "program_types", "program_type", "bpf_prog_type", "BPF_PROG_TYPE_", "have_%s_prog_type",
	  bk_probe_prog_type },
	{ "map_types", "map_type", "bpf_map_type", "BPF_MAP_TYPE_", "have_%s_map_type",
	  bk_probe_map_type },
	{ "attach_types", "attach_type", "bpf_attach_type", "BPF_", "have_%s_attach_type",
	  bk_probe_attach_type },
};

/* "BPF_PROG_TYPE_SCHED_CLS" -> "sched_cls"; false when v has no name. */
static bool short_name(const char *enum_name, const char *prefix, uint32_t v, char *buf,
		       size_t size)
{
	const char *full = bk_probe_kernel_enum_name(enum_name, v);
	size_t n = strlen(prefix), i;

	if (!full || strncmp(full, prefix, n) != 0 || size == 0)
		return false;
	for (i = 0; full[n + i] && i + 1 < size; i++)
		buf[i] = (char)tolower((unsigned char)full[n + i]);
	buf[i] = '\0';
	return true;
}

static const char *answer_text(int r)
{
	switch (r) {
	case BK_PROBE_PRESENT:
		return "available";
	case BK_PROBE_ABSENT:
		return "NOT available";
	case BK_PROBE_LISTED:
		return "named by the kernel (not confirmed)";
	default:
		return "unknown";
	}
}

static void emit_section(struct bk_cli *cli, struct bk_json *j, const struct section *s, int max)
{
	char name[64], key[96];

	if (cli->json) {
		bk_json_key(j, s->json_name);
		bk_json_object_begin(j);
	}
	for (int v = 0; v < max; v++) {
		int r;

		if (!short_name(s->enum_name, s->prefix, (uint32_t)v, name, sizeof(name)))
			continue;
		if (!strcmp(name, "unspec"))
			continue;
		r = s->probe((uint32_t)v);
		snprintf(key, sizeof(key), s->key_fmt, name);
		if (!cli->json) {
			fprintf(cli->out, "eBPF %s %s is %s", s->text_name, name, answer_text(r));
			fprintf(cli->out, r < 0 ? " (%s)\n" : "\n", strerror(-r));
			continue;
		}
		bk_json_key(j, key);
		if (r == BK_PROBE_PRESENT || r == BK_PROBE_ABSENT)
			bk_json_bool(j, r == BK_PROBE_PRESENT);
		else
			bk_json_null(j);
	}
	if (cli->json)
		bk_json_object_end(j);
	else
		fputc('\n', cli->out);
}

static const struct misc {
	enum bk_probe_feature f;
	const char *key;
	const char *text;
} miscs[] = {
	{ BK_FEATURE_LARGE_INSN_LIMIT, "have_large_insn_limit", "Large program size limit" },
	{ BK_FEATURE_BOUNDED_LOOPS, "have_bounded_loops", "Bounded loop support" },
	{ BK_FEATURE_ISA_V2, "have_v2_isa_extension", "ISA extension v2" },
	{ BK_FEATURE_ISA_V3, "have_v3_isa_extension", "ISA extension v3" },
	{ BK_FEATURE_ISA_V4, "have_v4_isa_extension", "ISA extension v4" },
};

static void emit_misc(struct bk_cli *cli, struct bk_json *j)
{
	if (cli->json) {
		bk_json_key(j, "misc");
		bk_json_object_begin(j);
	}
	for (size_t i = 0; i < sizeof(miscs) / sizeof(miscs[0]); i++) {
		int r = bk_probe_feature(miscs[i].f);

		if (!cli->json) {
			fprintf(cli->out, "%s is %s\n", miscs[i].text, answer_text(r));
			continue;
		}
		bk_json_key(j, miscs[i].key);
		if (r < 0)
			bk_json_null(j);
		else
			bk_json_bool(j, r == BK_PROBE_PRESENT);
	}
	if (cli->json)
		bk_json_object_end(j);
}

/* We got this far by reading the kernel's BTF; bpf() itself is asked once. */
static void emit_syscall(struct bk_cli *cli, struct bk_json *j)
{
	bool have = bk_probe_prog_type(1 /* socket_filter */) >= 0;

	if (cli->json) {
		bk_json_key(j, "syscall_config");
		bk_json_object_begin(j);
		bk_json_kv_bool(j, "have_bpf_syscall", have);
		bk_json_object_end(j);
	} else {
		fprintf(cli->out, "bpf() syscall is %s\n\n", have ? "available" : "NOT available");
	}
}

static void emit_helpers(struct bk_cli *cli, struct bk_json *j, int nprog, int nfunc)
{
	char pname[64], hname[64], key[96];

	if (cli->json) {
		bk_json_key(j, "helpers");
		bk_json_object_begin(j);
	}
	for (int t = 1; t < nprog; t++) {
		if (!short_name("bpf_prog_type", "BPF_PROG_TYPE_", (uint32_t)t, pname, sizeof(pname)))
			continue;
		if (cli->json) {
			snprintf(key, sizeof(key), "%s_available_helpers", pname);
			bk_json_key(j, key);
			bk_json_array_begin(j);
		} else {
			fprintf(cli->out, "eBPF helpers supported for program type %s:", pname);
		}
		for (int h = 1; h < nfunc; h++) {
			const char *full = bk_probe_kernel_enum_name("bpf_func_id", h);

			if (!full || strncmp(full, "BPF_FUNC_", 9) != 0 ||
			    bk_probe_helper((uint32_t)t, (uint32_t)h) != BK_PROBE_PRESENT)
				continue;
			snprintf(hname, sizeof(hname), "bpf_%s", full + 9);
			if (cli->json)
				bk_json_string(j, hname);
			else
				fprintf(cli->out, "\n\t- %s", hname);
		}
		if (cli->json)
			bk_json_array_end(j);
		else
			fputc('\n', cli->out);
	}
	if (cli->json)
		bk_json_object_end(j);
}

int bk_cmd_feature(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "feature [probe [kernel]] [--json]";
	int counts[3], nfunc;
	struct bk_json j;

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	/* `feature`, `feature probe` and `feature probe kernel` are the same. */
	if ((argc > 1 && strcmp(argv[1], "probe") != 0) ||
	    (argc > 2 && strcmp(argv[2], "kernel") != 0) ||
	    argc > 3)
		return bk_cli_usage(cli, usage);
	counts[0] = bk_probe_kernel_enum_count("bpf_prog_type");
	counts[1] = bk_probe_kernel_enum_count("bpf_map_type");
	counts[2] = bk_probe_kernel_enum_count("bpf_attach_type");
	nfunc = bk_probe_kernel_enum_count("bpf_func_id");
	if (counts[0] < 0 || counts[1] < 0 || counts[2] < 0 || nfunc < 0)
		return bk_cli_fail(cli, "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
				   strerror(errno));
	bk_json_init(&j, cli->out, cli->pretty);
	if (cli->json)
		bk_json_object_begin(&j);
	emit_syscall(cli, &j);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		emit_section(cli, &j, &sections[i], counts[i]);
	emit_helpers(cli, &j, counts[0], nfunc);
	if (!cli->json)
		fputc('\n', cli->out);
	emit_misc(cli, &j);
	if (cli->json) {
		bk_json_object_end(&j);
		bk_json_end(&j);
	}
	return 0;
}
