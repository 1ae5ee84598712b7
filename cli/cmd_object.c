// SPDX-License-Identifier: MIT
/*
 * `bpfkit object show FILE [--json]`: what a clang-built ELF object holds,
 * without the kernel. `bpfkit object load FILE [--pin DIR] [--json]`: load
 * it all and print what was loaded; the JSON shape is the one the
 * differential tests compare with libbpf:
 *   {"programs":[{"name","type","tag","insns"}...],
 *    "maps":[{"name","type","key_size","value_size","max_entries","flags"[,"data"]}...]}
 * both sorted by name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <bpfkit/object.h>

#include "cli.h"
#include "json.h"

static int fail(struct bk_cli *cli, struct bk_object *obj, const struct bk_diag *d,
		const char *what)
{
	char where[400];

	if (d->file[0] && d->line) {
		snprintf(where, sizeof(where), "%s:%u:%u: %s", d->file, d->line, d->col, d->msg);
		bk_cli_report(cli, where);
	} else {
		bk_cli_fail(cli, "object: %s: %s", what, d->msg[0] ? d->msg : strerror(errno));
	}
	bk_object_close(obj);
	return 1;
}

static int by_prog_name(const void *a, const void *b)
{
	return strcmp(bk_object_prog_name(*(struct bk_object_prog *const *)a),
		      bk_object_prog_name(*(struct bk_object_prog *const *)b));
}

static int by_map_name(const void *a, const void *b)
{
	return strcmp(bk_object_map_kernel_name(*(struct bk_object_map *const *)a),
		      bk_object_map_kernel_name(*(struct bk_object_map *const *)b));
}

static void hex(char *dst, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = digits[p[i] >> 4];
		dst[2 * i + 1] = digits[p[i] & 15];
	}
	dst[2 * n] = '\0';
}

static void json_progs(struct bk_json *j, struct bk_object *obj, bool loaded)
{
	size_t n = bk_object_prog_count(obj), k = 0;
	struct bk_object_prog **v = calloc(n + 1, sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		if (!loaded || bk_object_prog_prog(bk_object_prog_at(obj, i)))
			v[k++] = bk_object_prog_at(obj, i);
	if (v)
		qsort(v, k, sizeof(*v), by_prog_name);
	bk_json_key(j, "programs");
	bk_json_array_begin(j);
	for (size_t i = 0; i < k; i++) {
		struct bk_prog *p = bk_object_prog_prog(v[i]);
		struct bk_info_prog info;
		char tag[17];
		size_t count;

		bk_json_object_begin(j);
		bk_json_kv_string(j, "name", bk_object_prog_name(v[i]));
		bk_json_kv_uint(j, "type", bk_object_prog_type(v[i]));
		if (p && bk_prog_info(p, &info) == 0) {
			hex(tag, bk_prog_tag(p), 8);
			bk_json_kv_string(j, "tag", tag);
			bk_json_kv_uint(j, "insns", info.xlated_len / 8);
		} else {
			bk_json_kv_string(j, "section", bk_object_prog_section(v[i]));
			bk_object_prog_insns(v[i], &count);
			bk_json_kv_uint(j, "insns", count);
		}
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
	free(v);
}

static void json_maps(struct bk_json *j, struct bk_object *obj)
{
	size_t n = bk_object_map_count(obj);
	struct bk_object_map **v = calloc(n + 1, sizeof(*v));

	for (size_t i = 0; v && i < n; i++)
		v[i] = bk_object_map_at(obj, i);
	if (v)
		qsort(v, n, sizeof(*v), by_map_name);
	bk_json_key(j, "maps");
	bk_json_array_begin(j);
	for (size_t i = 0; v && i < n; i++) {
		struct bk_object_map_def d;
		size_t size = 0;
		void *data = NULL;

		bk_object_map_def(v[i], &d);
		bk_json_object_begin(j);
		bk_json_kv_string(j, "name", bk_object_map_kernel_name(v[i]));
		bk_json_kv_uint(j, "type", d.type);
		bk_json_kv_uint(j, "key_size", d.key_size);
		bk_json_kv_uint(j, "value_size", d.value_size);
		bk_json_kv_uint(j, "max_entries", d.max_entries);
		if (bk_object_map_map(v[i])) { /* as the kernel has it (devmaps gain RDONLY_PROG) */
			struct bk_map *k = bk_map_from_fd(bk_map_fd(bk_object_map_map(v[i])));

			if (k)
				d.map_flags = bk_map_flags(k);
			bk_map_close(k);
		}
		bk_json_kv_uint(j, "flags", d.map_flags);
		if (bk_object_map_is_data(v[i]))
			data = bk_object_map_data(v[i], &size);
		if (!data && bk_object_map_is_data(v[i]) && bk_object_map_map(v[i])) {
			/* not mmap-able: read key 0 back from the kernel */
			static uint8_t buf[1 << 16];
			uint32_t key = 0;

			if (size <= sizeof(buf) &&
			    !bk_map_lookup(bk_object_map_map(v[i]), &key, 4, buf, size, 0))
				data = buf;
		}
		if (data) {
			char *h = malloc(2 * size + 1);

			if (h) {
				hex(h, data, size);
				bk_json_kv_string(j, "data", h);
				free(h);
			}
		}
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
	free(v);
}

