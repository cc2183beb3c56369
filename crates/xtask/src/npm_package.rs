//! `cargo xtask npm`: the npm package `vmbackup` in `target/npm/vmbackup/`, packed to
//! `target/npm/vmbackup-<version>.tgz`, with nothing downloaded at build time.
//!
//! 1. Three wasm modules, each a `cargo build --release --target wasm32-unknown-unknown` (see [`PackageModule`]):
//!    the everyday client (`vmbackup-wasm --no-default-features`, the main entry), the whole API (`vmbackup-wasm`
//!    with its `admin` feature: administration and schedule helpers, `vmbackup/admin`) and the widgets. The
//!    release profile's `strip` is switched off for these builds only: wasm-bindgen and wasm-opt read the module's
//!    `target_features` section (with it wasm-bindgen returns multiple values directly and the JS glue is smaller;
//!    without it wasm-opt rejects reference types and bulk memory), and `wasm-opt --strip-*` removes what
//!    stripping would have. Both client modules come from the same crate, so each is copied aside after its build.
//!    Each is built with a standard library compiled for size along with it (see [`SMALL_STD_ARGS`]).
//! 2. The wasm-bindgen CLI (the pinned version, checked by set-up), `--typescript` each time; each client module
//!    three times:
//!
//!    | folder (main / admin) | `--target` | for | needs `init()` |
//!    |---|---|---|---|
//!    | `web/`, `admin/web/` | `web` | plain browser ESM (`vmbackup/web`), fetches its `.wasm` beside the module | yes |
//!    | `bundler/`, `admin/bundler/` | `bundler` | webpack, Vite (with a wasm plugin), Rollup, esbuild; edge runtimes | no |
//!    | `node/`, `admin/node/` | `nodejs` | Node 20+ through `require` **and** `import` (CommonJS; Node finds its named exports) | no |
//!
//!    One folder per target keeps each self-contained: the three `.wasm` files differ in their import module
//!    names, and a bundler never sees the Node build's `require('fs')`.
//!    The widgets build loses the classes `wasm-streams` exports through Leptos (see [`remove_classes`]), and
//!    each `--target web` build's imports and the exports its glue calls get short names (see
//!    [`shorten_import_names`] and [`shorten_export_names`]).
//! 3. binaryen's `wasm-opt -Oz` (the npm package, from `tests/node_modules`) on each `.wasm`, in parallel, reusing
//!    the last result for an unchanged input, then a second `wasm-opt` run that lays the functions out so that
//!    similar ones sit together (see `function_order`); terser (from `tests/node_modules` too) on each build's
//!    JS glue.
//! 4. `package.json` with the `exports` map (see [`package_json`]), `crates/wasm/README.md` as `README.md`.
//! 5. The size table (raw, gzip, brotli of each build's wasm + JS) to the terminal and `target/npm/sizes.txt`,
//!    with a line for each entry over its budget; an everyday entry over its budget fails the build (after the
//!    table is written), so that the main entry stays within it.
//! 6. `npm pack` into `target/npm/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::XtaskError;
use crate::export_names::shorten_export_names;
use crate::foreign_classes::{remove_classes, BindgenOutput, STREAM_CLASSES};
use crate::function_order::{self, name_by_similarity};
use crate::import_names::shorten_import_names;
use crate::node_tools::{node_bin_dir, path_with_node_tools, BINARYEN_VERSION};
use crate::process::Workspace;
use crate::setup::WASM_TARGET;

/// The npm package's name.
pub const PACKAGE_NAME: &str = "vmbackup";

/// The package's version: the workspace version, which this crate shares (`version.workspace = true`, as
/// `crates/wasm` does; a unit test checks both).
pub const PACKAGE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A wasm module of the package: the everyday client, the whole client API, or the widgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageModule {
    /// `vmbackup-wasm` without its `admin` feature: the everyday client (`vmbackup`, `vmbackup/web`).
    Headless,
    /// `vmbackup-wasm` with its `admin` feature: the same `Client` plus policy, rule and schedule administration,
    /// and the schedule helpers (`vmbackup/admin`, `vmbackup/admin/web`).
    Admin,
    /// `vmbackup-ui` with its `widgets-entry` feature: `mount`, `defineElements`, the custom elements
    /// (`vmbackup/widgets`).
    Widgets,
}

impl PackageModule {
    /// The Rust crate compiled into the module.
    fn crate_name(self) -> &'static str {
        match self {
            PackageModule::Headless | PackageModule::Admin => "vmbackup-wasm",
            PackageModule::Widgets => "vmbackup-ui",
        }
    }

    /// Cargo features the module is built with.
    fn features(self) -> &'static [&'static str] {
        match self {
            PackageModule::Headless => &["--no-default-features"],
            PackageModule::Admin => &["--features", "vmbackup-wasm/admin"],
            PackageModule::Widgets => &["--features", "vmbackup-ui/widgets-entry"],
        }
    }

    /// The file name cargo gives the crate's `cdylib`.
    fn crate_file(self) -> &'static str {
        match self {
            PackageModule::Headless | PackageModule::Admin => "vmbackup_wasm.wasm",
            PackageModule::Widgets => "vmbackup_ui.wasm",
        }
    }

    /// The base name of every generated file (`vmbackup.js`, `vmbackup_bg.wasm`, `vmbackup.d.ts`).
    pub fn out_name(self) -> &'static str {
        match self {
            PackageModule::Headless => "vmbackup",
            PackageModule::Admin => "vmbackup_admin",
            PackageModule::Widgets => "vmbackup_widgets",
        }
    }

    /// The size budget of one entry of this module (its `.wasm` and JS together), from the issues; the whole API
    /// has none (its size is reported).
    pub fn budget(self) -> Option<Budget> {
        match self {
            PackageModule::Headless => Some(Budget { brotli: 100 * 1024, enforced: true }),
            PackageModule::Admin => None,
            // Over it still; a warning until it is met.
            PackageModule::Widgets => Some(Budget { brotli: 250 * 1024, enforced: false }),
        }
    }
}

