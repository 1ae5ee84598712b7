// SPDX-License-Identifier: MIT
/* `run --vm` (data, pcap and pcapng captures) and `conformance --vm`, through
 * the built binary: no root needed for any of it. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "../lib/bk_test.h"

static int cli(const char *args, char **out)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bk_test_cli(), args);
	return bk_test_run(cmd, out);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void write_text(const char *path, const char *text)
{
	write_bytes(path, text, strlen(text));
}

static const char xdp_ipv4_only[] = "r2 = *(u32 *)(r1 + 0)\n"
				    "r3 = *(u32 *)(r1 + 4)\n"
				    "r0 = 1\n"
				    "r4 = r2\n"
				    "r4 += 14\n"
				    "if r4 > r3 goto out\n"
				    "r5 = *(u16 *)(r2 + 12)\n"
				    "if r5 != 0x8 goto out\n"
				    "r0 = 2\n"
				    "out:\n"
				    "exit\n";

Test(cmd_vm, run_prints_the_kernel_run_lines)
{
	char *out = NULL;
	unsigned long r0, hex, ns, runs;

	write_text("/tmp/bk-vm-a.s", xdp_ipv4_only);
	cr_assert_eq(cli("run --vm /tmp/bk-vm-a.s --repeat 100", &out), 0, "%s", out);
	cr_assert_eq(sscanf(out, "r0 = %lu (0x%lx)\nduration = %lu ns/run over %lu run(s)", &r0,
			    &hex, &ns, &runs), 4, "%s", out);
	cr_assert_eq(r0, 1, "64 zero bytes are not IPv4");
	cr_assert_eq(hex, 1);
	cr_assert_eq(runs, 100);
	free(out);
	/* the kernel, when we have it, says the same r0 on the same input */
	if (!bk_test_kernel_unavailable()) {
		cr_assert_eq(cli("run /tmp/bk-vm-a.s", &out), 0, "%s", out);
		cr_assert_eq(strncmp(out, "r0 = 1 (0x1)\n", 13), 0, "%s", out);
		free(out);
	}
	write_text("/tmp/bk-vm-b.s", "r0 = r2\nr0 <<= 40\nexit\n");
	cr_assert_eq(cli("run --vm /tmp/bk-vm-b.s --type raw --data /tmp/bk-vm-a.s", &out), 0);
	cr_assert_eq(strncmp(out, "r0 = ", 5), 0);
	cr_assert_eq(strtoull(out + 5, NULL, 10), (unsigned long long)strlen(xdp_ipv4_only) << 40,
		     "raw programs report all 64 bits: %s", out);
	free(out);
	unlink("/tmp/bk-vm-a.s");
	unlink("/tmp/bk-vm-b.s");
}

Test(cmd_vm, run_errors_name_the_instruction)
{
	char *out = NULL;

	write_text("/tmp/bk-vm-c.s", "r0 = 0\nr1 = 0\nr0 = *(u64 *)(r1 + 16)\nexit\n");
	cr_assert_eq(cli("run --vm /tmp/bk-vm-c.s --type raw", &out), 1);
	cr_assert_str_eq(out, "bpfkit: /tmp/bk-vm-c.s: insn 2: load of 8 bytes at 0x10 is outside "
			      "every region the program may touch\n");
	free(out);
	write_text("/tmp/bk-vm-c.s", "r10 = 0\nexit\n");
	cr_assert_eq(cli("run --vm /tmp/bk-vm-c.s", &out), 1);
	cr_assert_str_eq(out, "bpfkit: /tmp/bk-vm-c.s: rejected by the VM: insn 0: MOV64_IMM "
			      "writes r10, the read-only frame pointer\n");
	free(out);
	cr_assert_eq(cli("run --vm /tmp/bk-vm-c.s --type sched_cls", &out), 1);
	free(out);
	unlink("/tmp/bk-vm-c.s");
}

/* Three frames: IPv4, ARP, IPv4 (60 bytes each, ethertype at 12). */
static void frames(uint8_t f[3][60])
{
	memset(f, 0, 3 * 60);
	f[0][12] = 8;
	f[1][12] = 8;
	f[1][13] = 6;
	f[2][12] = 8;
	f[2][14] = 0x45;
}

static size_t put32(uint8_t *b, size_t at, uint32_t v)
{
	memcpy(b + at, &v, 4);
	return at + 4;
}

static size_t pcap_file(uint8_t *b)
{
	uint8_t f[3][60];
	size_t at = 0;

	frames(f);
	at = put32(b, at, 0xa1b2c3d4);
	at = put32(b, at, 0x00040002); /* version 2.4 */
	at = put32(b, at, 0);
	at = put32(b, at, 0);
	at = put32(b, at, 65535);
	at = put32(b, at, 1); /* Ethernet */
	for (int i = 0; i < 3; i++) {
		at = put32(b, at, 1700000000u + (uint32_t)i);
		at = put32(b, at, 0);
		at = put32(b, at, 60);
		at = put32(b, at, 60);
		memcpy(b + at, f[i], 60);
		at += 60;
	}
	return at;
}

