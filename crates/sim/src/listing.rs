//! Query strings, paging, sorting and filtering of lists, and the list answer (bare array + `X-Total-Count`).
//!
//! Lists are filtered on references to the stored records, sorted by a key computed once per row, and only the
//! requested page is turned into JSON, so a page of 20 out of 100,000 VMs costs little more than the filter.

use std::cmp::Ordering;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::errors::ErrorReply;

/// The decoded query string; keys may repeat (`status=A&status=B`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Decodes a raw query string (`+` and `%XX` decoded).
    pub fn parse(raw: Option<&str>) -> Query {
        let pairs = raw
            .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
            .unwrap_or_default();
        Query { pairs }
    }

    /// The first non-empty value of `key` (an empty value, as the UI sends for `orderBy=`, counts as absent).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.trim())
    }

    /// Every non-empty value of `key`; comma-separated values are split too (`status=A,B`).
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// An integer parameter; a value that is not one is a 400.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ErrorReply> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ErrorReply::bad_request(format!("Query parameter '{key}': '{v}' is not a number"))),
        }
    }

    /// A boolean parameter (`true`/`false`); anything else is a 400.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, ErrorReply> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ErrorReply::bad_request(format!("Query parameter '{key}': '{v}' is not true or false"))),
        }
    }

    /// The free-text search: `filter`, else `nameLike`, lower-cased.
    pub fn text_filter(&self) -> Option<String> {
        self.get("filter").or_else(|| self.get("nameLike")).map(str::to_lowercase)
    }
}

/// Whether `haystack` contains `needle_lower` (already lower-case), ignoring case. ASCII names (nearly all) are
/// compared in place, without the allocation of `to_lowercase` for every row of a 100,000-row scan.
pub fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        return h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

/// Paging and sorting asked for by a list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    /// `(page, size)`, 0-based; `None` returns every row (old clients never page).
    pub page: Option<(usize, usize)>,
    /// The `orderBy` property (a dotted path such as `hypervisor.name`).
    pub order_by: Option<String>,
    pub descending: bool,
}

/// Spring's default page size, used when only `page` is given.
const DEFAULT_PAGE_SIZE: usize = 20;

impl ListRequest {
    /// Reads `page`, `size`, `orderBy`, `direction`. Unknown `orderBy` values are accepted (and sort nothing);
    /// negative or non-numeric paging is a 400.
    pub fn from_query(q: &Query) -> Result<ListRequest, ErrorReply> {
        let page = q.int("page")?;
        let size = q.int("size")?;
        let page = match (page, size) {
            (None, None) => None,
            (p, s) => {
                let p = p.unwrap_or(0);
                let s = s.unwrap_or(DEFAULT_PAGE_SIZE as i64);
                if p < 0 {
                    return Err(ErrorReply::bad_request("Query parameter 'page' must not be negative"));
                }
                if s < 1 {
                    return Err(ErrorReply::bad_request("Query parameter 'size' must be at least 1"));
                }
                Some((p as usize, s as usize))
            }
        };
        let descending = q.get("direction").is_some_and(|d| d.eq_ignore_ascii_case("desc"));
        Ok(ListRequest { page, order_by: q.get("orderBy").map(str::to_string), descending })
    }
}

/// A sortable value. `Missing` sorts last ascending and first descending (as PostgreSQL orders NULLs).
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Bool(bool),
    Number(f64),
    Text(String),
    Missing,
}

impl SortKey {
    /// The key of a JSON value: objects sort by their `name` (references and enum objects).
    pub fn of_value(v: Option<&Value>) -> SortKey {
        match v {
            None | Some(Value::Null) => SortKey::Missing,
            Some(Value::Bool(b)) => SortKey::Bool(*b),
            Some(Value::Number(n)) => n.as_f64().map_or(SortKey::Missing, SortKey::Number),
            Some(Value::String(s)) => SortKey::Text(s.to_lowercase()),
            Some(Value::Object(m)) => SortKey::of_value(m.get("name")),
            Some(Value::Array(a)) => SortKey::Number(a.len() as f64),
        }
    }

