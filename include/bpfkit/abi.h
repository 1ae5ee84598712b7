/* SPDX-License-Identifier: MIT */
/*
 * The kernel's bpf() ABI as pure data, as of Linux 6.18: commands, map,
 * program, attach and link types, helper ids and every flag. bpfkit's own
 * definitions (the values are the kernel's), so programs build against any
 * installed <linux/bpf.h> or none. No functions here.
 */
#ifndef BPFKIT_ABI_H
#define BPFKIT_ABI_H

/* bpf() commands (enum bpf_cmd). */
enum bk_cmd {
	BK_CMD_MAP_CREATE = 0,
	BK_CMD_MAP_LOOKUP_ELEM = 1,
	BK_CMD_MAP_UPDATE_ELEM = 2,
	BK_CMD_MAP_DELETE_ELEM = 3,
	BK_CMD_MAP_GET_NEXT_KEY = 4,
	BK_CMD_PROG_LOAD = 5,
	BK_CMD_OBJ_PIN = 6,
	BK_CMD_OBJ_GET = 7,
	BK_CMD_PROG_ATTACH = 8,
	BK_CMD_PROG_DETACH = 9,
	BK_CMD_PROG_TEST_RUN = 10,
	BK_CMD_PROG_RUN = 10,
	BK_CMD_PROG_GET_NEXT_ID = 11,
	BK_CMD_MAP_GET_NEXT_ID = 12,
	BK_CMD_PROG_GET_FD_BY_ID = 13,
	BK_CMD_MAP_GET_FD_BY_ID = 14,
	BK_CMD_OBJ_GET_INFO_BY_FD = 15,
	BK_CMD_PROG_QUERY = 16,
	BK_CMD_RAW_TRACEPOINT_OPEN = 17,
	BK_CMD_BTF_LOAD = 18,
	BK_CMD_BTF_GET_FD_BY_ID = 19,
	BK_CMD_TASK_FD_QUERY = 20,
	BK_CMD_MAP_LOOKUP_AND_DELETE_ELEM = 21,
	BK_CMD_MAP_FREEZE = 22,
	BK_CMD_BTF_GET_NEXT_ID = 23,
	BK_CMD_MAP_LOOKUP_BATCH = 24,
	BK_CMD_MAP_LOOKUP_AND_DELETE_BATCH = 25,
	BK_CMD_MAP_UPDATE_BATCH = 26,
	BK_CMD_MAP_DELETE_BATCH = 27,
	BK_CMD_LINK_CREATE = 28,
	BK_CMD_LINK_UPDATE = 29,
	BK_CMD_LINK_GET_FD_BY_ID = 30,
	BK_CMD_LINK_GET_NEXT_ID = 31,
	BK_CMD_ENABLE_STATS = 32,
	BK_CMD_ITER_CREATE = 33,
	BK_CMD_LINK_DETACH = 34,
	BK_CMD_PROG_BIND_MAP = 35,
	BK_CMD_TOKEN_CREATE = 36,
	BK_CMD_PROG_STREAM_READ_BY_FD = 37,
	BK_CMD__MAX = 38,
};

