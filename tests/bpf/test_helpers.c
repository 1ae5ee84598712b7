// SPDX-License-Identifier: MIT
/*
 * include/bpfkit/bpf/helpers.h (and its generated helper_defs.h): BPF C
 * programs built with clang-19 against it alone. Every helper becomes
 * `call ID` with the kernel's id (checked against the running kernel's
 * enum bpf_func_id), with the same C type and id as libbpf's generated
 * header for every helper that one declares; bpf_printk picks the right
 * helper; the map-definition macros encode what a loader reads from BTF;
 * SEC, license, version, kconfig and ksym land where loaders look.
 */
#include <ctype.h>

#include "bpf_build.h"
#include <bpfkit/abi.h>
#include <bpfkit/names.h>

#define PRELUDE "#include <linux/types.h>\n#include <linux/bpf.h>\n#include <bpfkit/bpf/helpers.h>\n"

/* Append printf-style text to a growing malloc'd buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	while (b->len + (size_t)n + 1 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->s = realloc(b->s, b->cap);
		cr_assert_not_null(b->s);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

Test(bpf_helpers, every_helper_is_a_call_of_its_kernel_id)
{
	struct sbuf src = { 0 };
	struct bb_obj o;
	int ids[300];
	size_t n;
	struct bk_btf *kbtf;

	/* Call every helper through a bare function type: the id is all that matters here. */
	sb_add(&src, PRELUDE "SEC(\"tc\") int all(void *ctx)\n{\n");
	for (int id = 1; id < bk_helper_max(); id++)
		sb_add(&src, "\t((long (*)(void))bpf_%s)();\n", bk_helper_name(id));
	sb_add(&src, "\treturn 0;\n}\n");
	bb_open(&o, bb_compile("all_helpers", src.s, bb_inc()));
	n = bb_helper_calls(&o, "tc", ids, 300);
	cr_assert_eq(n, 211, "%zu helper calls, expected all 211 of Linux 6.18", n);
	cr_assert_eq(bk_helper_max(), 212);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(ids[i], (int)i + 1, "call %zu is helper %d, expected %zu (%s)", i, ids[i],
			     i + 1, bk_helper_name((int)i + 1));
	bb_close(&o);

	/* The ids are the running kernel's (BPF_FUNC_* of its enum bpf_func_id). */
	kbtf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
	if (!kbtf)
		BK_SKIP_FEATURE("BTF (/sys/kernel/btf/vmlinux) to compare ids with");
	for (int id = 1; id < bk_helper_max(); id++) {
		char name[96];
		int64_t v = -1;

		snprintf(name, sizeof(name), "BPF_FUNC_%s", bk_helper_name(id));
		cr_assert_eq(bk_btf_enum_value(kbtf, "bpf_func_id", name, &v), 0, "%s", name);
		cr_assert_eq(v, id, "%s is %lld in the kernel, %d here", name, (long long)v, id);
	}
	bk_btf_free(kbtf);
	free(src.s);
}

/* One declaration of libbpf's generated header: name, id, return type and parameters. */
struct decl {
	char name[64], ret[64], params[256];
	int id;
};

/* Collapse runs of spaces and drop spaces around '*', so spellings compare. */
static void squeeze(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (isspace((unsigned char)*r)) {
			if (w > s && w[-1] != ' ' && w[-1] != '*' && w[-1] != '(' && r[1] != '*' &&
			    r[1] != ',' && r[1] != ')' && !isspace((unsigned char)r[1]))
				*w++ = ' ';
			continue;
		}
		*w++ = *r;
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* Parse "static RET (*bpf_NAME)(PARAMS) = (void *) ID;" lines (optionally "* const"). */
static size_t parse_decls(const char *text, struct decl *d, size_t max)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, "\nstatic ")); p++) {
		const char *ret = p + 8, *star = strstr(ret, "(*"), *eol = strchr(ret, '\n');
		const char *nm, *nend, *par, *pend, *idp;

		if (!star || !eol || star > eol)
			continue;
		nm = star + 2;
		while (*nm == ' ' || strncmp(nm, "const ", 6) == 0)
			nm += *nm == ' ' ? 1 : 6;
		nend = strchr(nm, ')');
		par = nend + 2;
		pend = strstr(par, ") = (void *) ");
		if (!pend || pend > eol || strncmp(nm, "bpf_", 4) != 0)
			continue;
		idp = pend + 13;
		cr_assert_lt(n, max);
		snprintf(d[n].name, sizeof(d[n].name), "%.*s", (int)(nend - nm), nm);
		snprintf(d[n].ret, sizeof(d[n].ret), "%.*s", (int)(star - ret), ret);
		snprintf(d[n].params, sizeof(d[n].params), "%.*s", (int)(pend - par), par);
		squeeze(d[n].ret);
		squeeze(d[n].params);
		d[n].id = atoi(idp);
		n++;
	}
	return n;
}

