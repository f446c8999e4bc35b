//! The `qalam` command. Argument parsing and output live in `cli`; the work
//! is done by the library.

mod cli;

fn main() -> std::process::ExitCode {
    fixed_mmap_threshold();
    cli::run()
}

/// glibc raises its mmap threshold each time a large block is freed; after
/// that, the compressor's state (some 300 KB for every PDF page and EPUB
/// file compressed on the worker threads) comes from the heap, between
/// longer-lived blocks, and fragments it: a 500-page book then peaked at
/// 160-250 MB of memory instead of the ~95 MB it needs. A fixed threshold
/// keeps such blocks in their own mappings, returned when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fixed_mmap_threshold() {
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    /// `M_MMAP_THRESHOLD` in glibc's malloc.h.
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: mallopt only sets an allocator parameter; it is called once,
    // before any other thread exists.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fixed_mmap_threshold() {}
