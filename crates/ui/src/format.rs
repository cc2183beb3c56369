//! Dates, numbers and sizes in the user's locale and time zone, through the runtime's `Intl`.

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::Lang;

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    options
}

fn locales(lang: Lang) -> Array {
    Array::of1(&JsValue::from_str(lang.tag()))
}

/// A date and time (`ms` since the epoch) in `zone`, e.g. "25 lis 2026, 14:05" in Polish. An unknown zone
/// falls back to the runtime's own zone rather than failing.
pub fn date_time(lang: Lang, zone: &str, ms: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let format = date_time_format(lang, &[("dateStyle", "medium"), ("timeStyle", "short"), ("timeZone", zone)])
        .or_else(|| date_time_format(lang, &[("dateStyle", "medium"), ("timeStyle", "short")]));
    format
        .and_then(|format| format.format().call1(&format, &date).ok())
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// `new Intl.DateTimeFormat(lang, options)`, or `None` where it throws (an unknown zone is a `RangeError`;
/// js-sys's own binding would let that exception unwind through Rust).
fn date_time_format(lang: Lang, pairs: &[(&str, &str)]) -> Option<Intl::DateTimeFormat> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: js_sys::Function =
        Reflect::get(&intl, &JsValue::from_str("DateTimeFormat")).ok()?.dyn_into().ok()?;
    let args = Array::of2(&locales(lang), &options(pairs));
    Reflect::construct(&constructor, &args).ok()?.dyn_into().ok()
}

/// A number with grouping in the user's locale.
pub fn number(lang: Lang, value: f64, max_fraction_digits: u8) -> String {
    let opts = Object::new();
    let _ = Reflect::set(&opts, &JsValue::from_str("maximumFractionDigits"), &JsValue::from(max_fraction_digits));
    let format = Intl::NumberFormat::new(&locales(lang), &opts);
    format.format().call1(&format, &JsValue::from_f64(value)).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// A size in bytes as "1.5 GiB" (binary units, locale digits).
pub fn bytes(lang: Lang, size: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", number(lang, value, if unit == 0 { 0 } else { 1 }), UNITS[unit])
}

/// A CSS length in percent with one decimal ("12.5%") for a progress bar's width, `value` clamped to 0–100.
/// Written out by hand: `f64`'s `Display` would bring Rust's float printing (~10 KB of wasm) for this alone.
pub fn css_percent(value: f64) -> String {
    let tenths = (value.clamp(0.0, 100.0) * 10.0).round() as u32;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// A CSS length in whole pixels ("360px"), without `f64`'s `Display` (see [`css_percent`]).
pub fn css_pixels(value: f64) -> String {
    format!("{}px", value.max(0.0).round() as u64)
}

/// `text` in lower case by the browser's Unicode rules (`String.prototype.toLowerCase`). Rust's own
/// `str::to_lowercase` would bring its Unicode case tables and code into the wasm for the policy panel's search
/// and a few labels alone. (Native builds, which only run the unit tests, use Rust's.)
pub fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// The runtime's own IANA time zone (`UTC` if it cannot tell).
pub fn runtime_zone() -> String {
    let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_lengths_are_written_without_float_formatting() {
        assert_eq!(css_percent(12.345), "12.3%");
        assert_eq!(css_percent(99.96), "100.0%");
        assert_eq!(css_percent(-3.0), "0.0%");
        assert_eq!(css_percent(f64::NAN), "0.0%");
        assert_eq!(css_pixels(36.0 * 9_990.0), "359640px");
        assert_eq!(css_pixels(-1.0), "0px");
    }
}
