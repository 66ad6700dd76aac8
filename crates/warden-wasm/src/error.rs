//! Errors as JavaScript sees them: a real `Error` (with a stack) whose `kind` property is a stable,
//! kebab-case string — the core's [`warden_core::ErrorKind::as_str`], or one of this adapter's own
//! kinds below — and whose `name` is `WardenError`.

use wasm_bindgen::JsValue;

/// An argument from JavaScript has the wrong shape (not a string, unknown field, bad enum value).
pub const INVALID_ARGUMENT: &str = "invalid-argument";

/// Builds the JavaScript error.
pub fn js_error(kind: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("WardenError");
    // Setting a property on a fresh, extensible Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("kind"), &JsValue::from_str(kind));
    error.into()
}

/// An engine error, with its kind.
pub fn from_core(error: warden_core::Error) -> JsValue {
    js_error(error.kind().as_str(), error.message())
}

/// A malformed argument; `what` names it (`"options"`, `"mapping"`).
pub fn invalid_argument(what: &str, error: impl std::fmt::Display) -> JsValue {
    js_error(INVALID_ARGUMENT, &format!("{what}: {error}"))
}
