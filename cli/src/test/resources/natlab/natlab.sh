#!/usr/bin/env bash
# The NAT lab (docs/nat.md): network namespaces joined by a "public" bridge, a server on it, and
# hosts behind Linux NATs of each kind. Every namespace, veth and bridge is named r19-*.
#   natlab.sh up      build it (removing any stale r19-* namespaces first)
#   natlab.sh down    remove every r19-* namespace, and with them every link in them
# Links and addresses go through `ip -batch`, a few processes in all: on a busy machine each
# process costs more than the kernel's work.
set -euo pipefail

WAN=198.51.100
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

down() {
  ip netns list | awk '$1 ~ /^r19-/ {print "netns del " $1}' > "$work/down"
  if [ -s "$work/down" ]; then
    ip -batch "$work/down"
  fi
}

# Batches: $work/global for namespaces and veths, $work/ns.NAME for what happens inside NAME.
global() { echo "$*" >> "$work/global"; }
inside() { local ns=$1; shift; echo "$*" >> "$work/ns.$ns"; }

newns() {
  global "netns add $1"
  inside "$1" "link set lo up"
}

# attach NS ADDR N: a veth r19-wan0 from namespace NS to the public bridge.
attach() {
  local ns=$1 addr=$2 n=$3
  global "link add r19-w$n netns r19-wan type veth peer name r19-wan0 netns $ns"
  inside r19-wan "link set r19-w$n master r19-br up"
  inside "$ns" "addr add $addr dev r19-wan0"
  inside "$ns" "link set r19-wan0 up"
}

# host NS NATNS LAN SUBNET NUM: a host namespace at SUBNET.NUM on bridge LAN of a NAT namespace.
host() {
  local ns=$1 nat=$2 lan=$3 subnet=$4 num=$5
  newns "$ns"
  global "link add $lan-$num netns $nat type veth peer name r19-eth0 netns $ns"
  inside "$nat" "link set $lan-$num master $lan up"
  inside "$ns" "addr add $subnet.$num/24 dev r19-eth0"
  inside "$ns" "link set r19-eth0 up"
  inside "$ns" "route add default via $subnet.1"
}

# nat NAME N KIND SUBNET...: NAT namespace r19-nNAME at $WAN.(10+N), a LAN bridge per subnet, and
# the rules of KIND:
#   full  endpoint-independent mapping and filtering (full cone)
#   addr  endpoint-independent mapping, address-dependent filtering (restricted cone)
#   port  endpoint-independent mapping, address-and-port-dependent filtering (port-restricted cone)
#   sym   endpoint-dependent mapping (a new port per destination), address-and-port-dependent filtering
# Linux masquerading keeps the source port when it can, which makes the mapping endpoint-independent
# (one host per NAT, or two using random ports); "fully-random" picks a new port per destination.
# There is no hairpinning: nothing turns packets sent to the public address back in.
nat() {
  local name=$1 n=$2 kind=$3
  shift 3
  local ns=r19-n$name
  newns "$ns"
  attach "$ns" "$WAN.$((10 + n))/24" "$n"
  local i=0
  for subnet in "$@"; do
    i=$((i + 1))
    inside "$ns" "link add r19-lan$i type bridge"
    inside "$ns" "addr add $subnet.1/24 dev r19-lan$i"
    inside "$ns" "link set r19-lan$i up"
  done
  local first=$1.2 masq=masquerade extra="" isolate=""
  case $kind in
    full) extra="chain inbound {
        type nat hook prerouting priority dstnat;
        iifname \"r19-wan0\" meta l4proto udp dnat to $first
      }" ;;
    addr) extra="set contacted {
        type ipv4_addr . inet_service
        flags dynamic,timeout
        timeout 120s
      }
      chain lanout {
        type filter hook forward priority filter;
        oifname \"r19-wan0\" meta l4proto udp update @contacted { ip daddr . udp sport }
      }
      chain inbound {
        type nat hook prerouting priority dstnat;
        iifname \"r19-wan0\" ip saddr . udp dport @contacted dnat to $first
      }" ;;
    port) ;;
    sym) masq="masquerade fully-random" ;;
    *) echo "unknown NAT kind $kind" >&2; exit 2 ;;
  esac
  if [ $# -gt 1 ]; then
    # LANs behind one NAT that may not talk to each other (a guest network, client isolation).
    isolate="chain isolate {
        type filter hook forward priority filter;
        iifname \"r19-lan*\" oifname \"r19-lan*\" drop
      }"
  fi
  # Nothing on the NAT itself listens on its public side, and an unsolicited packet must not
  # leave a conntrack entry behind: one that came in before the host behind sent out on the same
  # pair of addresses would take the mapping's tuple, and masquerading would then pick another
  # port for the host's first packet there (a port-restricted NAT turned symmetric, by timing).
  # Dropped on input, the entry is never confirmed. Routers do the same with their firewall.
  cat > "$work/nft.$ns" <<NFT
table ip r19 {
  chain wanin {
    type filter hook input priority filter;
    iifname "r19-wan0" drop
  }
  chain masq {
    type nat hook postrouting priority srcnat;
    oifname "r19-wan0" $masq
  }
  $extra
  $isolate
}
NFT
}

up() {
  down
  : > "$work/global"
  newns r19-wan
  inside r19-wan "link add r19-br type bridge"
  inside r19-wan "link set r19-br up"
  newns r19-srv
  attach r19-srv "$WAN.1/24" 0
  inside r19-srv "addr add $WAN.2/24 dev r19-wan0"
  inside r19-srv "addr add $WAN.3/24 dev r19-wan0"
  local n=0
  for kind in full addr port sym; do
    for i in 1 2; do
      n=$((n + 1))
      local name=${kind:0:1}$i
      nat "$name" $n "$kind" "10.0.$n"
      host "r19-h$name" "r19-n$name" r19-lan1 "10.0.$n" 2
    done
  done
  # Two hosts on one LAN behind one port-restricted NAT.
  nat l 9 port 10.9.0
  host r19-hl1 r19-nl r19-lan1 10.9.0 2
  host r19-hl2 r19-nl r19-lan1 10.9.0 3
  # Two hosts on isolated LANs behind one port-restricted NAT: only their public address is common.
  nat i 10 port 10.10.1 10.10.2
  host r19-hi1 r19-ni r19-lan1 10.10.1 2
  host r19-hi2 r19-ni r19-lan2 10.10.2 2
  # A host behind a port-restricted NAT on a network that lets no UDP out.
  nat u 11 port 10.11.0
  host r19-hu1 r19-nu r19-lan1 10.11.0 2
  cat > "$work/nft.r19-hu1" <<NFT
table inet r19 {
  chain out {
    type filter hook output priority filter;
    meta l4proto udp drop
  }
}
NFT
  # Namespaces and veths first; then inside each namespace, bridges before the links put on them,
  # and the NAT rules: one process (and its children) per namespace.
  ip -batch "$work/global"
  for f in "$work"/ns.*; do
    local ns=${f##*/ns.}
    { grep -e "type bridge" "$f" || true; grep -v -e "type bridge" "$f" || true; } > "$f.ordered"
    if [ -f "$work/nft.$ns" ]; then
      ip netns exec "$ns" sh -c "ip -batch '$f.ordered' && echo 1 > /proc/sys/net/ipv4/ip_forward && nft -f '$work/nft.$ns'"
    else
      ip -n "$ns" -batch "$f.ordered"
    fi
  done
}

case ${1:-} in
  up) up ;;
  down) down ;;
  *) echo "usage: natlab.sh up|down" >&2; exit 2 ;;
esac
