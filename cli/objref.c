// SPDX-License-Identifier: MIT
/* Object handles, byte arguments, type names and hex output for the CLI. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/names.h>
#include <bpfkit/probe.h>

#include "objref.h"
#include "kern.h"

static const char *const kind_names[] = {
	[BK_OBJ_PROG] = "program",
	[BK_OBJ_MAP] = "map",
	[BK_OBJ_LINK] = "link",
	[BK_OBJ_BTF] = "BTF object",
};

bool bk_cli_is_handle(int argc, char **argv)
{
	return argc >= 1 && (!strcmp(argv[0], "id") || !strcmp(argv[0], "pinned") ||
			     !strcmp(argv[0], "name") || !strcmp(argv[0], "tag"));
}

void bk_cli_objs_close(struct bk_cli_objs *objs)
{
	for (int i = 0; i < objs->n; i++)
		close(objs->fds[i]);
	objs->n = 0;
}

/* Does the object behind fd have this kind? Asking for its info tells. */
static bool fd_is_kind(int fd, enum bk_obj_kind kind)
{
	union {
		struct bk_info_prog p;
		struct bk_info_map m;
		struct bk_info_link l;
		struct bk_info_btf b;
	} u;

	switch (kind) {
	case BK_OBJ_PROG:
		return bk_info_prog(fd, &u.p) == 0;
	case BK_OBJ_MAP:
		return bk_info_map(fd, &u.m) == 0;
	case BK_OBJ_LINK:
		return bk_info_link(fd, &u.l) == 0;
	case BK_OBJ_BTF:
		return bk_info_btf(fd, &u.b) == 0;
	}
	return false;
}

/* Matching by name or tag: the walk keeps the ids, fds are reopened after. */
struct match {
	enum bk_obj_kind kind;
	const char *name;
	uint8_t tag[8];
	bool by_tag;
	int n;
	uint32_t ids[BK_CLI_MAX_MATCH];
};

static int match_one(enum bk_obj_kind kind, uint32_t id, int fd, void *ctx)
{
	struct match *m = ctx;
	bool hit = false;

	if (kind == BK_OBJ_PROG) {
		struct bk_info_prog p;

		if (bk_info_prog(fd, &p) == 0)
			hit = m->by_tag ? !memcmp(p.tag, m->tag, 8) : !strcmp(p.name, m->name);
	} else if (kind == BK_OBJ_MAP) {
		struct bk_info_map mi;

		hit = bk_info_map(fd, &mi) == 0 && !strcmp(mi.name, m->name);
	} else if (kind == BK_OBJ_BTF) {
		struct bk_info_btf b;

		hit = bk_info_btf(fd, &b) == 0 && !strcmp(b.name, m->name);
	}
	if (hit && m->n < BK_CLI_MAX_MATCH)
		m->ids[m->n++] = id;
	return 0;
}

static bool parse_tag(const char *s, uint8_t tag[8])
{
	for (int i = 0; i < 8; i++) {
		unsigned v;

		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		tag[i] = (uint8_t)v;
	}
	return s[16] == '\0';
}

static int open_matches(struct bk_cli *cli, enum bk_obj_kind kind, struct match *m,
			struct bk_cli_objs *objs, const char *what)
{
	int err = bk_info_foreach(kind, match_one, m);

	if (err < 0)
		return bk_cli_fail(cli, "cannot list %ss: %s", kind_names[kind], strerror(-err));
	for (int i = 0; i < m->n; i++) {
		int fd = bk_info_fd_by_id(kind, m->ids[i]);

		if (fd >= 0)
			objs->fds[objs->n++] = fd; /* one that vanished meanwhile is skipped */
	}
	if (objs->n == 0)
		return bk_cli_fail(cli, "no %s with %s", kind_names[kind], what);
	return 0;
}

static int open_by_id(struct bk_cli *cli, enum bk_obj_kind kind, const char *arg,
		      struct bk_cli_objs *objs)
{
	uint64_t id;
	int fd;

	if (bk_cli_parse_num(cli, "id", arg, 0, UINT32_MAX, &id))
		return 2;
	fd = bk_info_fd_by_id(kind, (uint32_t)id);
	if (fd < 0)
		return bk_cli_fail(cli, "get %s by id %llu: %s", kind_names[kind],
				   (unsigned long long)id, strerror(-fd));
	objs->fds[objs->n++] = fd;
	return 0;
}

