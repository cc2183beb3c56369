//! Short export names for a wasm-bindgen `--target web` build: the closure adapters' exports such as
//! `wasm_bindgen_80144d3d955294fd___convert__closures_____invoke___web_sys_…______true_` become `_0`, `_1`, … in
//! the module's export section, the glue and the module's declarations alike.
//!
//! wasm-bindgen names each export after the Rust item behind it, with crate hashes, and the glue calls each one
//! as `wasm.<name>`: the widgets entry carried ~1.8 KB of such names in the `.wasm` and again in the glue. Only
//! the glue reaches a `--target web` build's exports (its `instance.exports` is not handed out), so the names
//! are free to change. An export the glue never calls keeps its name; `memory` keeps its name too (it is the
//! one export a reader of the declarations might look for). Every call of a renamed export is renamed with it,
//! in one pass over the glue, so that no call is left behind and no short name is renamed again.

use crate::error::XtaskError;
use crate::wasm_binary::{rewrite_section, write_leb, write_name, Reader, EXPORT_SECTION};

const CONTEXT: &str = "shortening export names";

/// The glue's name for the module's exports object in a `--target web` build.
const EXPORTS_OBJECT: &str = "wasm.";

/// Renames the exports `glue` calls as `wasm.<name>` in `wasm`, `glue` and `typings` (the `_bg.wasm.d.ts`).
/// Returns the new module, glue and declarations, and how many exports were renamed.
pub fn shorten_export_names(
    wasm: &[u8],
    glue: &str,
    typings: &str,
) -> Result<(Vec<u8>, String, String, usize), XtaskError> {
    let called = names_after(glue, EXPORTS_OBJECT);
    let mut renames: Vec<(String, String)> = Vec::new();
    let out = rewrite_section(wasm, EXPORT_SECTION, CONTEXT, |body| rename_exports(body, &called, &mut renames))?;
    let glue = rename_after(glue, EXPORTS_OBJECT, &renames);
    let typings = rename_after(typings, "export const ", &renames);
    Ok((out, glue, typings, renames.len()))
}

/// The export section's body with every export in `called`, but `memory`, renamed; each rename is added to
/// `renames`.
fn rename_exports(body: &[u8], called: &[&str], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>, XtaskError> {
    let mut reader = Reader::new(body, CONTEXT);
    let count = reader.leb()?;
    let mut out = Vec::with_capacity(body.len());
    write_leb(&mut out, count);
    for _ in 0..count {
        let name = reader.name()?;
        let kind = reader.byte()?;
        let index = reader.leb()?;
        let name = if name != "memory" && called.contains(&name) {
            let short = format!("_{}", renames.len());
            renames.push((name.to_string(), short.clone()));
            short
        } else {
            name.to_string()
        };
        write_name(&mut out, &name);
        out.push(kind);
        write_leb(&mut out, index);
    }
    if reader.at != body.len() {
        return Err(reader.malformed("bytes after the last export"));
    }
    Ok(out)
}

fn is_identifier(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Each occurrence in `text` of `prefix` (not itself the tail of a longer identifier) with the identifier that
/// follows it: the byte range of the identifier.
fn identifiers_after<'t>(text: &'t str, prefix: &'t str) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        if text[..at].chars().next_back().is_some_and(is_identifier) {
            return None;
        }
        let start = at + prefix.len();
        let end = text[start..].find(|c: char| !is_identifier(c)).map_or(text.len(), |length| start + length);
        Some(start..end)
    })
}

/// The identifiers that follow `prefix` in `text`.
fn names_after<'t>(text: &'t str, prefix: &'t str) -> Vec<&'t str> {
    identifiers_after(text, prefix).map(|range| &text[range]).collect()
}

/// `text` with each identifier after `prefix` that `renames` names replaced by its short name, in one pass (a
/// short name is never renamed again).
fn rename_after(text: &str, prefix: &str, renames: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in identifiers_after(text, prefix) {
        if let Some((_, short)) = renames.iter().find(|(old, _)| *old == text[range.clone()]) {
            out.push_str(&text[copied..range.start]);
            out.push_str(short);
            copied = range.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm_binary::write_section;

    /// A module with exports only: a memory, three functions and a global.
    fn module() -> Vec<u8> {
        let mut exports = Vec::new();
        write_leb(&mut exports, 5);
        for (name, kind, index) in [
            ("memory", 2, 0),
            ("mount", 0, 7),
            ("wasm_bindgen_80144d3d955294fd___invoke_______true_", 0, 300),
            ("mountAll", 0, 9),
            ("__instance_terminated", 3, 1),
        ] {
            write_name(&mut exports, name);
            exports.push(kind);
            write_leb(&mut exports, index);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        write_section(&mut wasm, EXPORT_SECTION, &exports);
        wasm
    }

    const GLUE: &str = "export function mount(a) { return wasm.mount(a); }\n\
                        const f = wasm.wasm_bindgen_80144d3d955294fd___invoke_______true_;\n\
                        new Uint8Array(wasm.memory.buffer);\n";

    const TYPINGS: &str = "export const memory: WebAssembly.Memory;\nexport const mount: (a: any) => void;\n\
                           export const wasm_bindgen_80144d3d955294fd___invoke_______true_: () => void;\n\
                           export const mountAll: () => void;\n";

    #[test]
    fn exports_the_glue_calls_get_short_names_everywhere() -> Result<(), XtaskError> {
        let (wasm, glue, typings, count) = shorten_export_names(&module(), GLUE, TYPINGS)?;
        assert_eq!(count, 2);
        assert_eq!(
            glue,
            "export function mount(a) { return wasm._0(a); }\nconst f = wasm._1;\n\
             new Uint8Array(wasm.memory.buffer);\n",
            "the glue's own function `mount` keeps its name"
        );
        assert_eq!(
            typings,
            "export const memory: WebAssembly.Memory;\nexport const _0: (a: any) => void;\n\
             export const _1: () => void;\nexport const mountAll: () => void;\n"
        );
        let text = String::from_utf8_lossy(&wasm);
        assert!(!text.contains("80144d3d955294fd"));
        assert!(text.contains("mountAll") && text.contains("__instance_terminated") && text.contains("memory"));
        // The kinds and indices are copied: the third export is still function 300 (LEB 0xac 0x02).
        assert!(wasm.windows(5).any(|w| w == [b'_', b'1', 0, 0xac, 0x02]));
        // The rewritten module reads again; names that are short already are not renamed onto each other.
        let (_, glue, _, again) = shorten_export_names(&wasm, "wasm._1(wasm._0) xwasm.mountAll", "")?;
        assert_eq!((again, glue.as_str()), (2, "wasm._1(wasm._0) xwasm.mountAll"));
        Ok(())
    }

    #[test]
    fn a_cut_module_fails() {
        let mut cut = module();
        cut.truncate(cut.len() - 2);
        assert!(shorten_export_names(&cut, GLUE, TYPINGS).is_err());
        assert!(shorten_export_names(b"not wasm", "", "").is_err());
    }
}
