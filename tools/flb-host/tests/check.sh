#!/usr/bin/env bash
# check.sh - end-to-end checks of flb-host against the C test plugins
# (testplugin/testplugin.c).  Run by `make check` after building
# build/flb-host, build/testplugin.so and build/testplugin-legacy.so.
#
# The test plugin appends one line per callback to $TP_OUT, so each check
# runs the host and then looks at that file, the host's stdout/stderr and
# its exit status.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
HOST="$ROOT/build/flb-host"
TP="$ROOT/build/testplugin.so"
TPL="$ROOT/build/testplugin-legacy.so"
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
    rm -f "$T/out" "$T/dump"
    TP_OUT="$T/out" TP_DUMP="$T/dump" timeout -k 5 20 "$HOST" "$@" \
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
run -e "$TP" -o testout --jsonl - --repeat 2;     expect_rc 2; has stderr "--repeat and --rate only apply"
run -e "$TP" -o testout --cpu --batch 2;          expect_rc 2; has stderr "--batch only applies"
run -e "$TP" -o testout --chunks "$DATA/cpu" --count 2; expect_rc 2; has stderr "only apply to --cpu"
run -e "$TP" -o testout --cpu --interval 0;       expect_rc 2; has stderr "--interval 0"
run -e "$TP" -o testout --cpu --interval abc;     expect_rc 2
run -e "$TP" -o testout --chunks "$DATA/cpu" --stack-size 4096; expect_rc 2; has stderr "--stack-size 4096"
run -e "$TP" -o testout --chunks "$DATA/cpu" --bogus; expect_rc 2; has stderr "unknown option --bogus"
run -e "$TP" -o testout --chunks;                 expect_rc 2; has stderr "needs a value"
run -e "$TP" -o testout --chunks "$DATA/cpu" extra; expect_rc 2; has stderr "unexpected argument 'extra'"
# source problems are found before any plugin is loaded
run -e "$TP" -o testout --chunks "$T/missing";    expect_rc 2; has stderr "--chunks $T/missing"
if [ -e "$T/out" ]; then bad "plugin loaded despite a bad source"; else ok; fi
mkdir -p "$T/empty"
run -e "$TP" -o testout --chunks "$T/empty";      expect_rc 2; has stderr "no *.msgpack files"
run -e "$TP" -o testout --jsonl "$T/missing.jsonl"; expect_rc 2

# --------------------------------------------------------------------------
section "register"
TP_REG_TYPE=1 run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "flb-host: plugin $TP registered type 1, expected 2 (output)"
TP_REG_PROXY=5 run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "flb-host: plugin $TP registered proxy 5, expected 11 (golang)"
TP_REG_NAME= run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "flb-host: plugin $TP registered an empty name"
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
expect_rc 2; has stderr "no loaded plugin registered the name 'nope' (registered: testout)"
hasnt out "init"
cp "$TP" "$T/copy.so"
run -e "$TP" -e "$T/copy.so" -o testout --chunks "$DATA/cpu"
expect_rc 2; has stderr "registered the name 'testout', already registered by $TP"
TP_REG_NAME=custom_name run -e "$TP" -o CUSTOM_NAME --chunks "$DATA/cpu"
expect_rc 0; has stderr "output custom_name.0: flushes=4"

# --------------------------------------------------------------------------
section "lifecycle"
run -e "$TP" -o testout -p check_api=1 --chunks "$DATA/cpu"
expect_rc 0
same "callback order" "$(sequence)" \
    "testout:preregister testout:register testout:init testout:prerun testout:flush testout:preexit testout:exit testout:unregister testout:unload"
has out "testout register zeroed=1 main=1"
has out "testout init id=0 name=testout main=1 ctx_null=0 remote_null=1"
has out "testout prerun arg=0 main=1"
has out "testout preexit arg=0 main=1"
has out "testout exit id=0 main=1 flushes=4 max_inflight=1"
count out "flush .* main=0 " 4
hasnt out "api-unexpected"
same "stdout" "$(cat "$T/stdout")" "flb-host: started"
has stderr "flb-host: output testout.0: flushes=4 ok=4 error=0 retry=0 records=4"

# --------------------------------------------------------------------------
section "properties"
export TP_CHECK_VAR=from-env
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
has out "prop id=0 env=x-from-env"
has out "prop id=0 missing=(null)"
has out "prop id=0 http_port=2021"
has out "prop id=0 twice=first"
# each instance sees its own properties
run -e "$TP" -o testout -p id=a -p get=k -p k=1 -o testout -p id=b -p get=k -p k=2 --chunks "$DATA/cpu"
expect_rc 0; has out "prop id=a k=1"; has out "prop id=b k=2"

