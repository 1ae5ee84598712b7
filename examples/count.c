// SPDX-License-Identifier: MIT
/* Count packets in a map from an XDP program written as text; attach it to
 * an interface. Usage: count IFNAME (make check runs it in a namespace). */
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/link.h>
#include <bpfkit/map.h>
#include <bpfkit/prog.h>

static const char text[] = "*(u32 *)(r10 - 4) = 0\n"
			   "r2 = r10\n"
			   "r2 += -4\n"
			   "r1 = map[hits] ll\n"
			   "call bpf_map_lookup_elem\n"
			   "if r0 == 0 goto out\n"
			   "r1 = 1\n"
			   "lock *(u64 *)(r0 + 0) += r1\n"
			   "out:\n"
			   "r0 = 2\n"
			   "exit\n";

int main(int argc, char **argv)
{
	struct bk_map *hits = NULL;
	struct bk_prog *prog = NULL;
	struct bk_link *link = NULL;
	uint8_t frame[64] = { 0 };
	uint32_t action = 0;
	uint64_t count = 0;
	struct bk_diag d;
	char buf[512];
	int status = 1;

	if (argc != 2)
		return fprintf(stderr, "usage: count IFNAME (as root)\n"), 2;
	hits = bk_map_create(BK_MAP_TYPE_ARRAY, "hits", 4, 8, 1, NULL);
	if (!hits)
		return perror("map"), 1;
	prog = bk_prog_load_text(BK_PROG_TYPE_XDP, text, strlen(text),
		BK_OPTS(bk_prog_opts, .maps = &hits, .nmaps = 1, .diag = &d, .file = "count.s"));
	if (!prog) /* e.g. "count.s:5:1: verifier: R1 type=scalar expected=map_ptr" */
		fprintf(stderr, "%s\n", bk_diag_format(&d, buf, sizeof(buf)));
	else if (!(link = bk_link_xdp(prog, (int)if_nametoindex(argv[1]), NULL)))
		perror(argv[1]);
	/* Packets arriving on IFNAME count now; so does a test run. */
	else if (bk_prog_run_data(prog, frame, sizeof(frame), &action) ||
		 bk_map_lookup_u32_u64(hits, 0, &count))
		perror("run");
	else
		status = printf("XDP action %u, hits %llu\n", action, (unsigned long long)count) < 0;
	bk_link_close(link); /* detaches; NULL is a no-op, as for the others */
	bk_prog_close(prog);
	bk_map_close(hits);
	return status;
}
