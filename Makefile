# motcua — the two commands of the README:
#   make run    install what is missing, build, create the database, serve
#   make test   install what is missing, build, run the whole suite (plain,
#               under AddressSanitizer + UndefinedBehaviorSanitizer, under
#               ThreadSanitizer, the in-process tests under valgrind, the
#               PostgreSQL tests on a throw-away cluster, the fault test
#               on a PostgreSQL + HAProxy cluster, and every fuzzer for
#               FUZZ_SECONDS)
# Other targets: build, db, check (source rules), bench, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 15
DB         ?= var/motcua.db
PG_PORT    ?= 25432
JOBS       ?= $(shell nproc)
CTEST      = ctest --output-on-failure -j $(JOBS) -LE cluster

.PHONY: all setup setup-npm build db run test test-plain test-asan test-tsan test-valgrind \
	test-pg test-pg-asan test-pg-tsan test-cluster test-fuzz check \
	bench clean

all: build

setup:
	@scripts/setup.sh

# The npm packages the tests use (the VNeID sign-in's OpenID provider).
setup-npm:
	@scripts/setup-npm.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)

# Creates the database and seeds the demo province once (motcua demo does
# nothing but print the accounts when the database already has data).
db: build
	@./$(BUILD)/motcua migrate --db $(DB)
	@./$(BUILD)/motcua demo --db $(DB)

# The demo's SMS (citizens' one-time codes too) go to var/sms.log, not to
# a gateway: a citizen of a demo dossier signs in with the code found there.
# Fees are shown with the VietQR code of a demo account (not a real one).
run: db
	@echo "motcua: serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
	@echo "motcua: demo SMS, one-time codes included, are written to var/sms.log"
	@exec ./$(BUILD)/motcua serve --db $(DB) --listen 127.0.0.1:8080 \
		--sms-url file:var/sms.log --payment-bank-bin 970436 \
		--payment-account 0000123456789 \
		--payment-account-name "TAI KHOAN DEMO MOTCUA"

check:
	@scripts/checksrc.sh

test: build setup-npm test-plain test-asan test-tsan test-valgrind test-pg test-pg-asan \
	test-pg-tsan test-cluster test-fuzz

test-plain: build setup-npm
	@cd $(BUILD) && $(CTEST)

test-asan: setup setup-npm
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
		-DMC_SANITIZE=address,undefined >/dev/null
	@cmake --build $(ASAN_BUILD)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(CTEST)

# Data races between the event loops, the workers and the writer.
test-tsan: setup setup-npm
	@cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DMC_SANITIZE=thread >/dev/null
	@cmake --build $(TSAN_BUILD)
	@cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp \
		$(CTEST) -E 'test_lunar|checksrc'

# Memory errors the sanitizers cannot see (inside uninstrumented libraries).
test-valgrind: build
	@scripts/valgrind-tests.sh $(BUILD)

# The same API tests on PostgreSQL 15 (initdb/pg_ctl in build/pg-tmp), also
# with the sanitizers (after test-asan and test-tsan have built them).
test-pg: build setup-npm
	@scripts/pg-test.sh $(BUILD) $(PG_PORT)

test-pg-asan: test-asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		scripts/pg-test.sh $(ASAN_BUILD) $(PG_PORT)

test-pg-tsan: test-tsan
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp \
		scripts/pg-test.sh $(TSAN_BUILD) $(PG_PORT)

# A motcua killed during intake behind HAProxy (scripts/cluster-up).
test-cluster: build
	@cd $(BUILD) && ctest --output-on-failure -L cluster

# Every fuzzer for FUZZ_SECONDS on a copy of its corpus, built with clang,
# libFuzzer, ASan and UBSan (docs/fuzzing.md); any finding fails.
test-fuzz: setup
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: setup
	@scripts/setup.sh bench
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
