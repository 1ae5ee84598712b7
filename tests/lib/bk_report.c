// SPDX-License-Identifier: MIT
/*
 * The end-of-run summary of skipped tests. Criterion's own synthesis counts
 * only the tests that ran ("Tested: 112 | Passing: 112"), so a run where
 * most tests skipped reads as a full pass. This hook, run once after all
 * tests, prints how many skipped and why (one line per distinct reason, with
 * the first tests it hit), and under BK_REQUIRE_KERNEL=1 turns every skip
 * that is not a kernel lacking a feature (BK_SKIP_FEATURE) into a failure,
 * which the synthesis line and the exit status then show.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/stats.h>

#include "bk_test.h"

#define MAX_REASONS 32
#define NAMES_SHOWN 3

struct reason {
	const char *msg;
	size_t count;
	const char *suite[NAMES_SHOWN], *test[NAMES_SHOWN];
};

static bool is_feature_skip(const char *msg)
{
	return !strncmp(msg, BK_SKIP_FEATURE_PREFIX, strlen(BK_SKIP_FEATURE_PREFIX));
}

/* Tally one skipped test under its reason; the last slot takes the rest. */
static void tally(struct reason *r, size_t *n, const char *msg, const char *suite,
		  const char *test)
{
	size_t i;

	for (i = 0; i < *n && strcmp(r[i].msg, msg) != 0; i++)
		;
	if (i == *n) {
		if (*n == MAX_REASONS)
			i = MAX_REASONS - 1; /* counted under the last reason kept */
		else
			r[(*n)++].msg = msg;
	}
	if (r[i].count < NAMES_SHOWN) {
		r[i].suite[r[i].count] = suite;
		r[i].test[r[i].count] = test;
	}
	r[i].count++;
}

static void print_reason(const struct reason *r)
{
	fprintf(stderr, "[SKIP]   %zu: %s (", r->count, r->msg);
	for (size_t k = 0; k < r->count && k < NAMES_SHOWN; k++)
		fprintf(stderr, "%s%s::%s", k ? ", " : "", r->suite[k], r->test[k]);
	fprintf(stderr, "%s)\n", r->count > NAMES_SHOWN ? ", ..." : "");
}

ReportHook(POST_ALL)(struct criterion_global_stats *st)
{
	struct reason reasons[MAX_REASONS];
	size_t n = 0, not_feature = 0, unselected = 0;

	memset(reasons, 0, sizeof(reasons));
	for (struct criterion_suite_stats *s = st->suites; s; s = s->next)
		for (struct criterion_test_stats *t = s->tests; t; t = t->next) {
			if (t->test_status != CR_STATUS_SKIPPED)
				continue;
			/* No message: a test --filter left out (or .disabled), which did not
			 * run at all; every skip of ours says why. */
			if (!t->message || !*t->message) {
				unselected++;
				continue;
			}
			tally(reasons, &n, t->message, s->suite->name, t->test->name);
			not_feature += !is_feature_skip(t->message);
		}
	fprintf(stderr, "[====] %zu tests: %zu passed, %zu failed, %zu skipped", st->nb_tests,
		st->tests_passed, st->tests_failed + st->tests_crashed,
		st->tests_skipped - unselected);
	if (unselected)
		fprintf(stderr, ", %zu not selected", unselected);
	fputc('\n', stderr);
	if (n)
		fprintf(stderr, "[SKIP] skipped, by reason:\n");
	for (size_t i = 0; i < n; i++)
		print_reason(&reasons[i]);
	if (not_feature && bk_test_kernel_required()) {
		fprintf(stderr,
			"[FAIL] BK_REQUIRE_KERNEL=1: %zu skips are not a kernel lacking a feature, "
			"so they count as failures\n",
			not_feature);
		st->tests_failed += not_feature;
	}
}
