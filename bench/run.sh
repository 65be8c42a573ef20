#!/usr/bin/env bash
# Load test on loopback with wrk, so anyone can rerun the numbers:
#
#   1. the signed-in module page, against bench/bare serving the same bytes
#      from a bare Fiber handler in the same run (the app's own cost per page);
#   2. quiz submissions: a new attempt per request, once with answers that
#      fail the quiz and once with answers that pass it (the heavier path) —
#      skipped, with a line saying so, while quizzes are drawn per attempt
#      and this script posts one form again and again;
#
# on SQLite (a temporary file) and on PostgreSQL (a temporary database
# frontline_bench_<pid> on 127.0.0.1, dropped at exit; skipped if the server
# does not answer). Every request goes to 127.0.0.1, each load for DURATION.
#
#   bench/run.sh                        # from anywhere in the repository
#   DURATION=30s CONNECTIONS=128 bench/run.sh
#
# Settings (environment): DURATION (10s), CONNECTIONS (64), THREADS (2),
# COURSE (owning-the-problem), MODULE (it-is-yours-now), PGPORT (5432),
# PGUSER (postgres), PGPASSWORD (none), DATABASES ("sqlite pg"), PROFILE
# (a folder: CPU and allocation profiles of the server during the module
# page's load are written there as <db>-cpu.pprof and <db>-allocs.pprof,
# read with `go tool pprof`; they cost the page some speed, so take the
# figures from a run without it). The server runs at the default log level,
# as in production: one line per request.
# Needs go, wrk, curl; psql for PostgreSQL.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
COURSE=${COURSE:-owning-the-problem}
MODULE=${MODULE:-it-is-yours-now}
DATABASES=${DATABASES:-sqlite pg}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
pg_host=127.0.0.1 # loopback only, whatever PGHOST says

for tool in go wrk curl; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (Debian: apt-get install $tool)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/frontline-bench.XXXXXX")
pids=()
pg_db=""

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [[ -n $pg_db ]]; then
		psql -h "$pg_host" -p "$PGPORT" -U "$PGUSER" -d postgres -qAtc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 ||
			echo "bench: could not drop database $pg_db; drop it by hand" >&2
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }

