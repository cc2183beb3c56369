//! Enumerations that stay readable when the server adds values.
//!
//! Backup servers grow their enum lists every release and send them either as bare strings (`"RUNNING"`) or as
//! objects (`{"name": "RUNNING", "description": "Running"}`). [`open_enum!`](crate::open_enum!) declares an enum that reads both,
//! keeps values it does not know as `Other(name)`, and writes the bare name (the domain's JSON, for JavaScript).

/// Reads an enum name from either encoding: `"X"`, `{"name": "X", ...}`.
#[doc(hidden)]
pub fn read_name<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    use serde::de::{self, MapAccess, Visitor};
    struct NameVisitor;
    impl<'de> Visitor<'de> for NameVisitor {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an enum name as a string or an object with `name`")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            let mut name = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == "name" && name.is_none() {
                    name = Some(map.next_value::<String>()?);
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            name.ok_or_else(|| de::Error::missing_field("name"))
        }
    }
    deserializer.deserialize_any(NameVisitor)
}

/// Declares an open enumeration: known variants with their wire names, plus `Other(String)`.
///
/// ```
/// vmbackup_core::open_enum! {
///     /// Traffic light colours.
///     pub enum Light { Red = "RED", Green = "GREEN" }
/// }
/// let a: Light = serde_json::from_str(r#""RED""#).unwrap();
/// let b: Light = serde_json::from_str(r#"{"name":"GREEN","description":"Go"}"#).unwrap();
/// let c: Light = serde_json::from_str(r#""BLUE""#).unwrap();
/// assert_eq!((a, b, c.as_str()), (Light::Red, Light::Green, "BLUE"));
/// assert_eq!(serde_json::to_string(&Light::Green).unwrap(), r#""GREEN""#);
/// ```
#[macro_export]
macro_rules! open_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know, kept as the server sent it.
            Other(String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value for a wire name; unknown names become `Other`.
            pub fn from_name(name: &str) -> Self {
                match name {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_string()),
                }
            }

            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(other) => other.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::open_enum::read_name(d).map(|n| $name::from_name(&n))
            }
        }

        // The known names plus any other string (`string & {}` keeps editors suggesting the known ones).
        $crate::typescript_declaration!(concat!(
            "export type ", stringify!($name), " = ", $("\"", $wire, "\" | ",)+ "(string & {});"
        ));
    };
}

/// Declares a closed enumeration (a list that cannot grow, such as weekdays): reads both encodings like
/// [`open_enum!`](crate::open_enum!), but an unknown name is an error.
///
/// ```
/// vmbackup_core::closed_enum! {
///     /// Coin sides.
///     pub enum Side { Heads = "HEADS", Tails = "TAILS" }
/// }
/// let s: Side = serde_json::from_str(r#"{"name":"TAILS"}"#).unwrap();
/// assert_eq!(s, Side::Tails);
/// assert!(serde_json::from_str::<Side>(r#""EDGE""#).is_err());
/// ```
#[macro_export]
macro_rules! closed_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value for a wire name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = $crate::open_enum::read_name(d)?;
                $name::from_name(&name).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::unknown_variant(&name, &[$($wire),+])
                })
            }
        }

        $crate::typescript_declaration!(concat!(
            "export type ", stringify!($name), " = ", $crate::__join_alternatives!($($wire),+), ";"
        ));
    };
}

/// Emits a TypeScript declaration into the npm package's `.d.ts` (feature `typescript`; nothing otherwise).
#[doc(hidden)]
#[cfg(feature = "typescript")]
#[macro_export]
macro_rules! typescript_declaration {
    ($text:expr) => {
        const _: () = {
            #[$crate::typescript::wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS_APPEND_CONTENT: &'static str = $text;
        };
    };
}

/// Emits a TypeScript declaration into the npm package's `.d.ts` (feature `typescript`; nothing otherwise).
#[doc(hidden)]
#[cfg(not(feature = "typescript"))]
#[macro_export]
macro_rules! typescript_declaration {
    ($text:expr) => {};
}

/// `"A" | "B" | "C"` from string literals (for closed enums' declarations).
#[doc(hidden)]
#[macro_export]
macro_rules! __join_alternatives {
    ($first:literal $(, $rest:literal)*) => {
        concat!("\"", $first, "\"" $(, " | \"", $rest, "\"")*)
    };
}
