import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Built once per allow-list (the couriers document is cached, so the same array comes back). */
const compiled = new WeakMap<readonly string[], BlockList>();

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIPv4(address) ? 'ipv4' : 'ipv6');

function blockList(entries: readonly string[]): BlockList {
  let list = compiled.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string | undefined];
      if (prefix === undefined) list.addAddress(address, familyOf(address));
      else list.addSubnet(address, Number(prefix), familyOf(address));
    }
    compiled.set(entries, list);
  }
  return list;
}

/** An IPv4 peer on a dual-stack socket shows as `::ffff:a.b.c.d`. */
const unmapped = (address: string): string => (address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address);

/** True when `sourceIp` (the caller's address, from the origin check) is in one of the allowed addresses or blocks. */
export function sourceAllowed(entries: readonly string[], sourceIp: string | undefined): boolean {
  if (!sourceIp) return false;
  const address = unmapped(sourceIp);
  if (!isIPv4(address) && !isIPv6(address)) return false;
  return blockList(entries).check(address, familyOf(address));
}
