//! Canonical URLs: one spelling per article, so the same article is never stored twice.
//!
//! The rules: scheme and host lower-cased (the `url` crate does this, and drops default ports), the fragment
//! dropped, tracking parameters removed (see [`is_tracking_param`]), and an empty query removed. Path case and
//! the order of the remaining parameters are kept, since servers may treat them as meaningful.

use url::Url;

/// Why a string could not be made into a canonical URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// Not a URL, even relative to the base.
    #[error("invalid URL {input:?}")]
    Invalid {
        /// The input as given.
        input: String,
        /// The parser's reason.
        #[source]
        source: url::ParseError,
    },
    /// Not a web URL.
    #[error("URL {input:?} is not http or https")]
    NotWeb {
        /// The input as given.
        input: String,
    },
}

/// Canonicalizes an absolute `http(s)` URL. `file` URLs are kept as they are (minus fragment), so that a local
/// fixture site has stable identities too.
pub fn canonicalize(input: &str) -> Result<Url, UrlError> {
    let mut url = Url::parse(input.trim()).map_err(|source| UrlError::Invalid {
        input: input.to_owned(),
        source,
    })?;
    match url.scheme() {
        "http" | "https" | "file" => {}
        _ => {
            return Err(UrlError::NotWeb {
                input: input.to_owned(),
            });
        }
    }
    url.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| !is_tracking_param(key))
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else if kept.len() != url.query_pairs().count() {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Ok(url)
}

/// Whether a query parameter exists only to track a reader: `utm_*`, click ids (`fbclid`, `gclid`, `dclid`,
/// `msclkid`, `yclid`, `igshid`, `twclid`, `ttclid`, `li_fat_id`), mail campaign ids (`mc_cid`, `mc_eid`,
/// `_hsenc`, `_hsmi`, `mkt_tok`), analytics (`_ga`, `_gl`) and social share markers (`ref_src`, `ref_url`,
/// `smid`, `cmpid`, `ocid`, `sr_share`).
pub fn is_tracking_param(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_")
        || matches!(
            key.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "gclsrc"
                | "msclkid"
                | "yclid"
                | "igshid"
                | "twclid"
                | "ttclid"
                | "li_fat_id"
                | "mc_cid"
                | "mc_eid"
                | "_hsenc"
                | "_hsmi"
                | "mkt_tok"
                | "_ga"
                | "_gl"
                | "ref_src"
                | "ref_url"
                | "smid"
                | "cmpid"
                | "ocid"
                | "sr_share"
        )
}

/// The origin of a URL (`https://blogs.example.com`), as a site identity.
pub fn site_of(url: &Url) -> Option<String> {
    match url.origin() {
        origin @ url::Origin::Tuple(..) => Some(origin.ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(canonicalize(input).unwrap().as_str(), expect, "{input}");
    }

    #[test]
    fn canonical_forms() {
        check(
            "HTTPS://Blogs.Example.COM:443/2012/07/24/Post/#respond",
            "https://blogs.example.com/2012/07/24/Post/",
        );
        check(
            "http://example.com/a?utm_source=rss&utm_medium=feed",
            "http://example.com/a",
        );
        check(
            "http://example.com/a?id=7&fbclid=x&gclid=y&page=2",
            "http://example.com/a?id=7&page=2",
        );
        check(
            "http://example.com/a?UTM_Campaign=x",
            "http://example.com/a",
        );
        check("http://example.com/a?", "http://example.com/a");
        check("http://example.com", "http://example.com/");
        check("  https://example.com/a b  ", "https://example.com/a%20b");
    }

    #[test]
    fn rejects_non_web() {
        assert!(matches!(
            canonicalize("mailto:x@example.com"),
            Err(UrlError::NotWeb { .. })
        ));
        assert_eq!(
            canonicalize("not a url").unwrap_err().to_string(),
            "invalid URL \"not a url\""
        );
    }

    #[test]
    fn site() {
        assert_eq!(
            site_of(&Url::parse("https://Blogs.example.com/a/b").unwrap()).as_deref(),
            Some("https://blogs.example.com")
        );
    }
}
