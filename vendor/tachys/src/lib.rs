//! Allows rendering user interfaces based on a statically-typed view tree.
//!
//! This view tree is generic over rendering backends, and agnostic about reactivity/change
//! detection.

// this is specifically used for `unsized_const_params` below
// this allows us to use const generic &'static str for static text nodes and attributes
#![allow(incomplete_features)]
#![cfg_attr(
    all(feature = "nightly", rustc_nightly),
    feature(unsized_const_params)
)]
// support for const generic &'static str has now moved back and forth between
// these two features a couple times; we'll just enable both
#![cfg_attr(all(feature = "nightly", rustc_nightly), feature(adt_const_params))]
#![deny(missing_docs)]
// vmbackup patch: as a path dependency this crate's warnings (unused variables in a client-side build) would show
// in every build of the workspace, where a crates.io dependency's are capped; they are upstream's to fix.
#![allow(warnings)]

/// Commonly-used traits.
pub mod prelude {
    pub use crate::{
        html::{
            attribute::{
                any_attribute::IntoAnyAttribute,
                aria::AriaAttributes,
                custom::CustomAttribute,
                global::{
                    ClassAttribute, GlobalAttributes, GlobalOnAttributes,
                    OnAttribute, OnTargetAttribute, PropAttribute,
                    StyleAttribute,
                },
                IntoAttributeValue,
            },
            directive::DirectiveAttribute,
            element::{ElementChild, ElementExt, InnerHtmlAttribute},
            node_ref::NodeRefAttribute,
        },
        renderer::{dom::Dom, Renderer},
        view::{
            add_attr::AddAnyAttr,
            any_view::{AnyView, IntoAny, IntoMaybeErased},
            IntoRender, Mountable, Render, RenderHtml,
        },
    };
}

use wasm_bindgen::JsValue;
use web_sys::Node;

/// Helpers for interacting with the DOM.
pub mod dom;
/// Types for building a statically-typed HTML view tree.
pub mod html;
/// Supports adding interactivity to HTML.
pub mod hydration;
/// Types for MathML.
pub mod mathml;
/// Defines various backends that can render views.
pub mod renderer;
/// Rendering views to HTML.
pub mod ssr;
/// Types for SVG.
pub mod svg;
/// Core logic for manipulating views.
pub mod view;

pub use either_of as either;
#[cfg(feature = "islands")]
#[doc(hidden)]
pub use wasm_bindgen;
#[cfg(feature = "islands")]
#[doc(hidden)]
pub use web_sys;

/// View implementations for the `oco_ref` crate (cheaply-cloned string types).
#[cfg(feature = "oco")]
pub mod oco;
/// View implementations for the `reactive_graph` crate.
#[cfg(feature = "reactive_graph")]
pub mod reactive_graph;

/// A type-erased container.
pub mod erased;

pub(crate) trait UnwrapOrDebug {
    type Output;

    fn or_debug(self, el: &Node, label: &'static str);

    fn ok_or_debug(
        self,
        el: &Node,
        label: &'static str,
    ) -> Option<Self::Output>;
}

impl<T> UnwrapOrDebug for Result<T, JsValue> {
    type Output = T;

    #[track_caller]
    fn or_debug(self, el: &Node, name: &'static str) {
        #[cfg(any(debug_assertions, leptos_debuginfo))]
        {
            if let Err(err) = self {
                let location = std::panic::Location::caller();
                web_sys::console::warn_3(
                    &JsValue::from_str(&format!(
                        "[WARNING] Non-fatal error at {location}, while \
                         calling {name} on "
                    )),
                    el,
                    &err,
                );
            }
        }
        #[cfg(not(any(debug_assertions, leptos_debuginfo)))]
        {
            _ = self;
        }
    }

