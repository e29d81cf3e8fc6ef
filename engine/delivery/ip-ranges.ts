// Which IP addresses an outbound call (webhook, CRM, SMS provider) must not reach
// unless allowed: loopback, private, link-local (cloud metadata at 169.254.169.254),
// unique-local and other non-public ranges, IPv4 and IPv6, with IPv4 inside IPv6
// (mapped ::ffff:a.b.c.d, NAT64, 6to4) judged as the IPv4 address it carries.
import net from 'node:net';
import ipaddr from 'ipaddr.js';

interface Range { base: bigint; bits: number; v6: boolean; reason: string }

/** An address as a number: 32 bits for IPv4, 128 for IPv6. */
export function parseIp(text: string): { value: bigint; v6: boolean } | undefined {
  const ip = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = net.isIP(ip);
  if (kind === 4) return { value: ip.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n), v6: false };
  if (kind !== 6) return undefined;
  let full = ip;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (v4tail) {
    const v4 = parseIp(v4tail[1]!)!.value;
    full = ip.slice(0, -v4tail[1]!.length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = full.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return { value: groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n), v6: true };
}

function range(cidr: string, reason: string): Range {
  const [ip, bits] = cidr.split('/');
  const parsed = parseIp(ip!)!;
  return { base: parsed.value, bits: Number(bits ?? (parsed.v6 ? 128 : 32)), v6: parsed.v6, reason };
}

function inRange(value: bigint, v6: boolean, r: Range): boolean {
  if (v6 !== r.v6) return false;
  const shift = BigInt((v6 ? 128 : 32) - r.bits);
  return value >> shift === r.base >> shift;
}

const BLOCKED: Range[] = [
  range('0.0.0.0/8', 'the "this network" range'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared (carrier-grade NAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local (cloud metadata lives here)'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved (IETF protocol assignments)'),
  range('192.0.2.0/24', 'reserved (documentation)'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'reserved (benchmarking)'),
  range('198.51.100.0/24', 'reserved (documentation)'),
  range('203.0.113.0/24', 'reserved (documentation)'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('100::/64', 'reserved (discard)'),
  range('2001:db8::/32', 'reserved (documentation)'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/** IPv6 ranges that carry an IPv4 address, and where its 32 bits sit. */
const CARRIERS: { range: Range; shift: bigint; name: string }[] = [
  { range: range('::ffff:0:0/96', ''), shift: 0n, name: 'IPv4-mapped' },
  { range: range('64:ff9b::/96', ''), shift: 0n, name: 'NAT64' },
  { range: range('2002::/16', ''), shift: 80n, name: '6to4' },
  { range: range('::/96', ''), shift: 0n, name: 'IPv4-compatible' },
  { range: range('::ffff:0:0:0/96', ''), shift: 0n, name: 'IPv4-translated' },
];

const v4Text = (v: bigint) => [24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 0xffn)).join('.');

/**
 * Why `address` is not a public address, or undefined when it is.
 * @example blockedReason('::ffff:127.0.0.1') // 'IPv4-mapped 127.0.0.1: loopback'
 */
export function blockedReason(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return 'not an IP address';
  const own = BLOCKED.find((r) => inRange(ip.value, ip.v6, r));
  if (own) return own.reason;
  if (ip.v6) {
    for (const c of CARRIERS) {
      if (!inRange(ip.value, true, c.range)) continue;
      const v4 = (ip.value >> c.shift) & 0xffffffffn;
      const inner = BLOCKED.find((r) => inRange(v4, false, r)) ?? special(v4Text(v4));
      // An address that carries a public IPv4 address is judged by it (NAT64 of a public host is fine).
      return inner ? `${c.name} ${v4Text(v4)}: ${inner.reason}` : undefined;
    }
  }
  return special(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''))?.reason;
}

/**
 * The IANA special-purpose registries as ipaddr.js keeps them (every range it does not
 * call plain unicast: Teredo, local-use NAT64 64:ff9b:1::/48, the 6to4 relay anycast,
 * AS112, ORCHID…), behind the hand list above: new registry entries arrive with the
 * package, not with an edit here.
 */
function special(address: string): { reason: string } | undefined {
  let kind: string;
  try { kind = ipaddr.parse(address).range(); } catch { return { reason: 'not an IP address' }; }
  return kind === 'unicast' ? undefined : { reason: `special-purpose (${kind})` };
}

/** One entry of TEND_HTTP_ALLOW: an address or CIDR range, or a host name, with an optional port. */
interface AllowEntry { range?: Range; host?: string; port?: number }

export interface AllowList {
  /** Whether calls to this host name (as written in the URL) and port are allowed whatever it resolves to. */
  allowsHost(host: string, port: number): boolean;
  allowsAddress(address: string, port: number): boolean;
}

/**
 * Parses TEND_HTTP_ALLOW: comma-separated `127.0.0.1:4000`, `10.0.0.0/8`, `[::1]:4000`,
 * `fd00::/8`, `crm.internal`, `crm.internal:8443`.
 */
export function parseAllowList(spec: string | undefined): AllowList {
  const entries: AllowEntry[] = [];
  for (const raw of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let target = raw;
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
    const hostPort = /^([^:]+):(\d+)$/.exec(raw);
    if (bracketed) [target, port] = [bracketed[1]!, bracketed[2] ? Number(bracketed[2]) : undefined];
    else if (hostPort) [target, port] = [hostPort[1]!, Number(hostPort[2])];
    const [addr, bits] = target.split('/');
    const ip = parseIp(addr!);
    if (ip) {
      const max = ip.v6 ? 128 : 32;
      const n = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`TEND_HTTP_ALLOW: "${raw}" has a bad prefix length`);
      entries.push({ range: { base: ip.value, bits: n, v6: ip.v6, reason: '' }, port });
    } else if (/^[A-Za-z0-9.-]+$/.test(target) && bits === undefined) {
      entries.push({ host: target.toLowerCase(), port });
    } else {
      throw new Error(`TEND_HTTP_ALLOW: cannot read "${raw}" (use 10.0.0.0/8, 127.0.0.1:4000, [::1]:4000 or host.name:port)`);
    }
  }
  const portOk = (e: AllowEntry, port: number) => e.port === undefined || e.port === port;
  return {
    allowsHost: (host, port) => entries.some((e) => e.host === host.toLowerCase() && portOk(e, port)),
    allowsAddress(address, port) {
      const ip = parseIp(address);
      if (!ip) return false;
      // ::ffff:10.0.0.1 is 10.0.0.1: an IPv4 entry allows it too.
      const mapped = ip.v6 && inRange(ip.value, true, CARRIERS[0]!.range) ? ip.value & 0xffffffffn : undefined;
      return entries.some((e) => e.range && portOk(e, port) && (inRange(ip.value, ip.v6, e.range) || (mapped !== undefined && inRange(mapped, false, e.range))));
    },
  };
}
