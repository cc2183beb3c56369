//! The order of an optimised module's functions, chosen so that brotli compresses the code section better.
//!
//! Why: wasm-opt leaves the functions in the order rustc and its own passes made them, so that a function and
//! the ones most like it (a generic view's instances, the closures of one widget) lie far apart. Brotli still
//! finds the repeats, but pays for each long distance and codes literals with context from unrelated code.
//! Placing each function after the one it most resembles made the widgets module 8.8 KiB brotli smaller
//! (282.2 -> 273.4), the everyday module 1.9 KiB and the admin module 2.7 KiB, with the same bytes raw.
//!
//! How: the functions are sorted by their bodies' bytes, then chained greedily: after a function comes the
//! unplaced function, among the [`SEARCH_WINDOW`] nearest in that sorted order on either side, with the largest
//! share of its 4-byte sequences found in the one before. [`name_by_similarity`] writes that order into the
//! module's name section (the rank as each function's name); `wasm-opt --reorder-functions-by-name` then moves
//! the functions and renumbers every reference to them, which is the part worth leaving to binaryen.
//!
//! Measured and not taken (widgets module, brotli KiB, the same module in its old order: 282.6): bodies sorted
//! by bytes alone 277.4; by name 281.1; by size 279.0; the chain with a window of 150 274.2, of 1,000 no better
//! than 400 (on that larger module); 3-, 6- and 8-byte sequences worse than 4; the most similar function looked
//! for in the whole module instead of a window 274.7. On the smaller module of later releases (typed attributes
//! sharing their code), a window of 1,200 beat 400 by 0.5 KiB (widgets entry 250.3 -> 249.8 KiB; 200: +0.4,
//! 700: -0.46, 2,000: -0.6 at twice the time); the search grows with the window (an uncached
//! `cargo xtask npm`, all seven modules, took 134 s on two cores with it).

use crate::error::XtaskError;
use crate::wasm_binary::{
    sections, write_leb, write_name, write_section, Reader, CODE_SECTION, CUSTOM_SECTION, IMPORT_SECTION,
};

/// How many functions on either side of the last placed one, in the bytes-sorted order, are compared with it.
pub const SEARCH_WINDOW: usize = 1200;

const CONTEXT: &str = "ordering the module's functions";
/// The import kind of a function.
const FUNCTION_IMPORT: u8 = 0;
/// The name section's subsection of function names.
const FUNCTION_NAMES: u8 = 1;

/// `wasm` without its name section (if any) and with a new one that names each function defined in the module
/// by its place in [`similarity_order`]: `f000000`, `f000001`, …, so that sorting the functions by name puts
/// them in that order. Imported functions keep no name.
pub fn name_by_similarity(wasm: &[u8]) -> Result<Vec<u8>, XtaskError> {
    let sections = sections(wasm, CONTEXT)?;
    let mut imported_functions = 0;
    let mut bodies = Vec::new();
    for section in &sections {
        match section.id {
            IMPORT_SECTION => imported_functions = count_function_imports(section.body)?,
            CODE_SECTION => bodies = function_bodies(section.body)?,
            _ => {}
        }
    }
    let order = similarity_order(&bodies);
    let mut out = wasm[..8].to_vec();
    for section in sections.iter().filter(|s| !(s.id == CUSTOM_SECTION && s.custom_name() == Some("name"))) {
        out.extend_from_slice(section.whole);
    }
    let mut names = Vec::new();
    write_leb(&mut names, order.len() as u32);
    // A function's name goes with its index; the indices must rise, so the ranks are laid out by function.
    let mut rank_of = vec![0; order.len()];
    for (rank, function) in order.iter().enumerate() {
        rank_of[*function] = rank;
    }
    for (function, rank) in rank_of.iter().enumerate() {
        write_leb(&mut names, (imported_functions + function) as u32);
        write_name(&mut names, &format!("f{rank:06}"));
    }
    let mut name_section = Vec::new();
    write_name(&mut name_section, "name");
    name_section.push(FUNCTION_NAMES);
    write_leb(&mut name_section, names.len() as u32);
    name_section.extend_from_slice(&names);
    write_section(&mut out, CUSTOM_SECTION, &name_section);
    Ok(out)
}

