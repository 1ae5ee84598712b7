// SPDX-License-Identifier: MIT
/*
 * The self-checking programs of tests/bpf/progs/, built with bpfkit's BPF
 * headers and run in the kernel, twice: through bpfkit's ELF loader, and
 * through a few lines here that do without it (copy a program section's
 * instructions, point each ld_imm64 relocated against a map symbol at a map
 * the test created with the shape the program declares, resolve kfunc calls
 * in the kernel's BTF, load, BPF_PROG_TEST_RUN), so the headers are tested
 * apart from the loader. Without the loader CO-RE records keep their local
 * values, right because the program is built against this kernel's own
 * vmlinux.h. Each expected result is the one stated in the program's header
 * comment.
 */
#include <arpa/inet.h>
#include <sys/syscall.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "bpf_build.h"
#include <bpfkit/abi.h>
#include <bpfkit/map.h>
#include <bpfkit/object.h>
#include <bpfkit/prog.h>
#include <bpfkit/ringbuf.h>
#include <bpfkit/sys.h>

TestSuite(bpf_progs, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

struct named_map {
	const char *name;
	const struct bk_map *map;
};

/*
 * Load section sec of the object as a program of type: map relocations are
 * resolved against maps by symbol name, calls of undefined functions against
 * the kernel's BTF (kfuncs); any other relocation fails the test (it needs
 * the real loader).
 */
static struct bk_prog *load_section(const struct bb_obj *o, const char *sec, enum bk_prog_type type,
				    const struct named_map *maps, size_t nmaps)
{
	size_t size, rsize, nsym = 0;
	const struct bk_insn *code = bb_section(o, sec, &size);
	char relname[128];
	const Elf64_Rel *rel;
	const Elf64_Sym *sym = NULL;
	const char *symstr = NULL;
	struct bk_insn *insns;
	struct bk_diag diag = { 0 };
	struct bk_prog *prog;

	cr_assert_not_null(code, "no section %s", sec);
	insns = malloc(size);
	cr_assert_not_null(insns);
	memcpy(insns, code, size);
	for (unsigned i = 0; i < o->eh->e_shnum; i++) {
		if (o->sh[i].sh_type == SHT_SYMTAB) {
			sym = (const Elf64_Sym *)(o->data + o->sh[i].sh_offset);
			nsym = o->sh[i].sh_size / sizeof(*sym);
			symstr = (const char *)o->data + o->sh[o->sh[i].sh_link].sh_offset;
		}
	}
	snprintf(relname, sizeof(relname), ".rel%s", sec);
	rel = bb_section(o, relname, &rsize);
	for (size_t k = 0; rel && k < rsize / sizeof(*rel); k++) {
		size_t s = ELF64_R_SYM(rel[k].r_info), at = rel[k].r_offset / sizeof(struct bk_insn);
		const char *name;
		size_t m = 0;

		cr_assert_lt(s, nsym);
		cr_assert_lt(at, size / sizeof(struct bk_insn));
		name = symstr + sym[s].st_name;
		if (sym[s].st_shndx == SHN_UNDEF && insns[at].code == (BK_JMP | BK_CALL)) {
			struct bk_btf *kbtf = bk_btf_load_file("/sys/kernel/btf/vmlinux", NULL);
			int id;

			cr_assert_not_null(kbtf, "no kernel BTF to resolve kfunc %s", name);
			id = bk_btf_find(kbtf, name, BK_BTF_KIND_FUNC);
			bk_btf_free(kbtf);
			cr_assert_gt(id, 0, "kfunc %s is not in the kernel's BTF", name);
			insns[at].src_reg = BK_PSEUDO_KFUNC_CALL;
			insns[at].imm = id;
			continue;
		}
		while (m < nmaps && strcmp(maps[m].name, name) != 0)
			m++;
		cr_assert_lt(m, nmaps, "%s: relocation against %s needs the ELF loader", sec, name);
		cr_assert_eq(insns[at].code, BK_LD | BK_IMM | BK_DW);
		insns[at].src_reg = BK_PSEUDO_MAP_FD;
		insns[at].imm = bk_map_fd(maps[m].map);
	}
	prog = bk_prog_load(type, insns, size / sizeof(*insns),
			    &(struct bk_prog_opts){ .sz = sizeof(struct bk_prog_opts), .diag = &diag });
	cr_assert_not_null(prog, "%s: %s (instruction %u)", sec, diag.msg, diag.index);
	free(insns);
	return prog;
}

/*
 * An Ethernet/IPv4 frame with a TCP or UDP header to dport, in buf; returns
 * its length. Headers are built aligned and copied: in the frame, the IPv4
 * header sits at offset 14.
 */
static uint32_t frame(uint8_t *buf, uint16_t ethertype, uint8_t proto, uint16_t dport)
{
	struct ethhdr eth = { .h_proto = htons(ethertype) };
	struct iphdr ip = { .version = 4, .ihl = 5, .ttl = 64, .protocol = proto };
	struct tcphdr tcp = { .source = htons(40000), .dest = htons(dport), .doff = 5 };
	struct udphdr udp = { .source = htons(40000), .dest = htons(dport) };
	uint32_t l4 = proto == IPPROTO_TCP ? sizeof(tcp) : sizeof(udp);
	uint32_t len = sizeof(eth) + sizeof(ip) + l4 + 8;

	memcpy(eth.h_dest, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(eth.h_source, "\x02\x00\x00\x00\x00\x02", 6);
	ip.tot_len = htons((uint16_t)(len - sizeof(eth)));
	ip.saddr = htonl(0x0a000001);
	ip.daddr = htonl(0x0a000002);
	udp.len = htons((uint16_t)(sizeof(udp) + 8));
	memset(buf, 0, len);
	memcpy(buf, &eth, sizeof(eth));
	memcpy(buf + sizeof(eth), &ip, sizeof(ip));
	if (proto == IPPROTO_TCP)
		memcpy(buf + sizeof(eth) + sizeof(ip), &tcp, sizeof(tcp));
	else
		memcpy(buf + sizeof(eth) + sizeof(ip), &udp, sizeof(udp));
	return len;
}

static const char *prog_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/tests/bpf/progs/%s", bk_test_srcdir(), name);
	return path;
}

static const char *build(const char *name, const char *extra)
{
	size_t size;
	char *src = bb_read(prog_path(name), &size), base[64], flags[1400];
	const char *obj;

	snprintf(base, sizeof(base), "%.*s", (int)(strchr(name, '.') - name), name);
	snprintf(flags, sizeof(flags), "%s %s", bb_inc(), extra);
	obj = bb_compile(base, src, flags);
	free(src);
	return obj;
}

Test(bpf_progs, xdp_parse_passes_udp_4242_and_counts_protocols)
{
	struct bb_obj o;
	struct bk_map *counters;
	struct bk_prog *prog;
	uint8_t pkt[128];
	uint32_t len, ret, key;
	uint64_t n;

	BK_REQUIRE_KERNEL();
	bb_open(&o, build("xdp_parse.bpf.c", ""));
	counters = bk_map_create(BK_MAP_TYPE_ARRAY, "counters", 4, 8, 256, NULL);
	cr_assert_not_null(counters, "map: %s", strerror(errno));
	prog = load_section(&o, "xdp", BK_PROG_TYPE_XDP,
			    (struct named_map[]){ { "counters", counters } }, 1);
	len = frame(pkt, ETH_P_IP, IPPROTO_UDP, 4242);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 2 /* XDP_PASS */);
	len = frame(pkt, ETH_P_IP, IPPROTO_UDP, 53);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 1 /* XDP_DROP */);
	len = frame(pkt, ETH_P_IP, IPPROTO_TCP, 4242);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 1 /* XDP_DROP */);
	len = frame(pkt, ETH_P_ARP, IPPROTO_UDP, 4242);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 2 /* XDP_PASS */);
	/* the same frame cut inside its IPv4 header */
	frame(pkt, ETH_P_IP, IPPROTO_UDP, 4242);
	cr_assert_eq(bk_prog_run_data(prog, pkt, sizeof(struct ethhdr) + 10, &ret), 0);
	cr_assert_eq(ret, 0 /* XDP_ABORTED */);
	key = IPPROTO_UDP;
	cr_assert_eq(bk_map_lookup(counters, &key, 4, &n, 8, 0), 0);
	cr_assert_eq(n, 2);
	key = IPPROTO_TCP;
	cr_assert_eq(bk_map_lookup(counters, &key, 4, &n, 8, 0), 0);
	cr_assert_eq(n, 1);
	bk_prog_close(prog);
	bk_map_close(counters);
	bb_close(&o);
}