# --------------------------------------------------------------------------
section "log levels"
run -e "$TP" -o testout -p log=1 --chunks "$DATA/cpu"
expect_rc 0
has out "logcheck id=0 1=1 2=1 3=1 4=0 5=0"
has stderr "[error] [testout] level 1 from instance 0"
has stderr "[warn] [testout] level 2 from instance 0"
has stderr "[info] [testout] level 3 from instance 0"
hasnt stderr "[debug]"
run -e "$TP" -o testout -p log=1 -p log_level=debug --chunks "$DATA/cpu"
expect_rc 0; has out "logcheck id=0 1=1 2=1 3=1 4=1 5=0"; has stderr "[debug] [testout] level 4"; hasnt stderr "[trace]"
run -e "$TP" -o testout -p log=1 -p Log_Level=TRACE --chunks "$DATA/cpu"
expect_rc 0; has out "logcheck id=0 1=1 2=1 3=1 4=1 5=1"; has stderr "[trace] [testout] level 5"
run -e "$TP" -o testout -p log=1 -p log_level=warning --chunks "$DATA/cpu"
expect_rc 0; has out "logcheck id=0 1=1 2=1 3=0 4=0 5=0"
run -e "$TP" -o testout -p log=1 -p log_level=error --chunks "$DATA/cpu"
expect_rc 0; has out "logcheck id=0 1=1 2=0 3=0 4=0 5=0"
run -e "$TP" -o testout -p log=1 -p log_level=off --chunks "$DATA/cpu"
expect_rc 0; has out "logcheck id=0 1=0 2=0 3=0 4=0 5=0"; hasnt stderr "[error]"
run -e "$TP" -o testout -p log_level=loud --chunks "$DATA/cpu"
expect_rc 2; has stderr "output testout.0: invalid log_level 'loud'"; hasnt out "init"
# per instance
run -e "$TP" -o testout -p id=a -p log=1 -o testout -p id=b -p log=1 -p log_level=debug --chunks "$DATA/cpu"
expect_rc 0; has out "logcheck id=a 1=1 2=1 3=1 4=0"; has out "logcheck id=b 1=1 2=1 3=1 4=1"

# --------------------------------------------------------------------------
section "config map"
# A plugin may register def->config_map (Fluent Bit 5.1.1). The host reads
# the plugin's own array at each instance and checks the properties the way
# Fluent Bit does before FLBPluginInit, with Fluent Bit's messages.
ALLOWED="The following properties are allowed: id, init_ret, get, label, header., verbose, and old_key."
export TESTPLUGIN_CONFIG_MAP=1
run -e "$TP" -o testout -p id=a --chunks "$DATA/cpu"
expect_rc 0; has stderr "flb-host: plugin testout registered a config map of 7 keys"
has out "register zeroed=1"; has out "config_map variant=1 registered=1"; has out "init id=a"
has stderr "output testout.0: flushes=4 ok=4"; hasnt stderr "[error]"
# an unknown key: Fluent Bit's message, status 3, Init not called
run -e "$TP" -o testout -p id=a -p Bogus=1 --chunks "$DATA/cpu"
expect_rc 3
has stderr "[error] [config] testout: unknown configuration property 'bogus'. $ALLOWED"
has stderr "[help] try the command: fluent-bit -o testout -h"
has stderr "flb-host: init of output 'testout' (instance 0) failed: rejected by the plugin's config map (FLBPluginInit not called)"
hasnt out "init id="; hasnt stdout "started"; has out "unregister name=testout"
# the keys Fluent Bit keeps for itself never reach the map ...
run -e "$TP" -o testout -p id=a -p workers=2 -p match='*' -p log_level=info -p host=h -p port=1 \
    -p retry_limit=1 -p tls.ca_file=/x -p net.keepalive=on -p alias=x -p active=true --chunks "$DATA/cpu"