/// Most brotli bytes an entry may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub brotli: u64,
    /// Whether an entry over it fails the build (rather than a warning in the size table).
    pub enforced: bool,
}

/// One wasm-bindgen output inside the package.
#[derive(Debug, Clone, Copy)]
pub struct PackageBuild {
    /// The folder inside the package.
    pub folder: &'static str,
    /// wasm-bindgen's `--target`.
    wasm_bindgen_target: &'static str,
    /// The JavaScript files an application loads from this build (the entry and what it imports).
    js_files: &'static [&'static str],
    /// The module this build is of.
    pub module: PackageModule,
}

/// The builds: the everyday client three times (the plain-browser one first: it is the headless entry the size
/// budget speaks of), the whole API three times, then the widgets as one ES module, which bundlers and plain pages
/// both load with `init()`.
pub const PACKAGE_BUILDS: [PackageBuild; 7] = [
    PackageBuild {
        folder: "web",
        wasm_bindgen_target: "web",
        js_files: &["vmbackup.js"],
        module: PackageModule::Headless,
    },
    PackageBuild {
        folder: "bundler",
        wasm_bindgen_target: "bundler",
        js_files: &["vmbackup.js", "vmbackup_bg.js"],
        module: PackageModule::Headless,
    },
    PackageBuild {
        folder: "node",
        wasm_bindgen_target: "nodejs",
        js_files: &["vmbackup.js"],
        module: PackageModule::Headless,
    },
    PackageBuild {
        folder: "admin/web",
        wasm_bindgen_target: "web",
        js_files: &["vmbackup_admin.js"],
        module: PackageModule::Admin,
    },
    PackageBuild {
        folder: "admin/bundler",
        wasm_bindgen_target: "bundler",
        js_files: &["vmbackup_admin.js", "vmbackup_admin_bg.js"],
        module: PackageModule::Admin,
    },
    PackageBuild {
        folder: "admin/node",
        wasm_bindgen_target: "nodejs",
        js_files: &["vmbackup_admin.js"],
        module: PackageModule::Admin,
    },
    PackageBuild {
        folder: "widgets",
        wasm_bindgen_target: "web",
        js_files: &["vmbackup_widgets.js"],
        module: PackageModule::Widgets,
    },
];

/// What `cargo xtask npm` made.
pub struct BuiltPackage {
    /// `target/npm/vmbackup`: the package's folder, as it is packed.
    pub dir: PathBuf,
    /// `target/npm/vmbackup-<version>.tgz`: what `npm install` takes.
    pub tarball: PathBuf,
}

/// Builds, optimises, describes, measures and packs the package.
pub fn build_npm_package(workspace: &Workspace) -> Result<BuiltPackage, XtaskError> {
    let npm_dir = workspace.target_dir().join("npm");
    let modules_dir = npm_dir.join("modules");
    let headless = build_wasm_crate(workspace, PackageModule::Headless, &modules_dir)?;
    let admin = build_wasm_crate(workspace, PackageModule::Admin, &modules_dir)?;
    let widgets = build_wasm_crate(workspace, PackageModule::Widgets, &modules_dir)?;
    let package_dir = npm_dir.join(PACKAGE_NAME);
    remove_dir_if_present(&package_dir)?;
    check_wasm_opt(workspace)?;
    for build in PACKAGE_BUILDS {
        let wasm = match build.module {
            PackageModule::Headless => &headless,
            PackageModule::Admin => &admin,
            PackageModule::Widgets => &widgets,
        };
        workspace
            .program(
                "wasm-bindgen",
                &["--target", build.wasm_bindgen_target, "--typescript", "--out-name", build.module.out_name()],
            )
            .arg("--out-dir")
            .arg(package_dir.join(build.folder))
            .arg(wasm)
            .run()?;
    }
    for build in PACKAGE_BUILDS.iter().filter(|build| build.module == PackageModule::Widgets) {
        remove_stream_classes(&package_dir, build)?;
    }
    for build in PACKAGE_BUILDS.iter().filter(|build| build.wasm_bindgen_target == "web") {
        shorten_glue_names(&package_dir, build)?;
    }
    optimise_modules(workspace, &package_dir, &npm_dir.join("wasm-opt-cache"))?;
    minify_glue(workspace, &package_dir)?;
    // The Node builds are CommonJS inside a `"type": "module"` package.
    for build in PACKAGE_BUILDS.iter().filter(|build| build.wasm_bindgen_target == "nodejs") {
        write_file(&package_dir.join(build.folder).join("package.json"), "{\n  \"type\": \"commonjs\"\n}\n")?;
    }
    write_file(&package_dir.join("package.json"), package_json(PACKAGE_VERSION))?;
    copy_readme(workspace, &package_dir)?;

    let sizes = measure_sizes(workspace, &package_dir)?;
    let table = size_table(&sizes);
    print!("\n{table}");
    write_file(&npm_dir.join("sizes.txt"), &table)?;
    check_budgets(&sizes)?;

    let tarball = npm_dir.join(format!("{PACKAGE_NAME}-{PACKAGE_VERSION}.tgz"));
    workspace
        .program("npm", &["pack", "--quiet", "--pack-destination"])
        .arg(&npm_dir)
        .current_dir(&package_dir)
        .run()?;
    if !tarball.is_file() {
        return Err(XtaskError::Unexpected(format!("`npm pack` made no {}", tarball.display())));
    }
    println!("npm package: {} (folder {})", tarball.display(), package_dir.display());
    Ok(BuiltPackage { dir: package_dir, tarball })
}

