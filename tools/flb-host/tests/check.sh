#!/usr/bin/env bash
# check.sh - end-to-end checks of flb-host against the C test plugins
# (testplugin/testplugin.c).  Run by `make check` after building
# build/flb-host and build/testplugin.so.
#
# The test plugin appends one line per callback to $TP_OUT, so each check
# runs the host and then looks at that file, the host's stdout/stderr and
# its exit status.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
HOST="$ROOT/build/flb-host"
TP="$ROOT/build/testplugin.so"
# The real Fluent Bit chunks, shared with the .NET tests.
DATA="$HERE/../../../tests/vectors"
T=$(mktemp -d "${TMPDIR:-/tmp}/flb-host-check.XXXXXX")
trap 'rm -rf "$T"' EXIT
ulimit -c 0

PASS=0
FAIL=0
CURRENT=""

section() { CURRENT="$1"; }
ok()      { PASS=$((PASS + 1)); }
bad() {
    FAIL=$((FAIL + 1))
    echo "FAIL [$CURRENT] $*"
    if [ -n "${VERBOSE:-}" ]; then
        echo "--- stdout"; cat "$T/stdout" 2>/dev/null
        echo "--- stderr"; cat "$T/stderr" 2>/dev/null
        echo "--- plugin"; cat "$T/out" 2>/dev/null
    fi
}

# run ARGS... : the host with the test plugin's files reset; sets $rc
run() {
    rm -f "$T/out"
    TP_OUT="$T/out" timeout -k 5 20 "$HOST" "$@" \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
}