Test(bpf_progs, sockfilter_keeps_tcp_port_80)
{
	struct bb_obj o;
	struct bk_prog *prog;
	uint8_t pkt[128];
	uint32_t len, ret;

	BK_REQUIRE_KERNEL();
	bb_open(&o, build("sockfilter.bpf.c", ""));
	prog = load_section(&o, "socket", BK_PROG_TYPE_SOCKET_FILTER, NULL, 0);
	len = frame(pkt, ETH_P_IP, IPPROTO_TCP, 80);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, len - sizeof(struct ethhdr), "kept length %u", ret);
	len = frame(pkt, ETH_P_IP, IPPROTO_TCP, 81);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 0);
	len = frame(pkt, ETH_P_IP, IPPROTO_UDP, 80);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 0);
	len = frame(pkt, ETH_P_IPV6, IPPROTO_TCP, 80);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 0);
	bk_prog_close(prog);
	bb_close(&o);
}

Test(bpf_progs, core_task_reads_agree_with_helpers)
{
	struct bb_obj o;
	struct bk_prog *prog;
	uint64_t args[2] = { 7, 9 };
	struct bk_test_run_opts run = { .sz = sizeof(run), .ctx_in = args, .ctx_size_in = 16 };
	char flags[800];
	int err;

	BK_REQUIRE_KERNEL();
	snprintf(flags, sizeof(flags), "-D__TARGET_ARCH_x86 %s", bb_vmlinux_flag());
	bb_open(&o, build("core_task.bpf.c", flags));
	prog = load_section(&o, "raw_tp/sys_enter", BK_PROG_TYPE_RAW_TRACEPOINT, NULL, 0);
	err = bk_prog_test_run(prog, &run);
	if (err == -524 /* ENOTSUPP */ || err == -EOPNOTSUPP)
		BK_SKIP_FEATURE("test runs of raw tracepoint programs");
	cr_assert_eq(err, 0, "test run: %s", strerror(-err));
	cr_assert_eq(run.retval, 0, "disagreements (bits of the program's comment): %#x",
		     run.retval);
	/* and the arguments do reach the program */
	args[1] = 8;
	cr_assert_eq(bk_prog_test_run(prog, &run), 0);
	cr_assert_eq(run.retval, 32);
	bk_prog_close(prog);
	bb_close(&o);
}