/// A text file of a build (glue or declarations).
fn read_text(path: &Path) -> Result<String, XtaskError> {
    String::from_utf8(read_file(path)?).map_err(|_| XtaskError::Unexpected(format!("{} is not UTF-8", path.display())))
}

/// Takes `wasm-streams`' classes out of a widgets build (see [`remove_classes`]).
fn remove_stream_classes(package_dir: &Path, build: &PackageBuild) -> Result<(), XtaskError> {
    let folder = package_dir.join(build.folder);
    let stem = build.module.out_name();
    let paths = [
        folder.join(format!("{stem}_bg.wasm")),
        folder.join(format!("{stem}.js")),
        folder.join(format!("{stem}.d.ts")),
        folder.join(format!("{stem}_bg.wasm.d.ts")),
    ];
    let output = BindgenOutput {
        wasm: read_file(&paths[0])?,
        glue: read_text(&paths[1])?,
        typings: read_text(&paths[2])?,
        wasm_typings: read_text(&paths[3])?,
    };
    let stripped = remove_classes(&output, &STREAM_CLASSES)?;
    write_file(&paths[0], &stripped.wasm)?;
    write_file(&paths[1], &stripped.glue)?;
    write_file(&paths[2], &stripped.typings)?;
    write_file(&paths[3], &stripped.wasm_typings)
}

/// Gives the imports a `--target web` build takes from its glue, and the exports its glue calls, short names in
/// the `.wasm`, the glue and the declarations (see [`shorten_import_names`] and
/// [`shorten_export_names`]). Only these builds: a bundler build re-exports its glue's functions, which would
/// make the short names part of the package's exports.
fn shorten_glue_names(package_dir: &Path, build: &PackageBuild) -> Result<(), XtaskError> {
    let folder = package_dir.join(build.folder);
    let wasm_path = folder.join(format!("{}_bg.wasm", build.module.out_name()));
    let glue_path = folder.join(format!("{}.js", build.module.out_name()));
    let wasm_typings_path = folder.join(format!("{}_bg.wasm.d.ts", build.module.out_name()));
    let typings_path = folder.join(format!("{}.d.ts", build.module.out_name()));
    let (wasm, glue, imports) = shorten_import_names(&read_file(&wasm_path)?, &read_text(&glue_path)?)?;
    let short = shorten_export_names(&wasm, &glue, &read_text(&wasm_typings_path)?, &read_text(&typings_path)?)?;
    write_file(&wasm_path, &short.wasm)?;
    write_file(&glue_path, &short.glue)?;
    write_file(&wasm_typings_path, &short.wasm_typings)?;
    write_file(&typings_path, &short.typings)?;
    println!("{}/: {imports} imports from the glue and {} exports it calls renamed", build.folder, short.renamed);
    Ok(())
}

/// `cargo build` arguments that compile the standard library with the module (`-Zbuild-std`, from the `rust-src`
/// component that set-up installs), so that the module's own settings reach into it:
///
/// - `-Cpanic=immediate-abort`: a panic traps at once, without formatting its message. The modules were already
///   built with `panic = "abort"`, and nothing on wasm32-unknown-unknown printed the message (std's default hook
///   writes to a stderr that goes nowhere; the package installs no hook), so a user saw the same
///   `RuntimeError: unreachable` before; what goes is the formatting machinery the prebuilt std keeps for it.
/// - `-Zlocation-detail=none`: no source file, line and column for each place that can panic (`unwrap`,
///   indexing, arithmetic checks), which nothing could show either.
/// - std's `optimize_for_size` feature: its smaller variants of sorting and formatting.
///
/// These are unstable options (those `johnthagen/min-sized-rust` lists), taken by the workspace's stable compiler
/// with `RUSTC_BOOTSTRAP=1` for these builds only: the tests, the SPA and every native build use the prebuilt
/// std. A stable release that renames one fails this build with rustc's error, not silently.
///
/// Measured against the prebuilt std (brotli, wasm + JS): widgets 301.7 -> 286.3 KiB, everyday web entry
/// 97.0 -> 91.5, admin web 128.8 -> 122.8; a cold build also compiles std. Tried and not taken (widgets module):
/// `-Zfmt-debug=none` and `-Zinline-mir=no` (a module of the same size to the byte), `-Zshare-generics`
/// (-0.3 KiB, not worth another unstable option), opt-level `s` (+11.5 KiB).
const SMALL_STD_ARGS: [&str; 4] = [
    "-Zbuild-std=std,panic_abort",
    "-Zbuild-std-features=optimize_for_size",
    // Appended to `.cargo/config.toml`'s rustflags for the target (cargo joins configuration arrays), which a
    // RUSTFLAGS variable would replace.
    "--config",
    r#"target.wasm32-unknown-unknown.rustflags=["-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none"]"#,
];