    /// The key at a dotted path of a JSON record (`hypervisor.name`).
    pub fn at_path(record: &Value, path: &str) -> SortKey {
        let mut current = Some(record);
        for part in path.split('.') {
            current = current.and_then(|v| v.get(part));
        }
        SortKey::of_value(current)
    }

    fn rank(&self) -> u8 {
        match self {
            SortKey::Bool(_) => 0,
            SortKey::Number(_) => 1,
            SortKey::Text(_) => 2,
            SortKey::Missing => 3,
        }
    }

    fn compare(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Bool(a), SortKey::Bool(b)) => a.cmp(b),
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// Sorts `rows` by the request's `orderBy` (stable: equal keys keep their order). `key` maps a row and the
/// property name to its key; a property it does not know gives `Missing` for every row, i.e. no change.
pub fn sort_rows<T>(rows: &mut Vec<T>, request: &ListRequest, key: impl Fn(&T, &str) -> SortKey) {
    let Some(field) = request.order_by.as_deref() else { return };
    let mut keyed: Vec<(SortKey, T)> = rows.drain(..).map(|r| (key(&r, field), r)).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        let o = a.compare(b);
        if request.descending {
            o.reverse()
        } else {
            o
        }
    });
    rows.extend(keyed.into_iter().map(|(_, r)| r));
}

/// The rows of the requested page and the total before paging.
pub fn page_rows<T>(rows: Vec<T>, request: &ListRequest) -> (Vec<T>, usize) {
    let total = rows.len();
    match request.page {
        None => (rows, total),
        Some((page, size)) => {
            let start = page.saturating_mul(size);
            (rows.into_iter().skip(start).take(size).collect(), total)
        }
    }
}

/// Sorts by JSON path and pages rows that are already JSON (small lists: managers, clusters, destinations …).
pub fn list_values(mut rows: Vec<Value>, request: &ListRequest) -> Response {
    sort_rows(&mut rows, request, SortKey::at_path);
    let (rows, total) = page_rows(rows, request);
    list_response(rows, total)
}

/// A list answer: 200, a bare JSON array, `X-Total-Count`.
pub fn list_response(rows: Vec<Value>, total: usize) -> Response {
    let body = Value::Array(rows).to_string();
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
        headers.insert("X-Total-Count", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_decoding_and_repeats() {
        let q = Query::parse(Some("status=SUCCESS&status=PARTIAL_SUCCESS&orderBy=&filter=web+01&x=a%2Fb"));
        assert_eq!(q.all("status"), vec!["SUCCESS", "PARTIAL_SUCCESS"]);
        assert_eq!(q.get("orderBy"), None);
        assert_eq!(q.get("filter"), Some("web 01"));
        assert_eq!(q.get("x"), Some("a/b"));
    }

    #[test]
    fn case_insensitive_contains() {
        assert!(contains_ignore_case("Web-01", "web"));
        assert!(contains_ignore_case("ÄPFEL-1", "äpfel"));
        assert!(!contains_ignore_case("db-01", "web"));
        assert!(contains_ignore_case("x", ""));
    }

    #[test]
    fn paging() {
        let r = ListRequest::from_query(&Query::parse(Some("page=1&size=2"))).unwrap_or_else(|e| panic!("{e}"));
        let (rows, total) = page_rows(vec![1, 2, 3, 4, 5], &r);
        assert_eq!((rows, total), (vec![3, 4], 5));
        assert!(ListRequest::from_query(&Query::parse(Some("page=-1&size=2"))).is_err());
        assert!(ListRequest::from_query(&Query::parse(Some("size=x"))).is_err());
        assert!(ListRequest::from_query(&Query::parse(Some("size=0"))).is_err());
    }

    #[test]
    fn sorting_by_path_with_nulls_last() {
        let r = ListRequest { page: None, order_by: Some("h.name".into()), descending: false };
        let mut rows = vec![json!({"h": {"name": "b"}}), json!({"h": null}), json!({"h": {"name": "A"}})];
        sort_rows(&mut rows, &r, SortKey::at_path);
        assert_eq!(rows[0]["h"]["name"], "A");
        assert_eq!(rows[2]["h"], Value::Null);
    }
}
