#!/usr/bin/env bash
# Builds each libFuzzer target under ASan+UBSan into build/fuzz/ and runs it for a bounded
# time (FUZZ_SECONDS each, default 20) on a corpus under build/fuzz/corpus-<name>, seeded
# with a few valid inputs. Exits non-zero if any target fails to build or finds a crash.
set -euo pipefail

cd "$(dirname "$0")/../.."
CC=${FUZZ_CC:-clang}
SECONDS_EACH=${FUZZ_SECONDS:-20}
OUT=build/fuzz
PKG_FLAGS="$(pkg-config --cflags --libs fcgi libpq jansson libsodium libcurl) -lm -lpthread"
# Targets deep in the application link every lib/ and app/ module but main.c.
APP=$(make -s --no-print-directory print-srcs)
CFLAGS=(-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Werror)

# name: the target file and the lib/app sources it needs.
declare -A SRCS=(
	[gate_keys]="tests/fuzz/fuzz_gate_keys.c app/gate/gate_keys.c lib/codec.c lib/cryptox.c lib/str.c"
	[cfg_value]="tests/fuzz/fuzz_cfg_value.c lib/cfg.c lib/str.c"
	[jsonx_parse]="tests/fuzz/fuzz_jsonx_parse.c lib/jsonx.c lib/buf.c"
	[json_escape]="tests/fuzz/fuzz_json_escape.c lib/buf.c lib/jsonx.c"
	[route]="tests/fuzz/fuzz_route.c app/abuse/inspect.c lib/fcgi.c lib/buf.c lib/str.c lib/arena.c"
	[api_query]="tests/fuzz/fuzz_api_query.c $APP"
	[judge_reply]="tests/fuzz/fuzz_judge_reply.c $APP"
	[addr]="tests/fuzz/fuzz_addr.c lib/addr.c lib/cfg.c lib/codec.c lib/str.c"
	[access_log]="tests/fuzz/fuzz_access_log.c $APP"
	[tmpl]="tests/fuzz/fuzz_tmpl.c lib/tmpl.c lib/arena.c lib/buf.c"
	[form]="tests/fuzz/fuzz_form.c lib/form.c lib/cookie.c lib/codec.c lib/arena.c lib/str.c"
	[stripe_sig]="tests/fuzz/fuzz_stripe_sig.c $APP"
)
NAMES=(gate_keys cfg_value jsonx_parse json_escape route api_query judge_reply addr access_log tmpl form stripe_sig)

# Writes one seed file per argument into the corpus folder (kept next to what the fuzzer
# found in earlier runs).
seed() {
	local dir=$1 i=0
	shift
	mkdir -p "$dir"
	for s in "$@"; do
		printf '%s' "$s" >"$dir/seed-$i"
		i=$((i + 1))
	done
}

mkdir -p "$OUT"
seed "$OUT/corpus-stripe_sig" 't=1700000000,v1=248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a' \
	't=1700000000,v0=00,v1=00' 't=,v1=' ',,,,t=1,t=2'
seed "$OUT/corpus-gate_keys" "tg_live_abcdefghijABCDEFGHIJ0123456789xy_2HeN4r" \
	"tg_test_00000000000000000000000000000000_14kQmC" "tg_live_abcdefghijABCDEFGHIJ0123456789xy_000000"
seed "$OUT/corpus-cfg_value" "250ms" "2s" "5m" "1h" "1500" "64k" "16M" "1G" "true" "off" \
	"-9223372036854775808" " 42 "
seed "$OUT/corpus-jsonx_parse" '{}' '{"a":{"b":{"c":1}}}' '{"type":"x","status":400}' \
	'{"a":[1,2.5,true,null,"s"]}' '{"a":"\u00e9\ud83d\ude00"}'
seed "$OUT/corpus-json_escape" 'plain' 'quote " backslash \' $'tab\tnl\n' \
	$'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80' $'\xff\xc0\x80\xed\xa0\x80\xe2\x82'
seed "$OUT/corpus-route" '/v1/users/123/files?x=1' '/u/jane@example.com' '/pay/4111-1111-1111-1111' \
	'/o/123e4567-e89b-12d3-a456-426614174000' '/t/sk_live_abcdefghijklmnop1234' '//a//b/'
seed "$OUT/corpus-api_query" 'limit=10&outcome=block' 'since=2026-05-01T12:00:00Z&until=2026-06-01T00:00:00.5%2B02:00' \
	'reason=path_enumeration&key_id=42&label=none' 'cursor=00000000000000000000000000000000000000000000000000' \
	'limit=501' 'outcome=block&outcome=flag' '2026-02-29T00:00:00Z'
