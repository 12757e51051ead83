# pg-lib.sh — sourced by the PostgreSQL scripts (pg-tmp.sh, cluster-up,
# cluster-down): where Debian's PostgreSQL 15 programs are, and how to run
# them. PostgreSQL refuses to run as root: as root they run as the
# 'postgres' user that the package creates.
pgbin=/usr/lib/postgresql/15/bin

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