expect_rc 0; has out "init id=a"; hasnt stderr "[error]"
# ... but most of them only with a value: an empty one lands in the properties
run -e "$TP" -o testout -p workers= --chunks "$DATA/cpu"
expect_rc 3; has stderr "[error] [config] testout: unknown configuration property 'workers'. $ALLOWED"
# a tls.* key Fluent Bit does not know is the plugin's
run -e "$TP" -o testout -p tls.foo=1 --chunks "$DATA/cpu"
expect_rc 3; has stderr "unknown configuration property 'tls.foo'"
# keys match case-insensitively (and Init still reads them)
run -e "$TP" -o testout -p ID=a -p Init_Ret=1 -p VERBOSE=on --chunks "$DATA/cpu"
expect_rc 0; has out "init id=a"
# a repeated key is refused unless its entry has FLB_CONFIG_MAP_MULT
run -e "$TP" -o testout -p id=a -p ID=b --chunks "$DATA/cpu"
expect_rc 3; has stderr "[error] [config] testout: configuration property 'id' is set 2 times"
has stderr "[help] try the command: fluent-bit -o testout -h"; hasnt out "init id="
run -e "$TP" -o testout -p label=a -p Label=b -p label=c --chunks "$DATA/cpu"
expect_rc 0; hasnt stderr "[error]"
# a prefixed entry matches longer keys only; a deprecated one warns
run -e "$TP" -o testout -p header.x=1 -p header.y=2 -p old_key=1 --chunks "$DATA/cpu"
expect_rc 0; has stderr "[warn] [config] testout: 'old_key' is deprecated"
run -e "$TP" -o testout -p header.=1 --chunks "$DATA/cpu"
expect_rc 3; has stderr "[error] [config] incomplete prefixed key 'header.'"
has stderr "[error] [config] testout: unknown configuration property 'header.'. $ALLOWED"
# the second of three instances is rejected: the first is shut down, the third never starts
run -e "$TP" -o testout -p id=a -o testout -p id=b -p bogus=1 -o testout -p id=c --chunks "$DATA/cpu"
expect_rc 3
has stderr "flb-host: init of output 'testout' (instance 1) failed: rejected by the plugin's config map"
has out "exit id=a"; hasnt out "init id=b"; hasnt out "init id=c"
# the list of a single key; a map of no keys accepts only what Fluent Bit diverts
TESTPLUGIN_CONFIG_MAP=one run -e "$TP" -o testout -p x=1 --chunks "$DATA/cpu"
expect_rc 3; has stderr "[error] [config] testout: unknown configuration property 'x'. The following properties are allowed: id."
TESTPLUGIN_CONFIG_MAP=empty run -e "$TP" -o testout -p workers=1 --chunks "$DATA/cpu"
expect_rc 0; has stderr "registered a config map of 0 keys"
# defaults Fluent Bit cannot read fail every instance
TESTPLUGIN_CONFIG_MAP=bool_default run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 3; has stderr "[error] [config map] invalid default value for boolean 'verbose=maybe'"
has stderr "[error] [output] error loading config map for 'testout' plugin"; hasnt out "init id="
TESTPLUGIN_CONFIG_MAP=prefix_default run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 3; has stderr "[error] [config map] invalid default value for prefixed string 'header.'"
# maps the host refuses at registration (status 2, nothing initialised)
for bad in "bad_type:entry 7 ('bad') has unknown type 99" \
           "no_terminator:no terminating entry (name == NULL) after 1024 keys" \
           "set_property:entry 7 ('writes') has set_property 1; it must be 0" \
           "dup_name:entry 7 ('ID') repeats the name of entry 0 ('id')" \
           "empty_name:entry 7 has an empty name" \
           "dynamic_env:entry 7 ('templated') has flags 2; a proxy plugin may set only FLB_CONFIG_MAP_MULT (1)"; do
    TESTPLUGIN_CONFIG_MAP=${bad%%:*} run -e "$TP" -o testout --chunks "$DATA/cpu"
    expect_rc 2; has stderr "flb-host: plugin $TP registered an invalid config map: ${bad#*:}"
    hasnt out "init id="; hasnt stderr "registered a config map of"
done
unset TESTPLUGIN_CONFIG_MAP
# without a map nothing is checked
run -e "$TP" -o testout -p bogus=1 --chunks "$DATA/cpu"
expect_rc 0; hasnt stderr "config map"
# hot reload: the map is registered again and read again; a map that no longer
# accepts the properties halts the reload, and the old instance keeps running
rm -f "$T/out" "$T/in"
mkfifo "$T/in"
TESTPLUGIN_CONFIG_MAP=1 TESTPLUGIN_CONFIG_MAP_RELOAD=one TP_OUT="$T/out" "$HOST" -e "$TP" -o testout -p id=a -Y \
    --chunks "$DATA/cpu" --wait <"$T/in" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 3>"$T/in"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line"; fi
kill -HUP "$pid"
if wait_for stdout "flb-host: reloaded" 10; then ok; else bad "no reloaded line"; fi
exec 3>&-
wait "$pid"; rc=$?
expect_rc 0; count stderr "registered a config map of 7 keys" 1; count stderr "registered a config map of 1 key$" 1
count out "init id=a" 2; count out "unregister name=testout" 2
rm -f "$T/out" "$T/in"
mkfifo "$T/in"
TESTPLUGIN_CONFIG_MAP=1 TESTPLUGIN_CONFIG_MAP_RELOAD=empty TP_OUT="$T/out" "$HOST" -e "$TP" -o testout -p id=a -Y \
    --chunks "$DATA/cpu" --wait <"$T/in" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 3>"$T/in"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line"; fi