Test(bpf_helpers, same_ids_and_c_types_as_libbpfs_generated_header)
{
	static struct decl lb[300], ours[300];
	char path[512], *lbtext, *ourtext;
	size_t lbn, ourn, size;
	struct sbuf src = { 0 }, calls = { 0 };
	struct bb_obj o;
	int ids[300];

	if (access(LIBBPF_HELPER_DEFS, R_OK) != 0)
		BK_SKIP_OR_FAIL("%s is not installed (scripts/install-deps test)", LIBBPF_HELPER_DEFS);
	lbtext = bb_read(LIBBPF_HELPER_DEFS, &size);
	snprintf(path, sizeof(path), "%s/include/bpfkit/bpf/helper_defs.h", bk_test_srcdir());
	ourtext = bb_read(path, &size);
	lbn = parse_decls(lbtext, lb, 300);
	ourn = parse_decls(ourtext, ours, 300);
	cr_assert_gt(lbn, 150, "parsed only %zu declarations of libbpf's header", lbn);
	cr_assert_eq(ourn, 211);

	/* Same spelling of the return type and parameters, same id, name by name. */
	for (size_t i = 0; i < lbn; i++) {
		size_t j = 0;

		while (j < ourn && strcmp(ours[j].name, lb[i].name) != 0)
			j++;
		cr_assert_lt(j, ourn, "%s: declared by libbpf, not by helpers.h", lb[i].name);
		cr_expect_eq(ours[j].id, lb[i].id, "%s: id %d, libbpf says %d", lb[i].name,
			     ours[j].id, lb[i].id);
		cr_expect_str_eq(ours[j].ret, lb[i].ret, "%s: return type", lb[i].name);
		cr_expect_str_eq(ours[j].params, lb[i].params, "%s: parameters", lb[i].name);
	}

	/*
	 * The compiler agrees: both headers in one program (a copy of libbpf's
	 * with each declarator renamed lb_bpf_NAME: some helpers share their
	 * name with a struct, so a macro cannot rename them), every pair of
	 * function types compatible, and each helper compiled to libbpf's id.
	 */
	struct sbuf copy = { 0 };
	char copy_path[300];

	for (const char *p = lbtext, *q; *p; p = q) {
		q = strstr(p, "(*bpf_");
		if (!q) {
			sb_add(&copy, "%s", p);
			break;
		}
		sb_add(&copy, "%.*s(*lb_bpf_", (int)(q - p), p);
		q += 6;
	}
	snprintf(copy_path, sizeof(copy_path), "%s/lb_helper_defs.h", bb_dir());
	bb_write(copy_path, copy.s);
	sb_add(&src, PRELUDE);
	sb_add(&src, "int ours(void *ctx)\n{\n");
	for (size_t i = 0; i < lbn; i++)
		sb_add(&src, "\t((long (*)(void))%s)();\n", lb[i].name);
	sb_add(&src, "\treturn 0;\n}\n#include \"lb_helper_defs.h\"\n");
	for (size_t i = 0; i < lbn; i++) {
		sb_add(&src, "_Static_assert(__builtin_types_compatible_p(__typeof__(*%s), "
			     "__typeof__(*lb_%s)), \"%s\");\n",
		       lb[i].name, lb[i].name, lb[i].name);
		sb_add(&calls, "\t((long (*)(void))lb_%s)();\n", lb[i].name);
	}
	sb_add(&src, "SEC(\"tc\") int theirs(void *ctx)\n{\n%s\treturn 0;\n}\n", calls.s);
	bb_open(&o, bb_compile("vs_libbpf", src.s, bb_inc()));
	cr_assert_eq(bb_helper_calls(&o, "tc", ids, 300), lbn);
	for (size_t i = 0; i < lbn; i++)
		cr_assert_eq(ids[i], lb[i].id, "libbpf's %s calls %d", lb[i].name, ids[i]);
	cr_assert_eq(bb_helper_calls(&o, ".text", ids, 300), lbn);
	for (size_t i = 0; i < lbn; i++)
		cr_assert_eq(ids[i], lb[i].id, "our %s calls %d, libbpf's %d", lb[i].name, ids[i],
			     lb[i].id);
	bb_close(&o);
	free(src.s);
	free(calls.s);
	free(copy.s);
	free(lbtext);
	free(ourtext);
}