/// The functions in the order to lay them out, as indices into `bodies`: each one after the function it most
/// resembles among those not yet placed (see the module docs).
pub fn similarity_order(bodies: &[&[u8]]) -> Vec<usize> {
    let count = bodies.len();
    let mut sorted: Vec<usize> = (0..count).collect();
    sorted.sort_by(|a, b| bodies[*a].cmp(bodies[*b]).then(a.cmp(b)));
    let mut position = vec![0; count];
    for (at, function) in sorted.iter().enumerate() {
        position[*function] = at;
    }
    let sequences: Vec<Vec<u32>> = bodies.iter().map(|body| four_byte_sequences(body)).collect();
    let mut placed = vec![false; count];
    let mut order = Vec::with_capacity(count);
    // The first unplaced function in the sorted order: where the chain goes on when the window is used up.
    let mut next_unplaced = 0;
    let mut last = match sorted.first() {
        Some(first) => *first,
        None => return order,
    };
    placed[last] = true;
    order.push(last);
    while order.len() < count {
        let around = position[last];
        let window = around.saturating_sub(SEARCH_WINDOW)..(around + SEARCH_WINDOW + 1).min(count);
        // The best so far: (shared sequences, the candidate's sequences, function). The share shared/own is
        // compared by cross-multiplying; on a tie the candidate earlier in the sorted order wins.
        let mut best: Option<(usize, usize, usize)> = None;
        for &candidate in &sorted[window] {
            if placed[candidate] {
                continue;
            }
            let shared = shared_count(&sequences[last], &sequences[candidate]);
            let own = sequences[candidate].len();
            if best.is_none_or(|(best_shared, best_own, _)| shared * best_own > best_shared * own) {
                best = Some((shared, own, candidate));
            }
        }
        let next = match best {
            Some((_, _, function)) => function,
            None => {
                while placed[sorted[next_unplaced]] {
                    next_unplaced += 1;
                }
                sorted[next_unplaced]
            }
        };
        placed[next] = true;
        order.push(next);
        last = next;
    }
    order
}