/* Map types (enum bpf_map_type). */
enum bk_map_type {
	BK_MAP_TYPE_UNSPEC = 0,
	BK_MAP_TYPE_HASH = 1,
	BK_MAP_TYPE_ARRAY = 2,
	BK_MAP_TYPE_PROG_ARRAY = 3,
	BK_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BK_MAP_TYPE_PERCPU_HASH = 5,
	BK_MAP_TYPE_PERCPU_ARRAY = 6,
	BK_MAP_TYPE_STACK_TRACE = 7,
	BK_MAP_TYPE_CGROUP_ARRAY = 8,
	BK_MAP_TYPE_LRU_HASH = 9,
	BK_MAP_TYPE_LRU_PERCPU_HASH = 10,
	BK_MAP_TYPE_LPM_TRIE = 11,
	BK_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BK_MAP_TYPE_HASH_OF_MAPS = 13,
	BK_MAP_TYPE_DEVMAP = 14,
	BK_MAP_TYPE_SOCKMAP = 15,
	BK_MAP_TYPE_CPUMAP = 16,
	BK_MAP_TYPE_XSKMAP = 17,
	BK_MAP_TYPE_SOCKHASH = 18,
	BK_MAP_TYPE_CGROUP_STORAGE_DEPRECATED = 19,
	BK_MAP_TYPE_CGROUP_STORAGE = 19,
	BK_MAP_TYPE_REUSEPORT_SOCKARRAY = 20,
	BK_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED = 21,
	BK_MAP_TYPE_PERCPU_CGROUP_STORAGE = 21,
	BK_MAP_TYPE_QUEUE = 22,
	BK_MAP_TYPE_STACK = 23,
	BK_MAP_TYPE_SK_STORAGE = 24,
	BK_MAP_TYPE_DEVMAP_HASH = 25,
	BK_MAP_TYPE_STRUCT_OPS = 26,
	BK_MAP_TYPE_RINGBUF = 27,
	BK_MAP_TYPE_INODE_STORAGE = 28,
	BK_MAP_TYPE_TASK_STORAGE = 29,
	BK_MAP_TYPE_BLOOM_FILTER = 30,
	BK_MAP_TYPE_USER_RINGBUF = 31,
	BK_MAP_TYPE_CGRP_STORAGE = 32,
	BK_MAP_TYPE_ARENA = 33,
	BK_MAP_TYPE__MAX = 34,
};

/* Program types (enum bpf_prog_type). */
enum bk_prog_type {
	BK_PROG_TYPE_UNSPEC = 0,
	BK_PROG_TYPE_SOCKET_FILTER = 1,
	BK_PROG_TYPE_KPROBE = 2,
	BK_PROG_TYPE_SCHED_CLS = 3,
	BK_PROG_TYPE_SCHED_ACT = 4,
	BK_PROG_TYPE_TRACEPOINT = 5,
	BK_PROG_TYPE_XDP = 6,
	BK_PROG_TYPE_PERF_EVENT = 7,
	BK_PROG_TYPE_CGROUP_SKB = 8,
	BK_PROG_TYPE_CGROUP_SOCK = 9,
	BK_PROG_TYPE_LWT_IN = 10,
	BK_PROG_TYPE_LWT_OUT = 11,
	BK_PROG_TYPE_LWT_XMIT = 12,
	BK_PROG_TYPE_SOCK_OPS = 13,
	BK_PROG_TYPE_SK_SKB = 14,
	BK_PROG_TYPE_CGROUP_DEVICE = 15,
	BK_PROG_TYPE_SK_MSG = 16,
	BK_PROG_TYPE_RAW_TRACEPOINT = 17,
	BK_PROG_TYPE_CGROUP_SOCK_ADDR = 18,
	BK_PROG_TYPE_LWT_SEG6LOCAL = 19,
	BK_PROG_TYPE_LIRC_MODE2 = 20,
	BK_PROG_TYPE_SK_REUSEPORT = 21,
	BK_PROG_TYPE_FLOW_DISSECTOR = 22,
	BK_PROG_TYPE_CGROUP_SYSCTL = 23,
	BK_PROG_TYPE_RAW_TRACEPOINT_WRITABLE = 24,
	BK_PROG_TYPE_CGROUP_SOCKOPT = 25,
	BK_PROG_TYPE_TRACING = 26,
	BK_PROG_TYPE_STRUCT_OPS = 27,
	BK_PROG_TYPE_EXT = 28,
	BK_PROG_TYPE_LSM = 29,
	BK_PROG_TYPE_SK_LOOKUP = 30,
	BK_PROG_TYPE_SYSCALL = 31,
	BK_PROG_TYPE_NETFILTER = 32,
	BK_PROG_TYPE__MAX = 33,
};