Test(bpf_helpers, a_wrong_prototype_does_not_compile)
{
	char cmd[1024], c[256], *out = NULL;

	/* The declarations are real prototypes: a bad argument is an error, not a call. */
	BK_REQUIRE_TOOL(BPF_CLANG);
	snprintf(c, sizeof(c), "%s/bad.c", bb_dir());
	bb_write(c, PRELUDE "int f(void *ctx) { return bpf_map_lookup_elem(1, 2, 3) != 0; }\n");
	snprintf(cmd, sizeof(cmd), "%s -O2 -target bpf -I/usr/include/x86_64-linux-gnu %s -c %s -o %s/bad.o 2>&1",
		 BPF_CLANG, bb_inc(), c, bb_dir());
	cr_assert_neq(bk_test_run(cmd, &out), 0);
	cr_assert(strstr(out, "too many arguments"), "%s", out);
	free(out);
}

Test(bpf_helpers, bpf_printk_uses_trace_printk_up_to_3_args_then_vprintk)
{
	static const char src[] = PRELUDE
		"SEC(\"tp/syscalls/sys_enter_getpid\") int p(void *ctx)\n{\n"
		"\tint a = 1, b = 2; const char *s = \"x\";\n"
		"\tbpf_printk(\"none\");\n"
		"\tbpf_printk(\"%d %d %s\", a, b, s);\n"
		"\tbpf_printk(\"%d %d %d %d\", a, b, a, b);\n"
		"\tbpf_printk(\"%d%d%d%d%d%d%d%d%d%d%d%d\", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);\n"
		"\treturn 0;\n}\n";
	struct bb_obj o;
	int ids[8];
	size_t size;
	const char *rodata;

	bb_open(&o, bb_compile("printk", src, bb_inc()));
	cr_assert_eq(bb_helper_calls(&o, "tp/syscalls/sys_enter_getpid", ids, 8), 4);
	cr_assert_eq(ids[0], BK_FN_trace_printk);
	cr_assert_eq(ids[1], BK_FN_trace_printk);
	cr_assert_eq(ids[2], BK_FN_trace_vprintk);
	cr_assert_eq(ids[3], BK_FN_trace_vprintk);
	/* vprintk gets the argument array's size: 4 and 12 u64. */
	cr_assert_eq(bb_count_insn(&o, "tp/syscalls/sys_enter_getpid", BK_ALU64 | BK_MOV | BK_K, 32),
		     1);
	cr_assert_eq(bb_count_insn(&o, "tp/syscalls/sys_enter_getpid", BK_ALU64 | BK_MOV | BK_K, 96),
		     1);
	/* The formats are NUL-terminated read-only data. */
	rodata = bb_section(&o, ".rodata", &size);
	cr_assert_not_null(rodata);
	cr_assert(memmem(rodata, size, "%d %d %s", 9), "format not in read-only data");
	bb_close(&o);
}

