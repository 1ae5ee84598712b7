// SPDX-License-Identifier: MIT
/*
 * Tracepoint: count getpid() calls per process in a hash map and send one
 * ring-buffer record per call. Built with bpfkit's BPF headers alone.
 *
 * Expected result (needs the ELF loader and a tracepoint attachment, not a
 * test run): attach to syscalls/sys_enter_getpid, call getpid() N times from
 * one process P, then counts[P's tgid] == N and the ring buffer holds N
 * records { tgid = P, seq = 1..N }. Processes other than P may add their own
 * keys; P's count is exact. The program always returns 0.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpfkit/bpf/helpers.h>

struct call {
	__u32 tgid;
	__u32 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} calls SEC(".maps");

SEC("tp/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *n = bpf_map_lookup_elem(&counts, &tgid);
	struct call *c;
	__u64 seq;

	if (n) {
		seq = __sync_add_and_fetch(n, 1);
	} else {
		bpf_map_update_elem(&counts, &tgid, &one, BPF_NOEXIST);
		seq = 1;
	}
	c = bpf_ringbuf_reserve(&calls, sizeof(*c), 0);
	if (!c)
		return 0;
	c->tgid = tgid;
	c->seq = (__u32)seq;
	bpf_ringbuf_submit(c, 0);
	return 0;
}

BPF_LICENSE("GPL");
