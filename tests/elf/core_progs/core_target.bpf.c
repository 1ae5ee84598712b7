// SPDX-License-Identifier: MIT
/* Target BTF for the CO-RE tests: one global per type puts them all in .BTF. */
#include "core_target.h"

struct core_a g_a;
struct core_f___one g_f1;
struct core_f___two g_f2;
struct core_amb___one g_amb1;
struct core_amb___two g_amb2;
struct core_gone g_gone;
struct core_m g_m;
struct core_nm g_nm;
struct core_big g_big;
struct core_n___a g_na;
struct core_n___b g_nb;
enum core_e g_e;
