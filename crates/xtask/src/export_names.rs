//! Short export names for a wasm-bindgen `--target web` build: the closure adapters' exports such as
//! `wasm_bindgen_80144d3d955294fd___convert__closures_____invoke___web_sys_…______true_` become `_0`, `_1`, … in
//! the module's export section, the glue and the module's declarations alike.
//!
//! wasm-bindgen names each export after the Rust item behind it, with crate hashes, and the glue calls each one
//! as `wasm.<name>`: the widgets entry carried ~1.8 KB of such names in the `.wasm` and again in the glue. The
//! package's API is the glue's functions and classes; the raw exports only show as what `init()` returns, typed
//! `InitOutput` in the declarations, which are renamed alike. An export the glue never calls keeps its name;
//! `memory` keeps its name too (the one export a caller of `init()` might use). Every call of a renamed export
//! is renamed with it, in one pass over the glue, so that no call is left behind and no short name is renamed
//! again; a short name is never one the module already exports.

use crate::error::XtaskError;
use crate::wasm_binary::{rewrite_section, write_leb, write_name, Reader, EXPORT_SECTION};

const CONTEXT: &str = "shortening export names";

/// The glue's name for the module's exports object in a `--target web` build.
const EXPORTS_OBJECT: &str = "wasm.";

/// A `--target web` build's files with short export names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortExports {
    pub wasm: Vec<u8>,
    pub glue: String,
    /// The module's declarations (`<name>_bg.wasm.d.ts`).
    pub wasm_typings: String,
    /// The glue's declarations (`<name>.d.ts`), whose `InitOutput` lists the exports.
    pub typings: String,
    /// How many exports were renamed.
    pub renamed: usize,
}

/// Renames the exports `glue` calls as `wasm.<name>` in `wasm`, `glue`, `wasm_typings` and the `InitOutput` of
/// `typings`.
pub fn shorten_export_names(
    wasm: &[u8],
    glue: &str,
    wasm_typings: &str,
    typings: &str,
) -> Result<ShortExports, XtaskError> {
    let called = names_after(glue, EXPORTS_OBJECT);
    let mut renames: Vec<(String, String)> = Vec::new();
    let wasm = rewrite_section(wasm, EXPORT_SECTION, CONTEXT, |body| rename_exports(body, &called, &mut renames))?;
    let typings = match typings.find(INIT_OUTPUT) {
        Some(start) => {
            let end = typings[start..].find("\n}").map_or(typings.len(), |length| start + length);
            let renamed = rename_after(&typings[start..end], "readonly ", &renames);
            format!("{}{renamed}{}", &typings[..start], &typings[end..])
        }
        None => typings.to_string(),
    };
    Ok(ShortExports {
        wasm,
        glue: rename_after(glue, EXPORTS_OBJECT, &renames),
        wasm_typings: rename_after(wasm_typings, "export const ", &renames),
        typings,
        renamed: renames.len(),
    })
}

/// Where the declarations list the exports.
const INIT_OUTPUT: &str = "export interface InitOutput {";

