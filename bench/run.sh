#!/usr/bin/env bash
# Load test on loopback, so anyone can rerun the numbers:
#
#   1. the signed-in module page (wrk), against bench/bare serving the same
#      bytes from a bare Fiber handler in the same run (the app's own cost
#      per page);
#   2. quiz submits spread over many learners (bench/submits): LEARNERS
#      learners open every quiz module once (untimed: that draws their
#      quizzes), then CONNECTIONS connections post those forms, FAILING of
#      them answered wrongly, for DURATION or until the draws run out;
#   3. on PostgreSQL, the passing submit alone, then right after it pgbench
#      running the same statements (bench/submit.sql, data from
#      bench/submit-setup.sql) with prepared statements, CONNECTIONS clients,
#      for PGBENCH_TIME; the summary gives app submits/s ÷ pgbench tps;
#
# on SQLite (a temporary file) and on PostgreSQL (a temporary database
# frontline_bench_<pid> on 127.0.0.1, dropped at exit; skipped if the server
# does not answer). The server runs at its default log level. Every request
# goes to 127.0.0.1.
#
#   bench/run.sh                        # from anywhere in the repository
#   DURATION=30s CONNECTIONS=128 bench/run.sh
#
# Settings (environment): PARTS ("page submits": either alone reruns just
# the module page or just the submits and pgbench), DURATION (10s),
# CONNECTIONS (64), THREADS (2),
# COURSE (owning-the-problem), MODULE (it-is-yours-now), LEARNERS (400),
# FAILING (0.2), PGBENCH_TIME (20), PGBENCH_LEARNERS (4000), PGPORT (5432),
# PGUSER (postgres), PGPASSWORD (none), DATABASES ("sqlite pg"), PROFILE
# (a folder: CPU and allocation profiles of the server during the module
# page's load are written there as <db>-cpu.pprof and <db>-allocs.pprof,
# read with `go tool pprof`; they cost the page some speed, so take the
# figures from a run without it). The server runs at the default log level,
# as in production: one line per request.
# Needs go, wrk, curl; psql and pgbench for PostgreSQL.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
COURSE=${COURSE:-owning-the-problem}
MODULE=${MODULE:-it-is-yours-now}
DATABASES=${DATABASES:-sqlite pg}
PARTS=${PARTS:-page submits}
LEARNERS=${LEARNERS:-400}
FAILING=${FAILING:-0.2}
FAILING_PCT=$(awk -v f="$FAILING" 'BEGIN { printf "%g", f * 100 }')
PGBENCH_TIME=${PGBENCH_TIME:-20}
PGBENCH_LEARNERS=${PGBENCH_LEARNERS:-4000}
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

# submits runs bench/submits against the server and appends its line to
# the summary; a run with errors or attempts stored ≠ submitted fails.
submits() {
	local db=$1 what=$2 base=$3 dsn=$4 failing=$5 out="$work/submits-$1-$5.txt"
	shift 5
	log "$db: $what — bench/submits --learners $LEARNERS --connections $CONNECTIONS --duration $DURATION --failing $failing $*"
	if ! "$work/submits" --url "$base" --db "$dsn" --learners "$LEARNERS" --connections "$CONNECTIONS" \
		--duration "$DURATION" --failing "$failing" "$@" >"$out" 2>"$out.log"; then
		sed 's/^/    /' "$out.log" "$out" >&2
		log "$db: $what failed"
		return 1
	fi
	sed 's/^/    /' "$out" >&2
	awk -v db="$db" -v what="$what" '
		/^submits\/s/ { rate = $2; p50 = $4; p99 = $6 }
		/^error / { bad += $NF }
		END { printf "%s|%s|%s|%s|%s|%d\n", db, what, rate, p50, p99, bad }
	' "$out" >>"$work/summary"
}