/// The distinct 4-byte sequences of `body`, sorted (a body shorter than 4 bytes is one sequence).
fn four_byte_sequences(body: &[u8]) -> Vec<u32> {
    let mut sequences: Vec<u32> = if body.len() < 4 {
        let mut padded = [0; 4];
        padded[..body.len()].copy_from_slice(body);
        vec![u32::from_le_bytes(padded)]
    } else {
        body.windows(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect()
    };
    sequences.sort_unstable();
    sequences.dedup();
    sequences
}

/// How many values two sorted, deduplicated lists share.
fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// How many of the import section's imports are functions: they come first in the function index space.
fn count_function_imports(body: &[u8]) -> Result<usize, XtaskError> {
    let mut reader = Reader::new(body, CONTEXT);
    let mut functions = 0;
    for _ in 0..reader.leb()? {
        reader.name()?;
        reader.name()?;
        if reader.skip_descriptor()? == FUNCTION_IMPORT {
            functions += 1;
        }
    }
    Ok(functions)
}

/// The code section's function bodies (locals and instructions), in index order.
fn function_bodies(body: &[u8]) -> Result<Vec<&[u8]>, XtaskError> {
    let mut reader = Reader::new(body, CONTEXT);
    let count = reader.leb()?;
    let mut bodies = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let size = reader.leb()? as usize;
        let end = reader
            .at
            .checked_add(size)
            .filter(|end| *end <= body.len())
            .ok_or_else(|| reader.malformed("a function body runs past the end"))?;
        bodies.push(&body[reader.at..end]);
        reader.at = end;
    }
    Ok(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with `imports` imported functions (and a memory import between them), one function type, and
    /// `bodies` as its functions' code.
    fn module(imports: u32, bodies: &[&[u8]]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut section = |id: u8, body: Vec<u8>| write_section(&mut wasm, id, &body);
        section(1, vec![1, 0x60, 0, 0]);
        let mut import = Vec::new();
        write_leb(&mut import, imports + 1);
        write_name(&mut import, "env");
        write_name(&mut import, "memory");
        import.extend_from_slice(&[2, 0, 1]);
        for i in 0..imports {
            write_name(&mut import, "env");
            write_name(&mut import, &format!("f{i}"));
            import.extend_from_slice(&[FUNCTION_IMPORT, 0]);
        }
        section(IMPORT_SECTION, import);
        let mut functions = Vec::new();
        write_leb(&mut functions, bodies.len() as u32);
        functions.extend(bodies.iter().map(|_| 0));
        section(3, functions);
        let mut code = Vec::new();
        write_leb(&mut code, bodies.len() as u32);
        for body in bodies {
            write_leb(&mut code, body.len() as u32);
            code.extend_from_slice(body);
        }
        section(CODE_SECTION, code);
        let mut old_names = Vec::new();
        write_name(&mut old_names, "name");
        old_names.extend_from_slice(&[FUNCTION_NAMES, 5, 1, 0, 2, b'o', b'l']);
        section(CUSTOM_SECTION, old_names);
        wasm
    }

    /// The function names the module's name section gives, by function index.
    fn function_names(wasm: &[u8]) -> Vec<(u32, String)> {
        let sections = sections(wasm, "test").expect("a module");
        let names: Vec<_> = sections.iter().filter(|s| s.custom_name() == Some("name")).collect();
        assert_eq!(names.len(), 1, "one name section");
        let mut reader = Reader::new(names[0].body, "test");
        reader.name().expect("the section's name");
        assert_eq!(reader.byte().expect("a subsection"), FUNCTION_NAMES);
        reader.leb().expect("its size");
        (0..reader.leb().expect("a count"))
            .map(|_| (reader.leb().expect("an index"), reader.name().expect("a name").to_owned()))
            .collect()
    }

    #[test]
    fn each_function_follows_the_one_it_most_resembles() {
        // Sorted by bytes: x, y, z. z shares three of its five 4-byte sequences with x, y none: x, z, y.
        let x: &[u8] = &[0, 1, 2, 3, 4, 5, 0x0b];
        let y: &[u8] = &[0, 1, 9, 9, 9, 9, 0x0b];
        let z: &[u8] = &[0, 2, 1, 2, 3, 4, 5, 0x0b];
        assert_eq!(similarity_order(&[y, z, x]), [2, 1, 0]);
    }

    #[test]
    fn the_order_is_every_function_once_whatever_the_window() {
        // More functions than twice the window, alike in pairs far apart in the sorted order.
        let bodies: Vec<Vec<u8>> = (0..(2 * SEARCH_WINDOW + 50) as u32)
            .map(|i| vec![0, 0x41, (i % 7) as u8, (i / 7) as u8, (i / 300) as u8, 0x0b])
            .collect();
        let borrowed: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
        let mut order = similarity_order(&borrowed);
        order.sort_unstable();
        assert_eq!(order, (0..bodies.len()).collect::<Vec<_>>());
        assert!(similarity_order(&[]).is_empty());
    }

    #[test]
    fn the_name_section_names_defined_functions_by_rank_after_the_imports() {
        let c: &[u8] = &[0, 0x41, 3, 0x1a, 0x0b];
        let a: &[u8] = &[0, 0x41, 1, 0x1a, 0x0b];
        let b: &[u8] = &[0, 0x41, 2, 0x1a, 0x0b];
        let wasm = module(2, &[c, a, b]);
        let renamed = name_by_similarity(&wasm).expect("a module");
        // Two imported functions (the memory import is not one): the defined ones are 2, 3 and 4.
        assert_eq!(
            function_names(&renamed),
            [(2, "f000002".to_owned()), (3, "f000000".to_owned()), (4, "f000001".to_owned())]
        );
        // Everything but the name section is as it was.
        let without_names = |wasm: &[u8]| -> Vec<Vec<u8>> {
            sections(wasm, "test")
                .expect("a module")
                .iter()
                .filter(|s| s.custom_name() != Some("name"))
                .map(|s| s.whole.to_vec())
                .collect()
        };
        assert_eq!(without_names(&renamed), without_names(&wasm));
    }

    #[test]
    fn a_malformed_module_is_an_error() {
        assert!(name_by_similarity(b"not wasm").is_err());
        let mut cut = module(1, &[&[0, 0x0b]]);
        cut.truncate(cut.len() - 12);
        assert!(name_by_similarity(&cut).is_err());
    }
}
