//! TypeScript declarations of the domain and schedule types, for the npm package (feature `typescript`).
//!
//! The types derive tsify's `Tsify`, which emits each declaration as a wasm-bindgen `typescript_custom_section`:
//! the wasm-bindgen CLI moves it into the package's `.d.ts` and drops it from the wasm, so the declarations cost
//! no bytes at run time. Open and closed enums (custom `Serialize`) get theirs from [`open_enum!`](crate::open_enum!)
//! and [`closed_enum!`](crate::closed_enum!).
//!
//! Only tsify's derive macro is used: the `tsify` runtime crate refuses to build without a JSON/JS conversion
//! feature that pulls gloo-utils and web-sys (or serde-wasm-bindgen) into the core, and values cross to
//! JavaScript as JSON in crates/wasm anyway. The derive's expansion names `tsify::Tsify` and
//! `tsify::SerializationConfig`; [`tsify`] provides exactly these (checked against tsify-macros 0.5.8, which the
//! core pins).

#[doc(hidden)]
pub use wasm_bindgen;

/// The items tsify's derive expansion refers to, plus the derive itself and `declare` (for type aliases).
pub mod tsify {
    pub use tsify_macros::{declare, Tsify};

    /// What the derive implements for each type: its declaration and the JavaScript type wasm-bindgen uses.
    pub trait Tsify {
        /// The imported JavaScript type named after the declaration.
        type JsType;
        /// The TypeScript declaration.
        const DECL: &'static str;
        /// Conversion settings of tsify's runtime (unused here: values cross as JSON).
        const SERIALIZATION_CONFIG: SerializationConfig;
    }

    /// Conversion settings of tsify's runtime, kept only because the derive fills them in.
    #[derive(Debug, Clone, Copy)]
    pub struct SerializationConfig {
        pub missing_as_null: bool,
        pub hashmap_as_object: bool,
        pub large_number_types_as_bigints: bool,
    }
}
