// SPDX-License-Identifier: MIT
/*
 * The tests' reference loader: opens and loads an ELF object with the
 * installed libbpf and prints what the kernel holds, in exactly the JSON shape
 * of `bpfkit object load --json`, so a differential test can compare the two.
 * Built for tests only; the library never links libbpf.
 *
 *   libbpf_ref [--pin-root DIR] [--kconfig FILE] FILE.o
 *                                        load (FILE: the kconfig override text),
 *                                        print {"programs":[...],"maps":[...]};
 *                                        an object with pinned maps needs --pin-root
 *                                        (never the machine's /sys/fs/bpf)
 *   libbpf_ref --sec NAME...             libbpf's program type and expected attach
 *                                        type of each section name ("NAME T A", or
 *                                        "NAME -" when libbpf does not know it)
 *   libbpf_ref [--pin-root DIR] --check SRC.bpf.c FILE.o
 *                                        load, then do what SRC's "// expect: run" and
 *                                        "// expect: map" lines say (in order) and
 *                                        report each mismatch; exit 1 on any
 *                                        (checks the corpus itself against libbpf)
 * Errors go to stderr (libbpf's own messages included) and exit with 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

struct prog_row {
	char name[256];
	struct bpf_prog_info info;
};

struct map_row {
	char name[BPF_OBJ_NAME_LEN + 1];
	struct bpf_map_info info;
	unsigned char *data; /* value of key 0 of a global-data map, or NULL */
};

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int cmp_prog(const void *a, const void *b)
{
	return strcmp(((const struct prog_row *)a)->name, ((const struct prog_row *)b)->name);
}

static int cmp_map(const void *a, const void *b)
{
	return strcmp(((const struct map_row *)a)->name, ((const struct map_row *)b)->name);
}

static int sec_names(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		enum bpf_prog_type t;
		enum bpf_attach_type a;

		if (libbpf_prog_type_by_name(argv[i], &t, &a))
			printf("%s -\n", argv[i]);
		else
			printf("%s %d %d\n", argv[i], (int)t, (int)a);
	}
	return 0;
}

static int collect_progs(struct bpf_object *obj, struct prog_row **out, size_t *n)
{
	struct bpf_program *p;
	size_t cap = 0;

	*n = 0;
	*out = NULL;
	bpf_object__for_each_program(p, obj) {
		struct prog_row *r;
		__u32 len = sizeof(r->info);

		if (!bpf_program__autoload(p))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*out = realloc(*out, cap * sizeof(**out));
			if (!*out)
				return -ENOMEM;
		}
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof(*r));
		snprintf(r->name, sizeof(r->name), "%s", bpf_program__name(p));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &r->info, &len)) {
			fprintf(stderr, "prog %s: info: %s\n", r->name, strerror(errno));
			return -errno;
		}
	}
	qsort(*out, *n, sizeof(**out), cmp_prog);
	return 0;
}

static int collect_maps(struct bpf_object *obj, struct map_row **out, size_t *n)
{
	struct bpf_map *m;
	size_t cap = 0;

	*n = 0;
	*out = NULL;
	bpf_object__for_each_map(m, obj) {
		struct map_row *r;
		__u32 len = sizeof(r->info);
		int key = 0;

		if (bpf_map__fd(m) < 0)
			continue; /* not created (autocreate off) */
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*out = realloc(*out, cap * sizeof(**out));
			if (!*out)
				return -ENOMEM;
		}
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof(*r));
		if (bpf_obj_get_info_by_fd(bpf_map__fd(m), &r->info, &len)) {
			fprintf(stderr, "map %s: info: %s\n", bpf_map__name(m), strerror(errno));
			return -errno;
		}
		snprintf(r->name, sizeof(r->name), "%s", r->info.name);
		if (!bpf_map__is_internal(m))
			continue;
		r->data = calloc(1, r->info.value_size ? r->info.value_size : 1);
		if (!r->data)
			return -ENOMEM;
		if (bpf_map_lookup_elem(bpf_map__fd(m), &key, r->data)) {
			fprintf(stderr, "map %s: lookup: %s\n", r->name, strerror(errno));
			return -errno;
		}
	}
	qsort(*out, *n, sizeof(**out), cmp_map);
	return 0;
}

static void print_json(const struct prog_row *p, size_t np, const struct map_row *m, size_t nm)
{
	printf("{\"programs\":[");
	for (size_t i = 0; i < np; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(p[i].name);
		printf(",\"type\":%u,\"tag\":\"", p[i].info.type);
		for (size_t j = 0; j < sizeof(p[i].info.tag); j++)
			printf("%02x", p[i].info.tag[j]);
		printf("\",\"insns\":%u}", p[i].info.xlated_prog_len / 8);
	}
	printf("],\"maps\":[");
	for (size_t i = 0; i < nm; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(m[i].name);
		printf(",\"type\":%u,\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,"
		       "\"flags\":%u",
		       m[i].info.type, m[i].info.key_size, m[i].info.value_size,
		       m[i].info.max_entries, m[i].info.map_flags);
		if (m[i].data) {
			printf(",\"data\":\"");
			for (size_t j = 0; j < m[i].info.value_size; j++)
				printf("%02x", m[i].data[j]);
			printf("\"");
		}
		printf("}");
	}
	printf("]}\n");
}

