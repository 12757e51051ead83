/*
 * net.c — IP address blocks; see net.h.
 */
#include "core/compat.h"
#include "core/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

bool mc_net_parse(const char *s, size_t n, struct mc_net *out)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long bits;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		out->bits = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		out->bits = 128;
	} else {
		return false;
	}
	if (slash) {
		errno = 0;
		bits = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || bits < 0 ||
		    bits > out->bits)
			return false;
		out->bits = (int)bits;
	}
	return true;
}

int mc_nets_parse(const char *list, const char *field, struct mc_net *out,
		  size_t max, size_t *n, struct mc_err *err)
{
	const char *p = list;

	*n = 0;
	while (p && *p) {
		struct mc_net net;
		size_t k;

		p += strspn(p, ", ");
		k = strcspn(p, ", ");
		if (!k)
			break;
		if (!mc_net_parse(p, k, &net))
			return mc_err_field(err, field, "address", "'%.*s' is "
					    "neither an address nor a CIDR "
					    "block", (int)k, p);
		if (out && *n < max)
			out[*n] = net;
		(*n)++;
		p += k;
	}
	return 0;
}

static bool in_net(const struct mc_net *p, int family, const unsigned char *a)
{
	int whole = p->bits / 8, rest = p->bits % 8;

	if (p->family != family || memcmp(p->addr, a, (size_t)whole))
		return false;
	return !rest || !((p->addr[whole] ^ a[whole]) & (0xff << (8 - rest)));
}

bool mc_nets_match(const struct mc_net *nets, size_t n, int family,
		   const unsigned char *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (in_net(&nets[i], family, a))
			return true;
	return false;
}

bool mc_addr_private(int family, const unsigned char *a)
{
	static const char *const v4[] = { "0.0.0.0/8", "10.0.0.0/8",
		"100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
		"198.18.0.0/15", "224.0.0.0/3" };
	static const char *const v6[] = { "::/127", "fc00::/7", "fe80::/10",
		"ff00::/8", "64:ff9b::/96" };
	struct mc_net net;
	size_t i;

	if (family == AF_INET6 && !memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff",
					  12))
		return mc_addr_private(AF_INET, a + 12);	/* mapped */
	for (i = 0; family == AF_INET && i < MC_ARRAY_SIZE(v4); i++)
		if (mc_net_parse(v4[i], strlen(v4[i]), &net) &&
		    in_net(&net, family, a))
			return true;
	for (i = 0; family == AF_INET6 && i < MC_ARRAY_SIZE(v6); i++)
		if (mc_net_parse(v6[i], strlen(v6[i]), &net) &&
		    in_net(&net, family, a))
			return true;
	return false;
}
