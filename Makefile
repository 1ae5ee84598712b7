# SPDX-License-Identifier: MIT
#
# bpfkit build. Targets:
#   make                 libbpfkit.a, libbpfkit.so, the bpfkit CLI, bpfkit.pc
#   make check [SAN=1]   every test (Criterion); SAN=1 builds with ASan+UBSan
#   make test T=FILE     one test file alone (for development)
#   make bench           benchmarks, one "bench NAME: ..." line each
#   make demo            the end-to-end demo against the running kernel
#   make fuzz            libFuzzer targets (clang), FUZZ_TIME seconds each
#   make lint            clang-tidy and cppcheck
#   make install PREFIX=/usr/local DESTDIR=
# V=1 shows the commands.

VERSION := 0.1.0
SOVERSION := 0
VERSION_NODE := BPFKIT_$(word 1,$(subst ., ,$(VERSION))).$(word 2,$(subst ., ,$(VERSION)))

CC ?= cc
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SAN ?= 0

ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wpointer-arith -Wvla
CSTD := -std=c11 -D_GNU_SOURCE
OPT ?= -O2 -g
CFLAGS_ALL := $(CSTD) $(WARN) $(OPT) -Iinclude $(CFLAGS)
# Full RELRO, as distributions build libbpf: the GOT is read-only and every
# symbol is bound at start-up, not at its first call (which a short-lived
# tool would otherwise pay for inside its first load).
LDFLAGS_ALL := -Wl,-z,relro,-z,now $(LDFLAGS)

ifeq ($(SAN),1)
B := build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Leaks inside the test framework itself only (see the file); ours all count.
export LSAN_OPTIONS := suppressions=$(abspath tests/lsan.supp)
CFLAGS_ALL += $(SANFLAGS)
LDFLAGS_ALL += $(SANFLAGS)
else
B := build
endif

