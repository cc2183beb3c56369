//! Takes out of a wasm-bindgen build the JavaScript classes a dependency exports that are not the package's API.
//!
//! Leptos always depends on `server_fn`, whose browser side pulls in `wasm-streams`; that crate exports three
//! `#[wasm_bindgen]` classes (`IntoUnderlyingSource`, …) for streams a server function returns. The widgets
//! never call a server function, yet every export is a root: the classes appeared in `vmbackup/widgets`'s types
//! (with `any` in their signatures) and their code stayed in the module. Here they leave the `.wasm`'s export
//! section, the glue and the declarations alike; wasm-opt then drops the code only they reached (widgets entry
//! −1.6 KiB brotli). Nothing of the glue's shape is guessed silently: a class that is not found, or a name left
//! behind, fails the build.

use crate::error::XtaskError;
use crate::wasm_binary::{rewrite_section, write_leb, write_name, Reader, EXPORT_SECTION};

const CONTEXT: &str = "removing foreign classes";

/// The classes of `wasm-streams` (through Leptos's `server_fn`) that the widgets entry does not offer.
pub const STREAM_CLASSES: [&str; 3] = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

/// One `--target web` build's files: the module, its glue (`<name>.js`), its declarations (`<name>.d.ts`) and
/// the module's own declarations (`<name>_bg.wasm.d.ts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindgenOutput {
    pub wasm: Vec<u8>,
    pub glue: String,
    pub typings: String,
    pub wasm_typings: String,
}

/// `output` without `classes`: their exports, their glue (class, disposer, finalization registry, and any
/// enum only they used) and their declarations.
pub fn remove_classes(output: &BindgenOutput, classes: &[&str]) -> Result<BindgenOutput, XtaskError> {
    let mut glue = output.glue.clone();
    let mut typings = output.typings.clone();
    let mut wasm_typings = output.wasm_typings.clone();
    let mut removed_exports = 0;
    let mut wasm = output.wasm.clone();
    for class in classes {
        let export_prefix = format!("{}_", class.to_ascii_lowercase());
        let free = format!("__wbg_{}_free", class.to_ascii_lowercase());
        let is_its_export = |name: &str| name.starts_with(&export_prefix) || name == free;
        let mut count = 0;
        wasm = rewrite_section(&wasm, EXPORT_SECTION, CONTEXT, |body| {
            let (body, removed) = without_exports(body, &is_its_export)?;
            count = removed;
            Ok(body)
        })?;
        if count == 0 {
            return Err(XtaskError::Unexpected(format!("{CONTEXT}: the module exports nothing of `{class}`")));
        }
        removed_exports += count;

        glue = without_block(&glue, &format!("export class {class} {{"), |line| line == "}")
            .ok_or_else(|| missing(class, "its class in the glue"))?;
        glue = without_lines(&glue, |line| line.starts_with(&format!("if (Symbol.dispose) {class}.prototype")));
        glue = without_block(&glue, &format!("const {class}Finalization = "), |line| line.ends_with(");"))
            .ok_or_else(|| missing(class, "its finalization registry in the glue"))?;
        typings = without_block(&typings, &format!("export class {class} {{"), |line| line == "}")
            .ok_or_else(|| missing(class, "its class in the declarations"))?;
        let readonly_export = |line: &str| {
            let name = line.trim_start().strip_prefix("readonly ").unwrap_or_default();
            is_its_export(name.split(':').next().unwrap_or_default())
        };
        typings = without_lines(&typings, readonly_export);
        wasm_typings = without_lines(&wasm_typings, |line| {
            is_its_export(line.strip_prefix("export const ").unwrap_or_default().split(':').next().unwrap_or_default())
        });
    }
    let (glue, typings) = without_unused_enums(glue, typings);
    for class in classes {
        let lower = class.to_ascii_lowercase();
        for (file, text) in [("glue", &glue), ("declarations", &typings), ("module declarations", &wasm_typings)] {
            if text.contains(class) || text.contains(&lower) {
                return Err(XtaskError::Unexpected(format!("{CONTEXT}: the {file} still name `{class}`")));
            }
        }
    }
    println!("{CONTEXT}: {} classes, {removed_exports} exports", classes.len());
    Ok(BindgenOutput { wasm, glue, typings, wasm_typings })
}

