// Loads the app's wasm (Trunk's output, by its stable name) without an inline script, so the page's
// Content-Security-Policy can forbid inline scripts.
import init from "./vmbackup-app.js";

await init({ module_or_path: new URL("./vmbackup-app_bg.wasm", import.meta.url) });
