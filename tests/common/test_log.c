// SPDX-License-Identifier: MIT
/* The log callback: the library's only output, off by default. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <bpfkit/insn.h>

struct seen {
	int calls;
	char last[256];
};

static void record(enum bk_log_level level, void *ctx, const char *msg)
{
	struct seen *s = ctx;

	(void)level;
	s->calls++;
	strncpy(s->last, msg, sizeof(s->last) - 1);
}

Test(log, callback_receives_context_and_can_be_removed)
{
	struct seen s = { 0 };
	struct bk_insn bad = BK_RAW_INSN(0xff, 0, 0, 0, 0);

	bk_set_log(record, &s);
	/* A failing validation is reported to the caller, not logged: the log is
	 * for diagnostics the caller did not ask for. So nothing arrives yet. */
	cr_assert_eq(bk_insn_validate(&bad, 1, NULL), -EINVAL);
	cr_assert_eq(errno, EINVAL);
	bk_set_log(NULL, NULL);
	cr_assert_eq(s.calls, 0);
}

/* The library-internal entry point (linked from the static library). */
void bk__log(enum bk_log_level level, const char *fmt, ...);

static void record_level(enum bk_log_level level, void *ctx, const char *msg)
{
	struct seen *s = ctx;

	s->calls += (int)level + 1;
	strncpy(s->last, msg, sizeof(s->last) - 1);
}

Test(log, messages_are_formatted_and_routed_to_the_current_sink)
{
	struct seen a = { 0 }, b = { 0 };

	bk__log(BK_LOG_WARN, "dropped %d", 1); /* no sink: must not crash */
	bk_set_log(record_level, &a);
	bk__log(BK_LOG_DEBUG, "map %s has %u entries", "counts", 7u);
	cr_assert_eq(a.calls, BK_LOG_DEBUG + 1);
	cr_assert_str_eq(a.last, "map counts has 7 entries");
	bk_set_log(record_level, &b);
	bk__log(BK_LOG_WARN, "second");
	cr_assert_eq(a.calls, BK_LOG_DEBUG + 1, "the old sink still received messages");
	cr_assert_str_eq(b.last, "second");
	bk_set_log(NULL, NULL);
	bk__log(BK_LOG_WARN, "third");
	cr_assert_str_eq(b.last, "second");
}
