// SPDX-License-Identifier: MIT
/*
 * Finding the complaint in a verifier log by the log's shape. The English
 * changes between kernels; the shape ("N: (op) insn", "N: R... states",
 * "from N to M:", "; source", "processed N insns" at the end) has held since
 * Linux 5.x, so it is what we key on.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "sys_int.h"

/* One line of the log: [p, p + len), without its newline. */
struct line {
	const char *p;
	size_t len;
};

enum line_kind { L_BLANK, L_INSN, L_STATE, L_SUMMARY, L_TEXT };

/* Digits at p (at most len bytes) as a number; *used the digits consumed. */
static uint64_t read_num(const char *p, size_t len, size_t *used)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < len && p[i] >= '0' && p[i] <= '9' && i < 12)
		v = v * 10 + (uint64_t)(p[i++] - '0');
	*used = i;
	return v;
}

static bool starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && memcmp(l->p, prefix, n) == 0;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* "N: (hh) ..." is an instruction, "N: <anything else>" a state line. */
static enum line_kind classify_numbered(const struct line *l, size_t digits, uint32_t *insn)
{
	const char *p = l->p + digits;
	size_t rest = l->len - digits, used;

	if (rest < 2 || p[0] != ':' || p[1] != ' ')
		return L_TEXT;
	if (rest >= 6 && p[2] == '(' && is_hex(p[3]) && is_hex(p[4]) && p[5] == ')') {
		*insn = (uint32_t)read_num(l->p, digits, &used);
		return L_INSN;
	}
	return L_STATE;
}

static enum line_kind classify(struct line *l, uint32_t *insn, uint32_t *processed)
{
	size_t digits, used;

	while (l->len && (l->p[l->len - 1] == '\r' || l->p[l->len - 1] == ' '))
		l->len--;
	if (l->len == 0)
		return L_BLANK;
	(void)read_num(l->p, l->len, &digits);
	if (digits)
		return classify_numbered(l, digits, insn);
	if (starts(l, "processed ")) {
		*processed = (uint32_t)read_num(l->p + 10, l->len - 10, &used);
		return used ? L_SUMMARY : L_TEXT;
	}
	if (starts(l, "from ") || starts(l, ";") || starts(l, "func#") || starts(l, "Func#") ||
	    starts(l, "mark_precise") || starts(l, "last_idx") || starts(l, "regs=") ||
	    starts(l, "caller:") || starts(l, "callee:") || starts(l, "propagating") ||
	    starts(l, "Validating") || starts(l, "Global function") || starts(l, "frame"))
		return L_STATE;
	return L_TEXT;
}

/* The first "insn N" a complaint names, -1 when none. */
static int32_t insn_named(const char *p, size_t len)
{
	for (size_t i = 0; i + 5 < len; i++) {
		size_t used;
		uint64_t v;

		if (memcmp(p + i, "insn ", 5) != 0)
			continue;
		v = read_num(p + i + 5, len - i - 5, &used);
		if (used && v <= INT32_MAX)
			return (int32_t)v;
	}
	return -1;
}

struct scan {
	int32_t insn;
	const char *first, *end; /* the current complaint block */
	uint32_t lines, processed;
};

static enum line_kind scan_line(struct scan *s, struct line *l)
{
	uint32_t n = 0;
	enum line_kind kind = classify(l, &n, &s->processed);

	switch (kind) {
	case L_INSN:
		s->insn = (int32_t)n;
		s->first = NULL; /* a complaint is what follows the last insn */
		s->lines = 0;
		break;
	case L_TEXT:
		if (!s->first)
			s->first = l->p;
		s->end = l->p + l->len;
		s->lines++;
		break;
	default:
		break;
	}
	return kind;
}

int bk_vlog_verdict(const char *log, size_t len, struct bk_vlog_verdict *out)
{
	struct scan s = { .insn = -1 };
	const char *p = log, *stop = log ? log + len : NULL;

	if (!out || (!log && len))
		return bk__err(-EINVAL);
	memset(out, 0, sizeof(*out));
	out->insn = -1;
	while (p && p < stop && *p) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		const char *e = nl ? nl : stop;
		struct line l = { p, (size_t)(e - p) };
		size_t nul = strnlen(p, l.len);

		l.len = nul; /* a NUL inside the buffer ends the log */
		if (scan_line(&s, &l) == L_SUMMARY)
			break;
		if (nul < (size_t)(e - p))
			break;
		p = nl ? nl + 1 : stop;
	}
	out->processed = s.processed;
	if (!s.first)
		return bk__err(-ENOENT);
	out->msg = s.first;
	out->msg_len = (size_t)(s.end - s.first);
	out->lines = s.lines;
	out->insn = s.insn >= 0 ? s.insn : insn_named(out->msg, out->msg_len);
	return 0;
}
