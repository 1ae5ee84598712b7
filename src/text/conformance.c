// SPDX-License-Identifier: MIT
/*
 * bpf_conformance ".data" reader. The file is a sequence of "-- name"
 * sections; each section's lines are handed to the parser for that name.
 * Every read is bounded by len, so any input (NULs, no final newline, huge
 * lines) is safe; errors say file:line:col.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/conformance.h>

#include "../common/common_int.h"

enum section { SEC_NONE, SEC_ASM, SEC_RAW, SEC_MEM, SEC_RESULT, SEC_ERROR, SEC_IGNORED };

struct line {
	const char *p;	/* start of the line */
	size_t len;	/* without the newline */
	uint32_t no;	/* 1-based line number */
};

struct parser {
	const char *file;
	struct bk_diag *diag;
	struct bk_conf_test *t;
	enum section sec;
	bool result_seen;
	size_t asm_len, asm_cap, mem_cap, raw_cap, err_len, err_cap;
	unsigned raw_fill; /* bytes of the "-- raw" slot being filled */
};

static const struct {
	const char *name;
	enum section sec;
} sections[] = {
	{ "asm", SEC_ASM },	  { "raw", SEC_RAW },	  { "mem", SEC_MEM },
	{ "result", SEC_RESULT }, { "error", SEC_ERROR }, { "c", SEC_IGNORED },
	{ "no register offset", SEC_IGNORED },
};

static int fail_at(struct parser *ps, const struct line *l, size_t col, const char *fmt,
		   const char *arg)
{
	if (ps->diag) {
		snprintf(ps->diag->file, sizeof(ps->diag->file), "%s", ps->file);
		ps->diag->line = l->no;
		ps->diag->col = (uint32_t)col + 1;
	}
	return bk__diag(ps->diag, -EINVAL, fmt, arg);
}

/* Grow *buf (elements of size sz) so it can hold need elements. */
static int reserve(void **buf, size_t *cap, size_t need, size_t sz)
{
	size_t ncap = *cap ? *cap : 16;
	void *nb;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nb = realloc(*buf, ncap * sz);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = ncap;
	return 0;
}

static int append_text(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
	void *b = *buf;
	int err = reserve(&b, cap, *len + n + 2, 1);

	*buf = b;
	if (err)
		return err;
	memcpy(*buf + *len, p, n);
	*len += n;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	return 0;
}

/* Length of the line without a trailing comment. */
static size_t strip_comment(const struct line *l)
{
	const char *hash = memchr(l->p, '#', l->len);

	return hash ? (size_t)(hash - l->p) : l->len;
}