/* Attach types (enum bpf_attach_type). */
enum bk_attach_type {
	BK_ATTACH_CGROUP_INET_INGRESS = 0,
	BK_ATTACH_CGROUP_INET_EGRESS = 1,
	BK_ATTACH_CGROUP_INET_SOCK_CREATE = 2,
	BK_ATTACH_CGROUP_SOCK_OPS = 3,
	BK_ATTACH_SK_SKB_STREAM_PARSER = 4,
	BK_ATTACH_SK_SKB_STREAM_VERDICT = 5,
	BK_ATTACH_CGROUP_DEVICE = 6,
	BK_ATTACH_SK_MSG_VERDICT = 7,
	BK_ATTACH_CGROUP_INET4_BIND = 8,
	BK_ATTACH_CGROUP_INET6_BIND = 9,
	BK_ATTACH_CGROUP_INET4_CONNECT = 10,
	BK_ATTACH_CGROUP_INET6_CONNECT = 11,
	BK_ATTACH_CGROUP_INET4_POST_BIND = 12,
	BK_ATTACH_CGROUP_INET6_POST_BIND = 13,
	BK_ATTACH_CGROUP_UDP4_SENDMSG = 14,
	BK_ATTACH_CGROUP_UDP6_SENDMSG = 15,
	BK_ATTACH_LIRC_MODE2 = 16,
	BK_ATTACH_FLOW_DISSECTOR = 17,
	BK_ATTACH_CGROUP_SYSCTL = 18,
	BK_ATTACH_CGROUP_UDP4_RECVMSG = 19,
	BK_ATTACH_CGROUP_UDP6_RECVMSG = 20,
	BK_ATTACH_CGROUP_GETSOCKOPT = 21,
	BK_ATTACH_CGROUP_SETSOCKOPT = 22,
	BK_ATTACH_TRACE_RAW_TP = 23,
	BK_ATTACH_TRACE_FENTRY = 24,
	BK_ATTACH_TRACE_FEXIT = 25,
	BK_ATTACH_MODIFY_RETURN = 26,
	BK_ATTACH_LSM_MAC = 27,
	BK_ATTACH_TRACE_ITER = 28,
	BK_ATTACH_CGROUP_INET4_GETPEERNAME = 29,
	BK_ATTACH_CGROUP_INET6_GETPEERNAME = 30,
	BK_ATTACH_CGROUP_INET4_GETSOCKNAME = 31,
	BK_ATTACH_CGROUP_INET6_GETSOCKNAME = 32,
	BK_ATTACH_XDP_DEVMAP = 33,
	BK_ATTACH_CGROUP_INET_SOCK_RELEASE = 34,
	BK_ATTACH_XDP_CPUMAP = 35,
	BK_ATTACH_SK_LOOKUP = 36,
	BK_ATTACH_XDP = 37,
	BK_ATTACH_SK_SKB_VERDICT = 38,
	BK_ATTACH_SK_REUSEPORT_SELECT = 39,
	BK_ATTACH_SK_REUSEPORT_SELECT_OR_MIGRATE = 40,
	BK_ATTACH_PERF_EVENT = 41,
	BK_ATTACH_TRACE_KPROBE_MULTI = 42,
	BK_ATTACH_LSM_CGROUP = 43,
	BK_ATTACH_STRUCT_OPS = 44,
	BK_ATTACH_NETFILTER = 45,
	BK_ATTACH_TCX_INGRESS = 46,
	BK_ATTACH_TCX_EGRESS = 47,
	BK_ATTACH_TRACE_UPROBE_MULTI = 48,
	BK_ATTACH_CGROUP_UNIX_CONNECT = 49,
	BK_ATTACH_CGROUP_UNIX_SENDMSG = 50,
	BK_ATTACH_CGROUP_UNIX_RECVMSG = 51,
	BK_ATTACH_CGROUP_UNIX_GETPEERNAME = 52,
	BK_ATTACH_CGROUP_UNIX_GETSOCKNAME = 53,
	BK_ATTACH_NETKIT_PRIMARY = 54,
	BK_ATTACH_NETKIT_PEER = 55,
	BK_ATTACH_TRACE_KPROBE_SESSION = 56,
	BK_ATTACH_TRACE_UPROBE_SESSION = 57,
	BK_ATTACH__MAX = 58,
};