kill -HUP "$pid"
if wait_for stderr "reload halted" 10; then ok; else bad "no reload halted line"; fi
if kill -0 "$pid" 2>/dev/null; then ok; else bad "host did not keep running"; fi
exec 3>&-
wait "$pid"; rc=$?
expect_rc 0
has stderr "[error] [config] testout: unknown configuration property 'id'. The following properties are allowed: "
has stderr "flb-host: reload halted: the properties of output testout.0 do not match the config map $TP registered again; the running instances are kept"
hasnt stdout "reloaded"; count out "init id=a" 1; has out "exit id=a"; count out "unregister name=testout" 2
has stderr "output testout.0: flushes=4 ok=4"

# --------------------------------------------------------------------------
section "proxy def size"
# --proxy-def-size 40: the def of Fluent Bit 5.0.0-5.1.0 (no config_map),
# ending where a PROT_NONE page begins
echo "note: the shell reports two 'Segmentation fault's below; they are expected (config_map past a 40-byte def)"
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size 40 --chunks "$DATA/cpu"
same "writing config_map past a 40-byte def kills with SIGSEGV" "$rc" "139"
hasnt out "init id="
TESTPLUGIN_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size=40 --chunks "$DATA/cpu"
same "registering a map past a 40-byte def kills with SIGSEGV" "$rc" "139"
run -e "$TP" -o testout -p id=a --proxy-def-size 40 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"; has out "init id=a"; has stderr "output testout.0: flushes=4 ok=4"
has out "unregister name=testout"
run -e "$TP" -e "$TPL" -o testout -o testout_legacy --proxy-def-size 40 --chunks "$DATA/cpu"
expect_rc 0; has stderr "output testout_legacy.0: flushes=4 ok=4"
# 48, the default, has room for it
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size 48 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"; hasnt stderr "config map"
# --proxy-def-size 32: the def up to Fluent Bit 4.1 (no event_type either)
echo "note: the shell reports two more 'Segmentation fault's below; they are expected (event_type and config_map past a 32-byte def)"
TESTPLUGIN_WRITE_EVENT_TYPE=1 run -e "$TP" -o testout --proxy-def-size 32 --chunks "$DATA/cpu"
same "writing event_type past a 32-byte def kills with SIGSEGV" "$rc" "139"
hasnt out "init id="
TESTPLUGIN_WRITE_CONFIG_MAP=1 run -e "$TP" -o testout --proxy-def-size 32 --chunks "$DATA/cpu"
same "writing config_map past a 32-byte def kills with SIGSEGV" "$rc" "139"
run -e "$TP" -e "$TPL" -o testout -p id=a -o testout_legacy --proxy-def-size 32 --chunks "$DATA/cpu"
expect_rc 0; has out "register zeroed=1"; has out "init id=a"; has stderr "output testout_legacy.0: flushes=4 ok=4"
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
# the executable's --version; the host exports only that one symbol
nm -D --defined-only "$HOST" | awk '$2 == "T" { print $3 }' >"$T/exports"
same "the host exports only flb_plugin_proxy_register" "$(cat "$T/exports")" "flb_plugin_proxy_register"
same "--version without a parent models 5.1.1" "$(env -u FLB_HOST_FLUENT_BIT_VERSION "$HOST" --version)" "Fluent Bit v5.1.1 (flb-host)"
TP_VERSION_CHILD=1 run -e "$TP" -o testout --proxy-def-size 32 --chunks "$DATA/cpu"
expect_rc 0; has out "version Fluent Bit v4.1.1 (flb-host)"
TP_VERSION_CHILD=1 run -e "$TP" -o testout --proxy-def-size 40 --chunks "$DATA/cpu"
expect_rc 0; has out "version Fluent Bit v5.1.0 (flb-host)"
TP_VERSION_CHILD=1 run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 0; has out "version Fluent Bit v5.1.1 (flb-host)"
TP_VERSION_CHILD=1 run -e "$TP" -o testout --proxy-def-size 32 --fluent-bit-version 1.9.10 --chunks "$DATA/cpu"
expect_rc 0; has out "version Fluent Bit v1.9.10 (flb-host)"
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
count out "on_thread_stack=0 stack_dist=[1-9]" 8
same "one stack per thread" "$(distinct_sp_per_tid)" "0"
run -e "$TP" -o testout -p workers=2 -p flush_until_inflight=2 --chunks "$DATA/cpu"
expect_rc 0
has out "exit id=0 main=1 flushes=4 max_inflight=2"
same "workers=2 threads" "$(distinct_tids 0)" "2"
count out "flush .* main=1 " 0
count out "on_thread_stack=0 stack_dist=[1-9]" 4
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
run -e "$TP" -e "$TPL" -o testout -p id=a -o testout_legacy -p id=L -o TESTOUT -p id=b --chunks "$DATA/cpu"
expect_rc 0
has stderr "output testout.0: flushes=4 ok=4 error=0 retry=0 records=4"
has stderr "output testout_legacy.0: flushes=4 ok=4 error=0 retry=0 records=4"
has stderr "output testout.1: flushes=4 ok=4 error=0 retry=0 records=4"
count out "^testout_legacy flush id=L .* main=0 on_thread_stack=0" 4
has out "testout_legacy exit id=L main=1 flushes=4"
# per instance: PreExit then ExitCtx (Exit for the legacy plugin), in
# instance order; then Unregister and dlclose per plugin
same "shutdown order" "$(grep -E ' (preexit|exit|unregister|unload)' "$T/out" | awk '{print $1 ":" $2 ":" $3}' | tr '\n' ' ' | sed 's/ $//')" \
    "testout:preexit:arg=0 testout:exit:id=a testout_legacy:exit:id=L testout:preexit:arg=0 testout:exit:id=b testout:unregister:name=testout testout:unload: testout_legacy:unload:"