static int parse_number(struct parser *ps, const struct line *l, size_t col, size_t end,
			uint64_t *v)
{
	char num[40];
	size_t n = 0;
	char *stop;
	int base = 10;

	while (col + n < end && !isspace((unsigned char)l->p[col + n]) && n < sizeof(num) - 1) {
		num[n] = l->p[col + n];
		n++;
	}
	num[n] = '\0';
	if (n > 2 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X'))
		base = 16;
	errno = 0;
	*v = strtoull(num, &stop, base);
	if (n == 0 || *stop || errno || num[0] == '-')
		return fail_at(ps, l, col, "'%s' is not a number (decimal or 0x hex)", num);
	return (int)n;
}

static int parse_mem(struct parser *ps, const struct line *l)
{
	size_t end = strip_comment(l);

	for (size_t i = 0; i < end;) {
		unsigned hi, lo;
		void *b = ps->t->mem;
		char tok[3] = { 0 };

		if (isspace((unsigned char)l->p[i])) {
			i++;
			continue;
		}
		tok[0] = l->p[i];
		tok[1] = i + 1 < end ? l->p[i + 1] : '\0';
		if (!isxdigit((unsigned char)tok[0]) || !isxdigit((unsigned char)tok[1]) ||
		    (i + 2 < end && !isspace((unsigned char)l->p[i + 2])))
			return fail_at(ps, l, i, "'%s' is not a hex byte (two hex digits)", tok);
		hi = (unsigned)(isdigit((unsigned char)tok[0]) ? tok[0] - '0' : (tolower(tok[0]) - 'a' + 10));
		lo = (unsigned)(isdigit((unsigned char)tok[1]) ? tok[1] - '0' : (tolower(tok[1]) - 'a' + 10));
		if (reserve(&b, &ps->mem_cap, ps->t->mem_len + 1, 1))
			return bk__err(-ENOMEM);
		ps->t->mem = b;
		ps->t->mem[ps->t->mem_len++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* One more byte of "-- raw"; every eighth completes a slot. */
static int raw_byte(struct parser *ps, uint8_t b)
{
	void *buf = ps->t->raw;

	if (ps->raw_fill == 0 &&
	    reserve(&buf, &ps->raw_cap, ps->t->raw_count + 1, sizeof(struct bk_insn)))
		return bk__err(-ENOMEM);
	ps->t->raw = buf;
	((uint8_t *)&ps->t->raw[ps->t->raw_count])[ps->raw_fill++] = b;
	if (ps->raw_fill == 8) {
		ps->raw_fill = 0;
		ps->t->raw_count++;
	}
	return 0;
}

/*
 * "-- raw" holds the program as hex bytes without 0x, in memory order
 * ("b7 01 00 00 05 00 00 00"), as bpf_conformance writes it. A 0x token is a
 * whole slot: its little-endian encoding read as a 64-bit number (ours).
 */
static int parse_raw(struct parser *ps, const struct line *l)
{
	size_t end = strip_comment(l);

	for (size_t i = 0; i < end;) {
		uint64_t w;
		int n, hi, lo;

		if (isspace((unsigned char)l->p[i])) {
			i++;
			continue;
		}
		if (end - i > 2 && l->p[i] == '0' && (l->p[i + 1] == 'x' || l->p[i + 1] == 'X')) {
			if (ps->raw_fill)
				return fail_at(ps, l, i, "%s",
					       "a 0x word in the middle of a slot's bytes");
			n = parse_number(ps, l, i, end, &w);
			if (n < 0)
				return n;
			for (int k = 0; k < 8; k++)
				if (raw_byte(ps, (uint8_t)(w >> (8 * k))))
					return bk__err(-ENOMEM);
			i += (size_t)n;
			continue;
		}
		hi = hex_digit(l->p[i]);
		lo = i + 1 < end ? hex_digit(l->p[i + 1]) : -1;
		if (hi < 0 || lo < 0 || (i + 2 < end && !isspace((unsigned char)l->p[i + 2]))) {
			char tok[24];
			size_t tl = 0;

			while (i + tl < end && tl < 20 && !isspace((unsigned char)l->p[i + tl]))
				tl++; /* the line is not NUL-terminated: bounded by end */
			snprintf(tok, sizeof(tok), "%.*s", (int)tl, l->p + i);
			return fail_at(ps, l, i, "'%s' is not a hex byte (two hex digits) or a 0x word",
				       tok);
		}
		if (raw_byte(ps, (uint8_t)(hi << 4 | lo)))
			return bk__err(-ENOMEM);
		i += 2;
	}
	return 0;
}

static int parse_result(struct parser *ps, const struct line *l)
{
	size_t end = strip_comment(l);
	size_t i = 0;
	int n;

	while (i < end && isspace((unsigned char)l->p[i]))
		i++;
	if (i == end)
		return 0;
	if (ps->result_seen)
		return fail_at(ps, l, i, "%s", "-- result holds more than one value");
	n = parse_number(ps, l, i, end, &ps->t->result);
	if (n < 0)
		return n;
	for (i += (size_t)n; i < end; i++)
		if (!isspace((unsigned char)l->p[i]))
			return fail_at(ps, l, i, "%s", "unexpected text after the result value");
	ps->result_seen = true;
	ps->t->has_result = true;
	return 0;
}

static int start_section(struct parser *ps, const struct line *l)
{
	size_t b = 2, e = l->len;
	char name[64];

	while (b < e && isspace((unsigned char)l->p[b]))
		b++;
	while (e > b && isspace((unsigned char)l->p[e - 1]))
		e--;
	snprintf(name, sizeof(name), "%.*s", (int)(e - b), l->p + b);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (strcmp(name, sections[i].name) != 0)
			continue;
		ps->sec = sections[i].sec;
		if (ps->sec == SEC_ASM && !ps->t->asm_text)
			ps->t->asm_line = l->no + 1;
		if (ps->sec == SEC_ERROR) {
			ps->t->expect_error = true;
			if (append_text(&ps->t->error_text, &ps->err_len, &ps->err_cap, "", 0))
				return bk__err(-ENOMEM);
			ps->err_len = 0;
			ps->t->error_text[0] = '\0';
		}
		if (!strcmp(name, "no register offset"))
			ps->t->no_register_offset = true;
		return 0;
	}
	return fail_at(ps, l, b, "unknown section '-- %s' (asm, raw, mem, result, error, c)", name);
}

static bool blank_or_comment(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++) {
		if (l->p[i] == '#')
			return true;
		if (!isspace((unsigned char)l->p[i]))
			return false;
	}
	return true;
}

static int parse_line(struct parser *ps, const struct line *l)
{
	if (l->len >= 2 && l->p[0] == '-' && l->p[1] == '-')
		return start_section(ps, l);
	switch (ps->sec) {
	case SEC_NONE:
		return blank_or_comment(l) ? 0
					   : fail_at(ps, l, 0, "%s",
						     "text before the first '-- section' line");
	case SEC_ASM:
		return append_text(&ps->t->asm_text, &ps->asm_len, &ps->asm_cap, l->p, l->len)
			       ? bk__err(-ENOMEM)
			       : 0;
	case SEC_RAW:
		return parse_raw(ps, l);
	case SEC_MEM:
		return parse_mem(ps, l);
	case SEC_RESULT:
		return parse_result(ps, l);
	case SEC_ERROR:
		if (blank_or_comment(l))
			return 0;
		return append_text(&ps->t->error_text, &ps->err_len, &ps->err_cap, l->p, l->len)
			       ? bk__err(-ENOMEM)
			       : 0;
	default:
		return 0;
	}
}

/* What is wrong with the file as a whole: a test must hold a program and
 * say what to check, or it would pass having checked nothing. */
static int check_whole(struct parser *ps, struct line *l)
{
	const char *why = NULL;

	if (ps->raw_fill)
		why = "'-- raw' ends inside a slot: its bytes are not a multiple of 8";
	else if (!ps->t->asm_text && !ps->t->raw)
		why = "the test has neither '-- asm' nor '-- raw'";
	else if (!ps->t->has_result && !ps->t->expect_error)
		why = "the test checks nothing: it has neither '-- result' nor '-- error'";
	if (!why)
		return 0;
	/* About the file as a whole: point at its start. */
	l->p = "";
	l->len = 0;
	l->no = 1;
	return fail_at(ps, l, 0, "%s", why);
}

int bk_conf_parse(const char *text, size_t len, const char *file, struct bk_conf_test *out,
		  struct bk_diag *diag)
{
	struct parser ps = { .file = file ? file : "<input>", .diag = diag, .t = out };
	struct line l = { .p = text, .no = 0 };
	size_t pos = 0;
	int err = 0;

	if (!out || (!text && len))
		return bk__err(-EINVAL);
	memset(out, 0, sizeof(*out));
	if (diag)
		memset(diag, 0, sizeof(*diag));
	while (pos < len && !err) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		l.p = text + pos;
		l.len = end - pos;
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		l.no++;
		if (memchr(l.p, '\0', l.len)) /* a text file: a NUL would cut a section short */
			err = fail_at(&ps, &l, (size_t)((const char *)memchr(l.p, '\0', l.len) - l.p),
				      "%s", "a NUL byte in the text");
		else
			err = parse_line(&ps, &l);
		pos = end + 1;
	}
	if (!err)
		err = check_whole(&ps, &l);
	if (err)
		bk_conf_free(out);
	return err;
}

int bk_conf_load(const char *path, struct bk_conf_test *out, struct bk_diag *diag)
{
	/* O_NONBLOCK: a FIFO must not hang the reader; only files are read */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	char *buf;
	ssize_t got;
	int err;

	if (diag) {
		memset(diag, 0, sizeof(*diag));
		snprintf(diag->file, sizeof(diag->file), "%s", path);
	}
	if (fd < 0)
		return bk__diag(diag, -errno, "cannot open it: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
		err = fstat(fd, &st) < 0 ? -errno : !S_ISREG(st.st_mode) ? -EINVAL : -EFBIG;
		close(fd);
		return bk__diag(diag, err, "cannot read %s: %s", path,
				err == -EINVAL ? "not a regular file"
				: err == -EFBIG ? "larger than 64 MiB" : strerror(-err));
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return bk__err(-ENOMEM);
	}
	got = read(fd, buf, (size_t)st.st_size);
	err = got < 0 ? -errno : 0;
	close(fd);
	if (!err)
		err = bk_conf_parse(buf, (size_t)got, path, out, diag);
	else
		bk__diag(diag, err, "cannot read %s", path);
	free(buf);
	return err;
}

void bk_conf_free(struct bk_conf_test *t)
{
	if (!t)
		return;
	free(t->asm_text);
	free(t->raw);
	free(t->mem);
	free(t->error_text);
	memset(t, 0, sizeof(*t));
}