/// Builds the module's release `cdylib` and returns the path of a copy of its `.wasm` in `modules_dir` (the
/// everyday and the admin module are the same crate's file, which the next build overwrites).
fn build_wasm_crate(workspace: &Workspace, module: PackageModule, modules_dir: &Path) -> Result<PathBuf, XtaskError> {
    let crate_name = module.crate_name();
    let mut args = vec!["build", "--release", "--target", WASM_TARGET, "-p", crate_name];
    args.extend(module.features());
    args.extend(SMALL_STD_ARGS);
    workspace
        .cargo(&args)
        .env("CARGO_PROFILE_RELEASE_STRIP", "false")
        // Lets this build take SMALL_STD_ARGS' unstable options.
        .env("RUSTC_BOOTSTRAP", "1")
        .run()?;
    let wasm = workspace.target_dir().join(WASM_TARGET).join("release").join(module.crate_file());
    if !wasm.is_file() {
        return Err(XtaskError::Unexpected(format!(
            "building {crate_name} made no {}: its Cargo.toml needs `[lib] crate-type = [\"cdylib\", \"rlib\"]`",
            wasm.display()
        )));
    }
    fs::create_dir_all(modules_dir).map_err(|source| XtaskError::Io {
        action: "create",
        path: modules_dir.to_path_buf(),
        source,
    })?;
    let copy = modules_dir.join(format!("{}.wasm", module.out_name()));
    copy_file(&wasm, &copy)?;
    Ok(copy)
}

/// wasm-opt's features: those the Rust wasm32 target enables by default. wasm-opt also reads them from the
/// module's `target_features` section; naming them keeps a module without that section (built with `strip`)
/// working too.
const WASM_FEATURES: [&str; 8] = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

