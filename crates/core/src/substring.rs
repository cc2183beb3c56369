//! Substring search by a plain scan.
//!
//! Why not `str::find(&str)`: the standard library's substring searcher (two-way, with its suffix tables) adds
//! ~1.6 KB of wasm (~0.8 KiB of brotli in the widgets entry) to every module that searches for a string, and our
//! needles are short (a placeholder, a field label, a user's filter) in bounded texts, where a scan is as fast
//! as anything.
//!
//! ```
//! use vmbackup_core::substring;
//!
//! assert_eq!(substring::find("Field 'name' is empty", "'"), Some(6));
//! assert_eq!(substring::split_once("Backups of {name}.", "{name}"), Some(("Backups of ", ".")));
//! assert!(!substring::contains("web-01", "db"));
//! ```

/// Where `needle` first occurs in `haystack`, in bytes; an empty needle occurs at 0.
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Where `needle` first occurs in `haystack`, as a byte index (always a character boundary: a match of valid
/// UTF-8 starts where a character does).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    find_bytes(haystack.as_bytes(), needle.as_bytes())
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// The text before and after the first `needle`, as `str::split_once`.
pub fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(haystack, needle)?;
    Some((haystack.get(..at)?, haystack.get(at + needle.len()..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_as_the_standard_library_does() {
        let texts = ["", "a", "abc", "aaab", "ąę{name}ść", "Field 'x'", "xyxyxz", "ab"];
        let needles = ["", "a", "b", "ab", "aab", "{name}", "ść", "field", "xyxz", "abc"];
        for text in texts {
            for needle in needles {
                assert_eq!(find(text, needle), text.find(needle), "{text:?} / {needle:?}");
                assert_eq!(contains(text, needle), text.contains(needle), "{text:?} / {needle:?}");
                assert_eq!(split_once(text, needle), text.split_once(needle), "{text:?} / {needle:?}");
            }
        }
    }

    #[test]
    fn byte_positions_are_character_boundaries() {
        let text = "żółw {name}";
        let at = find(text, "{name}").expect("the placeholder is there");
        assert!(text.is_char_boundary(at));
        assert_eq!(&text[at..], "{name}");
    }
}