/* Link types (enum bpf_link_type). */
enum bk_link_type {
	BK_LINK_TYPE_UNSPEC = 0,
	BK_LINK_TYPE_RAW_TRACEPOINT = 1,
	BK_LINK_TYPE_TRACING = 2,
	BK_LINK_TYPE_CGROUP = 3,
	BK_LINK_TYPE_ITER = 4,
	BK_LINK_TYPE_NETNS = 5,
	BK_LINK_TYPE_XDP = 6,
	BK_LINK_TYPE_PERF_EVENT = 7,
	BK_LINK_TYPE_KPROBE_MULTI = 8,
	BK_LINK_TYPE_STRUCT_OPS = 9,
	BK_LINK_TYPE_NETFILTER = 10,
	BK_LINK_TYPE_TCX = 11,
	BK_LINK_TYPE_UPROBE_MULTI = 12,
	BK_LINK_TYPE_NETKIT = 13,
	BK_LINK_TYPE_SOCKMAP = 14,
	BK_LINK_TYPE__MAX = 15,
};

/* Helper function ids (enum bpf_func_id); BK_FN_<name> is bpf_<name>(). */
enum bk_func_id {
	BK_FN_unspec = 0,
	BK_FN_map_lookup_elem = 1,
	BK_FN_map_update_elem = 2,
	BK_FN_map_delete_elem = 3,
	BK_FN_probe_read = 4,
	BK_FN_ktime_get_ns = 5,
	BK_FN_trace_printk = 6,
	BK_FN_get_prandom_u32 = 7,
	BK_FN_get_smp_processor_id = 8,
	BK_FN_skb_store_bytes = 9,
	BK_FN_l3_csum_replace = 10,
	BK_FN_l4_csum_replace = 11,
	BK_FN_tail_call = 12,
	BK_FN_clone_redirect = 13,
	BK_FN_get_current_pid_tgid = 14,
	BK_FN_get_current_uid_gid = 15,
	BK_FN_get_current_comm = 16,
	BK_FN_get_cgroup_classid = 17,
	BK_FN_skb_vlan_push = 18,
	BK_FN_skb_vlan_pop = 19,
	BK_FN_skb_get_tunnel_key = 20,
	BK_FN_skb_set_tunnel_key = 21,
	BK_FN_perf_event_read = 22,
	BK_FN_redirect = 23,
	BK_FN_get_route_realm = 24,
	BK_FN_perf_event_output = 25,
	BK_FN_skb_load_bytes = 26,
	BK_FN_get_stackid = 27,
	BK_FN_csum_diff = 28,
	BK_FN_skb_get_tunnel_opt = 29,
	BK_FN_skb_set_tunnel_opt = 30,
	BK_FN_skb_change_proto = 31,
	BK_FN_skb_change_type = 32,
	BK_FN_skb_under_cgroup = 33,
	BK_FN_get_hash_recalc = 34,
	BK_FN_get_current_task = 35,
	BK_FN_probe_write_user = 36,
	BK_FN_current_task_under_cgroup = 37,
	BK_FN_skb_change_tail = 38,
	BK_FN_skb_pull_data = 39,
	BK_FN_csum_update = 40,
	BK_FN_set_hash_invalid = 41,
	BK_FN_get_numa_node_id = 42,
	BK_FN_skb_change_head = 43,
	BK_FN_xdp_adjust_head = 44,
	BK_FN_probe_read_str = 45,
	BK_FN_get_socket_cookie = 46,
	BK_FN_get_socket_uid = 47,
	BK_FN_set_hash = 48,
	BK_FN_setsockopt = 49,
	BK_FN_skb_adjust_room = 50,
	BK_FN_redirect_map = 51,
	BK_FN_sk_redirect_map = 52,
	BK_FN_sock_map_update = 53,
	BK_FN_xdp_adjust_meta = 54,
	BK_FN_perf_event_read_value = 55,
	BK_FN_perf_prog_read_value = 56,
	BK_FN_getsockopt = 57,
	BK_FN_override_return = 58,
	BK_FN_sock_ops_cb_flags_set = 59,
	BK_FN_msg_redirect_map = 60,
	BK_FN_msg_apply_bytes = 61,
	BK_FN_msg_cork_bytes = 62,
	BK_FN_msg_pull_data = 63,
	BK_FN_bind = 64,
	BK_FN_xdp_adjust_tail = 65,
	BK_FN_skb_get_xfrm_state = 66,
	BK_FN_get_stack = 67,
	BK_FN_skb_load_bytes_relative = 68,
	BK_FN_fib_lookup = 69,
	BK_FN_sock_hash_update = 70,
	BK_FN_msg_redirect_hash = 71,
	BK_FN_sk_redirect_hash = 72,
	BK_FN_lwt_push_encap = 73,
	BK_FN_lwt_seg6_store_bytes = 74,
	BK_FN_lwt_seg6_adjust_srh = 75,
	BK_FN_lwt_seg6_action = 76,
	BK_FN_rc_repeat = 77,
	BK_FN_rc_keydown = 78,
	BK_FN_skb_cgroup_id = 79,
	BK_FN_get_current_cgroup_id = 80,
	BK_FN_get_local_storage = 81,
	BK_FN_sk_select_reuseport = 82,
	BK_FN_skb_ancestor_cgroup_id = 83,
	BK_FN_sk_lookup_tcp = 84,
	BK_FN_sk_lookup_udp = 85,
	BK_FN_sk_release = 86,
	BK_FN_map_push_elem = 87,
	BK_FN_map_pop_elem = 88,
	BK_FN_map_peek_elem = 89,
	BK_FN_msg_push_data = 90,
	BK_FN_msg_pop_data = 91,
	BK_FN_rc_pointer_rel = 92,
	BK_FN_spin_lock = 93,
	BK_FN_spin_unlock = 94,
	BK_FN_sk_fullsock = 95,
	BK_FN_tcp_sock = 96,
	BK_FN_skb_ecn_set_ce = 97,
	BK_FN_get_listener_sock = 98,
	BK_FN_skc_lookup_tcp = 99,
	BK_FN_tcp_check_syncookie = 100,
	BK_FN_sysctl_get_name = 101,
	BK_FN_sysctl_get_current_value = 102,
	BK_FN_sysctl_get_new_value = 103,
	BK_FN_sysctl_set_new_value = 104,
	BK_FN_strtol = 105,
	BK_FN_strtoul = 106,
	BK_FN_sk_storage_get = 107,
	BK_FN_sk_storage_delete = 108,
	BK_FN_send_signal = 109,
	BK_FN_tcp_gen_syncookie = 110,
	BK_FN_skb_output = 111,
	BK_FN_probe_read_user = 112,
	BK_FN_probe_read_kernel = 113,
	BK_FN_probe_read_user_str = 114,
	BK_FN_probe_read_kernel_str = 115,
	BK_FN_tcp_send_ack = 116,
	BK_FN_send_signal_thread = 117,
	BK_FN_jiffies64 = 118,
	BK_FN_read_branch_records = 119,
	BK_FN_get_ns_current_pid_tgid = 120,
	BK_FN_xdp_output = 121,
	BK_FN_get_netns_cookie = 122,
	BK_FN_get_current_ancestor_cgroup_id = 123,
	BK_FN_sk_assign = 124,
	BK_FN_ktime_get_boot_ns = 125,
	BK_FN_seq_printf = 126,
	BK_FN_seq_write = 127,
	BK_FN_sk_cgroup_id = 128,
	BK_FN_sk_ancestor_cgroup_id = 129,
	BK_FN_ringbuf_output = 130,
	BK_FN_ringbuf_reserve = 131,
	BK_FN_ringbuf_submit = 132,
	BK_FN_ringbuf_discard = 133,
	BK_FN_ringbuf_query = 134,
	BK_FN_csum_level = 135,
	BK_FN_skc_to_tcp6_sock = 136,
	BK_FN_skc_to_tcp_sock = 137,
	BK_FN_skc_to_tcp_timewait_sock = 138,
	BK_FN_skc_to_tcp_request_sock = 139,
	BK_FN_skc_to_udp6_sock = 140,
	BK_FN_get_task_stack = 141,
	BK_FN_load_hdr_opt = 142,
	BK_FN_store_hdr_opt = 143,
	BK_FN_reserve_hdr_opt = 144,
	BK_FN_inode_storage_get = 145,
	BK_FN_inode_storage_delete = 146,
	BK_FN_d_path = 147,
	BK_FN_copy_from_user = 148,
	BK_FN_snprintf_btf = 149,
	BK_FN_seq_printf_btf = 150,
	BK_FN_skb_cgroup_classid = 151,
	BK_FN_redirect_neigh = 152,
	BK_FN_per_cpu_ptr = 153,
	BK_FN_this_cpu_ptr = 154,
	BK_FN_redirect_peer = 155,
	BK_FN_task_storage_get = 156,
	BK_FN_task_storage_delete = 157,
	BK_FN_get_current_task_btf = 158,
	BK_FN_bprm_opts_set = 159,
	BK_FN_ktime_get_coarse_ns = 160,
	BK_FN_ima_inode_hash = 161,
	BK_FN_sock_from_file = 162,
	BK_FN_check_mtu = 163,
	BK_FN_for_each_map_elem = 164,
	BK_FN_snprintf = 165,
	BK_FN_sys_bpf = 166,
	BK_FN_btf_find_by_name_kind = 167,
	BK_FN_sys_close = 168,
	BK_FN_timer_init = 169,
	BK_FN_timer_set_callback = 170,
	BK_FN_timer_start = 171,
	BK_FN_timer_cancel = 172,
	BK_FN_get_func_ip = 173,
	BK_FN_get_attach_cookie = 174,
	BK_FN_task_pt_regs = 175,
	BK_FN_get_branch_snapshot = 176,
	BK_FN_trace_vprintk = 177,
	BK_FN_skc_to_unix_sock = 178,
	BK_FN_kallsyms_lookup_name = 179,
	BK_FN_find_vma = 180,
	BK_FN_loop = 181,
	BK_FN_strncmp = 182,
	BK_FN_get_func_arg = 183,
	BK_FN_get_func_ret = 184,
	BK_FN_get_func_arg_cnt = 185,
	BK_FN_get_retval = 186,
	BK_FN_set_retval = 187,
	BK_FN_xdp_get_buff_len = 188,
	BK_FN_xdp_load_bytes = 189,
	BK_FN_xdp_store_bytes = 190,
	BK_FN_copy_from_user_task = 191,
	BK_FN_skb_set_tstamp = 192,
	BK_FN_ima_file_hash = 193,
	BK_FN_kptr_xchg = 194,
	BK_FN_map_lookup_percpu_elem = 195,
	BK_FN_skc_to_mptcp_sock = 196,
	BK_FN_dynptr_from_mem = 197,
	BK_FN_ringbuf_reserve_dynptr = 198,
	BK_FN_ringbuf_submit_dynptr = 199,
	BK_FN_ringbuf_discard_dynptr = 200,
	BK_FN_dynptr_read = 201,
	BK_FN_dynptr_write = 202,
	BK_FN_dynptr_data = 203,
	BK_FN_tcp_raw_gen_syncookie_ipv4 = 204,
	BK_FN_tcp_raw_gen_syncookie_ipv6 = 205,
	BK_FN_tcp_raw_check_syncookie_ipv4 = 206,
	BK_FN_tcp_raw_check_syncookie_ipv6 = 207,
	BK_FN_ktime_get_tai_ns = 208,
	BK_FN_user_ringbuf_drain = 209,
	BK_FN_cgrp_storage_get = 210,
	BK_FN_cgrp_storage_delete = 211,
	BK_FN__MAX = 212,
};