static int find_map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj) {
		struct bpf_map_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, len);
		if (bpf_map__fd(m) >= 0 && !bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len) &&
		    strcmp(info.name, name) == 0)
			return bpf_map__fd(m);
	}
	return -1;
}

static size_t unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (n < cap && sscanf(s + 2 * n, "%2x", &b) == 1)
		out[n++] = (unsigned char)b;
	return n;
}

static int check_run(struct bpf_object *obj, const char *prog, long want)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, prog);
	unsigned char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o);
	int err;

	if (!p) {
		fprintf(stderr, "no program %s\n", prog);
		return 1;
	}
	if (bpf_program__type(p) != BPF_PROG_TYPE_SYSCALL) {
		pkt[12] = 0x08; /* ethertype IPv4 */
		o.data_in = pkt;
		o.data_size_in = sizeof(pkt);
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(p), &o);
	if (err || (long)o.retval != want) {
		fprintf(stderr, "run %s: err %d retval %u, want %ld\n", prog, err, o.retval, want);
		return 1;
	}
	return 0;
}

static int check_map(struct bpf_object *obj, const char *map, const char *khex, const char *vhex)
{
	unsigned char key[256], want[4096], got[4096];
	size_t vlen = unhex(vhex, want, sizeof(want));
	int fd = find_map_fd(obj, map);

	unhex(khex, key, sizeof(key));
	memset(got, 0, sizeof(got));
	if (fd < 0 || bpf_map_lookup_elem(fd, key, got)) {
		fprintf(stderr, "map %s key %s: %s\n", map, khex,
			fd < 0 ? "no such map" : strerror(errno));
		return 1;
	}
	if (memcmp(got, want, vlen) != 0) {
		fprintf(stderr, "map %s key %s: got ", map, khex);
		for (size_t i = 0; i < vlen; i++)
			fprintf(stderr, "%02x", got[i]);
		fprintf(stderr, ", want %s\n", vhex);
		return 1;
	}
	return 0;
}

static int check_expect(struct bpf_object *obj, const char *src)
{
	char line[8192], a[256], b[4096], c[4096];
	FILE *f = fopen(src, "r");
	int bad = 0, n = 0;
	long rv;

	if (!f) {
		fprintf(stderr, "%s: %s\n", src, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "// expect: run %255s retval %li", a, &rv) == 2) {
			bad |= check_run(obj, a, rv);
			n++;
		} else if (sscanf(line, "// expect: map %255s key %4095s value %4095s", a, b, c) ==
			   3) {
			bad |= check_map(obj, a, b, c);
			n++;
		}
	}
	fclose(f);
	printf("%d checks, %s\n", n, bad ? "FAILED" : "all passed");
	return bad;
}

/* A whole small text file, or NULL (and the open fails later, loudly). */
static char *read_text(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int has_pinned_maps(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj)
		if (bpf_map__pin_path(m))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *check_src = NULL;
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct prog_row *progs = NULL;
	struct map_row *maps = NULL;
	size_t np = 0, nm = 0;
	struct bpf_object *obj;
	int argi = 1, err;

	libbpf_set_print(quiet_print);
	if (argc > 1 && strcmp(argv[1], "--sec") == 0)
		return sec_names(argc - 2, argv + 2);
	for (; argi < argc - 1 && argv[argi][0] == '-'; argi++) {
		if (strcmp(argv[argi], "--pin-root") == 0 && argi + 2 < argc)
			opts.pin_root_path = argv[++argi];
		else if (strcmp(argv[argi], "--kconfig") == 0 && argi + 2 < argc)
			opts.kconfig = read_text(argv[++argi]);
		else if (strcmp(argv[argi], "--check") == 0 && argi + 2 < argc)
			check_src = argv[++argi];
		else
			break;
	}
	if (argi != argc - 1) {
		fprintf(stderr, "usage: libbpf_ref [--pin-root DIR] [--kconfig FILE] [--check SRC.bpf.c]"
				" FILE.o"
				" | --sec NAME...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[argi], &opts);
	if (!obj) {
		fprintf(stderr, "%s: open: %s\n", argv[argi], strerror(errno));
		return 1;
	}
	if (!opts.pin_root_path && has_pinned_maps(obj)) {
		/* never pin into the machine's own /sys/fs/bpf */
		fprintf(stderr, "%s: pinned maps need --pin-root DIR\n", argv[argi]);
		bpf_object__close(obj);
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "%s: load: %s\n", argv[argi], strerror(-err));
		bpf_object__close(obj);
		return 1;
	}
	if (check_src) {
		err = check_expect(obj, check_src);
		bpf_object__close(obj);
		return err ? 1 : 0;
	}
	err = collect_progs(obj, &progs, &np);
	if (!err)
		err = collect_maps(obj, &maps, &nm);
	if (!err)
		print_json(progs, np, maps, nm);
	for (size_t i = 0; i < nm; i++)
		free(maps[i].data);
	free(progs);
	free(maps);
	bpf_object__close(obj);
	return err ? 1 : 0;
}