/// wasm-opt's optimisation: `-Oz`, told what holds for every Rust module (the low 1 KiB of memory is never
/// addressed: the stack and data start at 1 MiB; the module's own memory starts zeroed), which lets it fold
/// more address arithmetic and drop zero data (widgets entry -1.6 KiB brotli), and the sections nobody reads.
///
/// Before it, `-O1 --merge-similar-functions`: Leptos's generic views leave many functions that differ only in a
/// constant or a callee; once `-O1` has simplified them alike, binaryen merges them into one with a parameter
/// (`-Oz` alone does not run that pass). Widgets entry -4.0 KiB brotli, everyday entry -0.3, ~6 s more a
/// module. Measured and not taken: the pass without `-O1` first (-2.8), with `-O2` first (0.0).
const WASM_OPT_ARGS: [&str; 8] = [
    "-O1",
    "--merge-similar-functions",
    "-Oz",
    "--low-memory-unused",
    "--zero-filled-memory",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

/// The second wasm-opt run, after [`name_by_similarity`]: the functions sorted by those names, so that each
/// follows the one it most resembles (see `function_order`), and nothing else changed. The optimisation levels
/// are set without passes so that the code is written out as compactly as the first run wrote it (without them,
/// binaryen's reading and writing adds scratch locals: +1 KB raw). Widgets entry -8.8 KiB brotli, everyday -1.9,
/// admin -2.7; ~5 s a module.
const LAYOUT_ARGS: [&str; 6] = [
    "--optimize-level=2",
    "--shrink-level=2",
    "--reorder-functions-by-name",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

/// Changes when `function_order` orders differently, so that cached modules laid out the old way are not reused
/// (the search window is appended where the cache name is made).
const LAYOUT_VERSION: &str = "similarity-4-byte";

/// FNV-1a, 32 bits: a short fingerprint for cache file names.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, byte| (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193))
}

/// Runs `wasm-opt` ([`WASM_OPT_ARGS`]) on each build's `.wasm`, then lays its functions out ([`LAYOUT_ARGS`]),
/// the builds in parallel.
///
/// binaryen from npm runs on Node and takes ~12 s a module, so each result is kept in `cache_dir` with the input
/// it came from; an input equal byte for byte to the cached one (a warm run without Rust changes) reuses it.
fn optimise_modules(workspace: &Workspace, package_dir: &Path, cache_dir: &Path) -> Result<(), XtaskError> {
    fs::create_dir_all(cache_dir).map_err(|source| XtaskError::Io {
        action: "create",
        path: cache_dir.to_path_buf(),
        source,
    })?;
    let mut to_optimise = Vec::new();
    for build in PACKAGE_BUILDS {
        let module = package_dir.join(build.folder).join(format!("{}_bg.wasm", build.module.out_name()));
        // The arguments are part of the name: a cached result made with other arguments is not reused.
        let layout = format!("{LAYOUT_VERSION}-{}", function_order::SEARCH_WINDOW);
        let arguments = [&WASM_OPT_ARGS[..], &LAYOUT_ARGS[..], &[layout.as_str()]].concat().join(" ");
        let cache_name = format!("{}-{:08x}", build.folder.replace('/', "-"), fnv1a(arguments.as_bytes()));
        let cached_input = cache_dir.join(format!("{cache_name}.input.wasm"));
        let cached_output = cache_dir.join(format!("{cache_name}.output.wasm"));
        if cached_output.is_file() && fs::read(&cached_input).ok() == Some(read_file(&module)?) {
            println!("wasm-opt: {}/ unchanged since the last build, reusing its optimised module", build.folder);
            copy_file(&cached_output, &module)?;
        } else {
            to_optimise.push((module, cached_input, cached_output));
        }
    }
    let path = path_with_node_tools(workspace);
    let results: Vec<Result<(), XtaskError>> = std::thread::scope(|scope| {
        let running: Vec<_> = to_optimise
            .iter()
            .map(|(module, cached_input, cached_output)| {
                let path = &path;
                scope.spawn(move || -> Result<(), XtaskError> {
                    // The cached input goes first, so that a failure leaves no pair that looks valid.
                    remove_file_if_present(cached_input)?;
                    workspace
                        .program("wasm-opt", &WASM_OPT_ARGS)
                        .env("PATH", path)
                        .args(&WASM_FEATURES)
                        .arg(module)
                        .arg("-o")
                        .arg(cached_output)
                        .run()?;
                    lay_out_functions(workspace, cached_output)?;
                    copy_file(module, cached_input)?;
                    copy_file(cached_output, module)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| Err(XtaskError::Unexpected("a wasm-opt thread panicked".to_owned())))
            })
            .collect()
    });
    results.into_iter().collect()
}

/// Lays out the functions of the optimised module at `wasm` for brotli, in place: [`name_by_similarity`], then
/// `wasm-opt` with [`LAYOUT_ARGS`]. The SPA's module goes through it too.
pub fn lay_out_functions(workspace: &Workspace, wasm: &Path) -> Result<(), XtaskError> {
    let named = wasm.with_extension("named.wasm");
    write_file(&named, name_by_similarity(&read_file(wasm)?)?)?;
    workspace
        .program("wasm-opt", &LAYOUT_ARGS)
        .env("PATH", path_with_node_tools(workspace))
        .args(&WASM_FEATURES)
        .arg(&named)
        .arg("-o")
        .arg(wasm)
        .run()?;
    remove_file_if_present(&named)
}

/// terser's options for wasm-bindgen's glue. Class and function names are kept (`Client.name`, stack traces),
/// property names are never touched (the wasm module imports the glue's functions by name), and the one comment
/// kept tells TypeScript and Deno where the module's declarations are.
const TERSER_OPTIONS: [&str; 6] =
    ["--compress", "--mangle", "--keep-classnames", "--keep-fnames", "--comments", "/@ts-self-types/"];

/// Minifies each build's JS files in place with terser: wasm-bindgen writes readable glue with the Rust doc
/// comments in it, about 2.7 KiB brotli of the everyday entry's budget. ES modules are minified as modules;
/// the Node build is CommonJS, whose top-level names only the file itself sees.
fn minify_glue(workspace: &Workspace, package_dir: &Path) -> Result<(), XtaskError> {
    let path = path_with_node_tools(workspace);
    for build in PACKAGE_BUILDS {
        let kind = if build.wasm_bindgen_target == "nodejs" { "--toplevel" } else { "--module" };
        for file in build.js_files {
            let glue = package_dir.join(build.folder).join(file);
            let minified = glue.with_extension("min.js");
            workspace
                .program("terser", &TERSER_OPTIONS)
                .env("PATH", &path)
                .arg(kind)
                .arg(&glue)
                .arg("-o")
                .arg(&minified)
                .run()?;
            fs::rename(&minified, &glue).map_err(|source| XtaskError::Io {
                action: "rename",
                path: minified.clone(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Fails unless the `wasm-opt` found first on the tools' `PATH` is binaryen's from npm at the pinned version.
fn check_wasm_opt(workspace: &Workspace) -> Result<(), XtaskError> {
    let version =
        workspace.program("wasm-opt", &["--version"]).env("PATH", path_with_node_tools(workspace)).read_stdout()?;
    if wasm_opt_version(&version) == Some(BINARYEN_VERSION) {
        Ok(())
    } else {
        Err(XtaskError::Unexpected(format!(
            "wasm-opt must be binaryen {BINARYEN_VERSION} from {} (run `cargo xtask setup npm-dev`), found: {}",
            node_bin_dir(workspace).display(),
            version.trim()
        )))
    }
}

/// The release number in `wasm-opt --version` output (`wasm-opt version 132 (version_132)`).
fn wasm_opt_version(output: &str) -> Option<&str> {
    let mut words = output.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("wasm-opt"), Some("version"), Some(number)) => Some(number),
        _ => None,
    }
}

/// The package's `package.json`.
///
/// - `"."` and `"./admin"` (the everyday client and the whole API): Node (`node` condition, for both `import`
///   and `require`) gets the CommonJS build; everything else — bundlers resolving with `import`/`module`/
///   `browser`, edge runtimes — the bundler build. No `browser` key points at the web build, because that one
///   needs `await init()` and would change the API under a bundler's feet.
/// - `"./web"` and `"./admin/web"`: the plain-browser ES modules (`import init, { Client } from "vmbackup/web"`),
///   and their `.wasm` for hosts that want to preload or serve it themselves.
/// - Each branch names its own `types` (TypeScript's `node16`/`nodenext` and `bundler` resolutions follow them).
/// - `sideEffects` lists the client entry modules and nothing else: each instantiates its wasm module when it
///   loads, and webpack would otherwise skip a re-exporting module whose own exports are unused (the bundler
///   entry re-exports everything from `vmbackup_bg.js`) and leave the classes without their wasm. Every other
///   file is free of side effects, so unused exports are still dropped.
pub fn package_json(version: &str) -> String {
    let main = runtime_entry("", PackageModule::Headless.out_name());
    let admin = runtime_entry("admin/", PackageModule::Admin.out_name());
    let web = web_entry("web", PackageModule::Headless.out_name());
    let admin_web = web_entry("admin/web", PackageModule::Admin.out_name());
    let widgets = web_entry("widgets", PackageModule::Widgets.out_name());
    let side_effects = PACKAGE_BUILDS
        .iter()
        .filter(|build| build.module != PackageModule::Widgets)
        .map(|build| format!("    \"./{}/{}.js\"", build.folder, build.module.out_name()))
        .collect::<Vec<_>>()
        .join(",\n");
    format!(
        r#"{{
  "name": "{PACKAGE_NAME}",
  "version": "{version}",
  "description": "VM backup client for JavaScript and TypeScript (Storware Backup & Recovery), compiled to WebAssembly: browsers, bundlers, Web Workers, Node 20+ and edge runtimes.",
  "license": "Apache-2.0",
  "type": "module",
  "main": "./node/vmbackup.js",
  "module": "./bundler/vmbackup.js",
  "types": "./bundler/vmbackup.d.ts",
  "exports": {{
    ".": {main},
    "./admin": {admin},
{web},
{admin_web},
{widgets},
    "./package.json": "./package.json"
  }},
  "files": [
    "web/",
    "bundler/",
    "node/",
    "admin/",
    "widgets/",
    "README.md"
  ],
  "sideEffects": [
{side_effects}
  ],
  "engines": {{
    "node": ">=20"
  }},
  "keywords": [
    "backup",
    "vm",
    "storware",
    "vprotect",
    "wasm"
  ]
}}
"#
    )
}

/// An `exports` value for a client entry: Node's CommonJS build under `node`, the bundler build otherwise, each
/// with its declarations. `prefix` is the entry's folder prefix (`""` or `"admin/"`).
fn runtime_entry(prefix: &str, stem: &str) -> String {
    let branch = |condition: &str, folder: &str| {
        format!(
            "      \"{condition}\": {{\n        \"types\": \"./{prefix}{folder}/{stem}.d.ts\",\n        \"default\": \"./{prefix}{folder}/{stem}.js\"\n      }}"
        )
    };
    let branches = [
        branch("node", "node"),
        branch("import", "bundler"),
        branch("module", "bundler"),
        branch("default", "bundler"),
    ];
    format!("{{\n{}\n    }}", branches.join(",\n"))
}

/// The `exports` entries of an ES module build that loads with `init()`: the module and its `.wasm`.
fn web_entry(folder: &str, stem: &str) -> String {
    format!(
        "    \"./{folder}\": {{\n      \"types\": \"./{folder}/{stem}.d.ts\",\n      \"default\": \"./{folder}/{stem}.js\"\n    }},\n    \"./{folder}/{stem}_bg.wasm\": \"./{folder}/{stem}_bg.wasm\""
    )
}

/// Copies `crates/wasm/README.md` (the npm README, written with the JavaScript surface) into the package; while
/// it does not exist yet, writes a short stand-in and says so.
fn copy_readme(workspace: &Workspace, package_dir: &Path) -> Result<(), XtaskError> {
    let source = workspace.root.join("crates").join("wasm").join("README.md");
    let target = package_dir.join("README.md");
    if source.is_file() {
        fs::copy(&source, &target).map(|_| ()).map_err(|source_error| XtaskError::Io {
            action: "copy",
            path: source,
            source: source_error,
        })
    } else {
        println!("warning: {} does not exist yet; the package gets a stand-in README", source.display());
        write_file(&target, "# vmbackup\n\nVM backup client for JavaScript, compiled from Rust to WebAssembly.\n")
    }
}

/// Raw, gzip and brotli bytes of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompressedSize {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl std::ops::Add for CompressedSize {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self { raw: self.raw + other.raw, gzip: self.gzip + other.gzip, brotli: self.brotli + other.brotli }
    }
}

/// The sizes of one build: its `.wasm`, its JS files, in that order.
pub struct BuildSizes {
    pub build: PackageBuild,
    pub files: Vec<(String, CompressedSize)>,
}

impl BuildSizes {
    /// What an application downloads for this entry: the `.wasm` and the JS together.
    pub fn total(&self) -> CompressedSize {
        self.files.iter().fold(CompressedSize::default(), |sum, (_, size)| sum + *size)
    }
}

fn measure_sizes(workspace: &Workspace, package_dir: &Path) -> Result<Vec<BuildSizes>, XtaskError> {
    let script = workspace.root.join("crates").join("xtask").join("scripts").join("compressed-sizes.mjs");
    let mut measured = Vec::with_capacity(PACKAGE_BUILDS.len());
    for build in PACKAGE_BUILDS {
        let names: Vec<String> = std::iter::once(format!("{}_bg.wasm", build.module.out_name()))
            .chain(build.js_files.iter().map(|file| (*file).to_owned()))
            .collect();
        let mut command = workspace.program("node", &[]).arg(&script).current_dir(&package_dir.join(build.folder));
        for name in &names {
            command = command.arg(name);
        }
        let output = command.read_stdout()?;
        let sizes = parse_compressed_sizes(&output)?;
        let files = names
            .into_iter()
            .map(|name| {
                let size = sizes.iter().find(|(path, _)| *path == name).map(|(_, size)| *size);
                size.map(|size| (format!("{}/{name}", build.folder), size)).ok_or_else(|| {
                    XtaskError::Unexpected(format!("the size script printed no line for {}/{name}", build.folder))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        measured.push(BuildSizes { build, files });
    }
    Ok(measured)
}

/// Reads `<raw> <gzip> <brotli> <path>` lines.
fn parse_compressed_sizes(output: &str) -> Result<Vec<(&str, CompressedSize)>, XtaskError> {
    output
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(4, ' ');
            let mut number = || fields.next().and_then(|field| field.parse::<u64>().ok());
            let size = match (number(), number(), number()) {
                (Some(raw), Some(gzip), Some(brotli)) => CompressedSize { raw, gzip, brotli },
                _ => return Err(XtaskError::Unexpected(format!("the size script printed an odd line: {line}"))),
            };
            match fields.next() {
                Some(path) => Ok((path, size)),
                None => Err(XtaskError::Unexpected(format!("the size script printed no path: {line}"))),
            }
        })
        .collect()
}

/// The builds over their module's budget, each with that budget.
fn over_budget(builds: &[BuildSizes]) -> impl Iterator<Item = (&BuildSizes, Budget)> {
    builds.iter().filter_map(|build| {
        build.build.module.budget().filter(|budget| build.total().brotli > budget.brotli).map(|budget| (build, budget))
    })
}

/// Fails when an entry is over a budget that is enforced (the size table says by how much).
pub fn check_budgets(builds: &[BuildSizes]) -> Result<(), XtaskError> {
    let failing: Vec<String> = over_budget(builds)
        .filter(|(_, budget)| budget.enforced)
        .map(|(build, budget)| {
            format!("{}/ ({} bytes brotli, budget {})", build.build.folder, build.total().brotli, budget.brotli)
        })
        .collect();
    if failing.is_empty() {
        Ok(())
    } else {
        Err(XtaskError::Unexpected(format!(
            "the npm package is over its size budget: {} (see target/npm/sizes.txt)",
            failing.join(", ")
        )))
    }
}

/// The size table: one row per file, one total row per build, and a line per build over its budget.
pub fn size_table(builds: &[BuildSizes]) -> String {
    let kib = |bytes: u64| format!("{:.1} KiB", bytes as f64 / 1024.0);
    let rows: Vec<(String, CompressedSize)> = builds
        .iter()
        .flat_map(|build| {
            build
                .files
                .iter()
                .cloned()
                .chain(std::iter::once((format!("{}/ entry total", build.build.folder), build.total())))
        })
        .collect();
    let name_width = rows.iter().map(|(name, _)| name.len()).chain(["file".len()]).max().unwrap_or(0);
    let mut table = format!(
        "npm package {PACKAGE_NAME} {PACKAGE_VERSION}: sizes (gzip -9, brotli -q 11)\n\
         {:<name_width$}  {:>10}  {:>10}  {:>10}\n",
        "file", "raw", "gzip", "brotli"
    );
    for (name, size) in &rows {
        table.push_str(&format!(
            "{name:<name_width$}  {:>10}  {:>10}  {:>10}\n",
            kib(size.raw),
            kib(size.gzip),
            kib(size.brotli)
        ));
    }
    for (build, budget) in over_budget(builds) {
        let verdict = if budget.enforced { "OVER BUDGET" } else { "WARNING" };
        table.push_str(&format!(
            "{verdict}: {}/ is {} brotli, over the budget of {}\n",
            build.build.folder,
            kib(build.total().brotli),
            kib(budget.brotli)
        ));
    }
    let budget_of = |module: PackageModule| module.budget().map_or_else(|| "none".to_owned(), |b| kib(b.brotli));
    table.push_str(&format!(
        "budgets (brotli, wasm + JS): everyday entries (web/, bundler/, node/) <= {}, fails the build; \
         admin/ entries {} (reported); widgets <= {}, warns\n",
        budget_of(PackageModule::Headless),
        budget_of(PackageModule::Admin),
        budget_of(PackageModule::Widgets)
    ));
    table
}

fn read_file(path: &Path) -> Result<Vec<u8>, XtaskError> {
    fs::read(path).map_err(|source| XtaskError::Io { action: "read", path: path.to_path_buf(), source })
}

fn copy_file(from: &Path, to: &Path) -> Result<(), XtaskError> {
    fs::copy(from, to).map(|_| ()).map_err(|source| XtaskError::Io { action: "copy", path: from.to_path_buf(), source })
}

fn remove_file_if_present(path: &Path) -> Result<(), XtaskError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(XtaskError::Io { action: "remove", path: path.to_path_buf(), source }),
    }
}

fn remove_dir_if_present(dir: &Path) -> Result<(), XtaskError> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(XtaskError::Io { action: "remove", path: dir.to_path_buf(), source }),
    }
}

