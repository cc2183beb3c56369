//! Short import names for a wasm-bindgen `--target web` build: `__wbg_fetch_32fa433000c47bc1` becomes `__wbg_0`
//! in the module's import section and in its JS glue alike.
//!
//! wasm-bindgen names each import after the JS function it calls plus a 16-digit hash, and writes the name twice:
//! in the `.wasm` and as a key of the glue's import object. The hashes do not compress, so ~180 of them cost the
//! widgets entry ~3.5 KiB brotli. The new names keep the `__wbg_` prefix, which no other identifier in the glue
//! has, so that the rename cannot touch anything else; a name missing from the glue (a wasm-bindgen whose glue
//! looks different) fails the build instead of shipping a module whose imports the glue does not provide.

use crate::error::XtaskError;

/// The import section's id in the wasm binary format.
const IMPORT_SECTION: u8 = 2;

/// Renames the imports that `wasm` takes from its own glue (module names starting `./`, functions named
/// `__wbg_*` or `__wbindgen_*`) in both `wasm` and `glue`. Returns the new module, the new glue and how many
/// imports were renamed.
pub fn shorten_import_names(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String, usize), XtaskError> {
    let malformed = |what: &str| XtaskError::Unexpected(format!("shortening import names: {what}"));
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(malformed("not a wasm module"));
    }
    let mut out = wasm[..8].to_vec();
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let mut reader = Reader { bytes: wasm, at: at + 1 };
        let size = reader.leb()? as usize;
        let body_start = reader.at;
        let body_end = body_start
            .checked_add(size)
            .filter(|end| *end <= wasm.len())
            .ok_or_else(|| malformed("a section runs past the end"))?;
        if id == IMPORT_SECTION {
            let body = rename_imports(&wasm[body_start..body_end], &mut renames)?;
            out.push(IMPORT_SECTION);
            write_leb(&mut out, body.len() as u32);
            out.extend_from_slice(&body);
        } else {
            out.extend_from_slice(&wasm[at..body_end]);
        }
        at = body_end;
    }
    let glue = rename_in_glue(glue, &renames)?;
    Ok((out, glue, renames.len()))
}

/// The import section's body with the glue's imports renamed; each rename is added to `renames`.
fn rename_imports(body: &[u8], renames: &mut Vec<(String, String)>) -> Result<Vec<u8>, XtaskError> {
    let mut reader = Reader { bytes: body, at: 0 };
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
        return Err(XtaskError::Unexpected("shortening import names: bytes after the last import".into()));
    }
    Ok(out)
}

/// `glue` with each old name, as a whole identifier, replaced by its short one.
fn rename_in_glue(glue: &str, renames: &[(String, String)]) -> Result<String, XtaskError> {
    let is_identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
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

/// Reads the wasm binary format's pieces from `bytes`.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, XtaskError> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| XtaskError::Unexpected("shortening import names: the module ends early".into()))?;
        self.at += 1;
        Ok(byte)
    }

    /// An unsigned LEB128 number of at most 32 bits.
    fn leb(&mut self) -> Result<u32, XtaskError> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(XtaskError::Unexpected("shortening import names: a number longer than 32 bits".into()))
    }

    fn name(&mut self) -> Result<&'a str, XtaskError> {
        let len = self.leb()? as usize;
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or_else(|| XtaskError::Unexpected("shortening import names: a name runs past the end".into()))?;
        self.at += len;
        std::str::from_utf8(bytes)
            .map_err(|_| XtaskError::Unexpected("shortening import names: a name is not UTF-8".into()))
    }

    /// Limits: flags, minimum, and the maximum when flag bit 0 is set.
    fn skip_limits(&mut self) -> Result<(), XtaskError> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }

    /// An import's description: a function's type, a table, a memory, a global or a tag.
    fn skip_descriptor(&mut self) -> Result<(), XtaskError> {
        match self.byte()? {
            0 => self.leb().map(drop),
            1 => {
                self.byte()?; // element type
                self.skip_limits()
            }
            2 => self.skip_limits(),
            3 => {
                self.byte()?; // value type
                self.byte().map(drop) // mutability
            }
            4 => {
                self.byte()?; // attribute
                self.leb().map(drop)
            }
            kind => Err(XtaskError::Unexpected(format!("shortening import names: unknown import kind {kind}"))),
        }
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

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
        wasm.push(IMPORT_SECTION);
        write_leb(&mut wasm, imports.len() as u32);
        wasm.extend_from_slice(&imports);
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
