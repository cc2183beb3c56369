//! The few pieces of the wasm binary format that the package build rewrites: sections, LEB128 numbers and names.

use crate::error::XtaskError;

/// Section ids: custom sections (`name`, `producers`, …), imports, exports, function bodies.
pub const CUSTOM_SECTION: u8 = 0;
pub const IMPORT_SECTION: u8 = 2;
pub const EXPORT_SECTION: u8 = 7;
pub const CODE_SECTION: u8 = 10;

/// A section of a module: its id, its body, and its bytes with the header.
pub struct Section<'a> {
    pub id: u8,
    pub body: &'a [u8],
    pub whole: &'a [u8],
}

impl Section<'_> {
    /// A custom section's name.
    pub fn custom_name(&self) -> Option<&str> {
        (self.id == CUSTOM_SECTION).then(|| Reader::new(self.body, "reading a custom section").name().ok()).flatten()
    }
}

/// The sections of `wasm`, in order. `context` names the job in errors about a malformed module.
pub fn sections<'a>(wasm: &'a [u8], context: &'static str) -> Result<Vec<Section<'a>>, XtaskError> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(XtaskError::Unexpected(format!("{context}: not a wasm module")));
    }
    let mut reader = Reader { bytes: wasm, at: 8, context };
    let mut sections = Vec::new();
    while reader.at < wasm.len() {
        let start = reader.at;
        let id = reader.byte()?;
        let size = reader.leb()? as usize;
        let body_start = reader.at;
        let end = body_start
            .checked_add(size)
            .filter(|end| *end <= wasm.len())
            .ok_or_else(|| reader.malformed("a section runs past the end"))?;
        sections.push(Section { id, body: &wasm[body_start..end], whole: &wasm[start..end] });
        reader.at = end;
    }
    Ok(sections)
}

/// `wasm` with the body of its section `id` (if any) replaced by `rewrite(body)`; every other section is copied
/// as it is. `context` names the job in errors about a malformed module.
pub fn rewrite_section(
    wasm: &[u8],
    id: u8,
    context: &'static str,
    mut rewrite: impl FnMut(&[u8]) -> Result<Vec<u8>, XtaskError>,
) -> Result<Vec<u8>, XtaskError> {
    let sections = sections(wasm, context)?;
    let mut out = wasm[..8].to_vec();
    for section in sections {
        if section.id == id {
            write_section(&mut out, id, &rewrite(section.body)?);
        } else {
            out.extend_from_slice(section.whole);
        }
    }
    Ok(out)
}

/// Reads the wasm binary format's pieces from `bytes`, from `at` on.
pub struct Reader<'a> {
    bytes: &'a [u8],
    /// Where the next read starts.
    pub at: usize,
    context: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`; `context` names the job in its errors.
    pub fn new(bytes: &'a [u8], context: &'static str) -> Self {
        Reader { bytes, at: 0, context }
    }

    /// An error about a malformed module, saying what was being done.
    pub fn malformed(&self, what: &str) -> XtaskError {
        XtaskError::Unexpected(format!("{}: {what}", self.context))
    }

    pub fn byte(&mut self) -> Result<u8, XtaskError> {
        let byte = *self.bytes.get(self.at).ok_or_else(|| self.malformed("the module ends early"))?;
        self.at += 1;
        Ok(byte)
    }

    /// An unsigned LEB128 number of at most 32 bits.
    pub fn leb(&mut self) -> Result<u32, XtaskError> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.malformed("a number longer than 32 bits"))
    }

    pub fn name(&mut self) -> Result<&'a str, XtaskError> {
        let len = self.leb()? as usize;
        let bytes = self
            .bytes
            .get(self.at..self.at.saturating_add(len))
            .ok_or_else(|| self.malformed("a name runs past the end"))?;
        self.at += len;
        std::str::from_utf8(bytes).map_err(|_| self.malformed("a name is not UTF-8"))
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

    /// An import's description: a function's type, a table, a memory, a global or a tag. Returns its kind
    /// (0 for a function).
    pub fn skip_descriptor(&mut self) -> Result<u8, XtaskError> {
        let kind = self.byte()?;
        match kind {
            0 => {
                self.leb()?;
            }
            1 => {
                self.byte()?; // element type
                self.skip_limits()?;
            }
            2 => self.skip_limits()?,
            3 => {
                self.byte()?; // value type
                self.byte()?; // mutability
            }
            4 => {
                self.byte()?; // attribute
                self.leb()?;
            }
            kind => return Err(self.malformed(&format!("unknown import kind {kind}"))),
        }
        Ok(kind)
    }
}

/// Appends a section: its id, its size and `body`.
pub fn write_section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    write_leb(out, body.len() as u32);
    out.extend_from_slice(body);
}

pub fn write_leb(out: &mut Vec<u8>, mut value: u32) {
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

pub fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}
