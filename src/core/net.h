/*
 * net.h — IP address blocks: the trusted proxies of the server
 * (trusted_proxies) and the private networks a webhook may reach only
 * when allowed (webhook_allow).
 */
#ifndef MC_CORE_NET_H
#define MC_CORE_NET_H

#include "core/compat.h"
#include "core/err.h"

/* An address block: the first 'bits' bits of 'addr'. */
struct mc_net {
	int family;			/* AF_INET, AF_INET6 */
	unsigned char addr[16];
	int bits;
};

/* Parses an address or CIDR block ("10.0.0.0/8", "::1") of 'n' bytes. */
bool mc_net_parse(const char *s, size_t n, struct mc_net *out);

/*
 * Parses a comma-separated list of them into out[0..max) ('out' NULL:
 * only checks and counts into '*n'). 0, or MC_EINVAL naming 'field' and
 * the entry that is neither an address nor a block.
 */
int mc_nets_parse(const char *list, const char *field, struct mc_net *out,
		  size_t max, size_t *n, struct mc_err *err);

/* Whether address 'a' (4 or 16 bytes of 'family') is in one of 'nets'. */
bool mc_nets_match(const struct mc_net *nets, size_t n, int family,
		   const unsigned char *a);

/*
 * Whether 'a' is not a public Internet address: loopback, private
 * (RFC 1918, IPv6 unique local), link-local, shared (100.64/10),
 * unspecified or multicast, IPv4-mapped ones included.
 */
bool mc_addr_private(int family, const unsigned char *a);

#endif /* MC_CORE_NET_H */