Test(bpf_progs, open_coded_iterators_run_in_the_kernel)
{
	static const char src[] = "#include VMLINUX_H\n#include <bpfkit/bpf/helpers.h>\n"
				  "SEC(\"socket\") int it(struct __sk_buff *skb)\n{\n"
				  "\tint i, sum = 0;\n"
				  "\tbpf_for(i, 0, 10) sum += i;\n"
				  "\tbpf_repeat(5) sum += 100;\n"
				  "\treturn sum;\n}\n";
	struct bb_obj o;
	struct bk_prog *prog;
	uint8_t pkt[128];
	uint32_t len, ret;
	char flags[1400];

	BK_REQUIRE_KERNEL();
	snprintf(flags, sizeof(flags), "%s %s", bb_inc(), bb_vmlinux_flag());
	bb_open(&o, bb_compile("iter", src, flags));
	prog = load_section(&o, "socket", BK_PROG_TYPE_SOCKET_FILTER, NULL, 0);
	len = frame(pkt, ETH_P_IP, IPPROTO_TCP, 80);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 45 + 500, "bpf_for summed 0..9 and bpf_repeat ran 5 times: %u", ret);
	bk_prog_close(prog);
	bb_close(&o);
}

Test(bpf_progs, tp_counter_builds_with_its_maps_and_helpers)
{
	/* Attaching it needs the ELF loader (see the program's comment); here: the object. */
	struct bb_obj o;
	struct bk_btf *btf;
	int ids[16];
	size_t n;

	bb_open(&o, build("tp_counter.bpf.c", ""));
	n = bb_helper_calls(&o, "tp/syscalls/sys_enter_getpid", ids, 16);
	cr_assert_eq(n, 5);
	cr_assert_eq(ids[0], BK_FN_get_current_pid_tgid);
	cr_assert_eq(ids[1], BK_FN_map_lookup_elem);
	cr_assert_eq(ids[2], BK_FN_map_update_elem);
	cr_assert_eq(ids[3], BK_FN_ringbuf_reserve);
	cr_assert_eq(ids[4], BK_FN_ringbuf_submit);
	btf = bb_btf(&o);
	cr_assert_gt(bk_btf_find(btf, "counts", BK_BTF_KIND_VAR), 0);
	cr_assert_gt(bk_btf_find(btf, "calls", BK_BTF_KIND_VAR), 0);
	bk_btf_free(btf);
	bb_close(&o);
}