seed "$OUT/corpus-judge_reply" \
	'1{"choices":[{"message":{"role":"assistant","content":"{\"verdicts\":[{\"client\":\"c1\",\"verdict\":\"abuse\",\"confidence\":0.9}]}"},"finish_reason":"stop"}]}' \
	'0{"content":[{"type":"text","text":"{\"verdicts\":[{\"client\":\"c2\",\"verdict\":\"benign\",\"confidence\":0.8}]}"}],"stop_reason":"end_turn"}' \
	'1{"choices":[]}' '0not json'

seed "$OUT/corpus-addr" 'http://api.example.com:8080' 'https://[2001:db8::1]/' 'http://0x7f.1' \
	'10.0.0.0/8, fd00::/8 127.0.0.1' '203.0.113.9, 10.0.0.5' \
	'postgresql://u:secret@db/x?password=p' "host=db password='a b' user=u"
seed "$OUT/corpus-access_log" \
	'{"status":200,"duration":0.01,"size":512,"request":{"remote_ip":"10.1.2.3"},"resp_headers":{"X-Request-Id":["8d3c1f6e-2b4a-4c9d-9e8f-0a1b2c3d4e5f"],"X-Usage-Tokens":["42"],"X-Usage-Cost":["0.001500"]}}' \
	'{"status":503,"resp_headers":{"X-Request-Id":["8d3c1f6e-2b4a-4c9d-9e8f-0a1b2c3d4e5f"],"X-Usage-Tokens":["9223372036854775807"]}}' \
	'{"status":200,"resp_headers":{"X-Request-Id":"8d3c1f6e-2b4a-4c9d-9e8f-0a1b2c3d4e5f","X-Usage-Cost":"99999999.5"}}' \
	'not json' '{"status": 99999999999999999999999}'
seed "$OUT/corpus-tmpl" 'Hello, {{name}}! {{{name}}} {{&name}} {{num}} {{int}} {{m.n.name}}' \
	$'<ul>\n{{#items}}\n  <li>{{name}}{{#tags}} [{{.}}]{{/tags}}</li>\n{{/items}}\n{{^items}}none{{/items}}\n</ul>\n' \
	$'{{! comment }}\n  {{>indent}}\n{{#tree}}{{>node}}{{/tree}}\n\t{{>dir/delim}}\n' \
	$'{{=<% %>=}}<%name%> <%={{ }}=%>{{#m}}{{name}}{{#n}}{{^zero}}z{{/zero}}{{/n}}{{/m}}\r\n' \
	'{{#t}}{{>p}}{{/t}}{{>missing}}{{>loop}}' '{{#.}}{{#one}}({{.}}){{/one}}{{/.}}{{lines}}' \
	'{{#items}}{{#items}}never{{/items}}{{/items}}{{>loop2}}' '{{#a}}{{/b}}' '{{unclosed'
seed "$OUT/corpus-form" 'email=ann%40example.com&password=p%C3%A4ss+word&csrf=abc' \
	'tg_session=abc.def; theme=dark' 'a=%zz&b=%0&c' 'x=1&x=2&&=&%00'

failed=()
for name in "${NAMES[@]}"; do
	bin="$OUT/fuzz_$name"
	echo "  FUZZ  $name: build"
	# shellcheck disable=SC2086 # the source list and pkg-config output are word lists
	if ! "$CC" "${CFLAGS[@]}" -o "$bin" ${SRCS[$name]} $PKG_FLAGS; then
		failed+=("$name (build)")
		continue
	fi
	mkdir -p "$OUT/artifacts-$name"
	echo "  FUZZ  $name: ${SECONDS_EACH}s"
	if ! "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts-$name/" \
		"$OUT/corpus-$name" >"$OUT/$name.log" 2>&1; then
		failed+=("$name")
		tail -n 40 "$OUT/$name.log" >&2
		continue
	fi
	grep -E '^stat::number_of_executed_units' "$OUT/$name.log" | sed "s/^/  FUZZ  $name: /" || true
done

if [ ${#failed[@]} -ne 0 ]; then
	echo "fuzz: FAILED: ${failed[*]} (inputs in $OUT/artifacts-*/, logs in $OUT/*.log)" >&2
	exit 1
fi
echo "fuzz: all ${#NAMES[@]} targets ran ${SECONDS_EACH}s each without a crash"