/* Map update flags (map_update_elem, batch elem_flags). */
#define BK_ANY     0 /* create a new element or update an existing one */
#define BK_NOEXIST 1 /* create a new element only if it did not exist */
#define BK_EXIST   2 /* update an existing element */
#define BK_F_LOCK  4 /* spin_lock-ed map_lookup/map_update */

/* Map create flags (map_flags). */
#define BK_F_NO_PREALLOC        (1U << 0)
#define BK_F_NO_COMMON_LRU      (1U << 1)
#define BK_F_NUMA_NODE          (1U << 2)
#define BK_F_RDONLY             (1U << 3)
#define BK_F_WRONLY             (1U << 4)
#define BK_F_STACK_BUILD_ID     (1U << 5)
#define BK_F_ZERO_SEED          (1U << 6)
#define BK_F_RDONLY_PROG        (1U << 7)
#define BK_F_WRONLY_PROG        (1U << 8)
#define BK_F_CLONE              (1U << 9)
#define BK_F_MMAPABLE           (1U << 10)
#define BK_F_PRESERVE_ELEMS     (1U << 11)
#define BK_F_INNER_MAP          (1U << 12)
#define BK_F_LINK               (1U << 13) /* also an attach flag */
#define BK_F_PATH_FD            (1U << 14) /* obj_pin/obj_get: path relative to path_fd */
#define BK_F_VTYPE_BTF_OBJ_FD   (1U << 15)
#define BK_F_TOKEN_FD           (1U << 16)
#define BK_F_SEGV_ON_FAULT      (1U << 17)
#define BK_F_NO_USER_CONV       (1U << 18)

