// SPDX-License-Identifier: MIT
/*
 * Raw tracepoint: open-coded iterators (bpf_for, bpf_for_each over numbers,
 * bpf_repeat), a global function whose pointer arguments are declared
 * non-NULL (__arg_nonnull, verified on its own by the kernel), barrier_var
 * to keep a bounds check, and global data. Needs the ELF loader (global
 * data, a subprogram, kfuncs) and a vmlinux.h (-DVMLINUX_H="path").
 *
 * Expected test-run result (BPF_PROG_TEST_RUN, no context): 1403.
 *   result = pos_for("cad") * 100                 "cad" is at index 4 of "abracadabra"
 *          + (pos_each("cad") == pos_for("cad")) * 1000   both searches agree
 *          + repeats                              bpf_repeat(3) ran 3 times
 *          - (pos_for("zz") != -1) * 10000        a missing needle is -1
 *          = 4 * 100 + 1000 + 3 = 1403
 */
#include VMLINUX_H
#include <bpfkit/bpf/helpers.h>

#define LEN 16

struct text {
	char s[LEN];
};

struct text hay = { "abracadabra" }, cad = { "cad" }, zz = { "zz" };

/* s->s[i] with i provably inside the array, whatever the compiler reorders. */
static __always_inline char at(const struct text *t, __u64 i)
{
	barrier_var(i);
	i = i < LEN ? i : 0;
	barrier_var(i);
	return t->s[i];
}

static __always_inline int match(const struct text *h, const struct text *n, int pos)
{
	int i;

	bpf_for(i, 0, LEN) {
		char c = at(n, i);

		if (!c)
			return 1;
		if (c != at(h, pos + i))
			return 0;
	}
	return 1;
}

/* First position of n in h with a counted loop; -1 when absent. */
__noinline int pos_for(const struct text *h __arg_nonnull, const struct text *n __arg_nonnull)
{
	int p;

	bpf_for(p, 0, LEN) {
		if (!at(h, p))
			break;
		if (match(h, n, p))
			return p;
	}
	return -1;
}

/* The same with the number iterator walked by bpf_for_each. */
__noinline int pos_each(const struct text *h __arg_nonnull, const struct text *n __arg_nonnull)
{
	int *p;

	bpf_for_each(num, p, 0, LEN) {
		if (!at(h, *p))
			break;
		if (match(h, n, *p))
			return *p;
	}
	return -1;
}

SEC("raw_tp/sys_enter")
int iters(void *ctx)
{
	int a = pos_for(&hay, &cad), b = pos_each(&hay, &cad), r = 0, repeats = 0;

	bpf_repeat(3)
		repeats++;
	r = a * 100 + (a == b) * 1000 + repeats;
	if (pos_for(&hay, &zz) != -1)
		r -= 10000;
	return r;
}

BPF_LICENSE("GPL");