static size_t pcapng_file(uint8_t *b)
{
	uint8_t f[3][60];
	size_t at = 0;

	frames(f);
	at = put32(b, at, 0x0A0D0D0A); /* section header, 28 bytes */
	at = put32(b, at, 28);
	at = put32(b, at, 0x1A2B3C4D);
	at = put32(b, at, 1); /* version 1.0 */
	at = put32(b, at, 0xffffffff);
	at = put32(b, at, 0xffffffff);
	at = put32(b, at, 28);
	at = put32(b, at, 1); /* interface description, 20 bytes */
	at = put32(b, at, 20);
	at = put32(b, at, 1);
	at = put32(b, at, 0);
	at = put32(b, at, 20);
	for (int i = 0; i < 3; i++) { /* enhanced packet: 32 + 60 bytes */
		at = put32(b, at, 6);
		at = put32(b, at, 92);
		at = put32(b, at, 0);
		at = put32(b, at, 0);
		at = put32(b, at, (uint32_t)i);
		at = put32(b, at, 60);
		at = put32(b, at, 60);
		memcpy(b + at, f[i], 60);
		at += 60;
		at = put32(b, at, 92);
	}
	return at;
}

Test(cmd_vm, pcap_and_pcapng_count_verdicts)
{
	uint8_t buf[1024];
	char *out = NULL;

	write_text("/tmp/bk-vm-d.s", xdp_ipv4_only);
	write_bytes("/tmp/bk-vm-d.pcap", buf, pcap_file(buf));
	cr_assert_eq(cli("run --vm /tmp/bk-vm-d.s --pcap /tmp/bk-vm-d.pcap", &out), 0, "%s", out);
	cr_assert_str_eq(out, "XDP_PASS: 2\nXDP_DROP: 1\npackets: 3\n");
	free(out);
	write_bytes("/tmp/bk-vm-d.pcapng", buf, pcapng_file(buf));
	cr_assert_eq(cli("run --vm /tmp/bk-vm-d.s --pcap /tmp/bk-vm-d.pcapng", &out), 0, "%s", out);
	cr_assert_str_eq(out, "XDP_PASS: 2\nXDP_DROP: 1\npackets: 3\n");
	free(out);
	/* a socket filter keeping IPv4 headers only: 20 bytes, or drop */
	write_text("/tmp/bk-vm-d.s", "r6 = r1\nr0 = *(u8 *)skb[0]\nif r0 != 0x45 goto +2\n"
				     "r0 = 20\nexit\nr0 = 0\nexit\n");
	cr_assert_eq(cli("run --vm /tmp/bk-vm-d.s --type socket_filter --pcap /tmp/bk-vm-d.pcap",
			 &out), 0, "%s", out);
	cr_assert_str_eq(out, "drop: 2\naccept 20: 1\npackets: 3\n");
	free(out);
	/* truncated: the reader says where */
	write_bytes("/tmp/bk-vm-d.pcap", buf, pcap_file(buf) - 10);
	write_text("/tmp/bk-vm-d.s", xdp_ipv4_only);
	cr_assert_eq(cli("run --vm /tmp/bk-vm-d.s --pcap /tmp/bk-vm-d.pcap", &out), 1);
	cr_assert_str_eq(out, "bpfkit: /tmp/bk-vm-d.pcap: record at byte 176 claims 60 bytes, "
			      "50 are left\n");
	free(out);
	unlink("/tmp/bk-vm-d.s");
	unlink("/tmp/bk-vm-d.pcap");
	unlink("/tmp/bk-vm-d.pcapng");
}

static int count_data_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		n += len > 5 && !strcmp(e->d_name + len - 5, ".data");
	}
	closedir(d);
	return n;
}

/* Every file passes on the VM, also those the kernel cannot run: no SKIP. */
Test(cmd_vm, conformance_suite_passes_entirely, .timeout = 120)
{
	char dir[512], args[600], *out = NULL;
	int passed = -1, failed = -1, skipped = -1, files;

	if (getenv("BK_CONFORMANCE_DIR"))
		snprintf(dir, sizeof(dir), "%s", getenv("BK_CONFORMANCE_DIR"));
	else
		snprintf(dir, sizeof(dir), "%s/../shared/conformance/tests", bk_test_srcdir());
	files = count_data_files(dir);
	if (files <= 0)
		cr_skip_test("no bpf_conformance files at %s", dir);
	snprintf(args, sizeof(args), "conformance --vm %s", dir);
	cr_assert_eq(cli(args, &out), 0, "%s", out);
	cr_assert_null(strstr(out, "FAIL "), "%s", strstr(out, "FAIL "));
	{
		const char *last = out + strlen(out) - 1;

		while (last > out && last[-1] != '\n')
			last--;
		cr_assert_eq(sscanf(last, "%d passed, %d failed, %d skipped", &passed, &failed,
				    &skipped), 3, "%s", last);
	}
	cr_assert_eq(passed, files);
	cr_assert_eq(failed, 0);
	cr_assert_eq(skipped, 0);
	free(out);
}

Test(cmd_vm, conformance_error_tests_are_refused)
{
	char *out = NULL;

	write_text("/tmp/bk-vm-e.data", "-- asm\ncall runtime 0x2a\nexit\n-- result\n0x0\n-- error\n");
	cr_assert_eq(cli("conformance --vm /tmp/bk-vm-e.data", &out), 0, "%s", out);
	cr_assert_str_eq(out, "PASS /tmp/bk-vm-e.data: insn 0: kfunc calls are not supported by "
			      "the VM\n1 passed, 0 failed, 0 skipped\n");
	free(out);
	write_text("/tmp/bk-vm-e.data", "-- asm\nmov %r0, 1\nexit\n-- error\n");
	cr_assert_eq(cli("conformance --vm /tmp/bk-vm-e.data", &out), 1, "%s", out);
	cr_assert_str_eq(out, "FAIL /tmp/bk-vm-e.data: expected an error, but the program ran\n"
			      "0 passed, 1 failed, 0 skipped\n");
	free(out);
	unlink("/tmp/bk-vm-e.data");
}
