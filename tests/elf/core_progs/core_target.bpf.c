// SPDX-License-Identifier: MIT
/* Target BTF for the CO-RE tests: one global per type puts them all in .BTF. */
#include "core_target.h"

struct core_a g_a;
struct core_a g_var_root; /* a VAR as a relocation root (test_core_cands.c) */
struct core_f___one g_f1;
struct core_f___two g_f2;
struct core_amb___one g_amb1;
struct core_amb___two g_amb2;
struct core_amb2___one g_amb21;
struct core_amb2___two g_amb22;
struct core_gone g_gone;
struct core_m g_m;
struct core_nm g_nm;
struct core_big g_big;
struct core_n___a g_na;
struct core_n___b g_nb;
struct core_tm_ptr g_tm_ptr;
struct core_tm_ptr2 g_tm_ptr2;
enum core_tm_e4 g_tm_e4;
enum core_tm_e g_tm_e;
enum core_tm_emiss g_tm_emiss;
struct core_tm_sign g_tm_sign;
struct core_tm_arr g_tm_arr;
struct core_tm_fn g_tm_fn;
struct core_tm_fn2 g_tm_fn2;
union core_tm_union g_tm_union;
core_fnp g_fnp;
core_fnp_same g_fnp_same;
struct core_flex g_flex;
enum core_e g_e;
