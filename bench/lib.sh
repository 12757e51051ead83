# lib.sh — sourced by the benchmarks: nginx serving one file as the
# yardstick, the median of wrk runs (these need $tmp, $conns and $dur, and
# set $npid, which the caller's cleanup kills), the median time of a
# command, and the benchmarks' procedure on a running server.

# nginx_file FILE PORT: nginx (one worker per core, access log off) serves
# a copy of FILE at http://127.0.0.1:PORT/<name>.
nginx_file() {
	mkdir -p "$tmp/www"
	cp "$1" "$tmp/www/"
	cat > "$tmp/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp;
	proxy_temp_path $tmp;
	fastcgi_temp_path $tmp;
	uwsgi_temp_path $tmp;
	scgi_temp_path $tmp;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$2;
		root $tmp/www;
		location / { default_type application/json; }
	}
}
NGINX
	nginx -c "$tmp/nginx.conf" -g 'daemon off;' &
	npid=$!
	sleep 0.5
}

# rps URL: the median requests/s of three wrk runs against URL.
rps() {
	for r in 1 2 3; do
		wrk -t2 -c"$conns" -d"${dur}s" "$1" |
			awk '/Requests\/sec/ {print $2}'
	done | sort -n | sed -n 2p
}

# timed LABEL COMMAND…: runs COMMAND five times (output discarded) and
# prints LABEL with the median and every run, in milliseconds.
timed() {
	label=$1
	shift
	times=""
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		times="$times $(( (t1 - t0) / 1000000 ))"
	done
	med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 3p)
	echo "  $label: median $med ms (runs:$times ms)"
}

# bench_login BASE USER: the token of demo user USER.
bench_login() {
	curl -sf -X POST "$1/api/v1/auth/login" \
		-H 'content-type: application/json' \
		-d "{\"username\": \"$2\", \"password\": \"motcua-demo\"}" |
		sed 's/.*"token":"\([^"]*\)".*/\1/'
}

# bench_procedure BASE: procedure 9.990001 of the Sở Tư pháp, with the
# four-step workflow of the tests, published on the server at BASE.
bench_procedure() {
	kt=$(bench_login "$1" kiemsoat)
	curl -sSf -X POST "$1/api/v1/procedures" \
		-H "authorization: Bearer $kt" \
		-H 'content-type: application/json' -d '{"code": "9.990001",
		"name": "Thủ tục đo hiệu năng", "field": "Đo",
		"level": "province", "unit_code": "000.00.04.H51",
		"processing_time": {"amount": 5, "unit": "working_days"},
		"result": {"document_type": "Giấy", "paper": true},
		"components": [{"code": "TK", "name": "Tờ khai",
		"form": "original", "required": true}],
		"steps": [{"name": "Tiếp nhận", "role": "counter_officer",
		"share_percent": 10}, {"name": "Thẩm định",
		"role": "specialist", "share_percent": 60},
		{"name": "Phê duyệt", "role": "leader", "share_percent": 20},
		{"name": "Trả kết quả", "role": "counter_officer",
		"share_percent": 10}]}' >/dev/null
	curl -sf -X POST "$1/api/v1/procedures/9.990001/publish" \
		-H "authorization: Bearer $kt" \
		-H 'content-type: application/json' \
		-d '{"valid_from": "2025-07-01", "decision_number": "1/QĐ",
		"decision_date": "2025-07-01"}' >/dev/null
}
