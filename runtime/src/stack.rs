//! Whether the thread's stack is nearly used up.
//!
//! The decoders recurse once per level of nesting. Within the default limits (prost's 100
//! levels for views, 100 for JSON) that takes a few tens of KiB at most; a limit raised far above
//! the default lets the input decide how deep the recursion goes, and a stack overflow aborts
//! the process. So past the default depth, the decoders ask how much stack is left (a
//! thread-local read, through `stacker`) and stop with an error while there is still room.

/// Room kept for the frames between two checks and for building the error.
#[cfg(all(feature = "std", not(target_family = "wasm")))]
const RED_ZONE: usize = 128 << 10;

/// Whether less than [`RED_ZONE`] bytes of stack are left (never, where that is unknown).
#[cfg(all(feature = "std", not(target_family = "wasm")))]
#[cold]
#[inline(never)]
pub(crate) fn nearly_exhausted() -> bool {
    stacker::remaining_stack().is_some_and(|left| left < RED_ZONE)
}

/// Without `std`, or on wasm, the stack is not measured: the recursion limit alone bounds it.
#[cfg(not(all(feature = "std", not(target_family = "wasm"))))]
pub(crate) fn nearly_exhausted() -> bool {
    false
}
