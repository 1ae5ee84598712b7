// SPDX-License-Identifier: MIT
/*
 * The tests' reference loader: opens and loads an ELF object with the
 * installed libbpf and prints what the kernel holds, in exactly the JSON shape
 * of `bpfkit object load --json`, so a differential test can compare the two.
 * Built for tests only; the library never links libbpf.
 *
 *   libbpf_ref [--pin-root DIR] FILE.o   load, print {"programs":[...],"maps":[...]}
 *   libbpf_ref --sec NAME...             libbpf's program type and expected attach
 *                                        type of each section name ("NAME T A", or
 *                                        "NAME -" when libbpf does not know it)
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

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct prog_row *progs = NULL;
	struct map_row *maps = NULL;
	size_t np = 0, nm = 0;
	struct bpf_object *obj;
	int argi = 1, err;

	libbpf_set_print(quiet_print);
	if (argc > 1 && strcmp(argv[1], "--sec") == 0)
		return sec_names(argc - 2, argv + 2);
	if (argc > 3 && strcmp(argv[1], "--pin-root") == 0) {
		opts.pin_root_path = argv[2];
		argi = 3;
	}
	if (argi != argc - 1) {
		fprintf(stderr, "usage: libbpf_ref [--pin-root DIR] FILE.o | --sec NAME...\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[argi], &opts);
	if (!obj) {
		fprintf(stderr, "%s: open: %s\n", argv[argi], strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "%s: load: %s\n", argv[argi], strerror(-err));
		bpf_object__close(obj);
		return 1;
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