# on a wrong status, the run's stderr (valgrind's report, the host's message) is shown: a CI log must say why
expect_rc() {
    if [ "$rc" -eq "$1" ]; then ok; else bad "exit status $rc, expected $1"; sed -n '1,40s/^/    | /p' "$T/stderr" 2>/dev/null; fi
}
# has FILE TEXT : a line of FILE contains TEXT (fixed string)
has()   { if grep -qF -- "$2" "$T/$1" 2>/dev/null; then ok; else bad "$1 lacks: $2"; fi; }
hasnt() { if grep -qF -- "$2" "$T/$1" 2>/dev/null; then bad "$1 has: $2"; else ok; fi; }
# count FILE REGEX N
count() {
    local n
    n=$(grep -cE -- "$2" "$T/$1" 2>/dev/null)
    if [ "$n" -eq "$3" ]; then ok; else bad "$1: $n lines match /$2/, expected $3"; fi
}
# same WHAT GOT EXPECTED
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }
# the callbacks, in order, collapsed: "register init flush ..."
sequence() { awk '{print $1 ":" $2}' "$T/out" | uniq | tr '\n' ' ' | sed 's/ $//'; }
# wait_for FILE TEXT SECONDS
wait_for() {
    local i=0 limit=$(( $3 * 20 ))
    while [ $i -lt $limit ]; do
        grep -qF -- "$2" "$T/$1" 2>/dev/null && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

NCPU=$(getconf _NPROCESSORS_ONLN)

# --------------------------------------------------------------------------
section "usage"
run -h;                                           expect_rc 0; has stdout "usage: flb-host"
run;                                              expect_rc 2; has stderr "no plugin given"
run -e "$TP" --chunks "$DATA/cpu";                expect_rc 2; has stderr "no output instance"
run -e "$TP" -o testout;                          expect_rc 2; has stderr "no source given"
run -e "$TP" -p a=b -o testout --chunks "$DATA/cpu"; expect_rc 2; has stderr "must follow an -o"
run -e "$TP" -o testout -p novalue --chunks "$DATA/cpu"; expect_rc 2; has stderr "expected key=value"
run -e "$TP" -o testout --chunks "$DATA/cpu" --cpu; expect_rc 2; has stderr "only one source"
run -e "$TP" -o testout --cpu --repeat 2;         expect_rc 2; has stderr "--repeat and --rate only apply"
run -e "$TP" -o testout --chunks "$DATA/cpu" --count 2; expect_rc 2; has stderr "only apply to --cpu"
run -e "$TP" -o testout --cpu --interval 0;       expect_rc 2; has stderr "--interval 0"
run -e "$TP" -o testout --cpu --interval abc;     expect_rc 2
run -e "$TP" -o testout --chunks "$DATA/cpu" --stack-size 4096; expect_rc 2; has stderr "--stack-size 4096"
run -e "$TP" -o testout --chunks "$DATA/cpu" --bogus; expect_rc 2; has stderr "unknown option --bogus"
run -e "$TP" -o testout --chunks "$DATA/cpu" -Y;  expect_rc 2; has stderr "unknown option -Y"
run -e "$TP" -o testout --chunks;                 expect_rc 2; has stderr "needs a value"
run -e "$TP" -o testout --chunks "$DATA/cpu" extra; expect_rc 2; has stderr "unexpected argument 'extra'"
# source problems are found before any plugin is loaded
run -e "$TP" -o testout --chunks "$T/missing";    expect_rc 2; has stderr "--chunks $T/missing"
if [ -e "$T/out" ]; then bad "plugin loaded despite a bad source"; else ok; fi
mkdir -p "$T/empty"
run -e "$TP" -o testout --chunks "$T/empty";      expect_rc 2; has stderr "no *.msgpack files"

# --------------------------------------------------------------------------
section "register"
TP_REG_NAME= run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "flb-host: plugin $TP registered no name"
TP_REG_NAME='(null)' run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "flb-host: plugin $TP registered no name"
TP_PREREG_RET=-1 run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "FLBPluginPreRegister returned -1"; hasnt out "register zeroed"
TP_PREREG_RET=1 run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 0
TP_REG_RET=-1 run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "FLBPluginRegister returned -1"
run -e /etc/hostname -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "cannot load plugin /etc/hostname"
run -e "$TP" -o nope --chunks "$DATA/cpu"
expect_rc 2; has stderr "no loaded plugin registered the name 'nope'"
hasnt out "init"
cp "$TP" "$T/copy.so"
run -e "$TP" -e "$T/copy.so" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "registered the name 'testout', already registered by $TP"
TP_REG_NAME=custom_name run -e "$TP" -o CUSTOM_NAME --chunks "$DATA/cpu"
expect_rc 0; has stderr "output custom_name.0: flushes=4"

# --------------------------------------------------------------------------
section "lifecycle"
run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 0
same "callback order" "$(sequence)" \
    "testout:preregister testout:register testout:init testout:prerun testout:flush testout:preexit testout:exit testout:unregister testout:unload"
has out "testout register zeroed=1 main=1"
has out "testout init id=0 name=testout main=1 ctx_null=0 remote_null=1"
has out "testout prerun arg=0 main=1"
has out "testout preexit arg=0 main=1"
has out "testout exit id=0 main=1 flushes=4 max_inflight=1"
count out "flush .* main=0 " 4
same "stdout" "$(cat "$T/stdout")" "flb-host: started"
has stderr "flb-host: output testout.0: flushes=4 ok=4 error=0 retry=0 records=4"

# --------------------------------------------------------------------------
section "properties"
run -e "$TP" -o testout \
    -p get=Workers,log_level,host,port,tls,tls.verify,tls.ca_file,match,match_regex,alias,log_suppress_interval,retry_limit,storage.total_limit_size,net.keepalive,ipv6 \
    -p workers=1 -p log_level=info -p host=h -p port=1 -p tls=on -p tls.verify=off \
    -p tls.ca_file=/x -p match='*' -p match_regex=.* -p alias=a -p log_suppress_interval=1 \
    -p retry_limit=1 -p storage.total_limit_size=1M -p net.keepalive=on -p ipv6=on \
    --chunks "$DATA/cpu"
expect_rc 0
for k in Workers log_level host port tls tls.verify tls.ca_file match match_regex alias \
         log_suppress_interval retry_limit storage.total_limit_size net.keepalive ipv6; do
    has out "prop id=0 $k=(null)"
done
run -e "$TP" -o testout -p get=FOO,foo,empty,env,missing,http_port,twice \
    -p Foo=bar -p empty= -p 'env=x-${TP_CHECK_VAR}' -p http_port=2021 -p twice=first -p TWICE=second \
    --chunks "$DATA/cpu"
expect_rc 0
has out "prop id=0 FOO=bar"
has out "prop id=0 foo=bar"
has out "prop id=0 empty=(null)"
has out "prop id=0 env=x-\${TP_CHECK_VAR}"
has out "prop id=0 missing=(null)"
has out "prop id=0 http_port=2021"
has out "prop id=0 twice=first"
# each instance sees its own properties
run -e "$TP" -o testout -p id=a -p get=k -p k=1 -o testout -p id=b -p get=k -p k=2 --chunks "$DATA/cpu"
expect_rc 0; has out "prop id=a k=1"; has out "prop id=b k=2"

# --------------------------------------------------------------------------
section "proxy def size"
# --proxy-def-size 40: the def of Fluent Bit 5.0.0-5.1.0 (no config_map),
# ending where a PROT_NONE page begins
echo "note: the shell reports two 'Segmentation fault's below; they are expected (config_map past a 40-byte def)"
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size 40 --chunks "$DATA/cpu"
same "writing config_map past a 40-byte def kills with SIGSEGV" "$rc" "139"
hasnt out "init id="
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size=40 --chunks "$DATA/cpu"
same "--proxy-def-size=40 too" "$rc" "139"
run -e "$TP" -o testout -p id=a --proxy-def-size 40 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"; has out "init id=a"; has stderr "output testout.0: flushes=4 ok=4"
has out "unregister name=testout"
# 48, the default, has room for it
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size 48 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"
# --proxy-def-size 32: the def up to Fluent Bit 4.1 (no event_type either)
echo "note: the shell reports two more 'Segmentation fault's below; they are expected (event_type and config_map past a 32-byte def)"
TESTPLUGIN_WRITE_EVENT_TYPE=1 run -e "$TP" -o testout --proxy-def-size 32 --chunks "$DATA/cpu"
same "writing event_type past a 32-byte def kills with SIGSEGV" "$rc" "139"
hasnt out "init id="
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size 32 --chunks "$DATA/cpu"
same "writing config_map past a 32-byte def kills with SIGSEGV" "$rc" "139"
run -e "$TP" -o testout -p id=a --proxy-def-size 32 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"; has out "init id=a"
# 40 has room for event_type
TESTPLUGIN_WRITE_EVENT_TYPE=1 run -e "$TP" -o testout --proxy-def-size 40 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"
run -e "$TP" -o testout --proxy-def-size 41 --chunks "$DATA/cpu"
expect_rc 2; has stderr "flb-host: --proxy-def-size 41: expected 48 (Fluent Bit 5.1.1), 40 (Fluent Bit 4.2.0 to 5.1.0) or 32 (Fluent Bit up to 4.1) (try -h)"
hasnt out "register"
run -e "$TP" -o testout --proxy-def-size x --chunks "$DATA/cpu"
expect_rc 2; has stderr "--proxy-def-size x: expected 48"

# --------------------------------------------------------------------------
section "the version a plugin reads"
# a plugin tells which Fluent Bit loaded it by the exported loader symbol and
# the executable's --version (the C# runtime's reading of it is checked by
# DefinitionSizeHostTests); the host exports only that one symbol
nm -D --defined-only "$HOST" | awk '$2 == "T" { print $3 }' >"$T/exports"
same "the host exports only flb_plugin_proxy_register" "$(cat "$T/exports")" "flb_plugin_proxy_register"
same "--version without a parent models 5.1.1" "$(env -u FLB_HOST_FLUENT_BIT_VERSION "$HOST" --version)" "Fluent Bit v5.1.1 (flb-host)"
same "--version with a parent's" "$(FLB_HOST_FLUENT_BIT_VERSION=1.9.10 "$HOST" --version)" "Fluent Bit v1.9.10 (flb-host)"
run -e "$TP" -o testout --fluent-bit-version 5.1 --chunks "$DATA/cpu"
expect_rc 2; has stderr "--fluent-bit-version 5.1: expected X.Y.Z"

# --------------------------------------------------------------------------
section "workers and coroutines"
# flush threads: never the main thread, never on the thread's own stack,
# one reused coroutine stack per thread
distinct_tids() { grep -F "flush id=$1 " "$T/out" | sed 's/.* tid=//' | sort -u | wc -l; }
distinct_sp_per_tid() { grep -F " flush " "$T/out" | sed 's/.* sp=\([^ ]*\) tid=\(.*\)/\2 \1/' | sort -u | awk '{print $1}' | uniq -d | wc -l; }
run -e "$TP" -o testout -p flush_sleep_ms=20 --chunks "$DATA/cpu" --repeat 2
expect_rc 0
has out "exit id=0 main=1 flushes=8 max_inflight=1"
same "workers=0 threads" "$(distinct_tids 0)" "1"
count out "on_thread_stack=1" 0
count out "on_thread_stack=0" 8
same "one stack per thread" "$(distinct_sp_per_tid)" "0"
run -e "$TP" -o testout -p workers=2 -p flush_until_inflight=2 --chunks "$DATA/cpu"
expect_rc 0
has out "exit id=0 main=1 flushes=4 max_inflight=2"
same "workers=2 threads" "$(distinct_tids 0)" "2"
count out "flush .* main=1 " 0
count out "on_thread_stack=0" 4
same "one stack per worker" "$(distinct_sp_per_tid)" "0"
run -e "$TP" -o testout -p workers=4 -p flush_until_inflight=4 --chunks "$DATA/cpu" --repeat 2
expect_rc 0; has out "flushes=8 max_inflight=4"; same "workers=4 threads" "$(distinct_tids 0)" "4"
# two instances flush concurrently, each on its own thread(s)
run -e "$TP" -o testout -p id=a -p flush_until_all_inflight=2 -o testout -p id=b -p flush_until_all_inflight=2 --chunks "$DATA/cpu"
expect_rc 0
has out "exit id=a main=1 flushes=4 max_inflight=1 all_max_inflight=2"
a_tid=$(grep -F "flush id=a " "$T/out" | sed 's/.* tid=//' | sort -u)
b_tid=$(grep -F "flush id=b " "$T/out" | sed 's/.* tid=//' | sort -u)
if [ -n "$a_tid" ] && [ "$a_tid" != "$b_tid" ]; then ok; else bad "instances share a flush thread"; fi
run -e "$TP" -o testout -p workers=-1 --chunks "$DATA/cpu"
expect_rc 2; has stderr "output testout.0: invalid workers '-1'"
run -e "$TP" -o testout -p workers=two --chunks "$DATA/cpu"
expect_rc 2

# --------------------------------------------------------------------------
section "stack size"
echo "note: the shell reports two 'Segmentation fault's below; they are expected (stack overflow checks)"
run -e "$TP" -o testout -p stack_probe=12000 --stack-size 24576 --chunks "$DATA/cpu"
expect_rc 0
run -e "$TP" -o testout -p stack_probe=40000 --stack-size 24576 --chunks "$DATA/cpu"
same "24 KiB stack overflow kills with SIGSEGV" "$rc" "139"
run -e "$TP" -o testout -p stack_probe=40000 --chunks "$DATA/cpu"
expect_rc 0
run -e "$TP" -o testout -p stack_probe=100000 --chunks "$DATA/cpu"
same "64 KiB stack overflow kills with SIGSEGV" "$rc" "139"
run -e "$TP" -o testout -p stack_probe=100000 --stack-size 262144 --chunks "$DATA/cpu"
expect_rc 0
run -e "$TP" -o testout -p workers=2 -p stack_probe=12000 --stack-size 24576 --chunks "$DATA/cpu"
expect_rc 0

# --------------------------------------------------------------------------
section "exit codes"
run -e "$TP" -o testout -p flush_ret=0 --chunks "$DATA/cpu"
expect_rc 1; has stderr "output testout.0: flushes=4 ok=0 error=4 retry=0 records=4"
run -e "$TP" -o testout -p flush_ret=2 --chunks "$DATA/cpu"
expect_rc 1; has stderr "output testout.0: flushes=4 ok=0 error=0 retry=4 records=4"
run -e "$TP" -o testout -p flush_ret=7 --chunks "$DATA/cpu"
expect_rc 1; has stderr "error=4"; has stderr "flush returned 7"
count stderr "flush returned 7" 1
run -e "$TP" -o testout -p exit_ret=-1 --chunks "$DATA/cpu"
expect_rc 1; has stderr "output testout.0: FLBPluginExitCtx returned -1"
run -e "$TP" -o testout -p exit_ret=1 --chunks "$DATA/cpu"
expect_rc 0
# init failure: exit status 3, nothing flushed, no "started"
run -e "$TP" -o testout -p init_ret=0 --chunks "$DATA/cpu"
expect_rc 3; has stderr "flb-host: init of output 'testout' (instance 0) failed (returned 0)"
hasnt out " flush "; hasnt out "prerun"; hasnt stdout "started"; has out "testout unload"
# second instance fails: the first is shut down like Fluent Bit does
run -e "$TP" -o testout -p id=a -o testout -p id=b -p init_ret=-1 -o testout -p id=c --chunks "$DATA/cpu"
expect_rc 3
has stderr "flb-host: init of output 'testout' (instance 1) failed (returned -1)"
same "shutdown after init failure" "$(sequence)" \
    "testout:preregister testout:register testout:init testout:preexit testout:exit testout:unregister testout:unload"
has out "exit id=a"; hasnt out "exit id=b"; hasnt out "init id=c"
has stderr "output testout.0: flushes=0"; hasnt stderr "output testout.1:"
# one failing instance among good ones
run -e "$TP" -o testout -o testout -p flush_ret=0 --chunks "$DATA/cpu"
expect_rc 1; has stderr "output testout.0: flushes=4 ok=4"; has stderr "output testout.1: flushes=4 ok=0 error=4"

# --------------------------------------------------------------------------
section "several plugins"
run -e "$TP" -o testout -p id=a -o TESTOUT -p id=b --chunks "$DATA/cpu"
expect_rc 0
has stderr "output testout.0: flushes=4 ok=4 error=0 retry=0 records=4"
has stderr "output testout.1: flushes=4 ok=4 error=0 retry=0 records=4"
# per instance: PreExit then ExitCtx, in instance order; then Unregister and
# dlclose per plugin
same "shutdown order" "$(grep -E ' (preexit|exit|unregister|unload)' "$T/out" | awk '{print $1 ":" $2 ":" $3}' | tr '\n' ' ' | sed 's/ $//')" \
    "testout:preexit:arg=0 testout:exit:id=a testout:preexit:arg=0 testout:exit:id=b testout:unregister:name=testout testout:unload:"

# --------------------------------------------------------------------------
section "chunks"
mkdir -p "$T/raw"
TP_RAW_DIR="$T/raw" run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 0
for i in 0 1 2 3; do
    if cmp -s "$DATA/cpu/000$i.msgpack" "$T/raw/000$i.msgpack"; then ok; else bad "chunk 000$i not passed as is"; fi
done
has out "flush id=0 tag=test size=199 events=1"
run -e "$TP" -o testout --chunks "$DATA/types" --tag app.web
expect_rc 0; has stderr "flushes=4 ok=4 error=0 retry=0 records=10"; count out "tag=app.web size=603 events=3" 3
run -e "$TP" -o testout --chunks "$DATA/legacy"
expect_rc 0; has stderr "flushes=2 ok=2 error=0 retry=0 records=4"; hasnt stderr "warning"
run -e "$TP" -o testout --chunks "$DATA/types/0003.msgpack" --repeat 3
expect_rc 0; has stderr "flushes=3 ok=3 error=0 retry=0 records=3"
run -e "$TP" -o testout --chunks "$DATA/cpu" --repeat 0
expect_rc 0; has stderr "flushes=0 ok=0 error=0 retry=0 records=0"; has out "exit id=0"
head -c 250 "$DATA/types/0000.msgpack" > "$T/truncated.msgpack"
run -e "$TP" -o testout --chunks "$T/truncated.msgpack"
expect_rc 0; has stderr "warning: chunk $T/truncated.msgpack: invalid MessagePack at offset"
has out "size=250 events=-1"
# --rate: 14,930 burst records at 10,000 a second take about 1.5 s
t0=$(date +%s%N)
run -e "$TP" -o testout --chunks "$DATA/burst" --repeat 10 --rate 10000
t1=$(date +%s%N)
expect_rc 0; has stderr "flushes=40 ok=40 error=0 retry=0 records=14930"
if [ $(( (t1 - t0) / 1000000 )) -ge 1300 ]; then ok; else bad "--rate 10000 sent 14930 records in $(( (t1 - t0) / 1000000 )) ms"; fi
run -e "$TP" -o testout --cpu --rate 5;           expect_rc 2; has stderr "--repeat and --rate only apply to --chunks"
run -e "$TP" -o testout --chunks "$DATA/cpu" --rate 0; expect_rc 2; has stderr "--rate 0: expected records per second"
# order: sorted by name
mkdir -p "$T/order"; cp "$DATA/types/0003.msgpack" "$T/order/a.msgpack"; cp "$DATA/cpu/0000.msgpack" "$T/order/b.msgpack"
touch "$T/order/ignored.txt"
run -e "$TP" -o testout --chunks "$T/order"
expect_rc 0
same "directory order" "$(grep -F ' flush ' "$T/out" | sed 's/.* size=\([0-9]*\).*/\1/' | tr '\n' ' ')" "201 199 "

# --------------------------------------------------------------------------
section "cpu"
run -e "$TP" -o testout --cpu --interval 0.1 --count 3
expect_rc 0
has stderr "output testout.0: flushes=3 ok=3 error=0 retry=0 records=3"
count out "flush id=0 tag=cpu.local size=[0-9]+ events=1" 3
run -e "$TP" -o testout --cpu --interval 0.05 --count 2 --tag my.cpu
expect_rc 0; count out "tag=my.cpu " 2
# the record's keys in Fluent Bit's order, every value a float64 (cb): with a
# /proc/stat that never changes, every one is 0.0 (the percentages themselves
# are computed in unit.c)
snapshot() {
    local i
    echo "cpu  $((10 * NCPU)) 0 $((10 * NCPU)) 1000 0 0 0 0 0 0"
    for ((i = 0; i < NCPU; i++)); do echo "cpu$i 10 0 10 1000 0 0 0 0 0 0"; done
}
snapshot > "$T/stat"
mkdir -p "$T/cpuraw"
FLB_HOST_PROC_STAT="$T/stat" TP_RAW_DIR="$T/cpuraw" run -e "$TP" -o testout --cpu --interval 0.05 --count 1
expect_rc 0
keys='cpu_p user_p system_p'
for ((i = 0; i < NCPU; i++)); do keys="$keys cpu$i.p_cpu cpu$i.p_user cpu$i.p_system"; done
same "cpu record keys" "$(grep -aoE '(cpu[0-9]+\.p_[a-z]+|[a-z]+_p)' "$T/cpuraw/0000.msgpack" | tr '\n' ' ' | sed 's/ $//')" "$keys"
same "cpu values 0.0" "$(od -An -tx1 -v "$T/cpuraw/0000.msgpack" | tr -d ' \n' | grep -o 'cb0000000000000000' | wc -l)" "$((3 + 3 * NCPU))"
printf 'intr 0\n' > "$T/nostat"
FLB_HOST_PROC_STAT="$T/nostat" run -e "$TP" -o testout --cpu --count 1
expect_rc 2; has stderr "--cpu: cannot read CPU times from $T/nostat"; hasnt out "register"

# --------------------------------------------------------------------------
section "wait"
rm -f "$T/out" "$T/in"
mkfifo "$T/in"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout --chunks "$DATA/cpu" --wait <"$T/in" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 3>"$T/in"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line"; fi
count out " flush " 4
hasnt out "exit id="
if kill -0 "$pid" 2>/dev/null; then ok; else bad "host did not keep running"; fi
exec 3>&-
wait "$pid"; rc=$?
expect_rc 0
same "stdout" "$(cat "$T/stdout")" "$(printf 'flb-host: started\nflb-host: ready')"
has out "exit id=0 main=1 flushes=4"; has stderr "flushes=4 ok=4"
# SIGINT while waiting (stdin stays open)
rm -f "$T/out" "$T/in"
mkfifo "$T/in"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout --chunks "$DATA/cpu" --wait <"$T/in" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 3>"$T/in"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line"; fi
kill -INT "$pid"
wait "$pid"; rc=$?
exec 3>&-
expect_rc 0; has out "exit id=0"; has out "testout unload"
# stdin already at EOF: ready, then exit at once
run -e "$TP" -o testout --chunks "$DATA/cpu" --wait
expect_rc 0; has stdout "flb-host: ready"

# --------------------------------------------------------------------------
section "sighup"
# the host has no hot reload (real Fluent Bit's is checked by RealFluentBit/LifecycleTests):
# a SIGHUP changes nothing, as in Fluent Bit without -Y
rm -f "$T/out" "$T/in"
mkfifo "$T/in"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout --chunks "$DATA/cpu" --wait <"$T/in" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 3>"$T/in"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line"; fi
kill -HUP "$pid"
sleep 0.3
if kill -0 "$pid" 2>/dev/null; then ok; else bad "SIGHUP ended the host"; fi
exec 3>&-
wait "$pid"; rc=$?
expect_rc 0; count out "init id=" 1; hasnt stdout "reloaded"

# --------------------------------------------------------------------------
section "signals"
rm -f "$T/out"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout --cpu --interval 0.05 >"$T/stdout" 2>"$T/stderr" </dev/null &
pid=$!
if wait_for stdout "flb-host: started" 10 && wait_for out " flush " 10; then ok; else bad "cpu source did not start"; fi
kill -TERM "$pid"
wait "$pid"; rc=$?
expect_rc 0
has out "exit id=0 main=1"; has out "testout unload"; has stderr "output testout.0: flushes="
hasnt stdout "ready"
# a stop while a slow flush runs: the flush finishes, the rest is dropped
rm -f "$T/out"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout -p flush_sleep_ms=300 --chunks "$DATA/cpu" --repeat 5 >"$T/stdout" 2>"$T/stderr" </dev/null &
pid=$!
if wait_for out " flush " 10; then ok; else bad "no flush before the stop"; fi
kill -TERM "$pid"
wait "$pid"; rc=$?
expect_rc 0
n=$(grep -c " flush " "$T/out")
if [ "$n" -ge 1 ] && [ "$n" -lt 20 ]; then ok; else bad "$n flushes after a stop"; fi
has stderr "dropped after a stop signal"
has out "exit id=0 main=1 flushes=$n "
# SIGUSR1 ends a paced replay between two chunks: every chunk sent is flushed, the count is printed
rm -f "$T/out" "$T/in3"
mkfifo "$T/in3"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout -p workers=2 --chunks "$DATA/cpu" --repeat 100000 --rate 200 --wait <"$T/in3" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 5>"$T/in3"
if wait_for out " flush " 10; then ok; else bad "no flush before SIGUSR1"; fi
kill -USR1 "$pid"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line after SIGUSR1"; fi
exec 5>&-
wait "$pid"; rc=$?
expect_rc 0
ended=$(grep -oE "^flb-host: input ended records=[0-9]+$" "$T/stdout" | cut -d= -f2)
if [ -n "$ended" ] && [ "$ended" -ge 1 ] && [ "$ended" -lt 400000 ]; then ok; else bad "input ended records='$ended'"; fi
has stderr "output testout.0: flushes=$ended ok=$ended error=0 retry=0 records=$ended"

# --------------------------------------------------------------------------
section "valgrind"
if command -v valgrind >/dev/null 2>&1; then
    rm -f "$T/out"
    TP_OUT="$T/out" valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$HOST" -e "$TP" -o testout -p workers=2 -o testout --chunks "$DATA/cpu" --repeat 2 \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 0
    has stderr "output testout.1: flushes=8 ok=8"
    # the cpu source; and a 40-byte def at the end of its page
    FLB_HOST_PROC_STAT="$T/stat" TP_OUT="$T/out" valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$HOST" -e "$TP" -o testout --cpu --interval 0.05 --count 2 \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 0; has stderr "output testout.0: flushes=2 ok=2"
    TP_OUT="$T/out" valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$HOST" -e "$TP" -o testout --proxy-def-size 40 --chunks "$DATA/cpu" \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 0
elif [ "${FLB_HOST_SKIP_VALGRIND:-0}" = "1" ]; then
    echo "skip [valgrind] FLB_HOST_SKIP_VALGRIND=1"
else
    bad "valgrind is not installed: eng/ensure-deps.sh --tests installs it (FLB_HOST_SKIP_VALGRIND=1 skips this section on purpose)"
fi

# --------------------------------------------------------------------------
echo "check: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
