// SPDX-License-Identifier: MIT
/*
 * bpfkit demo: the real chain against the running kernel, through the public
 * API only. Build a program with the builders, load it and print the
 * verifier's log, run it on packets; attach a program written in assembler
 * text to a veth pair in a namespace of its own and count real frames (a map)
 * and see each one (a ring buffer); then show what a rejection looks like.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/insn.h>
#include <bpfkit/names.h>
#include <bpfkit/prog.h>
#include <bpfkit/sys.h>

#include "demo.h"

int demo_fail(const char *what, int err)
{
	printf("demo: %s failed: %s (%s)\n", what, bk_errname(err), strerror(err < 0 ? -err : err));
	return 1;
}

/* XDP: count packets by EtherType in a hash map, pass IPv4, drop the rest. */
static int build_counter(int map_fd, struct bk_insn *p)
{
	const struct bk_insn prog[] = {
		BK_LDX_MEM(BK_W, BK_R2, BK_R1, 0),	     /* r2 = ctx->data */
		BK_LDX_MEM(BK_W, BK_R3, BK_R1, 4),	     /* r3 = ctx->data_end */
		BK_MOV64_REG(BK_R4, BK_R2),
		BK_ALU64_IMM(BK_ADD, BK_R4, 14),
		BK_MOV64_IMM(BK_R0, 1),			     /* XDP_DROP */
		BK_JMP_REG(BK_JGT, BK_R4, BK_R3, 14),	     /* short packet: drop */
		BK_LDX_MEM(BK_H, BK_R6, BK_R2, 12),	     /* r6 = EtherType (BE) */
		BK_STX_MEM(BK_W, BK_R10, BK_R6, -4),	     /* key on the stack */
		BK_MOV64_REG(BK_R2, BK_R10),
		BK_ALU64_IMM(BK_ADD, BK_R2, -4),
		BK_LD_MAP_FD(BK_R1, map_fd),
		BK_CALL_HELPER(BK_FN_map_lookup_elem),
		BK_JMP_IMM(BK_JEQ, BK_R0, 0, 3),
		BK_MOV64_IMM(BK_R1, 1),
		BK_ATOMIC_OP(BK_DW, BK_ADD, BK_R0, BK_R1, 0), /* lock *count += 1 */
		BK_JA(0),
		BK_MOV64_IMM(BK_R0, 1),			     /* XDP_DROP */
		BK_JMP_IMM(BK_JNE, BK_R6, 0x0008, 1),	     /* htons(ETH_P_IP) */
		BK_MOV64_IMM(BK_R0, 2),			     /* XDP_PASS */
		BK_EXIT(),
	};

	memcpy(p, prog, sizeof(prog));
	return (int)(sizeof(prog) / sizeof(prog[0]));
}

static void run_packet(int prog_fd, uint16_t ethertype_be)
{
	uint8_t pkt[64] = { 0 };
	struct bk_test_run_opts run = { .sz = sizeof(run), .data_in = pkt,
					.data_size_in = sizeof(pkt), .repeat = 1 };
	int err;

	memcpy(pkt + 12, &ethertype_be, 2);
	err = bk_sys_prog_test_run(prog_fd, &run);
	if (err)
		printf("  test run failed: %s\n", bk_strerror(BK_CMD_PROG_TEST_RUN, err));
	else
		printf("  packet with EtherType 0x%02x%02x -> %s (%u ns)\n", pkt[12], pkt[13],
		       run.retval == 2 ? "XDP_PASS" : run.retval == 1 ? "XDP_DROP" : "other",
		       run.duration);
}

static int demo_good(void)
{
	struct bk_insn p[32];
	struct bk_vlog log = { .level = BK_VLOG_LEVEL1 | BK_VLOG_STATS };
	uint32_t key, next;
	uint64_t count;
	int map_fd, prog_fd, n;

	map_fd = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_HASH,
					   .key_size = 4, .value_size = 8, .max_entries = 16,
					   .map_name = "demo_counts"));
	if (map_fd < 0) {
		printf("map_create: %s\n", bk_strerror(BK_CMD_MAP_CREATE, map_fd));
		return 1;
	}
	/* EtherTypes as the program reads them: big-endian bytes in a u16 */
	static const uint32_t types[] = { 0x0008 /* IPv4 */, 0x0608 /* ARP */, 0xdd86 /* IPv6 */ };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		count = 0;
		bk_sys_map_update_elem(map_fd, &types[i], &count, BK_ANY);
	}
	n = build_counter(map_fd, p);
	prog_fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = BK_PROG_TYPE_XDP,
					   .insns = p, .insn_cnt = (size_t)n, .prog_name = "demo_xdp",
					   .vlog = &log));
	printf("== 1. a %d-instruction XDP program built with the builders\n", n);
	if (prog_fd < 0) {
		printf("load failed: %s\n%s", bk_strerror(BK_CMD_PROG_LOAD, prog_fd), log.text);
		return 1;
	}
	printf("loaded (fd %d); the verifier's log:\n%s\n", prog_fd, log.text);
	printf("== 2. BPF_PROG_TEST_RUN on packets\n");
	run_packet(prog_fd, 0x0008); /* IPv4 */
	run_packet(prog_fd, 0x0008);
	run_packet(prog_fd, 0x0608); /* ARP */
	run_packet(prog_fd, 0xdd86); /* IPv6 */
	printf("== 3. per-EtherType counts read back from the map\n");
	for (int err = bk_sys_map_get_next_key(map_fd, NULL, &next); !err;
	     err = bk_sys_map_get_next_key(map_fd, &key, &next)) {
		key = next;
		if (bk_sys_map_lookup_elem(map_fd, &key, &count, 0) == 0)
			printf("  EtherType 0x%04x: %llu packet(s)\n",
			       (unsigned)((key & 0xff) << 8 | (key >> 8 & 0xff)),
			       (unsigned long long)count);
	}
	bk_vlog_free(&log);
	close(prog_fd);
	close(map_fd);
	return 0;
}

static void demo_broken(void)
{
	/* Reads r3 before anything wrote it: the verifier's complaint comes
	 * back pointing at the line of text that caused it. */
	static const char bad[] = "r0 = 0\n"
				  "r0 = *(u64 *)(r3 + 0)   # r3 was never set\n"
				  "exit\n";
	struct bk_vlog log = { 0 };
	struct bk_diag d = { 0 };
	struct bk_prog *prog;
	char where[300];

	printf("== 6. a broken program, in text\n%s", bad);
	prog = bk_prog_load_text(BK_PROG_TYPE_XDP, bad, strlen(bad),
				 BK_OPTS(bk_prog_opts, .diag = &d, .log = &log, .file = "broken.s"));
	if (prog) {
		printf("  unexpectedly loaded\n");
		bk_prog_close(prog);
	} else {
		printf("  rejected: %s (%s)\n  %s\n  the verifier's whole log:\n%s",
		       bk_errname(d.err), bk_strerror(BK_CMD_PROG_LOAD, d.err),
		       bk_diag_format(&d, where, sizeof(where)), log.text ? log.text : "");
	}
	bk_vlog_free(&log);
}

int main(int argc, char **argv)
{
	printf("bpfkit %s demo\n", bk_version());
	if (demo_good() || demo_live(argc > 1 ? argv[1] : NULL))
		return 1;
	demo_broken();
	return 0;
}