Test(bpf_helpers, map_definition_macros_encode_numbers_and_types_in_btf)
{
	static const char src[] = PRELUDE
		"struct val { __u64 a, b; };\n"
		"struct {\n"
		"\t__uint(type, BPF_MAP_TYPE_HASH);\n"
		"\t__uint(max_entries, 64);\n"
		"\t__type(key, __u32);\n"
		"\t__type(value, struct val);\n"
		"\t__uint(pinning, BK_PIN_BY_NAME);\n"
		"\t__ulong(map_extra, 0x123456789ULL);\n"
		"} counts SEC(\".maps\");\n"
		"struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);\n"
		"\t__type(key, int); __type(value, int); } in SEC(\".maps\");\n"
		"struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 2);\n"
		"\t__type(key, int); __array(values, struct inner); } outer SEC(\".maps\");\n"
		"SEC(\"xdp\") int x(struct xdp_md *ctx) { return bpf_map_lookup_elem(&counts, &ctx) ? 1 : 2; }\n";
	struct bb_obj o;
	struct bk_btf *btf;
	struct bk_btf_type var, st, t;
	struct bk_btf_member m = { 0 };
	struct bk_btf_array arr;
	struct bk_btf_enumerator e;
	int id;

	bb_open(&o, bb_compile("maps", src, bb_inc()));
	btf = bb_btf(&o);
	id = bk_btf_find(btf, "counts", BK_BTF_KIND_VAR);
	cr_assert_gt(id, 0);
	cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)id, &var), 0);
	cr_assert_eq(bk_btf_type_by_id(btf, var.size_or_type, &st), 0);
	cr_assert_eq(st.kind, BK_BTF_KIND_STRUCT);
	cr_assert_eq(st.vlen, 6);
	/* __uint(name, N): a pointer to an array of N ints. */
	static const struct {
		const char *name;
		uint32_t n;
	} nums[] = { { "type", 1 /* HASH */ }, { "max_entries", 64 }, { "pinning", 1 } };
	for (size_t k = 0; k < 3; k++) {
		uint32_t i = 0;

		for (; i < st.vlen; i++) {
			cr_assert_eq(bk_btf_member(btf, st.id, i, &m), 0);
			if (strcmp(m.name, nums[k].name) == 0)
				break;
		}
		cr_assert_lt(i, st.vlen, "no member %s", nums[k].name);
		cr_assert_eq(bk_btf_type_by_id(btf, m.type, &t), 0);
		cr_assert_eq(t.kind, BK_BTF_KIND_PTR, "%s", nums[k].name);
		cr_assert_eq(bk_btf_array_info(btf, t.size_or_type, &arr), 0, "%s", nums[k].name);
		cr_assert_eq(arr.nelems, nums[k].n, "%s", nums[k].name);
	}
	/* __type(value, struct val): a pointer to the type itself. */
	cr_assert_eq(bk_btf_member(btf, st.id, 3, &m), 0);
	cr_assert_str_eq(m.name, "value");
	cr_assert_eq(bk_btf_type_by_id(btf, m.type, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_PTR);
	cr_assert_eq(bk_btf_type_by_id(btf, t.size_or_type, &t), 0);
	cr_assert_str_eq(t.name, "val");
	/* __ulong carries a 64-bit value through an enumerator. */
	cr_assert_eq(bk_btf_member(btf, st.id, 5, &m), 0);
	cr_assert_str_eq(m.name, "map_extra");
	cr_assert_eq(bk_btf_type_by_id(btf, m.type, &t), 0);
	cr_assert(t.kind == BK_BTF_KIND_ENUM64 || t.kind == BK_BTF_KIND_ENUM);
	cr_assert_eq(bk_btf_enumerator(btf, t.id, 0, &e), 0);
	cr_assert_eq(e.value, 0x123456789LL);
	/* __array(values, struct inner): a flexible array of pointers to the inner definition. */
	id = bk_btf_find(btf, "outer", BK_BTF_KIND_VAR);
	cr_assert_gt(id, 0);
	cr_assert_eq(bk_btf_type_by_id(btf, (uint32_t)id, &var), 0);
	cr_assert_eq(bk_btf_member(btf, var.size_or_type, 3, &m), 0);
	cr_assert_str_eq(m.name, "values");
	cr_assert_eq(bk_btf_array_info(btf, m.type, &arr), 0);
	cr_assert_eq(arr.nelems, 0);
	cr_assert_eq(bk_btf_type_by_id(btf, arr.type, &t), 0);
	cr_assert_eq(t.kind, BK_BTF_KIND_PTR);
	cr_assert_eq(bk_btf_type_by_id(btf, t.size_or_type, &t), 0);
	cr_assert_str_eq(t.name, "inner");
	cr_assert_gt(bk_btf_find(btf, ".maps", BK_BTF_KIND_DATASEC), 0);
	bk_btf_free(btf);
	bb_close(&o);
}