/* Program load flags (prog_flags). */
#define BK_F_STRICT_ALIGNMENT    (1U << 0)
#define BK_F_ANY_ALIGNMENT       (1U << 1)
#define BK_F_TEST_RND_HI32       (1U << 2)
#define BK_F_TEST_STATE_FREQ     (1U << 3)
#define BK_F_SLEEPABLE           (1U << 4)
#define BK_F_XDP_HAS_FRAGS       (1U << 5)
#define BK_F_XDP_DEV_BOUND_ONLY  (1U << 6)
#define BK_F_TEST_REG_INVARIANTS (1U << 7)

/* Attach flags (prog_attach, link_create for cgroup/tcx/netkit). */
#define BK_F_ALLOW_OVERRIDE (1U << 0)
#define BK_F_ALLOW_MULTI    (1U << 1)
#define BK_F_REPLACE        (1U << 2)
#define BK_F_BEFORE         (1U << 3)
#define BK_F_AFTER          (1U << 4)
#define BK_F_ID             (1U << 5)

/* prog_query flags. */
#define BK_F_QUERY_EFFECTIVE (1U << 0)

/* prog_test_run flags. */
#define BK_F_TEST_RUN_ON_CPU            (1U << 0)
#define BK_F_TEST_XDP_LIVE_FRAMES       (1U << 1)
#define BK_F_TEST_SKB_CHECKSUM_COMPLETE (1U << 2)

