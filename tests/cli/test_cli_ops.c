// SPDX-License-Identifier: MIT
/*
 * bpftool's operational verbs through the bpfkit binary, against the real
 * kernel in private worlds (bpffs, network namespace, test cgroup): map
 * create/freeze/peek/push/pop/event, prog load/pin/run, net and cgroup
 * attach/show, link pin/detach, with bpftool's output where it has the verb.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <bpfkit/info.h>
#include <bpfkit/link.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

#include "../lib/bk_test.h"
#include "bpftool_same.h"

static char fs[256];

static void setup(void)
{
	BK_REQUIRE_KERNEL();
	BK_REQUIRE_TOOL("bpftool");
	cr_assert_eq(bk_test_bpffs(fs, sizeof(fs)), 0);
}

/* bpfkit with args; both output streams in *out. */
static int bk(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bk(char **out, const char *fmt, ...)
{
	char args[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return sh(out, "%s %s 2>&1", bk_test_cli(), args);
}

static void ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ok(const char *fmt, ...)
{
	char args[1536], *out;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	cr_assert_eq(bk(&out, "%s", args), 0, "bpfkit %s: %s", args, out);
	free(out);
}

/* Expect failure with status st and a message containing want. */
static void fails(int st, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fails(int st, const char *want, const char *fmt, ...)
{
	char args[1536], *out;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	cr_assert_eq(bk(&out, "%s", args), st, "bpfkit %s: %s", args, out);
	cr_assert_not_null(strstr(out, want), "bpfkit %s: wanted '%s' in: %s", args, want, out);
	free(out);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* ---- maps ---------------------------------------------------------------------- */

Test(cli_ops, map_create_queue_verbs_and_freeze_match_bpftool)
{
	char a[512];

	setup();
	ok("map create %s/q type queue key 0 value 4 entries 4 name bkt_q", fs);
	ok("map push pinned %s/q value 1 2 3 4", fs);
	ok("map enqueue pinned %s/q value hex 05060708", fs);
	snprintf(a, sizeof(a), "-j map peek pinned %s/q", fs);
	same_json(a);
	snprintf(a, sizeof(a), "map peek pinned %s/q", fs);
	same_text(a);
	fails(0, "value: 01 02 03 04\n", "map pop pinned %s/q", fs);
	fails(0, "{\"key\":[],\"value\":[\"0x05\",\"0x06\",\"0x07\",\"0x08\"]}", "-j map dequeue pinned %s/q", fs);
	fails(1, "empty map", "map pop pinned %s/q", fs);
	fails(1, "not a queue, stack or bloom filter", "map create %s/h type hash key 4 value 4 "
						      "entries 4 name bkt_qh && %s map peek pinned %s/h",
	      fs, bk_test_cli(), fs);
	ok("map freeze pinned %s/q", fs);
	fails(1, "frozen already", "map freeze pinned %s/q", fs);
	snprintf(a, sizeof(a), "-j map show pinned %s/q", fs);
	same_json(a);
	snprintf(a, sizeof(a), "map show pinned %s/q", fs);
	same_text(a);
}

Test(cli_ops, map_create_refuses_bad_numbers_and_types)
{
	setup();
	fails(2, "value: 'x' is not a number", "map create %s/b type hash key 4 value x entries 4",
	      fs);
	fails(2, "unknown map type 'hashy'", "map create %s/b type hashy key 4 value 4 entries 4",
	      fs);
	fails(2, "needs type, key, value and entries", "map create %s/b type hash key 4", fs);
	fails(1, "map create:", "map create %s/b type hash key 0 value 4 entries 4", fs);
}

Test(cli_ops, map_arguments_name_the_argument_and_both_sizes)
{
	setup();
	ok("map create %s/h type hash key 4 value 4 entries 4 name bkt_arg", fs);
	fails(2, "key: the map's key size is 4 bytes, 3 given",
	      "map update pinned %s/h key 1 2 3 value 1 2 3 4", fs);
	fails(2, "key: the map's key size is 4 bytes, 5 given",
	      "map update pinned %s/h key 1 2 3 4 5 value 1 2 3 4", fs);
	fails(2, "key: the map's key size is 4 bytes, 3 given",
	      "map update pinned %s/h key hex 010203 value hex 01", fs);
	fails(2, "value: odd number of hex digits (3)",
	      "map update pinned %s/h key hex 01020304 value hex 010", fs);
	fails(2, "value: the map's value size is 4 bytes, 1 given",
	      "map update pinned %s/h key hex 01020304 value hex 01", fs);
	fails(2, "value: byte '300' is out of range", "map update pinned %s/h key 1 2 3 4 value 1 2 300 4",
	      fs);
	fails(2, "'bogus' is not any, noexist or exist",
	      "map update pinned %s/h key 1 2 3 4 value 1 2 3 4 bogus", fs);
	fails(1, "'exist' updates only existing ones",
	      "map update pinned %s/h key 1 2 3 4 value 1 2 3 4 exist", fs);
	fails(2, "{\"error\":\"key: the map's key size is 4 bytes, 2 given\"}",
	      "-j map lookup pinned %s/h key 1 2 2>/dev/null", fs);
}

Test(cli_ops, pinning_outside_bpffs_says_how_to_mount_one)
{
	setup();
	ok("map create %s/h type hash key 4 value 4 entries 4 name bkt_pin", fs);
	fails(1, "/tmp is not on a BPF filesystem (bpffs)", "map pin pinned %s/h /tmp/bkt-pin", fs);
	fails(1, "mount -t bpf bpf /sys/fs/bpf", "map create /tmp/bkt-pin2 type hash key 4 value 4 "
						"entries 4");
}

/* Fill a hash map of n u32 -> u64 entries, pinned at fs/name. */
static void big_map(const char *name, enum bk_map_type type, uint32_t n)
{
	char path[300];
	struct bk_map *m = bk_map_create(type, "bkt_big", 4, 8, n, NULL);
	size_t vsz;
	uint32_t *k, count = n;
	uint8_t *v;

	cr_assert_not_null(m, "%s", strerror(errno));
	vsz = bk_map_value_buf_size(m);
	k = malloc((size_t)n * 4);
	v = malloc((size_t)n * vsz);
	cr_assert(k && v);
	for (uint32_t i = 0; i < n; i++) {
		k[i] = i * 2654435761u;
		for (size_t b = 0; b < vsz; b++)
			v[(size_t)i * vsz + b] = (uint8_t)(i * 7 + b);
	}
	if (type == BK_MAP_TYPE_ARRAY || type == BK_MAP_TYPE_PERCPU_ARRAY)
		for (uint32_t i = 0; i < n; i++)
			k[i] = i;
	cr_assert_eq(bk_map_update_batch(m, k, v, &count, NULL), 0, "%s", strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", fs, name);
	cr_assert_eq(bk_map_pin(m, path), 0);
	bk_map_close(m);
	free(k);
	free(v);
}

Test(cli_ops, map_dump_in_batches_is_bpftools_output, .timeout = 60)
{
	char a[512], *out;

	setup();
	big_map("h", BK_MAP_TYPE_HASH, 20000);
	big_map("pa", BK_MAP_TYPE_PERCPU_ARRAY, 50);
	big_map("ph", BK_MAP_TYPE_PERCPU_HASH, 50);
	snprintf(a, sizeof(a), "map dump pinned %s/h", fs);
	same_text(a);
	snprintf(a, sizeof(a), "map dump pinned %s/pa", fs);
	same_text(a);
	snprintf(a, sizeof(a), "-j map dump pinned %s/ph", fs);
	same_json(a);
	snprintf(a, sizeof(a), "map dump pinned %s/ph", fs);
	same_text(a);
	/* A full output stops the walk with the reason. */
	cr_assert_eq(sh(&out, "%s map dump pinned %s/h 2>&1 >/dev/full", bk_test_cli(), fs), 1);
	cr_assert_not_null(strstr(out, "No space left on device"), "%s", out);
	free(out);
}

Test(cli_ops, ring_buffer_dump_explains_and_event_prints_records, .timeout = 30)
{
	static const char prog[] = "r1 = 0x0807060504030201 ll\n"
				   "*(u64 *)(r10 - 8) = r1\n"
				   "r1 = map[bkt_rb] ll\n"
				   "r2 = r10\n"
				   "r2 += -8\n"
				   "r3 = 8\n"
				   "r4 = 0\n"
				   "call bpf_ringbuf_output\n"
				   "r0 = 0\n"
				   "exit\n";
	char path[300], cmd[600], out[4096] = "";
	uint8_t pkt[64] = { 0 };
	struct bk_map *rb;
	struct bk_prog *p;
	uint32_t ret;
	FILE *ev;
	size_t n;

	setup();
	ok("map create %s/rb type ringbuf key 0 value 0 entries 4096 name bkt_rb", fs);
	fails(1, "read them as they arrive with 'bpfkit map event MAP'", "map dump pinned %s/rb",
	      fs);
	snprintf(path, sizeof(path), "%s/rb", fs);
	rb = bk_map_open_pinned(path);
	cr_assert_not_null(rb);
	p = bk_prog_load_text(BK_PROG_TYPE_SOCKET_FILTER, prog, sizeof(prog) - 1,
			      BK_OPTS(bk_prog_opts, .maps = &rb, .nmaps = 1));
	cr_assert_not_null(p, "%s", strerror(errno));
	for (int i = 0; i < 2; i++)
		cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0);
	snprintf(cmd, sizeof(cmd), "%s -j map event pinned %s count 2", bk_test_cli(), path);
	ev = popen(cmd, "r");
	cr_assert_not_null(ev);
	n = fread(out, 1, sizeof(out) - 1, ev);
	out[n] = '\0';
	cr_assert_eq(pclose(ev), 0, "%s", out);
	cr_assert_str_eq(out, "{\"index\":0,\"size\":8,\"data\":[\"0x01\",\"0x02\",\"0x03\",\"0x04\","
			      "\"0x05\",\"0x06\",\"0x07\",\"0x08\"]}\n"
			      "{\"index\":1,\"size\":8,\"data\":[\"0x01\",\"0x02\",\"0x03\",\"0x04\","
			      "\"0x05\",\"0x06\",\"0x07\",\"0x08\"]}\n");
	/* Plain form, then Ctrl-C ends the watch with status 0. */
	cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0);
	fails(0, "== record 0  8 bytes\n01 02 03 04 05 06 07 08\n",
	      "map event pinned %s & sleep 1; kill -INT $!; wait $!", path);
	bk_prog_close(p);
	bk_map_close(rb);
}

/* ---- programs ------------------------------------------------------------------ */

Test(cli_ops, prog_load_pin_show_and_run_match_bpftool)
{
	char a[512], *out;
	struct jm *x, *y;

	setup();
	write_file("/tmp/bkt-ops-p.s", "r0 = 2\nexit\n");
	ok("prog load /tmp/bkt-ops-p.s %s/p type xdp name bkt_load", fs);
	ok("asm /tmp/bkt-ops-p.s -o /tmp/bkt-ops-p.bin");
	ok("prog load /tmp/bkt-ops-p.bin %s/raw type xdp name bkt_raw", fs);
	ok("prog pin pinned %s/raw %s/raw2", fs, fs);
	snprintf(a, sizeof(a), "-j prog show pinned %s/raw2", fs);
	same_json(a);
	snprintf(a, sizeof(a), "-j prog show pinned %s/p", fs);
	same_json(a);
	fails(2, "give the program's type", "prog load /tmp/bkt-ops-p.s %s/nt", fs);
	write_file("/tmp/bkt-ops-p.o", "\177ELF\2\1\1\0");
	/* A truncated object goes to the ELF loader, which says what is wrong. */
	fails(1, "/tmp/bkt-ops-p.o: ", "prog load /tmp/bkt-ops-p.o %s/elf type xdp", fs);
	/* Run with data in and out: bpftool's JSON apart from the duration. */
	write_file("/tmp/bkt-ops-pkt", "0123456789abcdefghijklmnopqrstuvwxyz");
	snprintf(a, sizeof(a), "-j prog run pinned %s/p data_in /tmp/bkt-ops-pkt data_out - "
		 "repeat 3", fs);
	cr_assert_eq(sh(&out, "bpftool %s", a), 0, "%s", out);
	x = jm_parse(out);
	free(out);
	cr_assert_eq(bk(&out, "%s", a), 0, "%s", out);
	y = jm_parse(out);
	cr_assert(x && y, "%s", out);
	cr_assert_eq(jm_get(y, "retval")->num, 2);
	cr_assert_eq(jm_get(x, "retval")->num, jm_get(y, "retval")->num);
	cr_assert(jm_equal(jm_get(x, "data_out"), jm_get(y, "data_out"), a, sizeof(a)), "%s", out);
	jm_free(x);
	jm_free(y);
	free(out);
	fails(0, "0000000\t3031 3233 3435 3637 3839 6162 6364 6566 | 01234567 89abcdef\n",
	      "prog run pinned %s/p data_in /tmp/bkt-ops-pkt data_out -", fs);
	fails(0, "Return value: 2, duration (average): ",
	      "prog run pinned %s/p data_in /tmp/bkt-ops-pkt repeat 2", fs);
	fails(2, "repeat: '-2' is not a number", "prog run pinned %s/p data_in /tmp/bkt-ops-pkt "
						"repeat -2", fs);
	unlink("/tmp/bkt-ops-p.s");
	unlink("/tmp/bkt-ops-p.bin");
	unlink("/tmp/bkt-ops-p.o");
	unlink("/tmp/bkt-ops-pkt");
}

Test(cli_ops, prog_list_names_types_without_reading_vmlinux_btf)
{
	char *out;

	setup();
	BK_REQUIRE_TOOL("strace");
	write_file("/tmp/bkt-ops-l.s", "r0 = 0\nexit\n");
	ok("prog load /tmp/bkt-ops-l.s %s/l type socket_filter name bkt_list", fs);
	/* LeakSanitizer's exit check ptraces the process, which strace already does. */
	cr_assert_eq(sh(&out, "ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=openat %s prog "
			"list 2>&1", bk_test_cli()), 0, "%s", out);
	cr_assert_not_null(strstr(out, "socket_filter  name bkt_list"), "%s", out);
	cr_assert_null(strstr(out, "/sys/kernel/btf/vmlinux"), "%s", out);
	free(out);
	unlink("/tmp/bkt-ops-l.s");
}

/* ---- net, cgroup, link ------------------------------------------------------------- */

Test(cli_ops, net_attach_show_detach_xdp_and_tcx)
{
	char *out;
	unsigned i0, i1;

	setup();
	cr_assert_eq(bk_test_netns("bkn0", "bkn1"), 0);
	i0 = bk_test_ifindex("bkn0");
	i1 = bk_test_ifindex("bkn1");
	write_file("/tmp/bkt-ops-n.s", "r0 = 2\nexit\n");
	ok("prog load /tmp/bkt-ops-n.s %s/x type xdp name bkt_x", fs);
	ok("prog load /tmp/bkt-ops-n.s %s/t type sched_cls name bkt_t", fs);
	ok("net attach xdpgeneric pinned %s/x dev bkn0", fs);
	fails(1, "add 'overwrite'", "net attach xdpgeneric pinned %s/x dev bkn0", fs);
	ok("net attach xdpgeneric pinned %s/x dev bkn0 overwrite", fs);
	same_text("net show");
	same_json("-j net show");
	ok("prog attach pinned %s/t tcx_ingress dev bkn1", fs);
	cr_assert_eq(bk(&out, "net show dev bkn1"), 0, "%s", out);
	cr_assert_str_eq(out, ({
				 static char want[256];
				 unsigned id = 0;
				 char *p = strstr(out, "prog_id ");

				 if (p)
					 sscanf(p, "prog_id %u", &id);
				 snprintf(want, sizeof(want),
					  "xdp:\n\ntc:\nbkn1(%u) tcx/ingress bkt_t prog_id %u\n\n"
					  "flow_dissector:\n\n", i1, id);
				 want;
			 }));
	free(out);
	fails(0, "\"kind\":\"tcx/ingress\"", "-j net show");
	ok("net detach xdpgeneric dev bkn0");
	ok("prog detach pinned %s/t tcx_ingress dev bkn1", fs);
	fails(1, "not attached there", "prog detach pinned %s/t tcx_ingress dev bkn1", fs);
	cr_assert_eq(bk(&out, "net show"), 0);
	cr_assert_str_eq(out, "xdp:\n\ntc:\n\nflow_dissector:\n\n");
	free(out);
	fails(1, "no interface 'nosuchdev0'", "net attach xdp pinned %s/x dev nosuchdev0", fs);
	/* The kernel's own sentence (netlink extended ack) comes with the error. */
	fails(1, "attach XDP: Operation not supported: Underlying driver does not support XDP in "
		 "native mode", "net attach xdpdrv pinned %s/x dev lo", fs);
	(void)i0;
	unlink("/tmp/bkt-ops-n.s");
}

Test(cli_ops, cgroup_attach_show_tree_detach_match_bpftool)
{
	char cg[256], a[700];

	setup();
	cr_assert_eq(bk_test_cgroup_create(cg, sizeof(cg)), 0);
	write_file("/tmp/bkt-ops-c.s", "r0 = 1\nexit\n");
	ok("prog load /tmp/bkt-ops-c.s %s/c type cgroup_skb name bkt_cg", fs);
	ok("cgroup attach %s cgroup_inet_ingress pinned %s/c multi", cg, fs);
	ok("cgroup attach %s egress pinned %s/c", cg, fs);
	snprintf(a, sizeof(a), "cgroup show %s", cg);
	same_text(a);
	snprintf(a, sizeof(a), "-j cgroup show %s", cg);
	same_json(a);
	snprintf(a, sizeof(a), "cgroup show %s effective", cg);
	same_text(a);
	snprintf(a, sizeof(a), "cgroup tree %s", cg);
	same_text(a);
	snprintf(a, sizeof(a), "-j cgroup tree %s", cg);
	same_json(a);
	ok("cgroup detach %s cgroup_inet_ingress pinned %s/c", cg, fs);
	ok("cgroup detach %s egress pinned %s/c", cg, fs);
	fails(0, "[]", "-j cgroup show %s", cg);
	fails(1, "not in a cgroup v2 hierarchy", "cgroup show %s", fs);
	bk_test_cgroup_remove(cg);
	unlink("/tmp/bkt-ops-c.s");
}

Test(cli_ops, link_pin_and_detach)
{
	static const char text[] = "r0 = 2\nexit\n";
	struct bk_info_link info;
	struct bk_link *l;
	struct bk_prog *p;
	char path[300];
	int fd;

	setup();
	cr_assert_eq(bk_test_netns("bkl0", "bkl1"), 0);
	p = bk_prog_load_text(BK_PROG_TYPE_XDP, text, sizeof(text) - 1, NULL);
	cr_assert_not_null(p);
	l = bk_link_xdp(p, (int)bk_test_ifindex("bkl0"), NULL);
	cr_assert_not_null(l, "%s", strerror(errno));
	ok("link pin id %u %s/l", bk_link_id(l), fs);
	snprintf(path, sizeof(path), "%s/l", fs);
	cr_assert_eq(access(path, F_OK), 0);
	ok("link detach pinned %s", path);
	fd = bk_sys_obj_get(path, NULL);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_info_link(fd, &info), 0);
	cr_assert_eq(info.ifindex, 0, "the link is detached from its device");
	close(fd);
	fails(2, "link pin needs LINK and PATH", "link pin id %u", bk_link_id(l));
	bk_link_close(l);
	bk_prog_close(p);
}

Test(cli_ops, prog_load_resolves_maps_given_by_name)
{
	static const char text[] = "*(u32 *)(r10 - 4) = 0\n"
				   "r2 = r10\n"
				   "r2 += -4\n"
				   "r1 = map[counts] ll\n"
				   "call bpf_map_lookup_elem\n"
				   "if r0 == 0 goto +2\n"
				   "r1 = 1\n"
				   "lock *(u64 *)(r0 + 0) += r1\n"
				   "r0 = 2\n"
				   "exit\n";
	char *out;

	setup();
	write_file("/tmp/bkt-ops-m.s", text);
	write_file("/tmp/bkt-ops-m.pkt", "0123456789abcdefghijklmnopqrstuvwxyz");
	ok("map create %s/m type array key 4 value 8 entries 1 name bkt_cnt", fs);
	fails(1, "map[counts]", "prog load /tmp/bkt-ops-m.s %s/p type xdp", fs);
	ok("prog load /tmp/bkt-ops-m.s %s/p type xdp map name counts pinned %s/m", fs, fs);
	ok("prog run pinned %s/p data_in /tmp/bkt-ops-m.pkt repeat 3", fs);
	cr_assert_eq(sh(&out, "bpftool map lookup pinned %s/m key 0 0 0 0", fs), 0);
	cr_assert_str_eq(out, "key: 00 00 00 00  value: 03 00 00 00 00 00 00 00\n");
	free(out);
	fails(2, "map: give it as map name NAME MAP", "prog load /tmp/bkt-ops-m.s %s/q type xdp "
							"map idx 0", fs);
	unlink("/tmp/bkt-ops-m.s");
	unlink("/tmp/bkt-ops-m.pkt");
}

static uint32_t attached(const char *path, int type)
{
	uint32_t ids[4];
	struct bk_prog_query_opts q = { .sz = sizeof(q), .prog_ids = ids, .count = 4 };
	int fd = bk_sys_obj_get(path, NULL);

	cr_assert_geq(fd, 0);
	cr_assert_eq(bk_sys_prog_query(fd, (uint32_t)type, &q), 0);
	close(fd);
	return q.count;
}

Test(cli_ops, prog_attach_to_a_sockmap)
{
	char path[300];

	setup();
	write_file("/tmp/bkt-ops-s.s", "r0 = 1\nexit\n");
	ok("map create %s/sm type sockmap key 4 value 4 entries 1 name bkt_sm", fs);
	ok("prog load /tmp/bkt-ops-s.s %s/v type sk_skb name bkt_sk", fs);
	snprintf(path, sizeof(path), "%s/sm", fs);
	ok("prog attach pinned %s/v stream_verdict pinned %s", fs, path);
	cr_assert_eq(attached(path, BK_ATTACH_SK_SKB_STREAM_VERDICT), 1);
	ok("prog detach pinned %s/v sk_skb_stream_verdict pinned %s", fs, path);
	cr_assert_eq(attached(path, BK_ATTACH_SK_SKB_STREAM_VERDICT), 0);
	fails(2, "unknown attach type 'stream_verdikt'", "prog attach pinned %s/v stream_verdikt "
							 "pinned %s", fs, path);
	unlink("/tmp/bkt-ops-s.s");
}

/* A perf buffer's samples reach `map event` only once it has opened its
 * rings, so the producer runs until the first record is printed. */
Test(cli_ops, map_event_prints_perf_buffer_samples, .timeout = 30)
{
	static const char prog[] = "r6 = r1\n"
				   "r1 = 0x0807060504030201 ll\n"
				   "*(u64 *)(r10 - 8) = r1\n"
				   "r1 = r6\n"
				   "r2 = map[bkt_pa] ll\n"
				   "r3 = 0xffffffff ll\n"
				   "r4 = r10\n"
				   "r4 += -8\n"
				   "r5 = 8\n"
				   "call bpf_perf_event_output\n"
				   "r0 = 2\n"
				   "exit\n";
	char path[300], cmd[600], out[4096] = "";
	uint8_t pkt[64] = { 0 };
	struct pollfd pfd;
	struct bk_map *pa;
	struct bk_prog *p;
	size_t n = 0;
	uint32_t ret;
	FILE *ev;

	setup();
	ok("map create %s/pa type perf_event_array key 4 value 4 entries %ld name bkt_pa", fs,
	   sysconf(_SC_NPROCESSORS_CONF));
	snprintf(path, sizeof(path), "%s/pa", fs);
	pa = bk_map_open_pinned(path);
	cr_assert_not_null(pa);
	p = bk_prog_load_text(BK_PROG_TYPE_XDP, prog, sizeof(prog) - 1,
			      BK_OPTS(bk_prog_opts, .maps = &pa, .nmaps = 1));
	cr_assert_not_null(p, "%s", strerror(errno));
	snprintf(cmd, sizeof(cmd), "%s -j map event pinned %s count 1", bk_test_cli(), path);
	ev = popen(cmd, "r");
	cr_assert_not_null(ev);
	pfd = (struct pollfd){ .fd = fileno(ev), .events = POLLIN };
	for (int i = 0; i < 200 && !strchr(out, '\n'); i++) {
		ssize_t got;

		cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0);
		if (poll(&pfd, 1, 100) == 1 && (got = read(pfd.fd, out + n, sizeof(out) - 1 - n)) > 0)
			n += (size_t)got;
		out[n] = '\0';
	}
	cr_assert_eq(pclose(ev), 0, "%s", out);
	cr_assert_not_null(strstr(out, "\"size\":12,\"data\":[\"0x01\",\"0x02\",\"0x03\",\"0x04\","
				       "\"0x05\",\"0x06\",\"0x07\",\"0x08\","),
			   "%s", out);
	cr_assert_not_null(strstr(out, "\"cpu\":"), "%s", out);
	bk_prog_close(p);
	bk_map_close(pa);
}

/* An ELF object clang builds: bpfkit's loader, bpftool's spelling and result. */
Test(cli_ops, prog_load_and_loadall_of_an_elf_object_match_bpftool)
{
	char obj[64], a[600], *out;
	struct jm *x, *y;

	setup();
	BK_REQUIRE_TOOL("clang-19");
	snprintf(obj, sizeof(obj), "/tmp/bkt-ops-%d.o", (int)getpid());
	cr_assert_eq(sh(&out, "clang-19 -target bpf -g -O2 -c %s/tests/data/obj/info_xdp.bpf.c "
			"-o %s 2>&1", bk_test_srcdir(), obj), 0, "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "bpftool prog load %s %s/bt 2>&1", obj, fs), 0, "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "mkdir %s/maps", fs), 0);
	free(out);
	ok("prog load %s %s/bk pinmaps %s/maps", obj, fs, fs);
	cr_assert_eq(sh(&out, "bpftool -j prog show pinned %s/bt", fs), 0);
	x = jm_parse(out);
	free(out);
	cr_assert_eq(bk(&out, "-j prog show pinned %s/bk", fs), 0);
	y = jm_parse(out);
	cr_assert(x && y, "%s", out);
	free(out);
	/* Same program, same translation: name, type and tag agree. */
	for (const char *const *k = (const char *const[]){ "name", "type", "tag", NULL }; *k; k++)
		cr_assert(jm_equal(jm_get(x, *k), jm_get(y, *k), a, sizeof(a)), "%s differs", *k);
	jm_free(x);
	jm_free(y);
	fails(0, "\"name\":\"bk_counts\"", "-j map show pinned %s/maps/bk_counts", fs);
	ok("prog loadall %s %s/all", obj, fs);
	snprintf(a, sizeof(a), "%s/all/bk_count", fs);
	cr_assert_eq(access(a, F_OK), 0, "loadall pins each program by name");
	fails(2, "prog loadall takes an ELF object", "prog loadall /etc/hostname %s/x", fs);
	fails(0, "{\"retval\":2,", "-j run %s --prog bk_count", obj);
	fails(2, "--repeat: 'x' is not a number", "run %s --prog bk_count --repeat x", obj);
	unlink(obj);
}

