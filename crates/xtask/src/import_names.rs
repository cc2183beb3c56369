//! Short import names for a wasm-bindgen `--target web` build: `__wbg_fetch_32fa433000c47bc1` becomes `__wbg_0`
//! in the module's import section and in its JS glue alike.
//!
//! wasm-bindgen names each import after the JS function it calls plus a 16-digit hash, and writes the name twice:
//! in the `.wasm` and as a key of the glue's import object. The hashes do not compress, so ~180 of them cost the
//! widgets entry ~3.5 KiB brotli. The new names keep the `__wbg_` prefix, which no other identifier in the glue
//! has, so that the rename cannot touch anything else; a name missing from the glue (a wasm-bindgen whose glue
//! looks different) fails the build instead of shipping a module whose imports the glue does not provide.

use crate::error::XtaskError;
use crate::export_names::is_identifier;
use crate::wasm_binary::{rewrite_section, write_leb, write_name, Reader, IMPORT_SECTION};

/// What the errors of a malformed module say they were doing.
const CONTEXT: &str = "shortening import names";

/// Renames the imports that `wasm` takes from its own glue (module names starting `./`, functions named
/// `__wbg_*` or `__wbindgen_*`) in both `wasm` and `glue`. Returns the new module, the new glue and how many
/// imports were renamed.
pub fn shorten_import_names(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String, usize), XtaskError> {
    let mut renames: Vec<(String, String)> = Vec::new();
    let out = rewrite_section(wasm, IMPORT_SECTION, CONTEXT, |body| rename_imports(body, &mut renames))?;
    let glue = rename_in_glue(glue, &renames)?;
    Ok((out, glue, renames.len()))
}

/// The import section's body with the glue's imports renamed; each rename is added to `renames`.
fn rename_imports(body: &[u8], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>, XtaskError> {
    let mut reader = Reader::new(body, CONTEXT);
    let count = reader.leb()?;
    let mut out = Vec::with_capacity(body.len());
    write_leb(&mut out, count);
    for _ in 0..count {
        let module = reader.name()?;
        let field = reader.name()?;
        let descriptor_start = reader.at;
        reader.skip_descriptor()?;
        let from_glue = module.starts_with("./") && (field.starts_with("__wbg_") || field.starts_with("__wbindgen_"));
        let field = if from_glue {
            let short = match renames.iter().find(|(old, _)| *old == field) {
                Some((_, short)) => short.clone(),
                None => {
                    let short = format!("__wbg_{}", renames.len());
                    renames.push((field.to_string(), short.clone()));
                    short
                }
            };
            short
        } else {
            field.to_string()
        };
        write_name(&mut out, module);
        write_name(&mut out, &field);
        out.extend_from_slice(&body[descriptor_start..reader.at]);
    }
    if reader.at != body.len() {
        return Err(reader.malformed("bytes after the last import"));
    }
    Ok(out)
}

/// `glue` with each old name, as a whole identifier, replaced by its short one.
fn rename_in_glue(glue: &str, renames: &[(String, String)]) -> Result<String, XtaskError> {
    let mut glue = glue.to_string();
    for (old, short) in renames {
        let mut renamed = String::with_capacity(glue.len());
        let mut rest = glue.as_str();
        let mut found = false;
        while let Some(index) = rest.find(old.as_str()) {
            let before = rest[..index].chars().next_back();
            let after = rest[index + old.len()..].chars().next();
            let whole = !before.is_some_and(is_identifier) && !after.is_some_and(is_identifier);
            renamed.push_str(&rest[..index]);
            renamed.push_str(if whole { short } else { old });
            found |= whole;
            rest = &rest[index + old.len()..];
        }
        renamed.push_str(rest);
        if !found {
            return Err(XtaskError::Unexpected(format!(
                "shortening import names: the glue never names `{old}`, which the module imports from it"
            )));
        }
        glue = renamed;
    }
    Ok(glue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm_binary::write_section;

    /// A module with a type section and imports: two functions from the glue (one imported twice under the same
    /// name), a function from a snippet and a memory with limits.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, 4);
        for (module, field) in [
            ("./pkg_bg.js", "__wbg_fetch_32fa433000c47bc1"),
            ("./pkg_bg.js", "__wbindgen_cast_0000000000000001"),
            ("./snippets/x/inline0.js", "define_element"),
        ] {
            write_name(&mut imports, module);
            write_name(&mut imports, field);
            imports.extend_from_slice(&[0, 0]); // function of type 0
        }
        write_name(&mut imports, "env");
        write_name(&mut imports, "memory");
        imports.extend_from_slice(&[2, 1, 17, 200, 1]); // memory: min 17, max 200
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type section: one `() -> ()`
        write_section(&mut wasm, IMPORT_SECTION, &imports);
        wasm
    }

    #[test]
    fn glue_imports_get_short_names_on_both_sides() -> Result<(), XtaskError> {
        let glue = "const import0 = { __wbg_fetch_32fa433000c47bc1: f, __wbindgen_cast_0000000000000001: g };\n\
                    // __wbg_fetch_32fa433000c47bc1x is another name\n";
        let (wasm, glue, count) = shorten_import_names(&module(), glue)?;
        assert_eq!(count, 2);
        assert_eq!(
            glue,
            "const import0 = { __wbg_0: f, __wbg_1: g };\n// __wbg_fetch_32fa433000c47bc1x is another name\n"
        );
        let text = String::from_utf8_lossy(&wasm);
        assert!(text.contains("__wbg_0") && text.contains("__wbg_1") && !text.contains("32fa433000c47bc1"));
        assert!(text.contains("define_element") && text.contains("memory"), "other imports keep their names");
        assert_eq!(&wasm[wasm.len() - 5..], &[2, 1, 17, 200, 1], "the memory's limits are copied as they are");
        // The rewritten module reads again, with the same imports.
        let (again, _, count) = shorten_import_names(&wasm, "__wbg_0 __wbg_1")?;
        assert_eq!((count, again.len()), (2, wasm.len()));
        Ok(())
    }

    #[test]
    fn a_name_the_glue_lacks_fails_and_so_does_a_cut_module() {
        assert!(shorten_import_names(&module(), "const import0 = {};").is_err());
        let mut cut = module();
        cut.truncate(cut.len() - 3);
        assert!(shorten_import_names(&cut, "__wbg_fetch_32fa433000c47bc1 __wbindgen_cast_0000000000000001").is_err());
        assert!(shorten_import_names(b"not wasm", "").is_err());
    }
}
