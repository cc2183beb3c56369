//! The session cookie, where the runtime shows it to us.
//!
//! Browsers keep cookies themselves and hide `Set-Cookie` from scripts, so there this jar stays empty and the
//! browser's own jar (with `credentials: "include"`) carries the session. Node's and edge runtimes' `fetch`, and
//! the native transport, have no jar: there the client keeps the cookies the server set and sends them back.

/// Cookies set by the one server the client talks to (name → value; attributes other than expiry are ignored).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct CookieJar {
    cookies: Vec<(String, String)>,
}

impl CookieJar {
    /// Takes every `Set-Cookie` header of a response.
    pub(crate) fn store_from(&mut self, headers: &[(String, String)]) {
        for (_, value) in headers.iter().filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie")) {
            self.store(value);
        }
    }

    fn store(&mut self, set_cookie: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else { return };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return;
        }
        let deleted = value.is_empty()
            || parts.any(|attribute| {
                let attribute = attribute.trim().to_ascii_lowercase();
                attribute == "max-age=0" || attribute.starts_with("max-age=-")
            });
        self.cookies.retain(|(existing, _)| existing != name);
        if !deleted {
            self.cookies.push((name.to_string(), value.to_string()));
        }
    }

    /// The `Cookie` header value, if any cookie is held.
    pub(crate) fn header(&self) -> Option<String> {
        if self.cookies.is_empty() {
            return None;
        }
        Some(self.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; "))
    }

    /// Forgets every cookie (logout).
    pub(crate) fn clear(&mut self) {
        self.cookies.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_cookie(value: &str) -> Vec<(String, String)> {
        vec![("Set-Cookie".to_string(), value.to_string()), ("Content-Type".to_string(), "x=y".to_string())]
    }

    #[test]
    fn keeps_the_latest_value_of_each_cookie_and_ignores_attributes() {
        let mut jar = CookieJar::default();
        jar.store_from(&set_cookie("JSESSIONID=abc; Path=/api; HttpOnly; SameSite=Lax"));
        jar.store_from(&set_cookie("lang=pl"));
        jar.store_from(&set_cookie("JSESSIONID=def; Path=/api"));
        assert_eq!(jar.header().as_deref(), Some("lang=pl; JSESSIONID=def"));
    }

    #[test]
    fn a_cookie_deleted_by_the_server_is_forgotten() {
        let mut jar = CookieJar::default();
        jar.store_from(&set_cookie("JSESSIONID=abc"));
        jar.store_from(&set_cookie("JSESSIONID=gone; Max-Age=0"));
        assert_eq!(jar.header(), None);
        jar.store_from(&set_cookie("JSESSIONID=abc"));
        jar.store_from(&set_cookie("JSESSIONID="));
        assert_eq!(jar.header(), None);
    }

    #[test]
    fn malformed_headers_are_ignored() {
        let mut jar = CookieJar::default();
        jar.store_from(&set_cookie("no equals sign"));
        jar.store_from(&set_cookie("=value-without-name"));
        assert_eq!(jar.header(), None);
        jar.store_from(&set_cookie("a=1"));
        jar.clear();
        assert_eq!(jar.header(), None);
    }
}