fn missing(class: &str, what: &str) -> XtaskError {
    XtaskError::Unexpected(format!("{CONTEXT}: `{class}`: {what} is not where wasm-bindgen writes it"))
}

/// An export section's body without the exports `remove` names, and how many were removed.
fn without_exports(body: &[u8], remove: &dyn Fn(&str) -> bool) -> Result<(Vec<u8>, usize), XtaskError> {
    let mut reader = Reader::new(body, CONTEXT);
    let count = reader.leb()?;
    let mut kept = Vec::new();
    let mut kept_count = 0;
    for _ in 0..count {
        let name = reader.name()?;
        let kind = reader.byte()?;
        let index = reader.leb()?;
        if !remove(name) {
            write_name(&mut kept, name);
            kept.push(kind);
            write_leb(&mut kept, index);
            kept_count += 1;
        }
    }
    if reader.at != body.len() {
        return Err(reader.malformed("bytes after the last export"));
    }
    let mut out = Vec::with_capacity(kept.len() + 5);
    write_leb(&mut out, kept_count);
    out.extend_from_slice(&kept);
    Ok((out, (count - kept_count) as usize))
}

/// `text` without the first block of lines that starts with a line beginning `first` and ends with the first
/// line (itself included) for which `is_last` holds; a `/** … */` comment right above the block (or one blank
/// line above) goes too.
/// `None` when there is no such block.
fn without_block(text: &str, first: &str, is_last: impl Fn(&str) -> bool) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let start = lines.iter().position(|line| line.starts_with(first))?;
    let end = start + lines[start..].iter().position(|line| is_last(line))?;
    // wasm-bindgen puts an enum's comment one blank line above it.
    let above = start.checked_sub(1).filter(|line| lines[*line].is_empty()).map_or(start, |blank| blank);
    let mut from = start;
    if above > 0 && lines[above - 1].trim_end().ends_with("*/") {
        if let Some(open) = lines[..above].iter().rposition(|line| line.trim_start().starts_with("/**")) {
            from = open;
        }
    }
    Some([&lines[..from], &lines[end + 1..]].concat().join("\n"))
}

fn without_lines(text: &str, remove: impl Fn(&str) -> bool) -> String {
    text.split('\n').filter(|line| !remove(line)).collect::<Vec<_>>().join("\n")
}