# pgbench_submit prepares open draws like the app's load left and runs
# bench/submit.sql on them; it prints the ratio of the last app submit
# load (the passing one) to pgbench's transactions per second.
pgbench_submit() {
	local dsn=$1 first draws _ out="$work/pgbench.txt" app tps
	if ! command -v pgbench >/dev/null; then
		log "pg: pgbench is not installed (Debian: apt-get install postgresql-client); no comparison"
		return 0
	fi
	read -r first draws _ < <(psql "$dsn" -qAt -F' ' -v learners="$PGBENCH_LEARNERS" -f "$root/bench/submit-setup.sql" | tail -n1)
	log "pg: pgbench on $draws fresh draws from $first — pgbench -M prepared -c $CONNECTIONS -j $THREADS -T $PGBENCH_TIME -n -f bench/submit.sql"
	pgbench -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$PGBENCH_TIME" -n -r -D first="$first" \
		-D clients="$CONNECTIONS" -D n=0 -f "$root/bench/submit.sql" "$dsn" >"$out" 2>&1 ||
		{ sed 's/^/    /' "$out" >&2; log "pg: pgbench failed (too few draws? raise PGBENCH_LEARNERS)"; return 1; }
	sed 's/^/    /' "$out" >&2
	tps=$(awk '/^tps =/ { print $3 }' "$out")
	awk -v tps="$tps" '/latency average/ { lat = $4 } END { printf "pg|pgbench, same statements|%.1f|%s|%s|%d\n", tps, "-", lat "ms avg", 0 }' "$out" >>"$work/summary"
	app=$(awk -F'|' '$1 == "pg" && $2 == "quiz submit (passing)" { print $3 }' "$work/summary")
	awk -v app="$app" -v tps="$tps" 'BEGIN { printf "app submits/s ÷ pgbench tps = %.1f ÷ %.1f = %.2f\n", app, tps, app / tps }' >>"$work/ratio"
}

# bench_page loads the signed-in module page with wrk, then the same bytes
# from the bare Fiber handler.
bench_page() {
	local db=$1 base=$2 session=$3 pprof_addr=$4 url page
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
}

# stop_servers stops the server and the bare handler of one database,
# after reporting what the server logged as errors.
stop_servers() {
	local db=$1
	if grep -q '"level":"ERROR"' "$work/$db-server.log"; then
		log "$db: the server logged errors:"
		grep '"level":"ERROR"' "$work/$db-server.log" | head -n5 >&2
	fi
	kill "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
	pids=()
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

	if [[ " $PARTS " == *" page "* ]]; then
		bench_page "$db" "$base" "$session" "$pprof_addr"
	fi
	if [[ " $PARTS " != *" submits "* ]]; then
		stop_servers "$db"
		return
	fi

	# Quiz submits spread over many learners (bench/submits): each answers a
	# draw fetched for it beforehand, untimed, most with the passing answers.
	submits "$db" "quiz submit (${FAILING_PCT}% failing)" "$base" "$dsn" "$FAILING"
	if [[ $db == pg ]]; then
		# The passing transaction alone (no submit completing a course, whose
		# completion adds statements), then pgbench running its statements on
		# the same database, right after: the app's share of the server.
		submits "$db" "quiz submit (passing)" "$base" "$dsn" 0 --no-completion
		pgbench_submit "$dsn"
	fi
	stop_servers "$db"
}

log "building into $work"
(cd "$root" && go build -o "$work/frontline" ./app && go build -o "$work/bare" ./bench/bare &&
	go build -o "$work/submits" ./bench/submits)
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
echo "load: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, loopback, page /courses/$COURSE/$MODULE;"
echo "      submits: bench/submits, $LEARNERS learners, $CONNECTIONS connections, at most $DURATION; pgbench -c$CONNECTIONS -T$PGBENCH_TIME"
echo "      uptime:$(uptime | sed 's/.*load average/ load average/')"
echo
awk -F'|' 'BEGIN { printf "%-8s %-28s %12s %10s %10s %8s\n", "database", "load", "requests/s", "p50", "p99", "errors" }
	{ printf "%-8s %-28s %12s %10s %10s %8s\n", $1, $2, $3, $4, $5, $6 }' "$work/summary"
if [[ -s $work/ratio ]]; then
	echo
	echo "PostgreSQL quiz submit: $(cat "$work/ratio")"
fi
