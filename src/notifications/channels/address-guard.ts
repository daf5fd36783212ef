/**
 * Webhook receivers must be public (SPEC §7: private addresses refused unless WEBHOOK_ALLOW_PRIVATE), so that an
 * organisation's endpoint cannot make the service call into its own network (SSRF). Checked when a webhook is
 * registered and again before every send, so a name that later resolves to a private address is refused then.
 */
import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Why a URL may not receive webhooks; `reason` tells the caller which answer to give. */
export class DestinationRefusedError extends Error {
  constructor(
    readonly reason: 'scheme' | 'credentials' | 'private_address' | 'unresolvable',
    message: string,
  ) {
    super(message);
  }
}

/** Non-public ranges: loopback, private, CGNAT, link-local, ULA, multicast, documentation and reserved. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 one carries (NAT64 64:ff9b::/96, 6to4 2002::/16), if any: it is checked too. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const groups = expandIpv6(lower);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    return v4(groups[6], groups[7]);
  }
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return null;
}

function expandIpv6(address: string): number[] | null {
  let text = address;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/** Whether one IP address (v4 or v6, IPv4-mapped included) is outside the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  if (NON_PUBLIC.check(address, 'ipv6')) return true;
  const v4 = embeddedIpv4(address);
  return v4 !== null && NON_PUBLIC.check(v4, 'ipv4');
}

/**
 * Refuses a URL that is not absolute http(s), carries credentials, or — unless `allowPrivate` — whose host is or
 * resolves to any non-public address (every address the name resolves to is checked, not only the first).
 * An IP literal is checked without DNS.
 */
export async function assertPublicUrl(
  url: string,
  allowPrivate: boolean,
  lookupTimeoutMs = 5_000,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DestinationRefusedError('scheme', 'the URL is not an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DestinationRefusedError('scheme', 'the URL must use http or https');
  }
  if (parsed.username || parsed.password) {
    throw new DestinationRefusedError('credentials', 'the URL must not contain a user name or password');
  }
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await withTimeout(dns.lookup(host, { all: true, verbatim: true }), lookupTimeoutMs)).map(
        (a) => a.address,
      );
    } catch {
      throw new DestinationRefusedError('unresolvable', 'the host name does not resolve');
    }
    if (!addresses.length)
      throw new DestinationRefusedError('unresolvable', 'the host name does not resolve');
  }
  if (addresses.some(isNonPublicAddress)) {
    throw new DestinationRefusedError(
      'private_address',
      'the host is a private, loopback, link-local or otherwise non-public address',
    );
  }
}

/** getaddrinfo has no timeout of its own: a resolver that does not answer must not hold a request or a worker. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS lookup timed out')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A `lookup` for http(s).request that refuses any non-public address among those the name resolves to, at the
 * moment of connecting: the address checked is the address connected to, so a name re-pointed between a check
 * and the connection (DNS rebinding) cannot reach a private network.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    if (!addresses.length || addresses.some((a) => isNonPublicAddress(a.address))) {
      const refused = new DestinationRefusedError(
        'private_address',
        'the host is a private, loopback, link-local or otherwise non-public address',
      );
      return callback(Object.assign(refused, { code: 'EPRIVATEADDRESS' }), '', 0);
    }
    if ((options as { all?: boolean }).all) {
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    }
    return callback(null, addresses[0].address, addresses[0].family);
  });
};
