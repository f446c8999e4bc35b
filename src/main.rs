//! The `qalam` command. Argument parsing and output live in `cli`; the work
//! is done by the library.

mod cli;

fn main() -> std::process::ExitCode {
    tune_malloc();
    cli::run()
}

/// Two glibc malloc settings, measured on the 50-chapter book's PDF
/// (`hyperfine -N`, three alternating series of 15 runs each):
///
/// - A fixed mmap threshold. glibc raises it each time a large block is
///   freed; after that, the compressor's state (some 300 KB for every PDF
///   page and EPUB file compressed on the worker threads) comes from the
///   heap, between longer-lived blocks, and fragments it: a 500-page book
///   then peaked at 160-250 MB of memory instead of the ~95 MB it needs.
///   A fixed threshold keeps such blocks in their own mappings, returned
///   when freed.
/// - Heaps that grow 64 MB at a time and are not trimmed back below
///   256 MB of free space. By default every thread's heap grows and
///   shrinks in small steps, and each step costs system calls and fresh
///   zeroed pages: the kernel's time fell from ~135 to ~75 ms and the
///   wall time by 23-31 ms (about 6%), for ~8 MB more peak memory (pages
///   reserved but never touched are not resident).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    // Parameter numbers from glibc's malloc.h.
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_TOP_PAD: i32 = -2;
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: mallopt only sets allocator parameters; it is called at the
    // start of main, before any other thread exists.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        mallopt(M_TOP_PAD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