static int open_pinned(struct bk_cli *cli, enum bk_obj_kind kind, const char *path,
		       struct bk_cli_objs *objs)
{
	int fd = bk_cli_open_pinned(path);

	if (fd < 0)
		return bk_cli_fail(cli, "open pinned %s: %s", path, strerror(-fd));
	if (!fd_is_kind(fd, kind)) {
		close(fd);
		return bk_cli_fail(cli, "%s is not a %s", path, kind_names[kind]);
	}
	objs->fds[objs->n++] = fd;
	return 0;
}

int bk_cli_objs_open(struct bk_cli *cli, enum bk_obj_kind kind, int argc, char **argv,
		     struct bk_cli_objs *objs, int *used)
{
	static struct match m; /* large: keep it off the stack; the CLI is single-threaded */
	char what[300];

	objs->n = 0;
	*used = 2;
	if (argc < 2 || !bk_cli_is_handle(argc, argv))
		return bk_cli_usage(cli, "... { id ID | pinned PATH | name NAME | tag TAG }");
	if (!strcmp(argv[0], "id"))
		return open_by_id(cli, kind, argv[1], objs);
	if (!strcmp(argv[0], "pinned"))
		return open_pinned(cli, kind, argv[1], objs);
	memset(&m, 0, sizeof(m));
	m.kind = kind;
	m.name = argv[1];
	if (!strcmp(argv[0], "tag")) {
		if (kind != BK_OBJ_PROG || !parse_tag(argv[1], m.tag))
			return bk_cli_fail(cli, "bad tag '%s' (16 hex digits, programs only)",
					   argv[1]);
		m.by_tag = true;
	} else if (kind == BK_OBJ_LINK) {
		return bk_cli_fail(cli, "links have no name; use id or pinned");
	}
	snprintf(what, sizeof(what), "%s %s", argv[0], argv[1]);
	return open_matches(cli, kind, &m, objs, what);
}

int bk_cli_obj_open1(struct bk_cli *cli, enum bk_obj_kind kind, int argc, char **argv, int *fd,
		     int *used)
{
	struct bk_cli_objs objs = { 0 };
	int st = bk_cli_objs_open(cli, kind, argc, argv, &objs, used);

	if (st)
		return st;
	if (objs.n < 1)
		return bk_cli_fail(cli, "no match for %s %s", argv[0], argv[1]);
	if (objs.n > 1) {
		bk_cli_objs_close(&objs);
		return bk_cli_fail(cli, "several %ss match %s %s", kind_names[kind], argv[0],
				   argv[1]);
	}
	*fd = objs.fds[0];
	return 0;
}

/* ---- bytes ------------------------------------------------------------------ */

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool all_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (hex_digit((unsigned char)*s) < 0)
			return false;
	return true;
}

/* `hex 01 0203`: every hex-only token after "hex" belongs to the argument. */
static int parse_hex_form(struct bk_cli *cli, int argc, char **argv, uint8_t *out, size_t n,
			  const char *what)
{
	size_t digits = 0, got = 0;
	int i;

	for (i = 0; i < argc && all_hex(argv[i]); i++)
		digits += strlen(argv[i]);
	if (i < argc && digits % 2 == 0 && digits / 2 < n && !bk_cli_is_keyword(argv[i]))
		return bk_cli_fail(cli, "%s: '%s' is not hex digits", what, argv[i]), -1;
	if (digits % 2)
		return bk_cli_fail(cli, "%s: odd number of hex digits (%zu); each byte is two",
				   what, digits), -1;
	if (digits / 2 != n)
		return bk_cli_fail(cli, "%s: the map's %s size is %zu byte%s, %zu given", what,
				   what, n, n == 1 ? "" : "s", digits / 2), -1;
	for (int k = 0; k < i; k++)
		for (const char *p = argv[k]; p[0] && p[1]; p += 2) {
			int hi = hex_digit((unsigned char)p[0]), lo = hex_digit((unsigned char)p[1]);

			if (hi < 0 || lo < 0 || got >= n)
				return bk_cli_fail(cli, "%s: bad hex '%s'", what, argv[k]), -1;
			out[got++] = (uint8_t)(hi << 4 | lo);
		}
	return i;
}

