//! Pure helpers for forms, without a server: validation of a backup request, and with the `admin` feature the
//! schedule helpers of [`crate::schedule_helpers`] (schedule conversion between a user's local wall time and
//! Storware's UTC fields, next-run previews, validation of policies, rules, schedules and time zones).

use vmbackup_core::error::FieldError;
use vmbackup_core::validation;
use wasm_bindgen::prelude::*;

use crate::json::{from_js, to_js};
use crate::options::BackupRequest;
#[cfg(feature = "admin")]
pub use crate::schedule_helpers::*;

/// Field errors as the JavaScript array the validators return.
pub(crate) fn field_errors(errors: Vec<FieldError>) -> Result<JsValue, JsValue> {
    Ok(to_js(&errors)?)
}

/// The field errors of a backup request (VMs, rules, priority, window); empty when it is valid.
#[wasm_bindgen(js_name = validateBackup, unchecked_return_type = "FieldError[]")]
pub fn validate_backup(
    #[wasm_bindgen(unchecked_param_type = "BackupRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let request: BackupRequest = from_js(&request, "request")?;
    let now = js_sys::Date::now() as i64;
    field_errors(validation::export_errors(
        request.vms.len(),
        request.rules.len(),
        request.priority.map_or(0, i64::from),
        Some(request.window_start.unwrap_or(now)),
        request.window_end,
    ))
}
