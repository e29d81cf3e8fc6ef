// Which addresses the SSRF guard counts as not public, and how TEND_HTTP_ALLOW reads.
import { expect, test } from 'vitest';
import { blockedReason, parseAllowList } from './ip-ranges.js';

test.each([
  ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['10.0.0.1', 'private'], ['172.16.5.4', 'private'], ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'], ['100.64.0.1', 'shared'], ['0.0.0.0', 'this network'], ['224.0.0.1', 'multicast'],
  ['::1', 'loopback'], ['::', 'unspecified'], ['fd12:3456::1', 'unique-local'], ['fc00::1', 'unique-local'], ['fe80::1', 'link-local'],
  ['::ffff:127.0.0.1', 'IPv4-mapped 127.0.0.1: loopback'], ['::ffff:a9fe:a9fe', 'IPv4-mapped 169.254.169.254: link-local'],
  ['64:ff9b::10.0.0.1', 'NAT64 10.0.0.1: private'], ['2002:7f00:1::', '6to4 127.0.0.1: loopback'],
])('%s is refused (%s)', (address, reason) => {
  expect(blockedReason(address)).toContain(reason);
});

test.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2001:4860:4860::8888'])('%s is public', (address) => {
  expect(blockedReason(address)).toBeUndefined();
});

test('the allow-list: addresses, ranges, ports, IPv6 in brackets and host names', () => {
  const allow = parseAllowList('127.0.0.1:4000, 10.0.0.0/8,[::1]:5000,fd00::/8,crm.internal');
  expect(allow.allowsAddress('127.0.0.1', 4000)).toBe(true);
  expect(allow.allowsAddress('127.0.0.1', 4001)).toBe(false);
  expect(allow.allowsAddress('10.20.30.40', 80)).toBe(true);
  expect(allow.allowsAddress('::ffff:10.0.0.1', 80)).toBe(true);
  expect(allow.allowsAddress('11.0.0.1', 80)).toBe(false);
  expect(allow.allowsAddress('::1', 5000)).toBe(true);
  expect(allow.allowsAddress('::1', 80)).toBe(false);
  expect(allow.allowsAddress('fd00::9', 80)).toBe(true);
  expect(allow.allowsHost('CRM.internal', 443)).toBe(true);
  expect(allow.allowsHost('other.internal', 443)).toBe(false);
  expect(() => parseAllowList('10.0.0.0/33')).toThrow(/bad prefix length/);
  expect(() => parseAllowList('http://x')).toThrow(/cannot read/);
});

test('the IANA special-purpose ranges outside testing found open are refused (ipaddr.js keeps the registry)', () => {
  expect(blockedReason('64:ff9b:1::1')).toContain('special-purpose'); // local-use NAT64 (RFC 8215)
  expect(blockedReason('::ffff:0:7f00:1')).toBe('IPv4-translated 127.0.0.1: loopback'); // ::ffff:0:0:0/96
  expect(blockedReason('2001::1')).toBe('special-purpose (teredo)');
  expect(blockedReason('192.88.99.1')).toContain('special-purpose'); // 6to4 relay anycast
  expect(blockedReason('192.31.196.1')).toContain('special-purpose'); // AS112
  // Public addresses, also when another range carries them, still pass.
  for (const ok of ['8.8.8.8', '2606:4700::1', '::ffff:1.2.3.4', '::ffff:0:808:808', '64:ff9b::808:808', '2002:808:808::1']) expect(blockedReason(ok), ok).toBeUndefined();
});
