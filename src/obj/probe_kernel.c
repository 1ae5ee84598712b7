// SPDX-License-Identifier: MIT
/*
 * The probes' kernel calls: load a minimal program, create a minimal map.
 * Every answer is taken from errno; the only thing read from the verifier log
 * is the index of the instruction it stopped at (see probe.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/probe.h>
#include <bpfkit/sys.h>

#include "../common/common_int.h"
#include "probe_int.h"

/*
 * The index of the last instruction line ("N: (op) ...") of a level-1
 * verifier log: on failure the kernel keeps only the path that failed, whose
 * last instruction is where it stopped. State lines ("N: R1=ctx()") and the
 * error sentence do not have the "(" and are ignored. -1 when there is none.
 */
int bk__probe_stop_index(const char *log)
{
	int last = -1;

	for (const char *p = log; p && *p;) {
		const char *q = p;
		long idx = 0;

		while (isdigit((unsigned char)*q) && idx < 1000000)
			idx = idx * 10 + (*q++ - '0');
		if (q > p && q[0] == ':' && q[1] == ' ' && q[2] == '(')
			last = (int)idx;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return last;
}

int bk__probe_load(const struct bk__probe_prog *p, bool call, uint32_t helper, int *stop)
{
	const struct bk_insn plain[] = { BK_MOV64_IMM(BK_R0, 0), BK_EXIT() };
	/* r1 holds the context on entry; r2-r5 are left uninitialised on purpose:
	 * a helper that exists for the type then fails its argument checks with
	 * EACCES, after the prototype lookup that would have failed with EINVAL. */
	const struct bk_insn with_call[] = {
		BK_CALL_HELPER((int32_t)helper),
		BK_MOV64_IMM(BK_R0, 0),
		BK_EXIT(),
	};
	char log[4096];
	struct bk_prog_load_opts *o = BK_OPTS(bk_prog_load_opts, .prog_type = p->prog_type,
		.insns = call ? with_call : plain, .insn_cnt = call ? 3 : 2, .license = "GPL",
		.expected_attach_type = p->expected_attach_type, .prog_flags = p->flags,
		.attach_btf_id = p->attach_btf_id);
	int fd;

	log[0] = '\0';
	if (stop) {
		o->log_buf = log;
		o->log_size = sizeof(log);
		o->log_level = BK_VLOG_LEVEL1;
	}
	fd = bk_sys_prog_load(o);
	if (stop)
		*stop = fd < 0 ? bk__probe_stop_index(log) : -1;
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int bk__probe_load_insns(uint32_t prog_type, const struct bk_insn *insns, size_t n)
{
	int fd = bk_sys_prog_load(BK_OPTS(bk_prog_load_opts, .prog_type = prog_type,
					  .insns = insns, .insn_cnt = n, .license = "GPL"));

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* Raw BTF holding one type, id 1: a signed 32-bit "int" (storage map keys
 * and values). Built at run time so it is in the host's byte order. */
static int load_int_btf(void)
{
	uint8_t blob[24 + 16 + 5];
	const uint16_t magic = 0xeb9f;
	const uint32_t hdr[5] = { 24, 0, 16, 16, 5 }; /* hdr_len, type off/len, str off/len */
	const uint32_t type[4] = {
		1,		  /* name_off: "int" */
		1u << 24,	  /* kind INT, vlen 0 */
		4,		  /* size */
		1u << 24 | 32,	  /* encoding SIGNED, offset 0, 32 bits */
	};

	memcpy(blob, &magic, 2);
	blob[2] = 1; /* version */
	blob[3] = 0; /* flags */
	memcpy(blob + 4, hdr, sizeof(hdr));
	memcpy(blob + 24, type, sizeof(type));
	memcpy(blob + 40, "\0int", 5);
	return bk_sys_btf_load(blob, sizeof(blob), BK_OPTS(bk_btf_load_opts));
}

int bk__probe_map_create(uint32_t map_type)
{
	struct bk__map_recipe r;
	struct bk_map_create_opts o = { .sz = sizeof(o) };
	int fd, aux = -1;

	if (!bk__probe_map_recipe(map_type, &r))
		return -ENOENT;
	if (r.need == BK__MAP_INNER) {
		aux = bk_sys_map_create(BK_OPTS(bk_map_create_opts, .map_type = BK_MAP_TYPE_ARRAY,
						.key_size = 4, .value_size = 4, .max_entries = 1));
		o.inner_map_fd = aux;
	} else if (r.need == BK__MAP_BTF_INT) {
		aux = load_int_btf();
		o.btf_fd = aux;
		o.btf_key_type_id = o.btf_value_type_id = 1;
	} else if (r.need == BK__MAP_VMLINUX_VALUE) {
		/* Type id 1 is never a struct_ops value type. Only the struct_ops
		 * allocator looks the id up, and it answers ENOTSUPP; a kernel
		 * without the map type answers EINVAL before that. (A real ops
		 * type would need its exact value layout and registration.) */
		o.btf_vmlinux_value_type_id = 1;
	}
	if (aux < 0 && (r.need == BK__MAP_INNER || r.need == BK__MAP_BTF_INT))
		return aux;
	o.map_type = map_type;
	o.key_size = r.key_size;
	o.value_size = r.value_size;
	o.max_entries = r.max_entries;
	o.map_flags = r.flags;
	fd = bk_sys_map_create(&o);
	if (aux >= 0)
		close(aux);
	if (fd == -524 /* ENOTSUPP */ && r.need == BK__MAP_VMLINUX_VALUE)
		return 0;
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