/* XDP attach flags (link_create flags for BPF_XDP). */
#define BK_XDP_FLAGS_UPDATE_IF_NOEXIST (1U << 0)
#define BK_XDP_FLAGS_SKB_MODE          (1U << 1)
#define BK_XDP_FLAGS_DRV_MODE          (1U << 2)
#define BK_XDP_FLAGS_HW_MODE           (1U << 3)
#define BK_XDP_FLAGS_REPLACE           (1U << 4)

/* kprobe_multi / uprobe_multi link flags. */
#define BK_F_KPROBE_MULTI_RETURN (1U << 0)
#define BK_F_UPROBE_MULTI_RETURN (1U << 0)

/* enable_stats types. */
#define BK_STATS_RUN_TIME 0

/* Ring buffer: helper flags and the record header's bits. */
#define BK_RB_NO_WAKEUP       (1U << 0)
#define BK_RB_FORCE_WAKEUP    (1U << 1)
#define BK_RINGBUF_BUSY_BIT    (1U << 31)
#define BK_RINGBUF_DISCARD_BIT (1U << 30)
#define BK_RINGBUF_HDR_SZ      8

/* Verifier log levels (log_level), combinable. */
#define BK_VLOG_LEVEL1 1
#define BK_VLOG_LEVEL2 2
#define BK_VLOG_STATS  4

/* Sizes. */
#define BK_OBJ_NAME_LEN 16
#define BK_TAG_SIZE     8
#define BK_MAXINSNS     4096 /* classic BPF's program limit (BPF_MAXINSNS) */

#endif /* BPFKIT_ABI_H */