/// Writes `contents` to `path`, creating the folders above it.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), XtaskError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| XtaskError::Io {
            action: "create",
            path: parent.to_path_buf(),
            source,
        })?;
    }
    fs::write(path, contents).map_err(|source| XtaskError::Io { action: "write", path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv1a() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn reads_the_wasm_opt_version() {
        assert_eq!(wasm_opt_version("wasm-opt version 132 (version_132)\n"), Some("132"));
        assert_eq!(wasm_opt_version("wasm-opt version 108\n"), Some("108"));
        assert_eq!(wasm_opt_version("something else"), None);
    }

    #[test]
    fn the_package_version_is_the_workspace_version_of_the_wasm_crate() -> Result<(), std::io::Error> {
        let manifest = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../wasm/Cargo.toml"))?;
        assert!(manifest.lines().any(|line| line.trim() == "version.workspace = true"));
        let own = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))?;
        assert!(own.lines().any(|line| line.trim() == "version.workspace = true"));
        Ok(())
    }

    #[test]
    fn package_json_maps_every_entry_to_files_the_builds_make() {
        let json = package_json("1.2.3");
        assert!(json.contains("\"version\": \"1.2.3\""));
        for build in PACKAGE_BUILDS {
            let stem = build.module.out_name();
            assert!(json.contains(&format!("\"./{}/{stem}.js\"", build.folder)), "{}", build.folder);
            assert!(json.contains(&format!("\"./{}/{stem}.d.ts\"", build.folder)), "{}", build.folder);
        }
        for key in ["\".\"", "\"./admin\"", "\"./web\"", "\"./admin/web\"", "\"./admin/web/vmbackup_admin_bg.wasm\""] {
            assert!(json.contains(&format!("{key}: ")), "exports {key}");
        }
        let side_effects = &json[json.find("\"sideEffects\"").unwrap_or(0)..];
        for entry in ["./web/vmbackup.js", "./node/vmbackup.js", "./admin/bundler/vmbackup_admin.js"] {
            assert!(side_effects.contains(entry), "sideEffects lists {entry}");
        }
        // Balanced braces and brackets: the hand-written JSON stays well-formed.
        assert_eq!(json.matches('{').count(), json.matches('}').count());
        assert_eq!(json.matches('[').count(), json.matches(']').count());
    }

    #[test]
    fn reads_the_size_script_output() -> Result<(), XtaskError> {
        let sizes = parse_compressed_sizes("100 50 40 vmbackup_bg.wasm\n20 10 8 vmbackup.js\n")?;
        assert_eq!(sizes[0], ("vmbackup_bg.wasm", CompressedSize { raw: 100, gzip: 50, brotli: 40 }));
        assert_eq!(sizes[1].0, "vmbackup.js");
        assert!(parse_compressed_sizes("100 x 40 a.js\n").is_err());
        assert!(parse_compressed_sizes("100 50 40\n").is_err());
        Ok(())
    }

    #[test]
    fn the_table_totals_each_build_and_flags_entries_over_budget() -> Result<(), XtaskError> {
        let small = CompressedSize { raw: 2048, gzip: 1024, brotli: 512 };
        let large = CompressedSize { raw: 400 * 1024, gzip: 150 * 1024, brotli: 101 * 1024 };
        let build = |folder: &str, module: PackageModule, size: CompressedSize| BuildSizes {
            build: PACKAGE_BUILDS
                .into_iter()
                .find(|build| build.folder == folder && build.module == module)
                .unwrap_or(PACKAGE_BUILDS[0]),
            files: vec![(format!("{folder}/x_bg.wasm"), size), (format!("{folder}/x.js"), small)],
        };
        let within = [build("web", PackageModule::Headless, small), build("admin/web", PackageModule::Admin, large)];
        let table = size_table(&within);
        assert!(table.contains("web/ entry total"), "{table}");
        assert!(table.contains("4.0 KiB"), "{table}");
        assert!(!table.contains("OVER BUDGET") && !table.contains("WARNING"), "the admin entry has no budget: {table}");
        check_budgets(&within)?;

        let over = [build("web", PackageModule::Headless, small), build("node", PackageModule::Headless, large)];
        let table = size_table(&over);
        assert!(table.contains("OVER BUDGET: node/ is 101.5 KiB brotli"), "{table}");
        assert!(!table.contains(": web/"), "{table}");
        let error = check_budgets(&over).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("node/") && !error.contains("web/"), "an everyday entry over budget fails: {error}");

        // The widgets have a budget of their own, which warns without failing.
        let widgets = [build("widgets", PackageModule::Widgets, large)];
        assert!(!size_table(&widgets).contains("WARNING"), "101 KiB is within the widgets' 250 KiB");
        let huge = CompressedSize { brotli: 300 * 1024, ..large };
        let widgets = [build("widgets", PackageModule::Widgets, huge)];
        assert!(size_table(&widgets).contains("WARNING: widgets/ is 300.5 KiB brotli"));
        check_budgets(&widgets)
    }
}