/* ---- through the ELF loader ---------------------------------------------- */

/* Open and load the object at path; fails the test with the loader's reason. */
static struct bk_object *load_object(const char *path, struct bk_diag *d)
{
	struct bk_object *obj = bk_object_open_file(path, BK_OPTS(bk_object_opts, .diag = d));
	int err;

	cr_assert_not_null(obj, "open %s: %s", path, d->msg);
	err = bk_object_load(obj);
	cr_assert_eq(err, 0, "load %s: %s (%s)", path, strerror(-err), d->msg);
	return obj;
}

struct calls {
	uint32_t tgid, seen, last_seq;
	int out_of_order;
};

static int on_call(void *ctx, const void *data, size_t size)
{
	struct calls *c = ctx;
	uint32_t rec[2];

	cr_assert_eq(size, sizeof(rec));
	memcpy(rec, data, sizeof(rec));
	if (rec[0] != c->tgid)
		return 0;
	c->out_of_order |= rec[1] != c->last_seq + 1;
	c->last_seq = rec[1];
	c->seen++;
	return 0;
}

Test(bpf_progs, tp_counter_counts_getpid_through_the_elf_loader)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_ringbuf *rb;
	struct calls c = { .tgid = (uint32_t)getpid() };
	uint64_t n = 0;
	int attached;

	BK_REQUIRE_KERNEL();
	cr_assert_eq(bk_test_tracefs(), 0);
	obj = load_object(build("tp_counter.bpf.c", ""), &d);
	attached = bk_object_attach(obj, NULL);
	cr_assert_eq(attached, 1, "attached %d: %s", attached, d.msg);
	for (int i = 0; i < 5; i++)
		syscall(SYS_getpid);
	cr_assert_eq(bk_map_lookup(bk_object_map_map(bk_object_map_by_name(obj, "counts")), &c.tgid,
				   4, &n, 8, 0),
		     0);
	cr_assert_eq(n, 5, "counts[%u] = %llu after 5 getpid()", c.tgid, (unsigned long long)n);
	rb = bk_ringbuf_new(NULL);
	cr_assert_not_null(rb);
	cr_assert_geq(bk_ringbuf_add(rb, bk_map_fd(bk_object_map_map(bk_object_map_by_name(obj,
											       "calls"))),
				     on_call, &c),
		      0);
	cr_assert_geq(bk_ringbuf_consume(rb), 5);
	cr_assert_eq(c.seen, 5, "ring records of this process: %u", c.seen);
	cr_assert_not(c.out_of_order, "sequence numbers 1..5 in order");
	bk_ringbuf_free(rb);
	bk_object_close(obj);
}