# the legacy plugin has no PreRegister/PreRun/Unregister: fine
hasnt out "testout_legacy prerun"

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
run -e "$TP" -o testout --jsonl - --rate 5;       expect_rc 2; has stderr "--repeat and --rate only apply to --chunks"
run -e "$TP" -o testout --chunks "$DATA/cpu" --rate 0; expect_rc 2; has stderr "--rate 0: expected records per second"
# order: sorted by name
mkdir -p "$T/order"; cp "$DATA/types/0003.msgpack" "$T/order/a.msgpack"; cp "$DATA/cpu/0000.msgpack" "$T/order/b.msgpack"
touch "$T/order/ignored.txt"
run -e "$TP" -o testout --chunks "$T/order"
expect_rc 0
same "directory order" "$(grep -F ' flush ' "$T/out" | sed 's/.* size=\([0-9]*\).*/\1/' | tr '\n' ' ')" "201 199 "

# --------------------------------------------------------------------------
section "jsonl"
cat > "$T/in.jsonl" <<'JSON'
{"a":1,"b":-2,"c":1.5,"d":"x\"y\\z\n\t\/","e":[true,false,null],"f":{"g":{}},"h":18446744073709551615,"i":-9223372036854775808}

  {"j":"\u00e9\ud83d\ude00","k":12345678901234567890123, "l":-0.5, "n":[], "o":"", "p":127, "q":128, "r":-33, "s":65536}
{"arr":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}
JSON
cat > "$T/expected.dump" <<'JSON'
[[[T,{}],{"a":1,"b":-2,"c":1.5,"d":"x\"y\\z\n\t/","e":[true,false,null],"f":{"g":{}},"h":18446744073709551615,"i":-9223372036854775808}],[[T,{}],{"j":"é😀","k":1.2345678901234568e+22,"l":-0.5,"n":[],"o":"","p":127,"q":128,"r":-33,"s":65536}]]
[[[T,{}],{"arr":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}]]
JSON
now=$(date +%s)
run -e "$TP" -o testout --jsonl "$T/in.jsonl" --batch 2
expect_rc 0
has stderr "output testout.0: flushes=2 ok=2 error=0 retry=0 records=3"
same "jsonl events" "$(sed -E 's/\{"\$eventtime":\[[0-9]+,[0-9]+\]\}/T/g' "$T/dump")" "$(cat "$T/expected.dump")"
ts=$(grep -oE '"\$eventtime":\[[0-9]+' "$T/dump" | head -1 | grep -oE '[0-9]+$')
if [ -n "$ts" ] && [ $((ts - now)) -ge -5 ] && [ $((ts - now)) -le 60 ]; then ok; else bad "EventTime $ts is not now ($now)"; fi
has out "tag=test "
# default batch 1, from stdin, CRLF, no newline at the end
rm -f "$T/out"
printf '{"x":1}\r\n{"x":2}\n{"x":3}' | TP_OUT="$T/out" TP_DUMP="$T/dump" "$HOST" -e "$TP" -o testout --jsonl - -t from.stdin >"$T/stdout" 2>"$T/stderr"
rc=$?
expect_rc 0; has stderr "flushes=3 ok=3 error=0 retry=0 records=3"; count out "tag=from.stdin size=[0-9]+ events=1" 3
# batch larger than the input
run -e "$TP" -o testout --jsonl "$T/in.jsonl" --batch 100
expect_rc 0; has stderr "flushes=1 ok=1 error=0 retry=0 records=3"
# a bad line: error with its line number, exit 2, earlier lines delivered,
# plugins shut down normally
printf '{"ok":1}\n{"ok":2}\n\n{"bad": tru}\n{"never":1}\n' > "$T/bad.jsonl"
run -e "$TP" -o testout --jsonl "$T/bad.jsonl"
expect_rc 2; has stderr "flb-host: --jsonl $T/bad.jsonl: line 4, column 11: invalid token near 'tru'"
has stderr "flushes=2 ok=2 error=0 retry=0 records=2"; has out "exit id=0"
printf '[1,2]\n' > "$T/notobj.jsonl"
run -e "$TP" -o testout --jsonl "$T/notobj.jsonl"
expect_rc 2; has stderr "line 1, column 1: expected a JSON object"