/* `object show --json`: what else the object holds (load keeps the compared shape). */
static void json_contents(struct bk_json *j, struct bk_object *obj)
{
	struct bk_object_stats st;

	bk_object_stats(obj, &st);
	bk_json_key(j, "externs");
	bk_json_array_begin(j);
	for (size_t i = 0; i < bk_object_extern_count(obj); i++) {
		const char *name, *kind;
		bool weak;

		bk_object_extern_at(obj, i, &name, &kind, &weak);
		bk_json_object_begin(j);
		bk_json_kv_string(j, "name", name);
		bk_json_kv_string(j, "kind", kind);
		bk_json_kv_bool(j, "weak", weak);
		bk_json_object_end(j);
	}
	bk_json_array_end(j);
	bk_json_kv_string(j, "license", bk_object_license(obj));
	bk_json_kv_uint(j, "sections", st.sections);
	bk_json_kv_uint(j, "subprograms", st.subprograms);
	bk_json_kv_uint(j, "relocations", st.relocations);
	bk_json_kv_uint(j, "core_relocations", st.core_relocations);
	bk_json_kv_bool(j, "btf", st.btf);
	bk_json_kv_bool(j, "btf_ext", st.btf_ext);
}

static void text_out(FILE *out, struct bk_object *obj, bool loaded)
{
	struct bk_object_stats st;

	bk_object_stats(obj, &st);
	fprintf(out, "object %s, license \"%s\", BTF %s, BTF.ext %s\n", bk_object_name(obj),
		bk_object_license(obj), st.btf ? "yes" : "no", st.btf_ext ? "yes" : "no");
	fprintf(out, "%zu sections, %zu of code, %zu subprogram(s), %zu relocation(s), %zu CO-RE relocation(s)\n",
		st.sections, st.code_sections, st.subprograms, st.relocations, st.core_relocations);
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);
		size_t n;

		bk_object_prog_insns(p, &n);
		fprintf(out, "prog %-24s section %-28s type %-3u insns %zu%s\n",
			bk_object_prog_name(p), bk_object_prog_section(p),
			(unsigned)bk_object_prog_type(p), n,
			loaded && !bk_object_prog_prog(p) ? " (not loaded)" : "");
	}
	for (size_t i = 0; i < bk_object_map_count(obj); i++) {
		struct bk_object_map *m = bk_object_map_at(obj, i);
		struct bk_object_map_def d;

		bk_object_map_def(m, &d);
		fprintf(out, "map  %-24s kernel name %-16s type %-3u key %u value %u max %u flags 0x%x\n",
			bk_object_map_name(m), bk_object_map_kernel_name(m), d.type, d.key_size,
			d.value_size, d.max_entries, d.map_flags);
	}
	for (size_t i = 0; i < bk_object_extern_count(obj); i++) {
		const char *name, *kind;
		bool weak;

		bk_object_extern_at(obj, i, &name, &kind, &weak);
		fprintf(out, "extern %-22s %s%s\n", name, kind, weak ? " (weak)" : "");
	}
}

/* --pin DIR: every loaded program at DIR/NAME, so it outlives this process
 * (maps declared with pinning by name are pinned in DIR by the load). */
static int pin_progs(struct bk_cli *cli, struct bk_object *obj, const char *dir)
{
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *p = bk_object_prog_at(obj, i);
		char path[4096];
		int err;

		if (!bk_object_prog_prog(p))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, bk_object_prog_name(p));
		err = bk_prog_pin(bk_object_prog_prog(p), path);
		if (err)
			return bk_cli_fail(cli, "pin program '%s' at %s: %s%s", bk_object_prog_name(p),
					   path, strerror(-err),
					   err == -EPERM ? " (is a bpffs mounted there? mount -t bpf bpf DIR)" : "");
	}
	return 0;
}

static void load_progress(void *ctx, size_t done, size_t total)
{
	bk_cli_progress(ctx, "object load", done, total);
}