# free_port finds a port nobody listens on: a connection to it is refused.
free_port() {
	local p
	for ((p = 20000 + RANDOM % 20000; ; p++)); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# wait_for polls a URL until it answers 200, for at most 30 seconds.
wait_for() {
	local url=$1 i
	for ((i = 0; i < 300; i++)); do
		if curl -fsS -o /dev/null "$url" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	log "$url did not answer within 30 s"
	return 1
}

# field prints the value of the hidden input named $1 in the HTML on stdin.
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" | sed -n '1{s/.*value="//; s/"$//; p;}'; }

# cookie prints the value of cookie $2 in the curl cookie jar $1.
cookie() { awk -v name="$2" '$6 == name { v = $7 } END { print v }' "$1"; }

# load runs wrk and appends "db|what|req/s|p50|p99|errors" to the summary.
load() {
	local db=$1 what=$2 out="$work/wrk-$1-$2.txt"
	shift 2
	log "$db: $what — wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $*"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$out"
	sed 's/^/    /' "$out" >&2
	awk -v db="$db" -v what="$what" '
		/Requests\/sec:/ { rps = $2 }
		$1 == "50%" { p50 = $2 }
		$1 == "99%" { p99 = $2 }
		/Non-2xx or 3xx responses:/ { bad += $NF }
		/Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
		END { printf "%s|%s|%s|%s|%s|%d\n", db, what, rps, p50, p99, bad }
	' "$out" >>"$work/summary"
}

# bench_db runs every load against one database.
bench_db() {
	local db=$1 dsn=$2
	local port base jar page csrf password link session url version key_run
	port=$(free_port)
	base="http://127.0.0.1:$port"
	local -a env=(FRONTLINE_ADDR="127.0.0.1:$port" FRONTLINE_BASE_URL="$base"
		FRONTLINE_DATABASE_URL="$dsn")
	local pprof_addr=""
	if [[ -n ${PROFILE:-} ]]; then
		pprof_addr="127.0.0.1:$(free_port)"
		env+=(FRONTLINE_PPROF_ADDR="$pprof_addr")
	fi

	log "$db: starting frontline on $base"
	env "${env[@]}" "$work/frontline" serve >"$work/$db-server.log" 2>&1 &
	pids+=($!)
	wait_for "$base/readyz" || { tail -n 20 "$work/$db-server.log" >&2; return 1; }

	# A learner, as an admin would add one; the invitation sets the password.
	link=$(env "${env[@]}" "$work/frontline" user add --email "bench-$db@bench.example" --name "Bench Learner" --role learner | tail -n1)
	password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
	jar="$work/$db-invite.jar"
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$link" | field _csrf)
	[[ $(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
		--data-urlencode "password=$password" --data-urlencode "confirm=$password" "$link") == 303 ]] ||
		{ log "$db: accepting the invitation failed"; return 1; }

	# Sign in afresh, as on another device, and keep that session.
	jar="$work/$db-login.jar"
	csrf=$(curl -fsS -c "$jar" -b "$jar" "$base/login" | field _csrf)
	[[ $(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
		--data-urlencode "email=bench-$db@bench.example" --data-urlencode "password=$password" \
		--data-urlencode "next=/" "$base/login") == 303 ]] || { log "$db: signing in failed"; return 1; }
	session=$(cookie "$jar" fl_session)
	[[ -n $session ]] || { log "$db: no session cookie after signing in"; return 1; }

	# The page as the learner sees it (the first view records it; later
	# views write nothing), then the same bytes from the bare handler.
	url="$base/courses/$COURSE/$MODULE"
	page="$work/$db-page.html"
	curl -fsS -b "fl_session=$session" "$url" -o "$page"
	curl -fsS -b "fl_session=$session" "$url" -o "$page"
	grep -q 'name="q\.' "$page" || { log "$db: $url has no quiz"; return 1; }
	"$work/bare" -file "$page" >"$work/$db-bare.addr" 2>"$work/$db-bare.log" &
	pids+=($!)
	local i=0
	while [[ ! -s "$work/$db-bare.addr" ]] && ((i++ < 100)); do sleep 0.05; done
	local bare_url="http://$(cat "$work/$db-bare.addr")/courses/$COURSE/$MODULE"
	wait_for "$bare_url"
	log "$db: page $(wc -c <"$page") bytes; bare copy at $bare_url"

	local prof_pid=""
	if [[ -n $pprof_addr ]]; then
		mkdir -p "$PROFILE"
		# The CPU profile covers the load but its first and last second.
		local secs=${DURATION%s}
		curl -fsS -o "$PROFILE/$db-cpu.pprof" "http://$pprof_addr/debug/pprof/profile?seconds=$((secs > 3 ? secs - 2 : 1))" &
		prof_pid=$!
		sleep 1
	fi
	load "$db" "module page" -H "Cookie: fl_session=$session" "$url"
	if [[ -n $prof_pid ]]; then
		wait "$prof_pid" || log "$db: the CPU profile failed"
		curl -fsS -o "$PROFILE/$db-allocs.pprof" "http://$pprof_addr/debug/pprof/allocs" || log "$db: the allocation profile failed"
		log "$db: profiles in $PROFILE/$db-cpu.pprof and $PROFILE/$db-allocs.pprof"
	fi
	load "$db" "bare Fiber, same bytes" "$bare_url"

	# A quiz is now drawn per attempt (one attempt per draw, a new draw on
	# the next view), so posting one form again and again would measure
	# resent forms, not submissions. Loading submissions needs many learners
	# each fetching a fresh draw before posting it; until this script does
	# that, it measures the page and says why it stops there.
	if grep -q 'name="draw"' "$page"; then
		log "$db: quiz submit not measured: each attempt answers its own draw, and this script posts one form again and again"
	else

	# Quiz forms: the session's CSRF token, the version shown and a key
	# placeholder; "any answers" takes each question's first choice from the
	# page (valid, mostly wrong), "passing" the right ones from the course.
	csrf=$(field _csrf <"$page")
	version=$(field version <"$page")
	local form="_csrf=$csrf&version=$version&key=@KEY@"
	local first
	first=$(grep -o 'name="q\.[^"]*" value="[^"]*"' "$page" |
		awk -F'"' '!seen[$2]++ { printf "&%s=%s", $2, $4 }')
	echo "$form$first" >"$work/$db-any.body"
	echo "$form&$("$work/answers" -course "$COURSE" -module "$MODULE")" >"$work/$db-pass.body"
	# Every passing choice must be on the page: the form matches the version served.
	local pair
	for pair in $(tr '&' '\n' <"$work/$db-pass.body" | grep '^q\.'); do
		grep -q "name=\"${pair%%=*}\" value=\"${pair#*=}\"" "$page" ||
			{ log "$db: $pair is not on the page"; return 1; }
	done

	key_run="b$(date +%s)$db"
	local kind
	for kind in any pass; do
		# One submission by hand first: it must store an attempt and redirect to it.
		local got
		got=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -b "fl_session=$session" \
			--data-binary "$(sed "s/@KEY@/${key_run}-smoke-$kind/" "$work/$db-$kind.body")" "$url/quiz")
		[[ $got == "303 $base/attempts/"* ]] || { log "$db: quiz submission answered $got"; return 1; }
		load "$db" "quiz submit ($kind answers)" -s "$root/bench/submit.lua" "$url/quiz" -- \
			"$work/$db-$kind.body" "$session" "$key_run-$kind"
	done

	# Every counted submission must have stored an attempt (a few more may
	# have landed as wrk stopped): a repeated key would store nothing.
	local stored="" sent
	sent=$(awk '/requests in/ { n += $1 } END { print n + 2 }' "$work/wrk-$db-quiz submit (any answers).txt" "$work/wrk-$db-quiz submit (pass answers).txt")
	case $db in
	sqlite) command -v sqlite3 >/dev/null && stored=$(sqlite3 "$work/bench.db" 'SELECT count(*) FROM attempts') ;;
	pg) stored=$(psql -h "$pg_host" -p "$PGPORT" -U "$PGUSER" -d "$pg_db" -qAtc 'SELECT count(*) FROM attempts') ;;
	esac
	if [[ -n $stored ]]; then
		log "$db: $stored attempts stored for $sent submissions counted by wrk"
		((stored >= sent)) || { log "$db: fewer attempts than submissions"; return 1; }
	fi

	fi # quiz submit

	if grep -q '"level":"ERROR"' "$work/$db-server.log"; then
		log "$db: the server logged errors:"
		grep '"level":"ERROR"' "$work/$db-server.log" | head -n5 >&2
	fi
	kill "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
	pids=()
}