# --------------------------------------------------------------------------
section "fidelity"
# The jsonl source packs records as Fluent Bit does: the records of the real
# chunks in tests/vectors, given to --jsonl from their JSON dumps, come out
# with event bodies byte for byte those of the real chunks (the headers hold
# other times).  The test plugin writes every body it receives in hex.
# One difference is Fluent Bit's own: cpu and mem build their records field
# by field through its log event encoder, which leaves the body's map header
# map32 (df + count); a record packed whole, as dummy (types, burst) and
# --jsonl pack one, has the smallest header.  So the cpu and mem bodies are
# compared with that header in its smallest form (a fixmap: they hold fewer
# than 16 entries).
# json_bodies DUMP: each body of a dump as one JSON line.  The dumps indent
# one space per level, so a body (inside {file: [event: [header, body]]})
# is the object that opens on a line "   {" and closes on "   }"; JSON
# strings never span lines, so joining its lines keeps the values.
json_bodies() {
    awk '/^   \{\}$/ { print "{}"; next }
         /^   \{$/   { body = "{"; inside = 1; next }
         inside && /^   \}$/ { print body "}"; inside = 0; next }
         inside     { sub(/^ +/, ""); body = body $0 }' "$1"
}
for set in cpu mem types burst; do
    json_bodies "$DATA/$set.json" > "$T/$set.jsonl"
    rm -f "$T/encoded" "$T/got"
    TP_BODIES="$T/encoded" run -e "$TP" -o testout --chunks "$DATA/$set"
    expect_rc 0
    sed -E 's/^df0000000([0-9a-f])/8\1/' "$T/encoded" > "$T/want"
    TP_BODIES="$T/got" run -e "$TP" -o testout --jsonl "$T/$set.jsonl" --batch 1000
    expect_rc 0
    events=$(wc -l < "$T/want")
    if [ "$events" -eq 0 ]; then
        bad "$set: no event bodies in the real chunks"
    elif diff=$(cmp "$T/want" "$T/got" 2>&1); then
        ok
    else
        line=$(echo "$diff" | sed -n 's/.* line \([0-9]*\).*/\1/p')
        bad "$set: event bodies differ from Fluent Bit's ($diff)" \
            "fluent-bit: $(sed -n "${line:-1}p" "$T/want")" \
            "flb-host:   $(sed -n "${line:-1}p" "$T/got")"
    fi
done

