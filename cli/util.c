// SPDX-License-Identifier: MIT
/* Argument numbers, output files and the progress line: the pieces every
 * command shares so that none of them fails silently. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int bk_cli_parse_num(struct bk_cli *cli, const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	/* strtoull accepts a sign and leading blanks ("-1" is 2^64-1): refuse them. */
	if (!isdigit((unsigned char)s[0]))
		goto bad;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return bk_cli_usage_why(cli, NULL, "%s: '%s' is not a number from %" PRIu64 " to %" PRIu64,
				what, s, min, max);
}

FILE *bk_cli_open_out(struct bk_cli *cli, const char *path, bool binary)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return cli->out;
	f = fopen(path, binary ? "wbe" : "we");
	if (!f)
		bk_cli_fail(cli, "cannot write %s: %s", path, strerror(errno));
	return f;
}

int bk_cli_close_out(struct bk_cli *cli, FILE *f, const char *path)
{
	bool bad = fflush(f) != 0 || ferror(f);
	int err = errno;

	if (f == cli->out)
		return bad ? bk_cli_fail(cli, "write error on standard output: %s", strerror(err)) : 0;
	if (fclose(f) != 0 && !bad) {
		bad = true;
		err = errno;
	}
	return bad ? bk_cli_fail(cli, "write error on %s: %s", path, strerror(err)) : 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void bk_cli_progress(struct bk_cli *cli, const char *what, uint64_t done, uint64_t total)
{
	uint64_t t;

	if (cli->progress < 0)
		cli->progress = cli->err == stderr && isatty(STDERR_FILENO);
	if (!cli->progress)
		return;
	t = now_ms();
	if (!cli->progress_at)
		cli->progress_at = t; /* short work never shows a line */
	if (t - cli->progress_at < 100)
		return;
	cli->progress_at = t;
	cli->progress_shown = true;
	if (total)
		fprintf(cli->err, "\r\033[K%s: %" PRIu64 "/%" PRIu64, what, done, total);
	else
		fprintf(cli->err, "\r\033[K%s: %" PRIu64, what, done);
	fflush(cli->err);
}

void bk_cli_progress_done(struct bk_cli *cli)
{
	if (!cli->progress_shown)
		return;
	fputs("\r\033[K", cli->err);
	fflush(cli->err);
	cli->progress_shown = false;
}