Test(bpf_helpers, sec_license_version_kconfig_and_ksym_land_where_loaders_look)
{
	static const char src[] = PRELUDE
		"extern unsigned int LINUX_KERNEL_VERSION __kconfig;\n"
		"extern int bpf_prog_active __ksym __weak;\n"
		"SEC(\"socket\") int s(struct __sk_buff *skb)\n"
		"{ return LINUX_KERNEL_VERSION + (&bpf_prog_active != 0); }\n"
		"BPF_LICENSE(\"Dual MIT/GPL\");\n"
		"BPF_VERSION(KERNEL_VERSION(6, 18, 300));\n";
	struct bb_obj o;
	struct bk_btf *btf;
	size_t size;
	const char *lic;
	const uint32_t *ver;

	bb_open(&o, bb_compile("sections", src, bb_inc()));
	cr_assert_not_null(bb_section(&o, "socket", &size));
	lic = bb_section(&o, "license", &size);
	cr_assert_not_null(lic);
	cr_assert_eq(size, sizeof("Dual MIT/GPL"));
	cr_assert_str_eq(lic, "Dual MIT/GPL");
	ver = bb_section(&o, "version", &size);
	cr_assert_not_null(ver);
	cr_assert_eq(size, 4);
	cr_assert_eq(*ver, 6u << 16 | 18u << 8 | 255u, "the sublevel saturates at 255");
	btf = bb_btf(&o);
	cr_assert_gt(bk_btf_find(btf, ".kconfig", BK_BTF_KIND_DATASEC), 0);
	cr_assert_gt(bk_btf_find(btf, ".ksyms", BK_BTF_KIND_DATASEC), 0);
	cr_assert_gt(bk_btf_find(btf, "LINUX_KERNEL_VERSION", BK_BTF_KIND_VAR), 0);
	bk_btf_free(btf);
	bb_close(&o);
}

Test(bpf_helpers, the_generator_reproduces_helper_defs_h_from_the_uapi_docs)
{
	char cmd[1024], *out = NULL;
	int rc;

	/* helper_defs.h is generated; regenerating from the same facts gives the same text. */
	BK_REQUIRE_TOOL("python3");
	if (access("/usr/include/linux/bpf.h", R_OK) != 0)
		BK_SKIP_OR_FAIL("no <linux/bpf.h> with the helper documentation");
	{
		size_t size;
		char *uapi = bb_read("/usr/include/linux/bpf.h", &size);
		int documented = strstr(uapi, " * long bpf_user_ringbuf_drain(") != NULL;

		free(uapi);
		if (!documented)
			BK_SKIP_OR_FAIL("<linux/bpf.h> is older than Linux 6.1's: it documents fewer helpers");
	}
	snprintf(cmd, sizeof(cmd),
		 "cd %s && scripts/gen-bpf-helpers /usr/include/linux/bpf.h | "
		 "cmp - include/bpfkit/bpf/helper_defs.h 2>&1",
		 bk_test_srcdir());
	rc = bk_test_run(cmd, &out);
	cr_assert_eq(rc, 0, "scripts/gen-bpf-helpers output differs: %s", out);
	free(out);
}