# --------------------------------------------------------------------------
section "cpu"
run -e "$TP" -o testout --cpu --interval 0.1 --count 3
expect_rc 0
has stderr "output testout.0: flushes=3 ok=3 error=0 retry=0 records=3"
count out "flush id=0 tag=cpu.local size=[0-9]+ events=1" 3
keys='"cpu_p" "user_p" "system_p"'
for ((i = 0; i < NCPU; i++)); do keys="$keys \"cpu$i.p_cpu\" \"cpu$i.p_user\" \"cpu$i.p_system\""; done
got=$(head -1 "$T/dump" | grep -oE '"[a-z0-9_.]+":[^,}]*' | grep -v eventtime | sed 's/:.*//' | tr '\n' ' ' | sed 's/ $//')
same "cpu record keys" "$got" "$keys"
# every value is a float64 (the dump prints those with a '.' or an exponent)
nonfloat=$(grep -oE '"[a-z0-9_.]+_p[a-z]*":[^,}]*' "$T/dump" | grep -vcE ':-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$|:-?[0-9]+\.[0-9]+' )
same "non-float cpu values" "$nonfloat" "0"
run -e "$TP" -o testout --cpu --interval 0.05 --count 2 --tag my.cpu
expect_rc 0; count out "tag=my.cpu " 2
# exact percentages from a scripted /proc/stat: one file per read (stat.0 at
# start, stat.1 when the run begins, then one per record), so no timing decides
# which snapshot a read sees; every tick adds one user and one system jiffy per cpu
snapshot() {
    local u=$1 s=$2 i
    echo "cpu  $((u * NCPU)) 0 $((s * NCPU)) 1000 0 0 0 0 0 0"
    for ((i = 0; i < NCPU; i++)); do echo "cpu$i $u 0 $s 1000 0 0 0 0 0 0"; done
    echo "intr 0"
}
n=0; for st in "10 10" "10 10" "11 11" "11 11"; do snapshot $st > "$T/stat.$n"; n=$((n + 1)); done
FLB_HOST_PROC_STAT="$T/stat.%d" run -e "$TP" -o testout --cpu --interval 0.5 --count 2
expect_rc 0
rec1='"cpu_p":4.0,"user_p":2.0,"system_p":2.0'
for ((i = 0; i < NCPU; i++)); do rec1="$rec1,\"cpu$i.p_cpu\":4.0,\"cpu$i.p_user\":2.0,\"cpu$i.p_system\":2.0"; done
rec2='"cpu_p":0.0,"user_p":0.0,"system_p":0.0'
for ((i = 0; i < NCPU; i++)); do rec2="$rec2,\"cpu$i.p_cpu\":0.0,\"cpu$i.p_user\":0.0,\"cpu$i.p_system\":0.0"; done
same "cpu percentages" "$(sed -E 's/.*\{\},?\}?\],\{//; s/\}\]\]$//' "$T/dump" | tr '\n' '|')" "$rec1|$rec2|"
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
section "hot reload"
# -Y: each SIGHUP registers the plugin again, exits the instance, unregisters
# the old registration, then initialises the instance again (Fluent Bit's order)
rm -f "$T/out" "$T/in"
mkfifo "$T/in"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout -p workers=2 -Y --chunks "$DATA/cpu" --wait <"$T/in" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 3>"$T/in"
if wait_for stdout "flb-host: ready" 10; then ok; else bad "no ready line"; fi
kill -HUP "$pid"
if wait_for stdout "flb-host: reloaded" 10; then ok; else bad "no reloaded line"; fi
kill -HUP "$pid"
i=0; while [ "$(grep -c 'flb-host: reloaded' "$T/stdout")" -lt 2 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
count stdout "flb-host: reloaded" 2
exec 3>&-
wait "$pid"; rc=$?
expect_rc 0
same "callback order" "$(sequence)" \
    "testout:preregister testout:register testout:init testout:prerun testout:flush testout:preregister testout:register testout:preexit testout:exit testout:unregister testout:init testout:prerun testout:preregister testout:register testout:preexit testout:exit testout:unregister testout:init testout:prerun testout:preexit testout:exit testout:unregister testout:unload"
count out "preregister arg=1" 2; count out "preexit arg=1 main=1" 2; count out "preexit arg=0 main=1" 1
count out "prerun arg=1 main=1" 3
has stderr "flb-host: output testout.0: flushes=4 ok=4 error=0 retry=0 records=4"
# the source goes on after a reload: chunks still flow to the new instance
rm -f "$T/out"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout -Y --cpu --interval 0.02 >"$T/stdout" 2>"$T/stderr" </dev/null &
pid=$!
if wait_for out " flush " 10; then ok; else bad "no flush before the reload"; fi
kill -HUP "$pid"
if wait_for stdout "flb-host: reloaded" 10; then ok; else bad "no reloaded line"; fi
n=$(grep -c " flush " "$T/out")
i=0; while [ "$(grep -c ' flush ' "$T/out")" -le "$n" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM "$pid"
wait "$pid"; rc=$?
expect_rc 0
if [ "$(grep -c ' flush ' "$T/out")" -gt "$n" ]; then ok; else bad "no flush after the reload"; fi
count out "init id=" 2
# without -Y a SIGHUP changes nothing
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
# jsonl on a stdin that never ends: a signal stops it
rm -f "$T/out" "$T/in2"
mkfifo "$T/in2"
TP_OUT="$T/out" "$HOST" -e "$TP" -o testout --jsonl - <"$T/in2" >"$T/stdout" 2>"$T/stderr" &
pid=$!
exec 4>"$T/in2"
echo '{"a":1}' >&4
if wait_for out " flush " 10; then ok; else bad "jsonl line not flushed"; fi
kill -TERM "$pid"
wait "$pid"; rc=$?
exec 4>&-
expect_rc 0; has stderr "flushes=1 ok=1 error=0 retry=0 records=1"

# --------------------------------------------------------------------------
section "bench"
# field NAME: the value of NAME= on the bench line
field() { grep -F "flb-host: bench " "$T/stdout" | grep -oE " $1=[^ ]+" | cut -d= -f2; }
# at_least WHAT VALUE MIN (numbers, fractions allowed)
at_least() { if awk -v v="$2" -v m="$3" 'BEGIN { exit !(v != "" && v + 0 >= m + 0) }'; then ok; else bad "$1: $2, expected >= $3"; fi; }
at_most()  { if awk -v v="$2" -v m="$3" 'BEGIN { exit !(v != "" && v + 0 <= m + 0) }'; then ok; else bad "$1: $2, expected <= $3"; fi; }
# the null output: nothing read, nothing recorded; every record counted
run -e "$TP" -o testout -p null=1 --chunks "$DATA/burst" --repeat 3 --bench
expect_rc 0
count stdout '^flb-host: bench records=4479 flushes=12 wall_s=[0-9.]+ records_per_s=[0-9]+ cpu_ns_per_record=[0-9.]+ user_ns_per_record=[0-9.]+ sys_ns_per_record=[0-9.]+ flush_cpu_ns_per_record=[0-9.]+ peak_rss_kb=[0-9]+ rss_kb=[0-9]+ init_rss_kb=[0-9]+ threads=[0-9]+ load_ms=[0-9.]+ init_ms=[0-9.]+$' 1
hasnt out " flush "
has out "exit id=0 main=1 flushes=0 "
at_least "records_per_s" "$(field records_per_s)" 1
at_least "peak_rss_kb" "$(field peak_rss_kb)" "$(field rss_kb)"
at_least "rss_kb" "$(field rss_kb)" 100
same "threads after the replay" "$(field threads)" 1
# records of every instance, with workers
run -e "$TP" -o testout -p null=1 -o testout -p null=1 -p workers=2 --chunks "$DATA/burst" --repeat 3 --bench
expect_rc 0; same "records" "$(field records)" 8958; same "flushes" "$(field flushes)" 24
# CPU is CPU time, not wall time: four flushes that sleep 100 ms each
run -e "$TP" -o testout -p flush_sleep_ms=100 --chunks "$DATA/cpu" --bench
expect_rc 0
at_least "wall_s of sleeping flushes" "$(field wall_s)" 0.4
at_most "cpu_ns_per_record of sleeping flushes" "$(field cpu_ns_per_record)" 50000000
# flush CPU is measured inside the flush: a flush that decodes costs more than a null one
run -e "$TP" -o testout --chunks "$DATA/burst" --repeat 20 --bench
expect_rc 0
decoding=$(field flush_cpu_ns_per_record)
at_least "flush_cpu_ns_per_record of a decoding flush" "$decoding" 1
# any source: the cpu input, for the memory of an idle host
run -e "$TP" -o testout -p null=1 --cpu --interval 0.05 --count 2 --bench
expect_rc 0; same "cpu records" "$(field records)" 2
# no figures without --bench, nor after a stop
run -e "$TP" -o testout --chunks "$DATA/cpu"
expect_rc 0; hasnt stdout "flb-host: bench"

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
    # the JSON path: Jansson trees, wide integers, a bad line at the end
    cat "$T/in.jsonl" "$T/types.jsonl" "$T/bad.jsonl" > "$T/all.jsonl"
    TP_OUT="$T/out" valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$HOST" -e "$TP" -o testout --jsonl "$T/all.jsonl" --batch 4 \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 2
    has stderr "invalid token near 'tru'"
    # a config map, read from the plugin's array at each instance and freed by
    # the plugin's Unregister; and a 40-byte def at the end of its page
    TESTPLUGIN_CONFIG_MAP=1 TP_OUT="$T/out" valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$HOST" -e "$TP" -o testout -p id=a -o testout -p id=b -p label=1 -p label=2 --chunks "$DATA/cpu" \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 0; has stderr "registered a config map of 7 keys"; has stderr "output testout.1: flushes=4 ok=4"
    TP_OUT="$T/out" valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$HOST" -e "$TP" -o testout --proxy-def-size 40 --chunks "$DATA/cpu" \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 0
    # a plugin that frees its map too early (in the first Init) is caught when
    # the host reads the map again for the second instance, as Fluent Bit would
    TESTPLUGIN_CONFIG_MAP=1 TESTPLUGIN_CONFIG_MAP_FREE_IN_INIT=1 TP_OUT="$T/out" valgrind -q --error-exitcode=9 \
        "$HOST" -e "$TP" -o testout -p id=a -o testout -p id=b --chunks "$DATA/cpu" \
        >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    expect_rc 9; has stderr "Invalid read"; has stderr "config_map_check"
elif [ "${FLB_HOST_SKIP_VALGRIND:-0}" = "1" ]; then
    echo "skip [valgrind] FLB_HOST_SKIP_VALGRIND=1"
else
    bad "valgrind is not installed: eng/ensure-deps.sh --tests installs it (FLB_HOST_SKIP_VALGRIND=1 skips this section on purpose)"
fi

# --------------------------------------------------------------------------
echo "check: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