Test(bpf_progs, xdp_parse_and_core_task_through_the_elf_loader)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_prog *prog;
	uint8_t pkt[128];
	uint32_t len, ret, key = IPPROTO_UDP;
	uint64_t n = 0, args[2] = { 7, 9 };
	struct bk_test_run_opts run = { .sz = sizeof(run), .ctx_in = args, .ctx_size_in = 16 };
	char flags[800];

	BK_REQUIRE_KERNEL();
	obj = load_object(build("xdp_parse.bpf.c", ""), &d);
	prog = bk_object_prog_prog(bk_object_prog_by_name(obj, "xdp_parse"));
	cr_assert_not_null(prog);
	len = frame(pkt, ETH_P_IP, IPPROTO_UDP, 4242);
	cr_assert_eq(bk_prog_run_data(prog, pkt, len, &ret), 0);
	cr_assert_eq(ret, 2 /* XDP_PASS */);
	cr_assert_eq(bk_map_lookup(bk_object_map_map(bk_object_map_by_name(obj, "counters")), &key, 4,
				   &n, 8, 0),
		     0);
	cr_assert_eq(n, 1);
	bk_object_close(obj);

	/* CO-RE records applied by the loader this time, against the kernel's BTF */
	snprintf(flags, sizeof(flags), "-D__TARGET_ARCH_x86 %s", bb_vmlinux_flag());
	obj = load_object(build("core_task.bpf.c", flags), &d);
	prog = bk_object_prog_prog(bk_object_prog_by_name(obj, "core_task"));
	cr_assert_not_null(prog);
	cr_assert_eq(bk_prog_test_run(prog, &run), 0);
	cr_assert_eq(run.retval, 0, "disagreements: %#x", run.retval);
	bk_object_close(obj);
}

Test(bpf_progs, iters_searches_with_open_coded_iterators_and_a_global_function)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_prog *prog;
	struct bk_test_run_opts run = { .sz = sizeof(run) };
	char flags[800];

	BK_REQUIRE_KERNEL();
	snprintf(flags, sizeof(flags), "%s", bb_vmlinux_flag());
	obj = load_object(build("iters.bpf.c", flags), &d);
	prog = bk_object_prog_prog(bk_object_prog_by_name(obj, "iters"));
	cr_assert_not_null(prog);
	cr_assert_eq(bk_prog_test_run(prog, &run), 0);
	cr_assert_eq(run.retval, 1403, "result %u (see the program's comment)", run.retval);
	bk_object_close(obj);
}

Test(bpf_progs, bpf_core_cast_reads_the_kernels_type_through_the_elf_loader)
{
	static const char src[] =
		"#include VMLINUX_H\n#include <bpfkit/bpf/helpers.h>\n#include <bpfkit/bpf/core.h>\n"
		"SEC(\"raw_tp/sys_enter\") int cast(void *ctx)\n{\n"
		"\tstruct task_struct *t = bpf_core_cast((void *)bpf_get_current_task(), struct task_struct);\n"
		"\t__u64 id = bpf_get_current_pid_tgid();\n"
		"\treturn (t->pid == (int)(__u32)id) + 2 * (t->tgid == (int)(id >> 32));\n}\n"
		"BPF_LICENSE(\"GPL\");\n";
	struct bk_diag d = { 0 };
	struct bk_object *obj;
	struct bk_prog *prog;
	struct bk_test_run_opts run = { .sz = sizeof(run) };
	char flags[1400];

	BK_REQUIRE_KERNEL();
	snprintf(flags, sizeof(flags), "%s %s", bb_inc(), bb_vmlinux_flag());
	obj = load_object(bb_compile("cast", src, flags), &d);
	prog = bk_object_prog_prog(bk_object_prog_by_name(obj, "cast"));
	cr_assert_not_null(prog);
	cr_assert_eq(bk_prog_test_run(prog, &run), 0);
	cr_assert_eq(run.retval, 3, "pid and tgid read through the cast agree with the helper: %u",
		     run.retval);
	bk_object_close(obj);
}