LIB_SRCS := $(sort $(shell find src -name '*.c'))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
CLI_SRCS := $(sort $(wildcard cli/*.c))
CLI_OBJS := $(CLI_SRCS:%.c=$(B)/obj/%.o)
TEST_SRCS := $(sort $(shell find tests -name 'test_*.c'))
TEST_LIB_SRCS := $(sort $(wildcard tests/lib/*.c))
TEST_OBJS := $(TEST_SRCS:%.c=$(B)/obj/%.o) $(TEST_LIB_SRCS:%.c=$(B)/obj/%.o)
BENCH_SRCS := $(sort $(wildcard bench/bench_*.c))
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(B)/bench/%)
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
EXAMPLE_SRCS := $(sort $(wildcard examples/*.c))
EXAMPLE_BINS := $(EXAMPLE_SRCS:examples/%.c=$(B)/examples/%)

STATIC_LIB := $(B)/libbpfkit.a
SHARED_LIB := $(B)/libbpfkit.so.$(VERSION)
CLI := $(B)/bpfkit
TESTS := $(B)/tests/bk_tests
DEMO := $(B)/demo

.PHONY: all lib check test bench demo fuzz lint install clean deps deps-test deps-bench deps-demo \
	check-layers check-headers check-docs check-version elf-corpus
.DELETE_ON_ERROR:

COMPLETION := $(B)/completion/bpfkit $(B)/completion/_bpfkit

all: lib $(CLI) $(B)/bpfkit.pc $(COMPLETION)

# Shell completion (bash, zsh) is generated from the CLI's command table.
$(COMPLETION) &: cli/commands.def scripts/gen-completion
	$(Q)scripts/gen-completion cli/commands.def $(B)/completion

lib: check-version $(STATIC_LIB) $(SHARED_LIB)

# Every library object is position independent, so one set serves the .a and
# the .so: on x86-64 and arm64 the cost of -fPIC is negligible, and building
# once halves compile time.
$(B)/obj/src/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(STATIC_LIB): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJS) bpfkit.map
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libbpfkit.so.$(SOVERSION) -Wl,--version-script=bpfkit.map \
		-Wl,--no-undefined $(LDFLAGS_ALL) $(LIB_OBJS) -o $@
	$(Q)ln -sf libbpfkit.so.$(VERSION) $(B)/libbpfkit.so.$(SOVERSION)
	$(Q)ln -sf libbpfkit.so.$(SOVERSION) $(B)/libbpfkit.so

$(CLI): $(CLI_OBJS) $(STATIC_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) $(CLI_OBJS) $(STATIC_LIB) -o $@

$(B)/bpfkit.pc: bpfkit.pc.in Makefile
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# The exported-symbol map must carry a node for the version being built.
check-version:
	@grep -q '^$(VERSION_NODE) ' bpfkit.map || \
		{ echo "bpfkit.map has no node $(VERSION_NODE) for version $(VERSION)"; exit 1; }

check-layers:
	$(Q)scripts/check-layers

# Every public header alone, as C11 (gcc, clang) and C++11 (g++, clang++).
check-headers:
	$(Q)scripts/check-headers

# Man pages and completion cover every command; the README shows examples/.
check-docs: $(COMPLETION)
	$(Q)scripts/check-docs $(B)/completion

deps:
	$(Q)scripts/install-deps build

deps-test:
	$(Q)scripts/install-deps test

deps-bench:
	$(Q)scripts/install-deps bench

deps-demo:
	$(Q)scripts/install-deps demo

# ---- tests ----------------------------------------------------------------
$(TESTS): $(TEST_OBJS) $(STATIC_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) $(TEST_OBJS) $(STATIC_LIB) -lcriterion -o $@

# The CLI is tested through its binary, so tests find it here; the README's
# examples (examples/*.c) are built and run by tests/examples.
export BK_CLI := $(abspath $(CLI))
export BK_EXAMPLES := $(abspath $(B)/examples)

$(B)/examples/%: examples/%.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $< $(STATIC_LIB) $(LDFLAGS_ALL) -o $@
export BK_SRCDIR := $(abspath .)

check: deps-test
	$(Q)$(MAKE) --no-print-directory all $(TESTS) $(EXAMPLE_BINS) elf-corpus \
		check-layers check-headers check-docs
	$(Q)$(TESTS) $(CRITERION_ARGS)

# The ELF loader's corpus: BPF C compiled by clang-19 against libbpf's installed
# headers; CO-RE programs include a vmlinux.h dumped from the running kernel's BTF.
# libbpf_ref is the tests' reference loader (libbpf); the library never links it.
BPF_CLANG ?= clang-19
BPF_ARCH := $(subst x86_64,x86,$(subst aarch64,arm64,$(shell uname -m)))
ELF_PROG_SRCS := $(sort $(wildcard tests/elf/progs/*.bpf.c))
ELF_CORPUS := $(ELF_PROG_SRCS:tests/elf/progs/%.bpf.c=$(B)/tests/elf/progs/%.bpf.o)
LIBBPF_REF := $(B)/tests/elf/libbpf_ref
export BK_ELF_CORPUS := $(abspath $(B)/tests/elf/progs)
export BK_LIBBPF_REF := $(abspath $(LIBBPF_REF))

$(B)/tests/elf/vmlinux.h:
	@mkdir -p $(@D)
	$(Q)bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(B)/tests/elf/progs/%.bpf.o: tests/elf/progs/%.bpf.c tests/elf/progs/corpus.h $(B)/tests/elf/vmlinux.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BPF     $<")
	$(Q)$(BPF_CLANG) -O2 -g -target bpf -D__TARGET_ARCH_$(BPF_ARCH) \
		-I/usr/include/$(shell uname -m)-linux-gnu -I$(B)/tests/elf \
		-Itests/elf/progs -c $< -o $@

$(LIBBPF_REF): tests/elf/libbpf_ref.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $< -lbpf -o $@

elf-corpus: $(ELF_CORPUS) $(LIBBPF_REF)
	@:

T ?=
# Builds the library and only the given test file, so one module's tests run
# even while another module's tests are being written; the CLI is built when
# it can be (CLI tests need it).
test: deps-test lib
	@test -n "$(T)" || { echo "usage: make test T=tests/<layer>/test_<module>.c"; exit 2; }
	-$(Q)$(MAKE) --no-print-directory $(CLI) $(EXAMPLE_BINS)
	$(if $(filter tests/elf/% tests/cli/%,$(T)),$(Q)$(MAKE) --no-print-directory elf-corpus)
	@mkdir -p $(B)/tests
	$(Q)$(CC) $(CFLAGS_ALL) $(T) $(TEST_LIB_SRCS) $(STATIC_LIB) -lcriterion $(LDFLAGS_ALL) \
		-o $(B)/tests/one-$(notdir $(basename $(T)))
	$(Q)$(B)/tests/one-$(notdir $(basename $(T))) $(CRITERION_ARGS)

# ---- benchmarks, demo, fuzzing, lint --------------------------------------
$(B)/bench/%: bench/%.c $(STATIC_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) -O2 $< $(STATIC_LIB) $(LDFLAGS_ALL) -lbpf -lelf -lz -o $@

# The total (build and runs) is printed last; it should stay under 5 minutes.
bench: deps-bench
	$(Q)set -e; t0=$$(date +%s); $(MAKE) --no-print-directory all $(BENCH_BINS) $(B)/tests/elf/progs/minimal.bpf.o; \
		for b in $(BENCH_BINS); do $$b; done; \
		echo "make bench: total $$(( $$(date +%s) - t0 )) s"

DEMO_SRCS := $(sort $(wildcard demo/*.c))
$(DEMO): $(DEMO_SRCS) demo/demo.h $(STATIC_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(DEMO_SRCS) $(STATIC_LIB) $(LDFLAGS_ALL) -o $@

# The demo's C program, built with bpfkit's own BPF-side headers.
DEMO_BPF := $(B)/demo-bpf/xdp_proto.bpf.o
$(DEMO_BPF): demo/bpf/xdp_proto.bpf.c $(wildcard include/bpfkit/bpf/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  BPF     $<")
	$(Q)clang-19 -O2 -g -target bpf -I/usr/include/$(shell uname -m)-linux-gnu -Iinclude -c $< -o $@

demo: deps-demo
	$(Q)$(MAKE) --no-print-directory all $(DEMO) $(DEMO_BPF)
	$(Q)$(DEMO) $(DEMO_BPF)

FUZZ_TIME ?= 20
FUZZ_CC ?= clang
FUZZ_FLAGS := $(CSTD) -g -O1 -Iinclude -fsanitize=fuzzer,address,undefined
fuzz:
	$(Q)scripts/install-deps fuzz
	@mkdir -p build-fuzz
	$(Q)set -e; for f in $(FUZZ_SRCS); do \
		n=$$(basename $$f .c); \
		$(FUZZ_CC) $(FUZZ_FLAGS) $$f $(LIB_SRCS) -o build-fuzz/$$n; \
		mkdir -p build-fuzz/corpus-$$n; \
		seeds=fuzz/corpus/$${n#fuzz_}; [ -d $$seeds ] || seeds=; \
		build-fuzz/$$n -max_total_time=$(FUZZ_TIME) build-fuzz/corpus-$$n $$seeds; \
	done

lint:
	$(Q)scripts/lint

# ---- install ----------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/bpfkit $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 include/bpfkit/*.h include/bpfkit/*.def $(DESTDIR)$(INCLUDEDIR)/bpfkit/
	install -d $(DESTDIR)$(INCLUDEDIR)/bpfkit/bpf $(DESTDIR)$(INCLUDEDIR)/bpfkit/compat/bpf
	install -m 644 include/bpfkit/bpf/*.h $(DESTDIR)$(INCLUDEDIR)/bpfkit/bpf/
	install -m 644 include/bpfkit/compat/bpf/*.h $(DESTDIR)$(INCLUDEDIR)/bpfkit/compat/bpf/
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libbpfkit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libbpfkit.so.$(SOVERSION)
	ln -sf libbpfkit.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libbpfkit.so
	install -m 644 $(B)/bpfkit.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(DATADIR)/zsh/site-functions
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 $(B)/completion/bpfkit $(DESTDIR)$(DATADIR)/bash-completion/completions/
	install -m 644 $(B)/completion/_bpfkit $(DESTDIR)$(DATADIR)/zsh/site-functions/

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
