// SPDX-License-Identifier: MIT
/*
 * Subprograms laid out as libbpf lays them out (object_layout.c): programs
 * with static, global and shared subprograms, callbacks and calls across
 * sections run as their sources state and load identically to libbpf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/object.h>
#include <bpfkit/probe.h>

#include "../lib/bk_corpus.h"
#include "../lib/bk_test.h"

TestSuite(object_layout, .init = bk_test_fd_snapshot, .fini = bk_test_fd_check);

Test(object_layout, subprograms_and_callbacks) { bk_corpus_load_and_check("subprogs", 6); }

Test(object_layout, calls_across_sections) { bk_corpus_load_and_check("xsec_calls", 2); }

Test(object_layout, same_as_libbpf_subprogs) { bk_corpus_same_as_libbpf("subprogs"); }

Test(object_layout, same_as_libbpf_xsec_calls) { bk_corpus_same_as_libbpf("xsec_calls"); }
