//! The address guard: requests to loopback, private, link-local and other non-public addresses are refused
//! after DNS resolution, so a feed cannot point newswire at the machine it runs on or at the user's network.
//!
//! The check runs in the DNS resolver reqwest connects through ([`GuardedResolver`]), on the addresses it is
//! about to connect to, so a name that resolves to `127.0.0.1` is caught as well as a literal address (which
//! [`check_literal_host`] handles, because reqwest does not resolve literals). Tests and the fixture server
//! turn the guard off with [`FetcherBuilder::allow_private`](super::FetcherBuilder::allow_private).
//! Through a proxy the user configured (`HTTP_PROXY` and friends), names are resolved by the proxy, so only
//! literal addresses are checked here; the proxy itself may be on a private address.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why a destination was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{host} resolves only to non-public addresses ({addrs}); newswire refuses them unless private addresses are allowed"
)]
pub struct NonPublicAddress {
    /// The host name or literal.
    pub host: String,
    /// The addresses found, comma-separated.
    pub addrs: String,
}

/// Whether `ip` is on the public internet: not loopback, private, link-local, shared (CGNAT), documentation,
/// benchmarking, multicast, reserved or unspecified. IPv4-mapped and IPv4-compatible IPv6 addresses are
/// judged by their IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0                                  // "this network"
        || (a == 100 && (64..128).contains(&b))    // shared address space (CGNAT), RFC 6598
        || (a == 192 && b == 0 && c == 0)          // IETF protocol assignments, RFC 6890
        || (a == 198 && (b == 18 || b == 19))      // benchmarking, RFC 2544
        || a >= 240) // reserved, RFC 1112
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let seg = ip.segments();
    // IPv4-compatible (deprecated) ::a.b.c.d, and NAT64 64:ff9b::a.b.c.d: judge the embedded IPv4 address.
    if seg[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified() {
        return is_public_v4(Ipv4Addr::from(u128::from(ip) as u32));
    }
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::from(u128::from(ip) as u32));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (seg[0] & 0xfe00) == 0xfc00               // unique local, fc00::/7
        || (seg[0] & 0xffc0) == 0xfe80               // link-local, fe80::/10
        || (seg[0] & 0xffc0) == 0xfec0               // site-local (deprecated), fec0::/10
        || (seg[0] == 0x2001 && seg[1] == 0x0db8)    // documentation, 2001:db8::/32
        || (seg[0] == 0x0100 && seg[1..4] == [0, 0, 0])) // discard-only, 100::/64
}

/// Refuses a URL host that is itself a non-public IP literal (reqwest connects to literals without asking the
/// resolver). Names pass here and are checked by [`GuardedResolver`].
pub fn check_literal_host(url: &url::Url) -> Result<(), NonPublicAddress> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(NonPublicAddress {
            host: url.host_str().unwrap_or_default().to_owned(),
            addrs: ip.to_string(),
        })
    }
}

/// The system resolver (or fixed answers for some names, as curl's `--resolve`), with non-public addresses
/// removed from every answer unless private addresses are allowed; an answer left empty is an error
/// ([`NonPublicAddress`]). Fixed answers go through the same filter, so they cannot sneak past the guard.
#[derive(Debug, Default, Clone)]
pub struct GuardedResolver {
    allow_private: bool,
    overrides: Arc<HashMap<String, Vec<SocketAddr>>>,
}

impl GuardedResolver {
    /// A resolver that refuses non-public addresses unless `allow_private`, answering the names in
    /// `overrides` (lowercase) without DNS.
    pub fn new(
        allow_private: bool,
        overrides: HashMap<String, Vec<SocketAddr>>,
    ) -> GuardedResolver {
        GuardedResolver {
            allow_private,
            overrides: Arc::new(overrides),
        }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let fixed = self
            .overrides
            .get(&name.as_str().to_ascii_lowercase())
            .cloned();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = match fixed {
                Some(addrs) => addrs,
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            if allow_private {
                return Ok(Box::new(found.into_iter()) as Addrs);
            }
            let public: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|addr| is_public(addr.ip()))
                .collect();
            if public.is_empty() && !found.is_empty() {
                let addrs = found
                    .iter()
                    .map(|a| a.ip().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(Box::new(NonPublicAddress { host, addrs }) as _);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().unwrap())
    }

    #[test]
    fn non_public_addresses() {
        for addr in [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "192.0.0.8",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "100::1",
        ] {
            assert!(!public(addr), "{addr} should be refused");
        }
    }

    #[test]
    fn public_addresses() {
        for addr in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "192.0.1.1",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(addr), "{addr} should be allowed");
        }
    }

    #[test]
    fn literal_hosts() {
        let url = |s: &str| url::Url::parse(s).unwrap();
        assert!(check_literal_host(&url("http://127.0.0.1:8080/feed")).is_err());
        assert!(check_literal_host(&url("http://[::1]/feed")).is_err());
        assert!(check_literal_host(&url("http://169.254.169.254/latest/meta-data/")).is_err());
        assert!(check_literal_host(&url("http://8.8.8.8/")).is_ok());
        // Names are the resolver's business.
        assert!(check_literal_host(&url("http://localhost/")).is_ok());
    }

    #[test]
    fn resolver_refuses_names_of_loopback() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt
            .block_on(GuardedResolver::default().resolve("localhost".parse().unwrap()))
            .err()
            .expect("localhost must be refused");
        let err = err.downcast_ref::<NonPublicAddress>().unwrap();
        assert_eq!(err.host, "localhost");
        assert!(err.addrs.contains("127.0.0.1") || err.addrs.contains("::1"));
    }
}