/* trace_pipe is the kernel's one buffer: the test looks for its own marker
 * among whatever else is there. */
Test(cli_ops, prog_tracelog_copies_trace_pipe_until_interrupted, .timeout = 30)
{
	static const char prog[] = "r1 = 0x000a6c742d746b62 ll\n" /* "bkt-tl\n" */
				   "*(u64 *)(r10 - 8) = r1\n"
				   "r1 = r10\n"
				   "r1 += -8\n"
				   "r2 = 8\n"
				   "call bpf_trace_printk\n"
				   "r0 = 0\n"
				   "exit\n";
	char cmd[600], out[65536] = "";
	uint8_t pkt[64] = { 0 };
	struct pollfd pfd;
	struct bk_prog *p;
	size_t n = 0;
	uint32_t ret;
	FILE *tl;

	setup();
	if (access("/sys/kernel/tracing/trace_pipe", R_OK) &&
	    access("/sys/kernel/debug/tracing/trace_pipe", R_OK))
		cr_assert_eq(bk_test_tracefs(), 0);
	fails(2, "has no JSON output", "-j prog tracelog 2>/dev/null");
	p = bk_prog_load_text(BK_PROG_TYPE_SOCKET_FILTER, prog, sizeof(prog) - 1, NULL);
	cr_assert_not_null(p, "%s", strerror(errno));
	/* Under SAN=1 LeakSanitizer's exit check (it ptraces the process) was seen to
	 * spin after the interrupt; leaks are checked by the other tests. */
	snprintf(cmd, sizeof(cmd), "ASAN_OPTIONS=detect_leaks=0 timeout --preserve-status -s INT "
		 "-k 5 3 %s prog tracelog", bk_test_cli());
	tl = popen(cmd, "r");
	cr_assert_not_null(tl);
	pfd = (struct pollfd){ .fd = fileno(tl), .events = POLLIN };
	for (int i = 0; i < 25 && !strstr(out, "bkt-tl"); i++) {
		ssize_t got;

		cr_assert_eq(bk_prog_run_data(p, pkt, sizeof(pkt), &ret), 0);
		while (poll(&pfd, 1, 100) == 1 && n < sizeof(out) - 1 &&
		       (got = read(pfd.fd, out + n, sizeof(out) - 1 - n)) > 0)
			n += (size_t)got;
		out[n] = '\0';
	}
	cr_assert_eq(pclose(tl), 0, "Ctrl-C ends the copy with status 0");
	cr_assert_not_null(strstr(out, "bkt-tl"), "%.2000s", out);
	bk_prog_close(p);
}

/* Long work shows a one-line counter on a terminal's stderr, nothing elsewhere. */
Test(cli_ops, map_dump_of_a_million_entries_counts_on_a_terminal_only, .timeout = 120)
{
	char *out;

	setup();
	BK_REQUIRE_TOOL("script");
	big_map("m", BK_MAP_TYPE_HASH, 1000000);
	cr_assert_eq(sh(&out, "script -qec '%s map dump pinned %s/m >/dev/null' /dev/null",
			bk_test_cli(), fs), 0, "%s", out);
	cr_assert_not_null(strstr(out, "\r\033[Kmap dump: "), "a counter on the terminal: %s", out);
	cr_assert_not_null(strstr(out, "\r\033[K"), "%s", out);
	free(out);
	cr_assert_eq(sh(&out, "%s map dump pinned %s/m 2>&1 >/dev/null", bk_test_cli(), fs), 0);
	cr_assert_str_eq(out, "", "nothing on a stderr that is no terminal");
	free(out);
}