    #[track_caller]
    fn ok_or_debug(
        self,
        el: &Node,
        name: &'static str,
    ) -> Option<Self::Output> {
        #[cfg(any(debug_assertions, leptos_debuginfo))]
        {
            if let Err(err) = &self {
                let location = std::panic::Location::caller();
                web_sys::console::warn_3(
                    &JsValue::from_str(&format!(
                        "[WARNING] Non-fatal error at {location}, while \
                         calling {name} on "
                    )),
                    el,
                    err,
                );
            }
            self.ok()
        }
        #[cfg(not(any(debug_assertions, leptos_debuginfo)))]
        {
            self.ok()
        }
    }
}

#[doc(hidden)]
#[macro_export]
macro_rules! or_debug {
    ($action:expr, $el:expr, $label:literal) => {
        if cfg!(any(debug_assertions, leptos_debuginfo)) {
            $crate::UnwrapOrDebug::or_debug($action, $el, $label);
        } else {
            _ = $action;
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! ok_or_debug {
    ($action:expr, $el:expr, $label:literal) => {
        if cfg!(any(debug_assertions, leptos_debuginfo)) {
            $crate::UnwrapOrDebug::ok_or_debug($action, $el, $label)
        } else {
            $action.ok()
        }
    };
}

/// vmbackup patch (see `vendor/README.md`): what identifies the type behind an [`AnyView`](view::any_view::AnyView)
/// or an [`AnyAttribute`](html::attribute::any_attribute::AnyAttribute) when a new value meets the state of an old
/// one (same type: rebuild in place; another: build anew). Upstream stores the `TypeId`, 16 bytes of hash per
/// type that stay incompressible in a wasm module (~4.5 KiB brotli in vmbackup's widgets). A client-side build
/// compares the type's `build` and `rebuild` functions instead: distinct types have distinct functions unless
/// the compiler merged identical code, and a type whose building and rebuilding are the same code as another's
/// is handled the same way by both. With `ssr` or `hydrate` the `TypeId` stays, as branch markers print it.
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeKey {
    build: usize,
    rebuild: usize,
}

/// See above.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
#[doc(hidden)]
pub type TypeKey = std::any::TypeId;

/// `type_key!(T, build::<T>, rebuild::<T>)`: the [`TypeKey`] of `T`, whose erased `build` and `rebuild` functions
/// are the two given.
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
#[doc(hidden)]
#[macro_export]
macro_rules! type_key {
    ($t:ty, $build:expr, $rebuild:expr) => {
        $crate::TypeKey { build: $build as *const () as usize, rebuild: $rebuild as *const () as usize }
    };
}

/// See above.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
#[doc(hidden)]
#[macro_export]
macro_rules! type_key {
    ($t:ty, $build:expr, $rebuild:expr) => {
        ::std::any::TypeId::of::<$t>()
    };
}

// vmbackup patch: in client-side builds, the typed attribute functions and methods (`aria_label(v)`,
// `.id(v)`, …) return a `CustomAttr<&'static str, V>` holding the attribute's name instead of an
// `Attr<AriaLabel, V>`: the two build, rebuild and erase alike, but `Attr` compiled (and erased) that code once
// per attribute name and value type, `CustomAttr` once per value type. With `ssr` or `hydrate`, `Attr` stays:
// its name is a constant the static templates read.

/// The type a typed attribute function returns for `key` and `value` (see above).
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
#[doc(hidden)]
#[macro_export]
macro_rules! keyed_attr {
    ($key:ty, $value:ty) => {
        $crate::html::attribute::custom::CustomAttr<&'static str, $value>
    };
}

/// See above.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
#[doc(hidden)]
#[macro_export]
macro_rules! keyed_attr {
    ($key:ty, $value:ty) => {
        $crate::html::attribute::Attr<$key, $value>
    };
}

/// The attribute `key` (a key type) set to `value`, as [`keyed_attr!`] types it.
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
#[doc(hidden)]
#[macro_export]
macro_rules! keyed_attr_value {
    ($key:ident, $value:expr) => {
        $crate::html::attribute::custom::custom_attribute(
            <$key as $crate::html::attribute::AttributeKey>::KEY,
            $value,
        )
    };
}

/// See above.
#[cfg(any(feature = "ssr", feature = "hydrate"))]
#[doc(hidden)]
#[macro_export]
macro_rules! keyed_attr_value {
    ($key:ident, $value:expr) => {
        $crate::html::attribute::Attr($key, $value)
    };
}