log "building into $work"
(cd "$root" && go build -o "$work/frontline" ./app && go build -o "$work/bare" ./bench/bare &&
	go build -o "$work/answers" ./bench/answers)
: >"$work/summary"

for db in $DATABASES; do
	case $db in
	sqlite)
		bench_db sqlite "$work/bench.db"
		;;
	pg)
		if ! command -v psql >/dev/null; then
			log "pg: psql is not installed; skipping PostgreSQL"
			continue
		fi
		if ! psql -h "$pg_host" -p "$PGPORT" -U "$PGUSER" -d postgres -qAtc 'SELECT 1' >/dev/null 2>&1; then
			log "pg: no PostgreSQL answers on $pg_host:$PGPORT as $PGUSER; skipping PostgreSQL"
			continue
		fi
		pg_db="frontline_bench_$$"
		psql -h "$pg_host" -p "$PGPORT" -U "$PGUSER" -d postgres -qAtc "CREATE DATABASE $pg_db" >/dev/null
		bench_db pg "postgres://$PGUSER${PGPASSWORD:+:$PGPASSWORD}@$pg_host:$PGPORT/$pg_db?sslmode=disable"
		;;
	*)
		log "unknown database $db (sqlite or pg)"
		exit 2
		;;
	esac
done

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
echo
echo "Frontline load test, $(date -u '+%Y-%m-%d %H:%M UTC'), git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr); $(go version | cut -d' ' -f3); $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
echo "load: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, loopback, page /courses/$COURSE/$MODULE"
echo
awk -F'|' 'BEGIN { printf "%-8s %-28s %12s %10s %10s %8s\n", "database", "load", "requests/s", "p50", "p99", "errors" }
	{ printf "%-8s %-28s %12s %10s %10s %8s\n", $1, $2, $3, $4, $5, $6 }' "$work/summary"