/// wasm-bindgen's string enums (`const __wbindgen_enum_X = [...]` in the glue, `export type X = ...` in the
/// declarations) that nothing uses any more, removed from both.
fn without_unused_enums(mut glue: String, mut typings: String) -> (String, String) {
    let prefix = "const __wbindgen_enum_";
    let enums: Vec<String> = glue
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .filter_map(|rest| rest.split(' ').next())
        .map(str::to_string)
        .collect();
    for name in enums {
        if glue.matches(&format!("__wbindgen_enum_{name}")).count() == 1 {
            glue = without_lines(&glue, |line| line.starts_with(&format!("{prefix}{name} ")));
            let declaration = format!("export type {name} = ");
            let is_comment = |line: &&str| line.trim_start().starts_with("/**") || line.trim_start().starts_with('*');
            let uses = typings.lines().filter(|line| !is_comment(line) && line.contains(name.as_str())).count();
            if uses == typings.matches(&declaration).count() {
                typings = without_block(&typings, &declaration, |line| line.ends_with(';')).unwrap_or(typings);
            }
        }
    }
    (glue, typings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm_binary::write_section;

    /// A module exporting a class's three functions, the memory and a function of the package.
    fn module() -> Vec<u8> {
        let mut exports = Vec::new();
        let names = ["memory", "__wbg_streamsource_free", "streamsource_pull", "mount", "streamsourcex"];
        write_leb(&mut exports, names.len() as u32);
        for (index, name) in names.into_iter().enumerate() {
            write_name(&mut exports, name);
            exports.push(if name == "memory" { 2 } else { 0 }); // kind: memory or function
            write_leb(&mut exports, index as u32);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        write_section(&mut wasm, EXPORT_SECTION, &exports);
        wasm
    }

    const GLUE: &str = "import { x } from './snippets/inline0.js';

export class StreamSource {
    free() {
        wasm.__wbg_streamsource_free(this.__wbg_ptr, 0);
    }
    pull(controller) {
        return __wbindgen_enum_StreamKind[wasm.streamsource_pull(this.__wbg_ptr, controller)];
    }
}
if (Symbol.dispose) StreamSource.prototype[Symbol.dispose] = StreamSource.prototype.free;

export function mount() {
    wasm.mount(__wbindgen_enum_Mode[0]);
}
const __wbindgen_enum_StreamKind = [\"bytes\"];
const __wbindgen_enum_Mode = [\"open\"];
const StreamSourceFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_streamsource_free(ptr, 1));
const HandleFinalization = 1;
";

    const TYPINGS: &str = "/**
 * The `StreamKind` enum.
 */

export type StreamKind = \"bytes\";

export type Mode = \"open\";

export class StreamSource {
    private constructor();
    pull(controller: any): Promise<any>;
}

export function mount(): void;

export interface InitOutput {
    readonly __wbg_streamsource_free: (a: number, b: number) => void;
    readonly streamsource_pull: (a: number, b: any) => any;
    readonly mount: () => void;
}
";

    fn output() -> BindgenOutput {
        BindgenOutput {
            wasm: module(),
            glue: GLUE.into(),
            typings: TYPINGS.into(),
            wasm_typings: "export const memory: WebAssembly.Memory;\nexport const streamsource_pull: (a: number, b: any) => any;\nexport const mount: () => void;\n".into(),
        }
    }

    #[test]
    fn a_class_leaves_the_module_the_glue_and_the_declarations() -> Result<(), XtaskError> {
        let out = remove_classes(&output(), &["StreamSource"])?;
        let exported = String::from_utf8_lossy(&out.wasm).to_string();
        assert!(!exported.contains("streamsource_pull") && !exported.contains("__wbg_streamsource_free"));
        assert!(exported.contains("mount") && exported.contains("memory") && exported.contains("streamsourcex"));
        assert_eq!(
            out.glue,
            "import { x } from './snippets/inline0.js';\n\n\nexport function mount() {\n    wasm.mount(__wbindgen_enum_Mode[0]);\n}\nconst __wbindgen_enum_Mode = [\"open\"];\nconst HandleFinalization = 1;\n"
        );
        assert_eq!(
            out.typings,
            "\nexport type Mode = \"open\";\n\n\nexport function mount(): void;\n\nexport interface InitOutput {\n    readonly mount: () => void;\n}\n"
        );
        assert_eq!(out.wasm_typings, "export const memory: WebAssembly.Memory;\nexport const mount: () => void;\n");
        // The rewritten module's export section reads again.
        assert!(remove_classes(&out, &["StreamSource"]).is_err(), "nothing of it is left to remove");
        Ok(())
    }

    #[test]
    fn a_class_the_build_lacks_fails_instead_of_shipping_half_of_it() {
        assert!(remove_classes(&output(), &["Other"]).is_err(), "not exported");
        let mut no_registry = output();
        no_registry.glue = no_registry.glue.replace("const StreamSourceFinalization", "let StreamSourceFinalization");
        assert!(remove_classes(&no_registry, &["StreamSource"]).is_err(), "glue of another shape");
        let mut cut = output();
        cut.wasm.truncate(cut.wasm.len() - 3);
        assert!(remove_classes(&cut, &["StreamSource"]).is_err(), "a cut module");
    }
}