int bk_cmd_object(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "object show FILE | object load FILE [--pin DIR]  [--json]";
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	const char *pin = NULL;
	bool load;
	struct bk_json j;

	if (bk_cli_is_help(argc, argv))
		return bk_cli_help(cli, usage);
	if (argc < 3 || (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "load") != 0))
		return bk_cli_usage(cli, usage);
	load = !strcmp(argv[1], "load");
	if (argc == 5 && load && !strcmp(argv[3], "--pin"))
		pin = argv[4];
	else if (argc != 3)
		return bk_cli_usage(cli, usage);
	obj = bk_object_open_file(argv[2], BK_OPTS(bk_object_opts, .diag = &d, .pin_root_path = pin,
						       .progress = load_progress, .progress_ctx = cli));
	if (!obj)
		return fail(cli, NULL, &d, argv[2]);
	if (load)
		bk_cli_progress(cli, "object load", 0, 0); /* the clock starts now */
	if (load && bk_object_load(obj))
		return fail(cli, obj, &d, argv[2]);
	if (pin && pin_progs(cli, obj, pin)) {
		bk_object_close(obj);
		return 1;
	}
	if (cli->json) {
		bk_json_init(&j, cli->out, cli->pretty);
		bk_json_object_begin(&j);
		json_progs(&j, obj, load);
		json_maps(&j, obj);
		if (!load)
			json_contents(&j, obj);
		bk_json_object_end(&j);
		bk_json_end(&j);
	} else {
		text_out(cli->out, obj, load);
	}
	bk_object_close(obj);
	return 0;
}

/* An argument (not an option's value) that is an ELF file. */
bool bk_cli_is_object(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char magic[4];
		FILE *f;
		bool elf;

		if (argv[i][0] == '-') {
			i += strcmp(argv[i], "--json") != 0 && strcmp(argv[i], "-j") != 0; /* its value */
			continue;
		}
		f = fopen(argv[i], "rb");
		if (!f)
			return false;
		elf = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);
		fclose(f);
		return elf;
	}
	return false;
}

static int read_data(const char *path, uint8_t **out, uint32_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (1 << 24) || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		return -1;
	}
	*out = malloc((size_t)n + 1);
	if (!*out || fread(*out, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (uint32_t)n;
	return 0;
}

/* `bpfkit run FILE.o --prog NAME [--data F] [--repeat N]`: load the object, test-run one program. */
int bk_cmd_run_object(struct bk_cli *cli, int argc, char **argv)
{
	static const char usage[] = "run FILE.o --prog NAME [--data FILE] [--repeat N]";
	const char *file = NULL, *prog = NULL, *data = NULL;
	uint64_t repeat = 1;
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_object_prog *p;
	uint8_t pkt[64] = { 0 }, *buf = NULL;
	struct bk_test_run_opts run = { .sz = sizeof(run) };
	struct bk_json j;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--prog") && i + 1 < argc)
			prog = argv[++i];
		else if (!strcmp(argv[i], "--data") && i + 1 < argc)
			data = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			if (bk_cli_parse_num(cli, "--repeat", argv[++i], 0, UINT32_MAX, &repeat))
				return 2;
		} else if (!file)
			file = argv[i];
		else
			return bk_cli_usage(cli, usage);
	}
	if (!file || !prog)
		return bk_cli_usage(cli, usage);
	obj = bk_object_open_file(file, BK_OPTS(bk_object_opts, .diag = &d));
	if (!obj)
		return fail(cli, NULL, &d, file);
	p = bk_object_prog_by_name(obj, prog);
	if (!p) {
		bk_object_close(obj);
		return bk_cli_fail(cli, "%s: no program named '%s'", file, prog);
	}
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) /* load only what is run */
		bk_object_prog_set_autoload(bk_object_prog_at(obj, i), bk_object_prog_at(obj, i) == p);
	if (bk_object_load(obj))
		return fail(cli, obj, &d, file);
	if (data && read_data(data, &buf, &run.data_size_in)) {
		bk_object_close(obj);
		return bk_cli_fail(cli, "cannot read %s: %s", data, strerror(errno));
	}
	if (bk_object_prog_type(p) != BK_PROG_TYPE_SYSCALL || buf) {
		run.data_in = buf ? buf : pkt;
		run.data_size_in = buf ? run.data_size_in : sizeof(pkt);
	}
	run.repeat = (uint32_t)repeat;
	err = bk_prog_test_run(bk_object_prog_prog(p), &run);
	free(buf);
	bk_object_close(obj);
	if (err)
		return bk_cli_fail(cli, "test run of '%s': %s", prog, strerror(-err));
	if (cli->json) { /* the shape of `run -j` */
		bk_json_init(&j, cli->out, cli->pretty);
		bk_json_object_begin(&j);
		bk_json_kv_uint(&j, "retval", run.retval);
		bk_json_kv_uint(&j, "duration", run.duration);
		bk_json_kv_uint(&j, "repeat", repeat ? repeat : 1);
		bk_json_object_end(&j);
		bk_json_end(&j);
		return 0;
	}
	fprintf(cli->out, "r0 = %u (0x%x)\nduration = %u ns/run over %llu run(s)\n", run.retval,
		run.retval, run.duration, (unsigned long long)(repeat ? repeat : 1));
	return 0;
}
