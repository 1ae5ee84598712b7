// SPDX-License-Identifier: MIT
/*
 * `prog load OBJ PATH` and `prog loadall OBJ DIR` for ELF objects, as
 * bpftool: load every program of the object (through bpfkit's ELF loader),
 * then pin the first program at PATH, or every program as DIR/NAME;
 * `pinmaps DIR` pins the object's maps by name, `map name NAME MAP` reuses an
 * existing map, `type TYPE` overrides the type the sections imply.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <bpfkit/map.h>
#include <bpfkit/object.h>
#include <bpfkit/prog.h>

#include "cli.h"
#include "load.h"
#include "ops.h"

bool bk_cli_is_elf_file(const char *path)
{
	FILE *f = fopen(path, "rbe");
	char magic[4] = { 0 };
	bool elf;

	if (!f)
		return false;
	elf = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);
	fclose(f);
	return elf;
}

static int obj_fail(struct bk_cli *cli, const char *file, const struct bk_diag *d, int err)
{
	char where[400];

	if (d->msg[0])
		return bk_cli_report(cli, bk_diag_format(d, where, sizeof(where)));
	return bk_cli_fail(cli, "%s: %s", file, strerror(err));
}

static int setup(struct bk_cli *cli, struct bk_object *obj, int type,
		 const struct bk_cli_maps *maps)
{
	for (size_t i = 0; type >= 0 && i < bk_object_prog_count(obj); i++)
		bk_object_prog_set_type(bk_object_prog_at(obj, i), (enum bk_prog_type)type);
	for (int i = 0; i < maps->n; i++) {
		struct bk_object_map *m = bk_object_map_by_name(obj, maps->names[i]);
		int err = m ? bk_object_map_reuse_fd(m, maps->fds[i]) : -ENOENT;

		if (err)
			return bk_cli_fail(cli, "map name %s: %s", maps->names[i],
					   m ? strerror(-err) : "the object has no map of that name");
	}
	return 0;
}

/* Maps of the object pinned as DIR/NAME. */
static int pin_maps(struct bk_cli *cli, struct bk_object *obj, const char *dir)
{
	char path[4096];

	for (size_t i = 0; i < bk_object_map_count(obj); i++) {
		struct bk_object_map *m = bk_object_map_at(obj, i);
		struct bk_map *map = bk_object_map_map(m);

		if (!map)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, bk_object_map_name(m));
		if (bk_cli_pin_explain(cli, bk_map_fd(map), path))
			return 1;
	}
	return 0;
}

static int pin_progs(struct bk_cli *cli, struct bk_object *obj, const char *path, bool all)
{
	char p[4096];
	int pinned = 0;

	if (all && mkdir(path, 0700) && errno != EEXIST)
		return bk_cli_fail(cli, "mkdir %s: %s", path, strerror(errno));
	for (size_t i = 0; i < bk_object_prog_count(obj); i++) {
		struct bk_object_prog *op = bk_object_prog_at(obj, i);
		struct bk_prog *prog = bk_object_prog_prog(op);

		if (!prog)
			continue; /* autoload off */
		snprintf(p, sizeof(p), "%s/%s", path, bk_object_prog_name(op));
		if (bk_cli_pin_explain(cli, bk_prog_fd(prog), all ? p : path))
			return 1;
		pinned++;
		if (!all)
			break;
	}
	return pinned ? 0 : bk_cli_fail(cli, "the object has no program to pin");
}

int bk_cli_prog_load_elf(struct bk_cli *cli, const char *file, const char *path, bool all,
			 int type, const struct bk_cli_maps *maps, const char *pinmaps)
{
	struct bk_diag d = { 0 };
	struct bk_object *obj = bk_object_open_file(file, BK_OPTS(bk_object_opts, .diag = &d));
	int st, err;

	if (!obj)
		return obj_fail(cli, file, &d, errno);
	st = setup(cli, obj, type, maps);
	if (!st && (err = bk_object_load(obj)) != 0)
		st = obj_fail(cli, file, &d, -err);
	if (!st && pinmaps)
		st = pin_maps(cli, obj, pinmaps);
	if (!st)
		st = pin_progs(cli, obj, path, all);
	bk_object_close(obj);
	return st;
}
