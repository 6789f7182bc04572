// Names for the link types TZSP carries (and those `decap` reads outer captures in); shared by the service and the view.
const names: Record<number, [short: string, long: string]> = {
  0: ['null', 'BSD loopback'],
  1: ['eth', 'Ethernet'],
  6: ['tr', 'Token Ring'],
  10: ['fddi', 'FDDI'],
  50: ['ppp', 'PPP in HDLC-like framing'],
  101: ['ip', 'raw IP'],
  105: ['wlan', 'IEEE 802.11'],
  113: ['sll', 'Linux cooked'],
  119: ['prism', 'IEEE 802.11 + Prism'],
  127: ['radiotap', 'IEEE 802.11 + radiotap'],
  147: ['user0', 'unknown TZSP encapsulation (USER0)'],
  163: ['avs', 'IEEE 802.11 + AVS'],
  228: ['ipv4', 'raw IPv4'],
  229: ['ipv6', 'raw IPv6'],
  276: ['sll2', 'Linux cooked v2'],
};

export function linktypeName(linktype: number): { short: string; long: string } {
  const [short, long] = names[linktype] ?? [`dlt${linktype}`, `link type ${linktype}`];
  return { short, long };
}
