// SPDX-License-Identifier: MIT
/*
 * Attach targets by name: the kernel's BTF names every function, LSM hook,
 * BTF tracepoint and iterator target a tracing program can attach to, each
 * under a name derived from what users call it (libbpf's conventions, which
 * are the kernel's: bpf_lsm_<hook>, btf_trace_<tracepoint>,
 * bpf_iter_<target>).
 */
#include <stdio.h>
#include <string.h>

#include <bpfkit/btf.h>

#include "prog_int.h"

static const struct target_rule {
	const char *prefix;
	const char *what;
	uint32_t attach_type;
	int kind;
} rules[] = {
	{ "", "kernel function", BK_ATTACH_TRACE_FENTRY, BK_BTF_KIND_FUNC },
	{ "", "kernel function", BK_ATTACH_TRACE_FEXIT, BK_BTF_KIND_FUNC },
	{ "", "kernel function", BK_ATTACH_MODIFY_RETURN, BK_BTF_KIND_FUNC },
	{ "bpf_lsm_", "LSM hook", BK_ATTACH_LSM_MAC, BK_BTF_KIND_FUNC },
	{ "bpf_lsm_", "LSM hook", BK_ATTACH_LSM_CGROUP, BK_BTF_KIND_FUNC },
	{ "btf_trace_", "BTF tracepoint", BK_ATTACH_TRACE_RAW_TP, BK_BTF_KIND_TYPEDEF },
	{ "bpf_iter_", "iterator target", BK_ATTACH_TRACE_ITER, BK_BTF_KIND_FUNC },
};

static const struct target_rule *rule_for(uint32_t attach_type)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].attach_type == attach_type)
			return &rules[i];
	return NULL;
}

int bk__prog_attach_to(const struct bk_prog_opts *o, struct bk__attach_to *to)
{
	const char *name = BK_OBJ_OPT(bk_prog_opts, o, attach_target, NULL);
	struct bk_diag *diag = BK_OBJ_OPT(bk_prog_opts, o, diag, NULL);
	uint32_t type = BK_OBJ_OPT(bk_prog_opts, o, expected_attach_type, 0);
	const struct target_rule *r;
	struct bk_btf_kernel_type t;
	char full[160];
	int err;

	to->btf_id = BK_OBJ_OPT(bk_prog_opts, o, attach_btf_id, 0);
	to->obj_fd = BK_OBJ_OPT(bk_prog_opts, o, attach_btf_obj_fd, 0);
	to->kernel = NULL;
	if (!name)
		return 0;
	if (to->btf_id || to->obj_fd)
		return bk__diag(diag, -EINVAL, "attach_target '%s' and attach_btf_id/_obj_fd both given",
				name);
	r = rule_for(type);
	if (!r)
		return bk__diag(diag, -EINVAL,
				"attach_target '%s' needs expected_attach_type fentry, fexit, "
				"fmod_ret, lsm, tp_btf or iter (not %u)", name, type);
	if (!name[0] || (size_t)snprintf(full, sizeof(full), "%s%s", r->prefix, name) >= sizeof(full))
		return bk__diag(diag, -EINVAL, "attach_target '%s': bad length", name);
	to->kernel = bk_btf_kernel_open(diag);
	if (!to->kernel)
		return -errno;
	err = bk_btf_kernel_find(to->kernel, full, r->kind, &t);
	if (err) {
		bk_btf_kernel_close(to->kernel);
		to->kernel = NULL;
		return bk__diag(diag, err, "%s '%s': no %s %s in the kernel's BTF (vmlinux or modules)",
				r->what, name, bk_btf_kind_name(r->kind), full);
	}
	to->btf_id = t.type_id;
	to->obj_fd = t.btf_fd;
	return 0;
}