bool bk_cli_is_keyword(const char *s)
{
	static const char *const kw[] = { "key", "value", "any", "noexist", "exist", "hex" };

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strcmp(s, kw[i]))
			return true;
	return false;
}

/* One byte token: a number of base 0 below 256. 1: byte, 0: not a number. */
static int byte_token(const char *s, uint8_t *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return 0;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (*end || errno)
		return 0;
	if (v > 255)
		return -1;
	*out = (uint8_t)v;
	return 1;
}

int bk_cli_parse_bytes(struct bk_cli *cli, int argc, char **argv, uint8_t *out, size_t n,
		       const char *what)
{
	uint8_t scratch;
	int i, r;

	if (argc > 0 && !strcmp(argv[0], "hex")) {
		r = parse_hex_form(cli, argc - 1, argv + 1, out, n, what);
		return r < 0 ? -1 : r + 1;
	}
	for (i = 0; i < argc && (r = byte_token(argv[i], (size_t)i < n ? &out[i] : &scratch));
	     i++)
		if (r < 0)
			return bk_cli_fail(cli, "%s: byte '%s' is out of range (0-255)", what,
					   argv[i]), -1;
	if (i < argc && (size_t)i < n && !bk_cli_is_keyword(argv[i]))
		return bk_cli_fail(cli, "%s: '%s' is not a byte (0x01, 2, ... or hex 0102...)",
				   what, argv[i]), -1;
	if ((size_t)i != n)
		return bk_cli_fail(cli, "%s: the map's %s size is %zu byte%s, %d given", what, what,
				   n, n == 1 ? "" : "s", i), -1;
	return i;
}

/* ---- names and hex output ----------------------------------------------- */

const char *bk_cli_type_name(const char *enum_name, const char *prefix, uint32_t v, char *buf,
			     size_t size)
{
	const char *full = bk_probe_kernel_enum_name(enum_name, v);
	size_t n = strlen(prefix), i;

	if (!full || strncmp(full, prefix, n) != 0) {
		snprintf(buf, size, "%u", v);
		return buf;
	}
	for (i = 0; full[n + i] && i + 1 < size; i++)
		buf[i] = (char)tolower((unsigned char)full[n + i]);
	buf[i] = '\0';
	return buf;
}

/* Known values come from bpfkit's own tables (names.h); the kernel's BTF
 * (5 MB to parse) is read only for a value newer than the tables. */
#define NAMED(FN, TABLE, ENUM, PREFIX)                                                      \
	const char *FN(uint32_t v, char *buf, size_t size)                                 \
	{                                                                                  \
		const char *name = TABLE((int)v);                                          \
                                                                                           \
		if (!name)                                                                 \
			return bk_cli_type_name(ENUM, PREFIX, v, buf, size);               \
		snprintf(buf, size, "%s", name);                                           \
		return buf;                                                                \
	}

NAMED(bk_cli_prog_type, bk_prog_type_name, "bpf_prog_type", "BPF_PROG_TYPE_")
NAMED(bk_cli_map_type, bk_map_type_name, "bpf_map_type", "BPF_MAP_TYPE_")
NAMED(bk_cli_link_type, bk_link_type_name, "bpf_link_type", "BPF_LINK_TYPE_")
NAMED(bk_cli_attach_type, bk_attach_type_name, "bpf_attach_type", "BPF_")

void bk_cli_json_hex(struct bk_json *j, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char b[6] = { '"', '0', 'x', 0, 0, '"' };

	bk_json_array_begin(j);
	for (size_t i = 0; i < n; i++) { /* "0x2a": no printf per byte (map dump) */
		b[3] = digits[p[i] >> 4];
		b[4] = digits[p[i] & 15];
		bk_json_raw(j, b, sizeof(b));
	}
	bk_json_array_end(j);
}

/* bpftool's layout: 16 bytes a line, an extra space between the two halves. */
void bk_cli_text_hex(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i % 16 == 0 && i)
			fputc('\n', out);
		else if (i % 8 == 0 && i)
			fputs("  ", out);
		else if (i)
			fputc(' ', out);
		fprintf(out, "%02x", p[i]);
	}
}
