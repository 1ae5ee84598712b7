// SPDX-License-Identifier: MIT
/*
 * Memory a run may touch, and everything about an access the interpreter's
 * inline stack check did not settle: packet, context, map values, ring
 * buffers, the embedder's regions, and the errors for the rest.
 *
 * The context is memory the VM owns (env->ctx). A load from it is rewritten
 * the way the kernel's verifier rewrites context accesses: xdp_md->data, a
 * u32 in the program's view, yields the packet's 64-bit address.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vm_int.h"

/* Offsets in struct xdp_md and struct __sk_buff (linux/bpf.h, UAPI). */
enum {
	XDP_DATA = 0, XDP_DATA_END = 4, XDP_DATA_META = 8, XDP_INGRESS_IFINDEX = 12,
	XDP_SIZE = 24,
	SKB_LEN = 0, SKB_PKT_TYPE = 4, SKB_PROTOCOL = 16, SKB_INGRESS_IFINDEX = 36, SKB_IFINDEX = 40,
	SKB_CB = 48, SKB_CB_END = 68, SKB_DATA = 76, SKB_DATA_END = 80, SKB_DATA_META = 140,
	SKB_WIRE_LEN = 160, SKB_SIZE = 192,
};

int bk__vm_fail(struct bk_vm_env *env, int err, const char *fmt, ...)
{
	va_list ap;

	if (env->err)
		return env->err;
	env->err = err;
	va_start(ap, fmt);
	vsnprintf(env->errmsg, sizeof(env->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

void bk_vm_env_fail(struct bk_vm_env *env, int err, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bk__vm_fail(env, err < 0 ? err : -EINVAL, "helper %s: %s",
		    env->helper ? env->helper->name : "?", msg);
}

void *bk_vm_env_user(const struct bk_vm_env *env)
{
	return env->user;
}

static const char *const access_words[] = { "load", "store", "atomic access", "helper read",
					     "helper write" };
enum access { ACC_LOAD, ACC_STORE, ACC_ATOMIC, ACC_HELPER_READ, ACC_HELPER_WRITE };

static int fault(struct bk_vm_env *env, enum access acc, uintptr_t addr, uint64_t size,
		 const char *why)
{
	return bk__vm_fail(env, -EFAULT, "%s of %llu bytes at 0x%llx %s", access_words[acc],
			   (unsigned long long)size, (unsigned long long)addr, why);
}

/* Whether [addr, addr + size) lies in [lo, hi), without overflow. */
static bool within(uintptr_t addr, uint64_t size, uintptr_t lo, uintptr_t hi)
{
	return addr >= lo && addr <= hi && size <= hi - addr;
}

/* A plain host pointer for the access, or NULL with the failure recorded. */
static void *plain(struct bk_vm_env *env, uintptr_t addr, uint64_t size, enum access acc,
		   const struct vm_region **ctx_out)
{
	bool write = acc == ACC_STORE || acc == ACC_ATOMIC || acc == ACC_HELPER_WRITE;

	if (within(addr, size, env->stack_lo, env->fp)) {
		if (acc >= ACC_HELPER_READ)
			return (void *)addr; /* helpers' buffers have no alignment */
		if (addr & (size - 1))
			return fault(env, acc, addr, size, "is misaligned on the stack"),
			       NULL;
		return (void *)addr;
	}
	for (size_t i = 0; i < env->nregions; i++) {
		const struct vm_region *r = &env->regions[i];

		if (!within(addr, size, r->lo, r->hi))
			continue;
		if (r->ctx) {
			*ctx_out = r;
			return NULL;
		}
		if (write && !r->writable)
			return fault(env, acc, addr, size, "is in read-only memory"), NULL;
		if (acc == ACC_ATOMIC && (addr & (size - 1)))
			return fault(env, acc, addr, size, "is misaligned"), NULL;
		return (void *)addr;
	}
	for (size_t i = 0; i < env->vm->nmaps; i++) {
		const struct bk_vm_map *m = env->vm->maps[i];
		uintptr_t lo = (uintptr_t)m->values;

		if (!m->values || !within(addr, size, lo, lo + m->values_len))
			continue;
		if (acc == ACC_ATOMIC && (addr & (size - 1)))
			return fault(env, acc, addr, size, "is misaligned"), NULL;
		return (void *)addr;
	}
	if (within(addr, 1, env->stack_lo, env->stack_lo + VM_STACK_TOTAL))
		return fault(env, acc, addr, size, "lies beyond the stack frames in use"),
		       NULL;
	return fault(env, acc, addr, size,
		     "is outside every region the program may touch"),
	       NULL;
}

static uint64_t get_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, p, size); /* the program's view of narrow fields, little-endian host */
	return v;
}

static int ctx_load(struct bk_vm_env *env, uintptr_t addr, unsigned size, uint64_t *val)
{
	size_t off = addr - (uintptr_t)env->ctx;
	bool xdp = env->prog->type == BK_VM_XDP;
	bool ptr = xdp ? off == XDP_DATA || off == XDP_DATA_END || off == XDP_DATA_META
		       : off == SKB_DATA || off == SKB_DATA_END || off == SKB_DATA_META;

	if (ptr) {
		if (size != 4)
			return fault(env, ACC_LOAD, addr, size,
				     "reads a packet pointer of the context with the wrong size "
				     "(it is a u32 field)");
		*val = (xdp ? off == XDP_DATA_END : off == SKB_DATA_END) ? env->data_end
									 : env->data;
		return 0;
	}
	if (size == 8 || (off & (size - 1)))
		return fault(env, ACC_LOAD, addr, size, "is not a field of the context");
	*val = get_le(env->ctx + off, size);
	return 0;
}

int bk__vm_load_slow(struct bk_vm_env *env, uintptr_t addr, unsigned size, uint64_t *val)
{
	const struct vm_region *ctx = NULL;
	const uint8_t *p = plain(env, addr, size, ACC_LOAD, &ctx);

	if (ctx)
		return ctx_load(env, addr, size, val);
	if (!p)
		return env->err;
	*val = 0;
	memcpy(val, p, size);
	return 0;
}

int bk__vm_store_slow(struct bk_vm_env *env, uintptr_t addr, unsigned size, uint64_t val)
{
	const struct vm_region *ctx = NULL;
	uint8_t *p = plain(env, addr, size, ACC_STORE, &ctx);

	if (ctx) {
		size_t off = addr - (uintptr_t)env->ctx;

		if (env->prog->type != BK_VM_SOCKET_FILTER || off < SKB_CB ||
		    off + size > SKB_CB_END || (off & (size - 1)))
			return fault(env, ACC_STORE, addr, size,
				     "writes a read-only field of the context");
		p = env->ctx + off;
	}
	if (!p)
		return env->err;
	memcpy(p, &val, size);
	return 0;
}

void *bk__vm_atomic_ptr(struct bk_vm_env *env, uintptr_t addr, unsigned size, bool write)
{
	const struct vm_region *ctx = NULL;
	void *p = plain(env, addr, size, write ? ACC_ATOMIC : ACC_LOAD, &ctx);

	if (ctx)
		return fault(env, ACC_ATOMIC, addr, size, "is in the context"), NULL;
	if (p && (addr & (size - 1)))
		return fault(env, ACC_ATOMIC, addr, size, "is misaligned"), NULL;
	return p;
}

void *bk_vm_env_mem(struct bk_vm_env *env, uint64_t addr, uint64_t len, bool write)
{
	const struct vm_region *ctx = NULL;
	void *p;

	if (len == 0)
		return env->err ? NULL : (void *)(uintptr_t)addr;
	p = plain(env, (uintptr_t)addr, len, write ? ACC_HELPER_WRITE : ACC_HELPER_READ, &ctx);
	if (ctx) {
		fault(env, write ? ACC_HELPER_WRITE : ACC_HELPER_READ, (uintptr_t)addr, len,
		      "is the context, which helpers cannot address");
		return NULL;
	}
	return p;
}

static int add_region(struct bk_vm_env *env, const void *addr, size_t len, bool writable,
		      bool ctx)
{
	struct vm_region *r;

	if (!len)
		return 0;
	if (env->nregions == VM_MAX_REGIONS)
		return bk__err(-E2BIG);
	r = &env->regions[env->nregions++];
	r->lo = (uintptr_t)addr;
	r->hi = r->lo + len;
	r->writable = writable;
	r->ctx = ctx;
	return 0;
}

static void put32(uint8_t *ctx, size_t off, uint32_t v)
{
	memcpy(ctx + off, &v, sizeof(v));
}

/*
 * What the kernel's eth_type_trans() makes of a frame received on a device
 * whose address is all zeros (test-run's loopback): the protocol as stored
 * (big-endian in the low 16 bits), with 802.3 length fields mapped to
 * ETH_P_802_3 (raw, payload starting ff ff) or ETH_P_802_2; and the packet
 * type from the destination address (loopback has no broadcast address, so
 * ff:ff:ff:ff:ff:ff is multicast like any group address).
 */
static void eth_type_trans(uint8_t *ctx, const uint8_t *d, size_t len)
{
	static const uint8_t zero[6];
	uint16_t proto = (uint16_t)(d[12] << 8 | d[13]);
	uint32_t type = 0; /* PACKET_HOST */

	if (proto < 0x600)
		proto = len >= 16 && d[14] == 0xff && d[15] == 0xff ? 0x0001 : 0x0004;
	put32(ctx, SKB_PROTOCOL, (uint32_t)(proto >> 8) | (uint32_t)(proto & 0xff) << 8);
	if (d[0] & 1)
		type = 2; /* PACKET_MULTICAST */
	else if (memcmp(d, zero, 6) != 0)
		type = 3; /* PACKET_OTHERHOST */
	put32(ctx, SKB_PKT_TYPE, type);
}

/* The context the program's r1 points to, and the packet behind it. */
static int setup_ctx(struct bk_vm_env *env, const struct bk_vm_run_opts *o, uint64_t *r1)
{
	const uint8_t *d = o->data;
	uint32_t len = (uint32_t)o->data_len;

	env->data = (uintptr_t)o->data;
	env->data_end = env->data + o->data_len;
	if (env->prog->type == BK_VM_XDP) {
		put32(env->ctx, XDP_INGRESS_IFINDEX, o->ifindex);
		*r1 = (uintptr_t)env->ctx;
		if (add_region(env, env->ctx, XDP_SIZE, false, true))
			return -E2BIG;
		return add_region(env, o->data, o->data_len, true, false);
	}
	/* socket filter: the Ethernet header is consumed, as the kernel's test-run
	 * does (eth_type_trans), so skb data and ld_abs offsets start at L3 */
	if (len < 14)
		return -EINVAL;
	env->data += 14;
	len -= 14;
	put32(env->ctx, SKB_LEN, len);
	put32(env->ctx, SKB_WIRE_LEN, len);
	put32(env->ctx, SKB_IFINDEX, o->ifindex);
	eth_type_trans(env->ctx, d, o->data_len);
	*r1 = (uintptr_t)env->ctx;
	if (add_region(env, env->ctx, SKB_SIZE, false, true))
		return -E2BIG;
	return add_region(env, (const void *)env->data, len, false, false);
}

static int setup(struct bk_vm_env *env, const struct bk_vm_run_opts *o, uint64_t *r1,
		 uint64_t *r2)
{
	int err;

	*r1 = *r2 = 0;
	if (o->data_len && !o->data)
		return bk__err(-EINVAL);
	if (env->prog->type == BK_VM_RAW) {
		env->data = (uintptr_t)o->data;
		env->data_end = env->data + o->data_len;
		*r1 = (uintptr_t)o->data;
		*r2 = o->data_len;
		err = add_region(env, o->data, o->data_len, true, false);
	} else {
		err = setup_ctx(env, o, r1);
	}
	if (err)
		return bk__err(err);
	for (size_t i = 0; i < o->nregions; i++) {
		if (!o->regions[i].addr && o->regions[i].len)
			return bk__err(-EINVAL);
		err = add_region(env, o->regions[i].addr, o->regions[i].len,
				 o->regions[i].writable, false);
		if (err)
			return bk__err(err);
	}
	return 0;
}

static void report(const struct bk_vm_env *env, struct bk_diag *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->err = env->err;
	d->index = env->pc ? (uint32_t)(env->pc - env->prog->code) : 0;
	snprintf(d->msg, sizeof(d->msg), "%s", env->errmsg);
}

int bk_vm_run(struct bk_vm_prog *prog, const struct bk_vm_run_opts *opts,
	      struct bk_vm_result *res, struct bk_diag *diag)
{
	static const struct bk_vm_run_opts none = { .sz = sizeof(none) };
	struct bk_vm_run_opts o = none;
	struct bk_vm_result scratch;
	struct bk_vm_env env;
	uint64_t r1, r2;
	int err;

	if (!prog || bk__opts_check(opts, sizeof(o)))
		return bk__diag(diag, -EINVAL, "bad arguments to bk_vm_run");
	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	/* everything but the stack; each frame is zeroed when it is entered */
	memset(&env, 0, offsetof(struct bk_vm_env, stack));
	memset(env.stack, 0, BK_VM_STACK_SIZE);
	env.vm = prog->vm;
	env.prog = prog;
	env.stack_lo = (uintptr_t)env.stack;
	env.fp = env.stack_lo + BK_VM_STACK_SIZE;
	env.ifindex = o.ifindex;
	env.user = o.user;
	env.diag = diag;
	err = setup(&env, &o, &r1, &r2);
	if (err)
		return bk__diag(diag, err,
				"bad run options: data (a socket filter's holds at least an "
				"Ethernet header), regions (at most %d)", VM_MAX_REGIONS);
	err = bk__vm_exec(&env, r1, r2, o.budget ? o.budget : BK_VM_DEFAULT_BUDGET,
			  res ? res : &scratch);
	if (err)
		report(&env, diag);
	else if (diag)
		memset(diag, 0, sizeof(*diag));
	return err ? bk__err(err) : 0;
}
