//! What the standard library would otherwise provide to the package's `no_std` module.

/// A panic stops the call with a trap. None is reachable from JavaScript input (the facade checks
/// every value), so std's panic messages and their formatting code would be dead weight.
#[panic_handler]
fn trap(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Smaller than std's dlmalloc in the module, and faster; the page is single-threaded.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