/// The export section's body with every export in `called`, but `memory`, renamed; each rename is added to
/// `renames`.
fn rename_exports(body: &[u8], called: &[&str], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>, XtaskError> {
    let mut reader = Reader::new(body, CONTEXT);
    let count = reader.leb()?;
    let mut exports = Vec::new();
    for _ in 0..count {
        let name = reader.name()?;
        let kind = reader.byte()?;
        let index = reader.leb()?;
        exports.push((name, kind, index));
    }
    if reader.at != body.len() {
        return Err(reader.malformed("bytes after the last export"));
    }
    let mut next = 0;
    let mut out = Vec::with_capacity(body.len());
    write_leb(&mut out, count);
    for &(name, kind, index) in &exports {
        let name = if name != "memory" && called.contains(&name) {
            let short = loop {
                let short = format!("_{next}");
                next += 1;
                if !exports.iter().any(|(existing, _, _)| *existing == short) {
                    break short;
                }
            };
            renames.push((name.to_string(), short.clone()));
            short
        } else {
            name.to_string()
        };
        write_name(&mut out, &name);
        out.push(kind);
        write_leb(&mut out, index);
    }
    Ok(out)
}

/// Whether `c` can be part of a JavaScript identifier (as wasm-bindgen's glue names things).
pub fn is_identifier(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Each occurrence in `text` of `prefix` (not itself the tail of a longer identifier or property path) with the
/// identifier that follows it: the byte range of the identifier.
fn identifiers_after<'t>(text: &'t str, prefix: &'t str) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        if text[..at].chars().next_back().is_some_and(|c| is_identifier(c) || c == '.') {
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

    const WASM_TYPINGS: &str = "export const memory: WebAssembly.Memory;\nexport const mount: (a: any) => void;\n\
                                export const wasm_bindgen_80144d3d955294fd___invoke_______true_: () => void;\n\
                                export const mountAll: () => void;\n";

    const TYPINGS: &str = "export class Handle {\n    readonly mount: number;\n}\n\
                           export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n\
                           readonly mount: (a: any) => void;\n    readonly mountAll: () => void;\n}\n\
                           export function initSync(m: any): InitOutput;\n";

    /// The export names of a module.
    fn export_names(wasm: &[u8]) -> Result<Vec<String>, XtaskError> {
        let mut names = Vec::new();
        rewrite_section(wasm, EXPORT_SECTION, CONTEXT, |body| {
            let mut reader = Reader::new(body, CONTEXT);
            for _ in 0..reader.leb()? {
                names.push(reader.name()?.to_string());
                reader.byte()?;
                reader.leb()?;
            }
            Ok(body.to_vec())
        })?;
        Ok(names)
    }

    #[test]
    fn exports_the_glue_calls_get_short_names_everywhere() -> Result<(), XtaskError> {
        let short = shorten_export_names(&module(), GLUE, WASM_TYPINGS, TYPINGS)?;
        assert_eq!(short.renamed, 2);
        assert_eq!(
            short.glue,
            "export function mount(a) { return wasm._0(a); }\nconst f = wasm._1;\n\
             new Uint8Array(wasm.memory.buffer);\n",
            "the glue's own function `mount` keeps its name"
        );
        assert_eq!(
            short.wasm_typings,
            "export const memory: WebAssembly.Memory;\nexport const _0: (a: any) => void;\n\
             export const _1: () => void;\nexport const mountAll: () => void;\n"
        );
        assert_eq!(
            short.typings,
            TYPINGS.replace("readonly mount: (a: any)", "readonly _0: (a: any)"),
            "InitOutput's `mount` is renamed, a class's property of the same name is not"
        );
        assert_eq!(export_names(&short.wasm)?, ["memory", "_0", "_1", "mountAll", "__instance_terminated"]);
        // The kinds and indices are copied: the third export is still function 300 (LEB 0xac 0x02).
        assert!(short.wasm.windows(5).any(|w| w == [b'_', b'1', 0, 0xac, 0x02]));
        Ok(())
    }

    #[test]
    fn a_short_name_is_never_one_the_module_already_exports() -> Result<(), XtaskError> {
        // As on a second run: `_0` is exported but not called, `_1` is called.
        let once = shorten_export_names(&module(), GLUE, "", "")?;
        let twice = shorten_export_names(&once.wasm, "wasm._1 wasm.mountAll x.wasm._0 ywasm.memory", "", "")?;
        assert_eq!(twice.glue, "wasm._2 wasm._3 x.wasm._0 ywasm.memory");
        assert_eq!(export_names(&twice.wasm)?, ["memory", "_0", "_2", "_3", "__instance_terminated"]);
        Ok(())
    }

    #[test]
    fn a_cut_module_fails() {
        let mut cut = module();
        cut.truncate(cut.len() - 2);
        assert!(shorten_export_names(&cut, GLUE, WASM_TYPINGS, TYPINGS).is_err());
        assert!(shorten_export_names(b"not wasm", "", "", "").is_err());
    }
}
